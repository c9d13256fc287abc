# ruff: noqa: E501  (agency prose templates and slot tables are long lines by nature)
"""Deterministic generator of realistic, labelled agency wire streams for linking benchmarks.

``generate(stories, max_versions, seed)`` builds ``stories`` fictional news stories (company
results, strikes, court rulings and reactions, state visits and criticism of them, domestic
politics, football, weather, accidents) in German and English, lets each evolve through up to
``max_versions`` versions (first report, developments/roundups, corrections, resends, a kill) and
renders every version in the wire format of the story's feed: dpa/dpa-AFX plain text, IPTC 7901
(dpa German ``bdt`` and English ``eca`` services), ANPA 1312 (AP style), NewsML-G2 (dpa and
Reuters style), ninjs 2.x and dpa digitalwires JSON. Every message carries its true story label.

Realism that matters for linking:

- id-bearing formats (G2 guid, ninjs uri, digitalwires urn) keep the item id across the versions
  of a story with increasing version numbers; the text formats carry no id;
- the update grammar is the agencies': ``ROUNDUP n:``/``(neu: ...)``, ``WDH/``, ``KORREKTUR:``,
  ``(Zusammenfassung HHMM)``, ``(Berichtigung: ...)``, ``(Achtung) ... zurückgezogen``,
  ``1ST LEAD``, ``REFILE``, ``KILL KILL KILL``, ``1st Ld-Writethru`` + ``Eds:``, ``UPDATE 1-``,
  ``CORRECTED-``, ``sig:update``/``sig:correction``, ``pubStatus canceled``;
- renditions: the same version of an item sent again in another format (digitalwires + its G2
  with the urn as guid + a 7901 text without id; AP's duplicate ANPA delivery under another
  category header), labelled ``rendition``;
- traps: sibling stories about the same company or people on the same day, with another
  dateline and angle (results vs. a strike; a court ruling vs. the company's reaction from its
  head office; a state visit vs. a third country's criticism). They are separate stories;
- time: stories spread over the stream, versions minutes to hours apart and never more than
  72 h after the first, messages sorted by arrival; ``shuffle_rate`` delays a few messages so
  they arrive after later versions (a ROUNDUP before its first report).

Same arguments, same bytes: one ``random.Random(seed)`` drives everything, no ``hash()``, no
set iteration, no clock. ``python -m bench.generator --check`` parses a 500-story stream with
the production parsers and fails on any rejection or wrongly detected format.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from random import Random
from typing import Any
from zoneinfo import ZoneInfo

# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------

DEFAULT_FORMATS: tuple[str, ...] = ("dpa_text", "iptc7901", "newsml_g2", "ninjs", "digitalwires", "anpa")
DEFAULT_START = datetime(2025, 3, 10, 5, 0, tzinfo=UTC)
KINDS: tuple[str, ...] = ("new", "development", "correction", "resend", "withdrawal", "rendition")
# Which languages each format can carry: dpa-AFX text is German, ANPA is AP's English wire.
FORMAT_LANGUAGES: dict[str, tuple[str, ...]] = {
    "dpa_text": ("de",),
    "iptc7901": ("de", "en"),
    "anpa": ("en",),
    "newsml_g2": ("de", "en"),
    "ninjs": ("de", "en"),
    "digitalwires": ("de", "en"),
}
MAX_STORY_SPAN = timedelta(hours=71)


@dataclass(frozen=True, slots=True)
class Message:
    """One wire message with its truth: the story it belongs to and what it is in that story."""

    payload: bytes
    received_at: datetime
    story: str
    format: str
    version_index: int
    kind: str

    def to_json(self) -> dict[str, Any]:
        return {
            "payload": self.payload.decode("utf-8"),
            "received_at": self.received_at.isoformat(),
            "story": self.story,
            "format": self.format,
            "kind": self.kind,
            "version_index": self.version_index,
        }


# --------------------------------------------------------------------------------------------
# Slot values: places, people, companies (all people and companies are fictional)
# --------------------------------------------------------------------------------------------

# key: (German, English, dpa-AFX upper case, state German, state English, dpa regional, yy code)
_CITIES: dict[str, tuple[str, str, str, str, str, str, str]] = {
    "frankfurt": ("Frankfurt", "Frankfurt", "FRANKFURT", "Hessen", "Hesse", "lhe", "he"),
    "kassel": ("Kassel", "Kassel", "KASSEL", "Hessen", "Hesse", "lhe", "he"),
    "wiesbaden": ("Wiesbaden", "Wiesbaden", "WIESBADEN", "Hessen", "Hesse", "lhe", "he"),
    "darmstadt": ("Darmstadt", "Darmstadt", "DARMSTADT", "Hessen", "Hesse", "lhe", "he"),
    "muenchen": ("München", "Munich", "MÜNCHEN", "Bayern", "Bavaria", "lby", "by"),
    "nuernberg": ("Nürnberg", "Nuremberg", "NÜRNBERG", "Bayern", "Bavaria", "lby", "by"),
    "augsburg": ("Augsburg", "Augsburg", "AUGSBURG", "Bayern", "Bavaria", "lby", "by"),
    "regensburg": ("Regensburg", "Regensburg", "REGENSBURG", "Bayern", "Bavaria", "lby", "by"),
    "stuttgart": ("Stuttgart", "Stuttgart", "STUTTGART", "Baden-Württemberg", "Baden-Wuerttemberg", "lsw", "bw"),
    "karlsruhe": ("Karlsruhe", "Karlsruhe", "KARLSRUHE", "Baden-Württemberg", "Baden-Wuerttemberg", "lsw", "bw"),
    "mannheim": ("Mannheim", "Mannheim", "MANNHEIM", "Baden-Württemberg", "Baden-Wuerttemberg", "lsw", "bw"),
    "freiburg": ("Freiburg", "Freiburg", "FREIBURG", "Baden-Württemberg", "Baden-Wuerttemberg", "lsw", "bw"),
    "ulm": ("Ulm", "Ulm", "ULM", "Baden-Württemberg", "Baden-Wuerttemberg", "lsw", "bw"),
    "hamburg": ("Hamburg", "Hamburg", "HAMBURG", "Hamburg", "Hamburg", "lno", "hh"),
    "kiel": ("Kiel", "Kiel", "KIEL", "Schleswig-Holstein", "Schleswig-Holstein", "lno", "sh"),
    "luebeck": ("Lübeck", "Luebeck", "LÜBECK", "Schleswig-Holstein", "Schleswig-Holstein", "lno", "sh"),
    "hannover": ("Hannover", "Hanover", "HANNOVER", "Niedersachsen", "Lower Saxony", "lni", "ni"),
    "braunschweig": ("Braunschweig", "Brunswick", "BRAUNSCHWEIG", "Niedersachsen", "Lower Saxony", "lni", "ni"),
    "osnabrueck": ("Osnabrück", "Osnabrueck", "OSNABRÜCK", "Niedersachsen", "Lower Saxony", "lni", "ni"),
    "wolfsburg": ("Wolfsburg", "Wolfsburg", "WOLFSBURG", "Niedersachsen", "Lower Saxony", "lni", "ni"),
    "bremen": ("Bremen", "Bremen", "BREMEN", "Bremen", "Bremen", "lni", "hb"),
    "duesseldorf": ("Düsseldorf", "Duesseldorf", "DÜSSELDORF", "Nordrhein-Westfalen", "North Rhine-Westphalia", "lnw", "nw"),
    "koeln": ("Köln", "Cologne", "KÖLN", "Nordrhein-Westfalen", "North Rhine-Westphalia", "lnw", "nw"),
    "essen": ("Essen", "Essen", "ESSEN", "Nordrhein-Westfalen", "North Rhine-Westphalia", "lnw", "nw"),
    "dortmund": ("Dortmund", "Dortmund", "DORTMUND", "Nordrhein-Westfalen", "North Rhine-Westphalia", "lnw", "nw"),
    "duisburg": ("Duisburg", "Duisburg", "DUISBURG", "Nordrhein-Westfalen", "North Rhine-Westphalia", "lnw", "nw"),
    "bielefeld": ("Bielefeld", "Bielefeld", "BIELEFELD", "Nordrhein-Westfalen", "North Rhine-Westphalia", "lnw", "nw"),
    "muenster": ("Münster", "Muenster", "MÜNSTER", "Nordrhein-Westfalen", "North Rhine-Westphalia", "lnw", "nw"),
    "leipzig": ("Leipzig", "Leipzig", "LEIPZIG", "Sachsen", "Saxony", "lsn", "sn"),
    "dresden": ("Dresden", "Dresden", "DRESDEN", "Sachsen", "Saxony", "lsn", "sn"),
    "chemnitz": ("Chemnitz", "Chemnitz", "CHEMNITZ", "Sachsen", "Saxony", "lsn", "sn"),
    "berlin": ("Berlin", "Berlin", "BERLIN", "Berlin", "Berlin", "bb", "bb"),
    "potsdam": ("Potsdam", "Potsdam", "POTSDAM", "Brandenburg", "Brandenburg", "bb", "bb"),
    "cottbus": ("Cottbus", "Cottbus", "COTTBUS", "Brandenburg", "Brandenburg", "bb", "bb"),
    "magdeburg": ("Magdeburg", "Magdeburg", "MAGDEBURG", "Sachsen-Anhalt", "Saxony-Anhalt", "lsa", "st"),
    "halle": ("Halle", "Halle", "HALLE", "Sachsen-Anhalt", "Saxony-Anhalt", "lsa", "st"),
    "erfurt": ("Erfurt", "Erfurt", "ERFURT", "Thüringen", "Thuringia", "lth", "th"),
    "jena": ("Jena", "Jena", "JENA", "Thüringen", "Thuringia", "lth", "th"),
    "mainz": ("Mainz", "Mainz", "MAINZ", "Rheinland-Pfalz", "Rhineland-Palatinate", "lrs", "rp"),
    "ludwigshafen": ("Ludwigshafen", "Ludwigshafen", "LUDWIGSHAFEN", "Rheinland-Pfalz", "Rhineland-Palatinate", "lrs", "rp"),
    "saarbruecken": ("Saarbrücken", "Saarbruecken", "SAARBRÜCKEN", "Saarland", "Saarland", "lrs", "sl"),
    "rostock": ("Rostock", "Rostock", "ROSTOCK", "Mecklenburg-Vorpommern", "Mecklenburg-Western Pomerania", "lmv", "mv"),
    "schwerin": ("Schwerin", "Schwerin", "SCHWERIN", "Mecklenburg-Vorpommern", "Mecklenburg-Western Pomerania", "lmv", "mv"),
}  # fmt: skip
_CITY_KEYS = tuple(_CITIES)

_FIRST_M = (
    "Andreas", "Bernd", "Christian", "Daniel", "Dirk", "Florian", "Frank", "Georg", "Hannes", "Holger",
    "Jan", "Jens", "Jörg", "Jonas", "Kai", "Klaus", "Lars", "Lukas", "Malte", "Markus", "Martin",
    "Matthias", "Michael", "Moritz", "Nils", "Oliver", "Peter", "Philipp", "Ralf", "Sebastian",
    "Stefan", "Sven", "Thomas", "Tobias", "Torsten", "Uwe", "Volker", "Werner", "Wolfgang", "Yannick",
)  # fmt: skip
_FIRST_F = (
    "Anja", "Anna", "Barbara", "Birgit", "Carolin", "Christine", "Claudia", "Daniela", "Eva", "Franziska",
    "Gabriele", "Hanna", "Heike", "Ines", "Jana", "Julia", "Karin", "Katrin", "Kerstin", "Lena", "Lisa",
    "Maike", "Maria", "Marion", "Miriam", "Nadine", "Nicole", "Petra", "Sabine", "Sandra", "Silke",
    "Simone", "Sonja", "Susanne", "Tanja", "Ulrike", "Ute", "Vanessa", "Verena", "Yvonne",
)  # fmt: skip
_LAST = (
    "Albrecht", "Ahrens", "Baumann", "Becker", "Behrendt", "Berger", "Brandt", "Brinkmann", "Dietrich",
    "Döring", "Ebert", "Engel", "Falk", "Fischer", "Franke", "Friedrich", "Gerlach", "Götz", "Graf",
    "Haas", "Hahn", "Hartmann", "Heinrich", "Hofmann", "Horn", "Jäger", "Jansen", "Kaiser", "Keller",
    "Kessler", "Klein", "Koch", "Kraus", "Krüger", "Kuhn", "Lang", "Lehmann", "Lorenz", "Ludwig", "Maier",
    "Marx", "Meier", "Möller", "Neumann", "Otto", "Pohl", "Probst", "Rademacher", "Reinhardt", "Richter",
    "Roth", "Sauer", "Schäfer", "Schmidt", "Schneider", "Scholz", "Schubert", "Schulte", "Schwarz",
    "Seidel", "Sommer", "Stein", "Thiele", "Vogel", "Vogt", "Wagner", "Walter", "Weber", "Wendt",
    "Winkler", "Wolf", "Zimmermann", "Ziegler", "Brückner", "Hollmann", "Lindner", "Petersen", "Voss",
)  # fmt: skip
# A surname and a plausible misspelling of it: what corrections fix.
_SPELLING = {
    "Meier": "Meyer", "Maier": "Mayer", "Schmidt": "Schmitt", "Hofmann": "Hoffmann", "Kessler": "Keßler",
    "Vogt": "Voigt", "Möller": "Müller", "Brandt": "Brand", "Franke": "Frank", "Seidel": "Seidl",
    "Jansen": "Janssen", "Voss": "Voß", "Petersen": "Peters", "Lindner": "Linder", "Kraus": "Krause",
    "Hollmann": "Holmann", "Schulte": "Schulze", "Wendt": "Wende", "Götz": "Goetz", "Probst": "Propst",
}  # fmt: skip

# name, sector key, head office, plant
_COMPANIES: tuple[tuple[str, str, str, str], ...] = (
    ("Veltrum", "chem", "ludwigshafen", "halle"), ("Brennhagen", "mach", "kassel", "chemnitz"),
    ("Kettwig Stahl", "steel", "duisburg", "saarbruecken"), ("Sorbus Pharma", "pharma", "darmstadt", "jena"),
    ("Halberg Logistik", "logistics", "bremen", "leipzig"), ("Tessmar", "auto", "stuttgart", "regensburg"),
    ("Orvano Energie", "energy", "essen", "cottbus"), ("Quendel Software", "software", "karlsruhe", "dresden"),
    ("Tannhof", "food", "osnabrueck", "schwerin"), ("Rheinhafen Versicherung", "insurance", "koeln", "dortmund"),
    ("Lindauer Maschinenbau", "mach", "augsburg", "ulm"), ("Altenau Chemie", "chem", "muenster", "magdeburg"),
    ("Fehrbach Elektronik", "auto", "nuernberg", "erfurt"), ("Kordes Hausgeräte", "mach", "bielefeld", "luebeck"),
    ("Marbach Handel", "retail", "duesseldorf", "potsdam"), ("Sandau Lebensmittel", "food", "hannover", "rostock"),
    ("Ostwind Solar", "energy", "hamburg", "magdeburg"), ("Heller Spedition", "logistics", "dortmund", "kiel"),
    ("Breisgau Medtech", "pharma", "freiburg", "mannheim"), ("Amberg Kunststoff", "chem", "regensburg", "chemnitz"),
    ("Zellweger Optik", "mach", "jena", "wolfsburg"), ("Nordstrand Reederei", "logistics", "hamburg", "rostock"),
    ("Hohenfels Bahntechnik", "mach", "braunschweig", "cottbus"), ("Isarwerk", "auto", "muenchen", "leipzig"),
    ("Wallmer Stahl", "steel", "dortmund", "bremen"), ("Deridon Pharma", "pharma", "mainz", "halle"),
    ("Pfeilring Werkzeuge", "mach", "stuttgart", "erfurt"), ("Ebersdorf Brauerei", "food", "nuernberg", "dresden"),
    ("Velmar Handel", "retail", "koeln", "hannover"), ("Siebertal Energie", "energy", "mannheim", "saarbruecken"),
    ("Korvin Software", "software", "berlin", "leipzig"), ("Grauwald Papier", "chem", "kassel", "osnabrueck"),
    ("Falkenried Bank", "insurance", "frankfurt", "wiesbaden"), ("Weserbrück Werft", "mach", "bremen", "kiel"),
    ("Alvara Mobil", "auto", "wolfsburg", "braunschweig"), ("Lenzberg Textil", "retail", "augsburg", "chemnitz"),
)  # fmt: skip

# sector: (German noun, English noun, product German, product English, union, 7901 keyword)
_SECTORS: dict[str, tuple[str, str, str, str, str, str]] = {
    "chem": ("Chemiekonzern", "chemicals group", "Spezialchemikalien", "specialty chemicals", "IG BCE", "Chemie"),
    "mach": ("Maschinenbauer", "engineering company", "Verpackungsanlagen", "packaging machinery", "IG Metall", "Maschinenbau"),
    "steel": ("Stahlkonzern", "steelmaker", "Grobblech", "heavy plate", "IG Metall", "Stahl"),
    "pharma": ("Pharmakonzern", "drugmaker", "Generika", "generic drugs", "IG BCE", "Pharma"),
    "logistics": ("Logistikkonzern", "logistics group", "Paketdienste", "parcel services", "Verdi", "Logistik"),
    "auto": ("Autozulieferer", "car parts supplier", "Bremssysteme", "braking systems", "IG Metall", "Autoindustrie"),
    "energy": ("Energieversorger", "utility", "Ökostrom", "renewable power", "Verdi", "Energie"),
    "software": ("Softwarehersteller", "software maker", "Cloud-Dienste", "cloud services", "Verdi", "Software"),
    "food": ("Lebensmittelhersteller", "food producer", "Milchprodukte", "dairy products", "NGG", "Ernährung"),
    "insurance": ("Finanzkonzern", "financial group", "Lebensversicherungen", "life insurance", "Verdi", "Finanzen"),
    "retail": ("Handelskonzern", "retailer", "Eigenmarken", "own-brand goods", "Verdi", "Handel"),
}  # fmt: skip

# Invented brand stems; each gives three companies in different sectors ("Arventa Chemie", ...).
_STEMS = (
    "Arventa", "Belkor", "Cordalis", "Dravon", "Estria", "Fennor", "Galvio", "Holtara", "Imvera", "Jarlsen",
    "Kalvora", "Lumetra", "Morvik", "Norvalis", "Ostara", "Pellion", "Quarvo", "Ravensol", "Silvando", "Trenvik",
    "Ulvera", "Varenta", "Wendrik", "Xelmar", "Yorvan", "Zantis", "Brelmo", "Carvesta", "Delvion", "Elgora",
)  # fmt: skip
_SECTOR_SUFFIX = {
    "chem": "Chemie", "mach": "Anlagenbau", "steel": "Stahl", "pharma": "Pharma", "logistics": "Logistik",
    "auto": "Automotive", "energy": "Energie", "software": "Systems", "food": "Foods", "insurance": "Finanz",
    "retail": "Handel",
}  # fmt: skip


def _generated_companies() -> tuple[tuple[str, str, str, str], ...]:
    out = []
    sectors = tuple(_SECTORS)
    for i, stem in enumerate(_STEMS):
        for k in range(3):
            sector = sectors[(i * 7 + k * 4) % len(sectors)]
            hq = _CITY_KEYS[(i * 5 + k * 11) % len(_CITY_KEYS)]
            plant = _CITY_KEYS[(i * 3 + k * 7 + 13) % len(_CITY_KEYS)]
            if plant == hq:
                plant = _CITY_KEYS[(_CITY_KEYS.index(hq) + 1) % len(_CITY_KEYS)]
            out.append((f"{stem} {_SECTOR_SUFFIX[sector]}", sector, hq, plant))
    return tuple(out)


_COMPANIES = _COMPANIES + _generated_companies()

_BANKS = ("Bankhaus Lerche", "Ostkap Research", "Merian Securities", "Haldor Bank", "Kestrel Capital",
          "Nordlicht Equity", "Brückner & Co.", "Altstadt Invest", "Sunderland Partners", "Kaiserhof Research")  # fmt: skip

# key: (German, English, adjective German, adjective English, capital German, capital English,
#       capital upper, leader kind, (leader m, leader f, foreign minister))
_COUNTRIES: dict[str, tuple[Any, ...]] = {
    "pl": ("Polen", "Poland", "polnische", "Polish", "Warschau", "Warsaw", "WARSCHAU", "pm",
           (("Tomasz", "Wielecki"), ("Joanna", "Brzeska"), ("Marek", "Zawadzki"))),
    "fr": ("Frankreich", "France", "französische", "French", "Paris", "Paris", "PARIS", "pres",
           (("Étienne", "Marchal"), ("Claire", "Vasseur"), ("Hugo", "Lemaire"))),
    "at": ("Österreich", "Austria", "österreichische", "Austrian", "Wien", "Vienna", "WIEN", "pm",
           (("Lukas", "Hollerer"), ("Verena", "Steinwender"), ("Gernot", "Aigner"))),
    "cz": ("Tschechien", "the Czech Republic", "tschechische", "Czech", "Prag", "Prague", "PRAG", "pm",
           (("Pavel", "Dvořáček"), ("Lenka", "Horáková"), ("Jiří", "Soukup"))),
    "dk": ("Dänemark", "Denmark", "dänische", "Danish", "Kopenhagen", "Copenhagen", "KOPENHAGEN", "pm",
           (("Mads", "Kjærgaard"), ("Sofie", "Lindholt"), ("Rasmus", "Birkholm"))),
    "nl": ("die Niederlande", "the Netherlands", "niederländische", "Dutch", "Den Haag", "The Hague", "DEN HAAG", "pm",
           (("Joris", "van Dalen"), ("Maartje", "Kuipers"), ("Bram", "de Wilde"))),
    "it": ("Italien", "Italy", "italienische", "Italian", "Rom", "Rome", "ROM", "pm",
           (("Marco", "Ferrandi"), ("Giulia", "Ravasi"), ("Stefano", "Pellegatti"))),
    "es": ("Spanien", "Spain", "spanische", "Spanish", "Madrid", "Madrid", "MADRID", "pm",
           (("Javier", "Ortega Lluch"), ("Lucía", "Benavente"), ("Álvaro", "Sanz Medina"))),
    "pt": ("Portugal", "Portugal", "portugiesische", "Portuguese", "Lissabon", "Lisbon", "LISSABON", "pm",
           (("Rui", "Tavares Lobo"), ("Inês", "Moreira"), ("Duarte", "Falcão"))),
    "gr": ("Griechenland", "Greece", "griechische", "Greek", "Athen", "Athens", "ATHEN", "pm",
           (("Nikos", "Vlachakis"), ("Eleni", "Papadaki"), ("Yannis", "Stavridis"))),
    "hu": ("Ungarn", "Hungary", "ungarische", "Hungarian", "Budapest", "Budapest", "BUDAPEST", "pm",
           (("Gábor", "Szentesi"), ("Katalin", "Bódis"), ("Zoltán", "Kerekes"))),
    "ro": ("Rumänien", "Romania", "rumänische", "Romanian", "Bukarest", "Bucharest", "BUKAREST", "pres",
           (("Andrei", "Munteanu"), ("Ioana", "Dragomir"), ("Radu", "Ciobanu"))),
    "fi": ("Finnland", "Finland", "finnische", "Finnish", "Helsinki", "Helsinki", "HELSINKI", "pres",
           (("Mikko", "Salmenkivi"), ("Aino", "Rautio"), ("Jussi", "Koskelainen"))),
    "no": ("Norwegen", "Norway", "norwegische", "Norwegian", "Oslo", "Oslo", "OSLO", "pm",
           (("Eirik", "Solvang"), ("Ingrid", "Hovland"), ("Torbjørn", "Aasen"))),
    "se": ("Schweden", "Sweden", "schwedische", "Swedish", "Stockholm", "Stockholm", "STOCKHOLM", "pm",
           (("Anders", "Lövgren"), ("Karin", "Ekdahl"), ("Mattias", "Sundqvist"))),
    "ee": ("Estland", "Estonia", "estnische", "Estonian", "Tallinn", "Tallinn", "TALLINN", "pm",
           (("Rasmus", "Kallaste"), ("Kadri", "Tamm"), ("Indrek", "Saar"))),
    "lt": ("Litauen", "Lithuania", "litauische", "Lithuanian", "Vilnius", "Vilnius", "VILNIUS", "pres",
           (("Darius", "Jankauskas"), ("Rūta", "Petrauskienė"), ("Tomas", "Vaitkus"))),
    "ca": ("Kanada", "Canada", "kanadische", "Canadian", "Ottawa", "Ottawa", "OTTAWA", "pm",
           (("Daniel", "Okafor-Reid"), ("Margaret", "Lalonde"), ("Ethan", "Marchetti"))),
    "br": ("Brasilien", "Brazil", "brasilianische", "Brazilian", "Brasília", "Brasilia", "BRASÍLIA", "pres",
           (("Rafael", "Moura"), ("Beatriz", "Cavalcanti"), ("Otávio", "Brandão"))),
    "mx": ("Mexiko", "Mexico", "mexikanische", "Mexican", "Mexiko-Stadt", "Mexico City", "MEXIKO-STADT", "pres",
           (("Alejandro", "Treviño"), ("Mariana", "Olvera"), ("Emilio", "Cárdenas Ruiz"))),
    "jp": ("Japan", "Japan", "japanische", "Japanese", "Tokio", "Tokyo", "TOKIO", "pm",
           (("Hiroshi", "Tanabe"), ("Yuko", "Morishita"), ("Kenji", "Arakawa"))),
    "kr": ("Südkorea", "South Korea", "südkoreanische", "South Korean", "Seoul", "Seoul", "SEOUL", "pres",
           (("Jun-seo", "Park"), ("Mi-rae", "Han"), ("Dong-hyun", "Seo"))),
    "in": ("Indien", "India", "indische", "Indian", "Neu-Delhi", "New Delhi", "NEU-DELHI", "pm",
           (("Arvind", "Malhotra"), ("Kavita", "Deshpande"), ("Rohan", "Iyer"))),
    "id": ("Indonesien", "Indonesia", "indonesische", "Indonesian", "Jakarta", "Jakarta", "JAKARTA", "pres",
           (("Budi", "Wirawan"), ("Sri", "Handayani"), ("Agus", "Pratama"))),
    "vn": ("Vietnam", "Vietnam", "vietnamesische", "Vietnamese", "Hanoi", "Hanoi", "HANOI", "pm",
           (("Van Thanh", "Nguyen"), ("Thi Lan", "Tran"), ("Quoc Huy", "Le"))),
    "ke": ("Kenia", "Kenya", "kenianische", "Kenyan", "Nairobi", "Nairobi", "NAIROBI", "pres",
           (("David", "Kiprono"), ("Grace", "Wanjiru"), ("Peter", "Otieno"))),
    "gh": ("Ghana", "Ghana", "ghanaische", "Ghanaian", "Accra", "Accra", "ACCRA", "pres",
           (("Kwame", "Asante-Mensah"), ("Abena", "Owusu"), ("Kofi", "Boateng"))),
    "ma": ("Marokko", "Morocco", "marokkanische", "Moroccan", "Rabat", "Rabat", "RABAT", "pm",
           (("Youssef", "Benali"), ("Nadia", "El Fassi"), ("Karim", "Tazi"))),
    "cl": ("Chile", "Chile", "chilenische", "Chilean", "Santiago de Chile", "Santiago", "SANTIAGO DE CHILE", "pres",
           (("Tomás", "Errázuriz"), ("Camila", "Fuentealba"), ("Ignacio", "Montt"))),
    "ar": ("Argentinien", "Argentina", "argentinische", "Argentine", "Buenos Aires", "Buenos Aires", "BUENOS AIRES", "pres",
           (("Martín", "Echeverría"), ("Lucía", "Bianchi"), ("Federico", "Sosa"))),
    "au": ("Australien", "Australia", "australische", "Australian", "Canberra", "Canberra", "CANBERRA", "pm",
           (("James", "Whitcombe"), ("Olivia", "Harcourt"), ("Liam", "Prescott"))),
    "de": ("Deutschland", "Germany", "deutsche", "German", "Berlin", "Berlin", "BERLIN", "chan",
           (("Matthias", "Reinhold"), ("Sabine", "Achterberg"), ("Henrik", "Wallmeyer"))),
}  # fmt: skip
_COUNTRY_KEYS = tuple(_COUNTRIES)
# leader kind: (German m, German f, English)
_LEADER_TITLES = {
    "pm": ("Regierungschef", "Regierungschefin", "Prime Minister"),
    "pres": ("Präsident", "Präsidentin", "President"),
    "chan": ("Bundeskanzler", "Bundeskanzlerin", "Chancellor"),
}
_FEMALE_FIRST = frozenset(
    {"Joanna", "Claire", "Verena", "Lenka", "Sofie", "Maartje", "Giulia", "Lucía", "Inês", "Eleni", "Katalin",
     "Ioana", "Aino", "Ingrid", "Karin", "Kadri", "Rūta", "Margaret", "Beatriz", "Mariana", "Yuko", "Mi-rae",
     "Kavita", "Sri", "Thi Lan", "Grace", "Abena", "Nadia", "Camila", "Olivia", "Sabine"}
)  # fmt: skip

_TOWNS = (
    "Lindenau", "Wendland", "Sandau", "Grauwald", "Kettwig", "Elbufer", "Rheinau", "Hohenfels", "Marbach",
    "Ebersdorf", "Siebertal", "Amberg", "Tannhof", "Altenau", "Weserbrück", "Sorbus", "Kaltenbach", "Ostwind",
    "Velmar", "Lenzberg", "Hallstein", "Birkenfeld", "Mooswald", "Ilmtal", "Rotenbek", "Falkenau", "Steinbrück",
    "Wiesental", "Eichhorst", "Brunnenthal",
)  # fmt: skip
_CLUB_PREFIXES = (
    "SV", "FC", "VfL", "TuS", "SC", "Eintracht", "Borussia", "Union", "Viktoria", "Fortuna", "Alemannia",
    "Rot-Weiß", "SpVgg", "Sportfreunde", "Germania", "Blau-Weiß", "Preußen", "Kickers", "Dynamo", "Arminia",
)  # fmt: skip
# (club, home city key, town index): four clubs per invented town, each playing in a real city
_CLUBS: tuple[tuple[str, str, int], ...] = tuple(
    (
        f"{_CLUB_PREFIXES[(i * 3 + k * 7) % len(_CLUB_PREFIXES)]} {town}",
        _CITY_KEYS[(i * 7 + k * 13) % len(_CITY_KEYS)],
        i,
    )
    for i, town in enumerate(_TOWNS)
    for k in range(4)
)
_PLAYER_FIRST = ("Luca", "Noah", "Elias", "Jamal", "Mats", "Kenan", "Dario", "Timo", "Leon", "Youssoufa", "Marvin",
                 "Emil", "Ilias", "Mateo", "Jonathan", "Arne", "Finn", "Serdar", "Kofi", "Niklas")  # fmt: skip
_PLAYER_LAST = ("Brandl", "Okoye", "Demirci", "Hallström", "Pavlović", "Rieger", "Mensah", "Kowalczyk", "Terzić",
                "Lindqvist", "Baptiste", "Hörmann", "Szabo", "Yilmaz", "Ferreira", "Nowak", "Eriksen", "Ambrosius",
                "Kaminski", "Dufour")  # fmt: skip

_STORMS = ("Zeynep", "Quirin", "Ylenia", "Kurt", "Xandra", "Ignatz", "Lothar", "Frida", "Benno", "Gesine",
           "Hertha", "Jobst", "Malwine", "Otmar", "Rike", "Sigbert")  # fmt: skip
_MONTH_DE = ("Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez")
_MONTH_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAY_DE = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
_WEEKDAY_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ORDINAL_DE = (
    "ersten",
    "zweiten",
    "dritten",
    "vierten",
    "fünften",
    "sechsten",
    "siebten",
    "achten",
    "neunten",
)
_ORDINAL_EN = ("1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th")
_LEAD_EN = ("1ST", "2ND", "3RD", "4TH", "5TH", "6TH", "7TH", "8TH", "9TH")
_BERLIN = ZoneInfo("Europe/Berlin")

# Roles: (German m, German f, English m, English f)
_ROLES: dict[str, tuple[str, str, str, str]] = {
    "ceo": ("Vorstandschef", "Vorstandschefin", "chief executive", "chief executive"),
    "cfo": ("Finanzvorstand", "Finanzvorständin", "finance chief", "finance chief"),
    "analyst": ("Analyst", "Analystin", "analyst", "analyst"),
    "works": ("Betriebsratschef", "Betriebsratschefin", "works council head", "works council head"),
    "union": ("Verhandlungsführer", "Verhandlungsführerin", "union negotiator", "union negotiator"),
    "hr": ("Personalvorstand", "Personalvorständin", "human resources chief", "human resources chief"),
    "spokes": ("Unternehmenssprecher", "Unternehmenssprecherin", "company spokesman", "company spokeswoman"),
    "judge": ("der Vorsitzende Richter", "die Vorsitzende Richterin", "presiding judge", "presiding judge"),
    "lawyer": ("Anwalt", "Anwältin", "lawyer", "lawyer"),
    "consumer": ("Verbraucherschützer", "Verbraucherschützerin", "consumer advocate", "consumer advocate"),
    "police": ("Polizeisprecher", "Polizeisprecherin", "police spokesman", "police spokeswoman"),
    "fire": ("Einsatzleiter", "Einsatzleiterin", "fire chief", "fire chief"),
    "meteo": ("Meteorologe", "Meteorologin", "meteorologist", "meteorologist"),
    "mayor": ("Oberbürgermeister", "Oberbürgermeisterin", "mayor", "mayor"),
    "coach": ("Trainer", "Trainerin", "coach", "coach"),
    "opp": ("Oppositionspolitiker", "Oppositionspolitikerin", "opposition lawmaker", "opposition lawmaker"),
    "premier": ("Ministerpräsident", "Ministerpräsidentin", "state premier", "state premier"),
    "expert": ("Experte", "Expertin", "expert", "expert"),
    "investor": ("Aktionärsschützer", "Aktionärsschützerin", "shareholder advocate", "shareholder advocate"),
}


# --------------------------------------------------------------------------------------------
# Story templates. Slots are str.format fields filled from the story's slot dict; numbers are
# re-formatted whenever a development or a correction changes them. ``upd`` lines are
# "note | paragraph" or "note | paragraph | slot-to-raise". ``corr`` names the slots a
# correction may change ("@x" is the person x, everything else a number).
# --------------------------------------------------------------------------------------------


def _lines(block: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in block.strip().splitlines() if line.strip())


def _updates(block: str) -> tuple[tuple[str, str, str | None], ...]:
    out = []
    for line in _lines(block):
        parts = [part.strip() for part in line.split(" | ")]
        out.append((parts[0], parts[1], parts[2] if len(parts) > 2 else None))
    return tuple(out)


_T: dict[tuple[str, str], dict[str, Any]] = {}

_T["results", "de"] = {
    "head": _lines("""
        {co} {profit_head} im {quarter}
        {sector} {co} {outlook_head}
        Quartalszahlen: Umsatz von {co} {rev_verb_head} auf {rev} Milliarden Euro
        {co} legt Zahlen vor - Aktie {share_head}
    """),
    "head2": _lines("""
        {co} {outlook_head} - {ceo_title} {ceo_last} {ceo_head}
        Aktie von {co} nach Quartalszahlen {share_head} - Analysten uneins
        {co}: {ceo_last} kündigt Sparprogramm an
    """),
    "lead": _lines("""
        Der {sector} {co} hat im {quarter} {rev_cmp}. Der Umsatz {rev_verb} um {rev_pct} Prozent auf {rev} Milliarden Euro, wie das Unternehmen {day} in {hq} mitteilte. Unter dem Strich blieb ein Gewinn von {profit} Millionen Euro nach {profit_prev} Millionen Euro ein Jahr zuvor.
        {co} hat im {quarter} {rev_cmp}. Der Erlös des {sector}s {rev_verb} im Jahresvergleich um {rev_pct} Prozent auf {rev} Milliarden Euro, teilte der Konzern {day} in {hq} mit. Der Überschuss lag bei {profit} Millionen Euro (Vorjahr: {profit_prev} Millionen).
    """),
    "lead2": _lines("""
        {ceo_title} {ceo} hat nach einem {q_adj} {quarter} {outlook_act}. «{quote_ceo}», sagte {ceo_last} {day} in einer Telefonkonferenz. Der Umsatz des {sector}s {rev_verb} um {rev_pct} Prozent auf {rev} Milliarden Euro, der Gewinn lag bei {profit} Millionen Euro.
        Die Aktie von {co} hat nach Vorlage der Quartalszahlen {share_pct} Prozent {share_pp}. Der {sector} aus {hq} hatte zuvor mitgeteilt, dass der Umsatz im {quarter} um {rev_pct} Prozent auf {rev} Milliarden Euro {rev_verb_inf}.
    """),
    "body": _lines("""
        Vor allem das Geschäft mit {product} {biz} {market} {biz2}. {cfo_title} {cfo} sprach von einem {q_adj} Quartal. Die Auftragseingänge {orders_verb} um {orders_pct} Prozent.
        Für das Gesamtjahr peilt das Management nun einen Umsatz von rund {target} Milliarden Euro an. Analysten hatten im Schnitt mit einem etwas {cons} Wert gerechnet.
        An der Börse {market_reac}. Die Aktie von {co} {share_verb} im frühen Handel {share_pct} Prozent und war damit {share_rank} im Index.
        {analyst_title} {analyst} von {bank} verwies in einer ersten Einschätzung auf die Entwicklung der Marge im Kerngeschäft. «{quote_an}», schrieb {analyst_last}.
        {co} beschäftigt weltweit rund {jobs} Mitarbeiterinnen und Mitarbeiter, etwa die Hälfte davon in Deutschland. Der Konzern mit Sitz in {hq} ist vor allem in Europa und {market2} aktiv.
        Belastet wurde das Ergebnis nach Angaben des Unternehmens durch höhere Kosten für Energie und Rohstoffe. Zudem schlugen Wechselkurseffekte mit rund {fx} Millionen Euro zu Buche.
        {ceo_title} {ceo} will den Konzern in den kommenden Jahren stärker auf {focus} ausrichten. Dafür sollen bis 2028 insgesamt {invest} Millionen Euro investiert werden.
        Wie es hieß, liegt das Unternehmen bei seinem Sparprogramm im Plan. Bis Jahresende sollen die jährlichen Kosten um {savings} Millionen Euro sinken.
    """),
    "upd": _updates("""
        Aussagen aus der Telefonkonferenz | In einer Telefonkonferenz mit Analysten sagte {ceo_last}, die Nachfrage habe sich zuletzt {trend}. «Wir bleiben vorsichtig, aber wir sehen erste Signale einer Erholung», so {ceo_last}.
        Kursverlauf aktualisiert | Am Nachmittag {share_verb} die Aktie von {co} {share_pct} Prozent. Händler verwiesen auf die insgesamt gedrückte Stimmung am Markt. | share_pct
        Reaktion des Betriebsrats | Der Betriebsrat reagierte zurückhaltend. «Die Beschäftigten dürfen nicht die Zeche für Fehler des Managements zahlen», sagte {works_title} {works}.
        Details zum Sparprogramm | Das Sparprogramm soll nach Angaben von {cfo_title} {cfo_last} bis Ende 2026 rund {savings} Millionen Euro bringen. Ein Stellenabbau sei darin nicht vorgesehen, betonte das Unternehmen.
        Dividende | Die Aktionäre sollen für das laufende Jahr eine Dividende von {dividend} Euro je Aktie erhalten. Im Vorjahr waren es {dividend_prev} Euro gewesen.
    """),
    "kw": "Unternehmen/Bilanz/{kw_sector}/{state}/",
    "desk": "wi",
    "corr": ("@ceo", "@cfo", "@analyst", "profit", "rev_pct", "jobs", "target"),
}
_T["results", "en"] = {
    "head": _lines("""
        {co} {profit_head_en} in {quarter}
        German {sector} {co} {outlook_head}
        {co} {quarter} revenue {rev_verb} to {rev} billion euros
        {co} shares {share_head} after quarterly results
    """),
    "head2": _lines("""
        {co} {outlook_head} as {ceo_last} {ceo_head}
        {co} shares {share_head} after results; analysts split
        {co} CEO {ceo_last} announces cost-cutting plan
    """),
    "lead": _lines("""
        German {sector} {co} {rev_cmp} in the {quarter}. Revenue {rev_verb} {rev_pct} percent to {rev} billion euros, the company said {day} in {hq}. Net profit came in at {profit} million euros, compared with {profit_prev} million euros a year earlier.
        {co}, the German {sector}, said {day} that revenue {rev_verb} {rev_pct} percent to {rev} billion euros in the {quarter}. Net income was {profit} million euros, against {profit_prev} million a year ago, the {hq}-based company said.
    """),
    "lead2": _lines("""
        {co} {outlook_act} after a {q_adj} {quarter}, {ceo_Title} {ceo} said {day}. "{quote_ceo}," {ceo_last} told analysts on a conference call. Revenue {rev_verb} {rev_pct} percent to {rev} billion euros and net profit was {profit} million euros.
        Shares in {co} {share_verb} {share_pct} percent after the German {sector} reported that {quarter} revenue {rev_verb} {rev_pct} percent to {rev} billion euros.
    """),
    "body": _lines("""
        Business with {product} {biz} {market}, the company said. {cfo_Title} {cfo} described the quarter as {q_adj}. Orders {orders_verb} {orders_pct} percent.
        For the full year, management now targets revenue of about {target} billion euros. Analysts had on average expected a slightly {cons} figure.
        On the stock market, {market_reac}. {co} shares {share_verb} {share_pct} percent in early trading, making the stock {share_rank} in the index.
        {analyst} of {bank} pointed to the development of margins in the core business. "{quote_an}," the {analyst_title} wrote in a first note to clients.
        {co} employs about {jobs} people worldwide, around half of them in Germany. The group, based in {hq}, is mainly active in Europe and {market2}.
        Higher costs for energy and raw materials weighed on earnings, the company said. Currency effects cost it about {fx} million euros.
        {ceo_Title} {ceo} wants to focus the group more strongly on {focus} in the coming years and plans to invest a total of {invest} million euros by 2028.
        The company said its savings programme was on track and should lower annual costs by {savings} million euros by the end of the year.
    """),
    "upd": _updates("""
        Adds comments from conference call | On a conference call with analysts, {ceo_last} said demand had recently {trend}. "We remain cautious, but we are seeing first signs of a recovery," {ceo_last} said.
        Updates share price | By the afternoon, {co} shares had {share_pp} {share_pct} percent. Traders pointed to a generally weak market mood. | share_pct
        Adds works council reaction | The works council reacted cautiously. "Employees must not pay the price for management's mistakes," said works council head {works}.
        Adds details of savings plan | The savings programme should deliver about {savings} million euros by the end of 2026, {cfo_title} {cfo_last} said. The company stressed that it did not include job cuts.
        Adds dividend | Shareholders are to receive a dividend of {dividend} euros per share for the current year, up from {dividend_prev} euros a year earlier.
    """),
    "kw": "Germany/business/results/{kw_sector_en}/",
    "desk": "i",
    "corr": ("@ceo", "@cfo", "@analyst", "profit", "rev_pct", "jobs", "target"),
}

_T["strike", "de"] = {
    "head": _lines("""
        Warnstreik bei {co} in {city}
        {gew} ruft Beschäftigte von {co} zum Warnstreik auf
        Streik legt Produktion bei {co} in {city} lahm
    """),
    "head2": _lines("""
        Streik bei {co} ausgeweitet - {gew} droht mit Urabstimmung
        {co}: Tarifgespräche nach Warnstreik ohne Einigung
    """),
    "lead": _lines("""
        Die Gewerkschaft {gew} hat die Beschäftigten des {sector}s {co} in {city} zu einem {hours}-stündigen Warnstreik aufgerufen. Nach Angaben der Gewerkschaft legten {day} rund {workers} Beschäftigte die Arbeit nieder, die Produktion stand weitgehend still.
        Bei {co} in {city} ruht die Arbeit: Rund {workers} Beschäftigte beteiligten sich {day} an einem Warnstreik der {gew}. Die Gewerkschaft will damit den Druck in den festgefahrenen Tarifverhandlungen erhöhen.
    """),
    "lead2": _lines("""
        Die {gew} hat den Warnstreik beim {sector} {co} ausgeweitet. Nach dem Werk in {city} legten {day} auch Beschäftigte an weiteren Standorten die Arbeit nieder, insgesamt beteiligten sich nach Gewerkschaftsangaben rund {workers} Menschen.
        Im Tarifstreit beim {sector} {co} verhärten sich die Fronten. {neg_title} {neg} warf dem Management nach dem Warnstreik in {city} vor, die Verhandlungen zu verschleppen.
    """),
    "body": _lines("""
        Die {gew} fordert für die rund {staff} Beschäftigten an den deutschen Standorten {demand} Prozent mehr Geld bei einer Laufzeit von zwölf Monaten. Das Unternehmen hat bislang {offer} Prozent in zwei Stufen angeboten.
        «Die Beschäftigten haben in den vergangenen Jahren viel geleistet, jetzt müssen sie auch am Erfolg beteiligt werden», sagte {neg_title} {neg} vor dem Werkstor in {city}.
        {hr_title} {hr} nannte den Streik unverhältnismäßig. «Unser Angebot liegt auf dem Tisch und ist fair», sagte {hr_last}. Der Ausstand koste das Unternehmen pro Tag einen Millionenbetrag.
        Das Werk in {city} gilt als einer der wichtigsten Standorte des Konzerns. Dort werden vor allem {product} gefertigt, die an Kunden in ganz Europa geliefert werden.
        Die nächste Verhandlungsrunde ist für kommende Woche in {hq} angesetzt. Die Gewerkschaft schloss weitere Arbeitsniederlegungen bis dahin nicht aus.
        Bereits in der Nacht hatten sich Beschäftigte der Spätschicht an dem Ausstand beteiligt. Vor dem Werkstor versammelten sich am Morgen mehrere Hundert Menschen zu einer Kundgebung.
        {co} mit Sitz in {hq} beschäftigt weltweit rund {jobs} Menschen. Der Konzern steht wegen hoher Energiekosten und schwacher Nachfrage seit Monaten unter Druck.
    """),
    "upd": _updates("""
        Stellungnahme des Unternehmens | Ein {spokes_title} von {co} sagte, man sei zu weiteren Gesprächen bereit. Kunden seien vorerst nicht von Lieferausfällen betroffen, die Lager seien gut gefüllt.
        Streik ausgeweitet | Am Nachmittag weitete die {gew} den Ausstand auf weitere Standorte aus. Insgesamt beteiligten sich nach Gewerkschaftsangaben nun rund {workers} Beschäftigte. | workers
        Reaktion der Landesregierung | Beide Seiten müssten schnell an den Verhandlungstisch zurückkehren, forderte {premier_title} {premier}. Das Land habe ein großes Interesse am Erhalt des Standorts {city}.
        Kundgebung | Zu einer Kundgebung vor dem Werkstor kamen nach Polizeiangaben rund {crowd} Menschen. Die Stimmung sei friedlich gewesen, sagte ein Polizeisprecher. | crowd
    """),
    "kw": "Unternehmen/Tarife/Streik/{state}/",
    "desk": "wi",
    "corr": ("@neg", "@hr", "workers", "demand", "staff"),
}
_T["strike", "en"] = {
    "head": _lines("""
        Workers at {co} plant in {city} stage warning strike
        German union {gew} calls strike at {co}
        Strike halts production at {co} in {city}
    """),
    "head2": _lines("""
        Strike at {co} widens as {gew} threatens ballot
        {co} wage talks stall after warning strike
    """),
    "lead": _lines("""
        The German union {gew} called workers at {sector} {co} in {city} out on a {hours}-hour warning strike {day}. About {workers} employees downed tools, bringing production largely to a halt, the union said.
        Work stopped at {co}'s plant in {city} {day} as about {workers} employees joined a warning strike called by the union {gew}, which wants to raise pressure in deadlocked wage talks.
    """),
    "lead2": _lines("""
        The union {gew} widened its warning strike at German {sector} {co} {day}, with workers at further sites joining the walkout at the {city} plant. In total about {workers} people took part, the union said.
        The wage dispute at German {sector} {co} hardened after a warning strike in {city}, with {neg_title} {neg} accusing management of dragging out the negotiations.
    """),
    "body": _lines("""
        {gew} is demanding a {demand} percent pay rise over twelve months for the roughly {staff} employees at the company's German sites. The company has so far offered {offer} percent in two steps.
        "Employees have achieved a lot in recent years, now they must share in the success," {neg_title} {neg} said outside the factory gates in {city}.
        {hr_Title} {hr} called the strike disproportionate. "Our offer is on the table and it is fair," {hr_last} said, adding that the walkout cost the company millions of euros a day.
        The {city} plant is one of the group's most important sites, making mainly {product} for customers across Europe.
        The next round of talks is scheduled for next week in {hq}. The union did not rule out further walkouts before then.
        Workers on the late shift had already joined the strike overnight. Several hundred people gathered for a rally outside the plant in the morning.
        {co}, based in {hq}, employs about {jobs} people worldwide and has been under pressure for months from high energy costs and weak demand.
    """),
    "upd": _updates("""
        Adds company statement | A {spokes_title} for {co} said the company was ready for further talks. Customers were not affected by supply disruptions for now as warehouses were well stocked.
        Updates number of strikers | In the afternoon {gew} extended the walkout to further sites. About {workers} employees were now taking part, the union said. | workers
        Adds state government reaction | Both sides must return to the negotiating table quickly, {premier_title} {premier} said, adding that the state had a strong interest in keeping the {city} site.
        Adds rally | About {crowd} people attended a rally outside the factory gates, police said, describing the mood as peaceful. | crowd
    """),
    "kw": "Germany/business/labour/strike/",
    "desk": "i",
    "corr": ("@neg", "@hr", "workers", "demand", "staff"),
}

_T["court", "de"] = {
    "head": _lines("""
        {court_short}: {subject_Cap} von {co} unwirksam
        {court} kippt {subject_Cap} von {co}
        Urteil: {co} muss Kunden Geld zurückzahlen
        Niederlage für {co} vor dem {court}
    """),
    "head2": _lines("""
        Nach Urteil zu {subject_Cap}: Millionen Kunden von {co} können Geld zurückfordern
        {court}-Urteil gegen {co}: Verbraucherschützer erwarten Signalwirkung
    """),
    "lead": _lines("""
        {court_Nom} hat {subject} des {sector}s {co} für unwirksam erklärt. Die Klauseln benachteiligten die Kunden unangemessen, urteilten die Richter {day} in {city} (Az. {az}). Geklagt hatte {plaintiff}.
        Schlappe für {co}: {court_Nom} hat {day} in {city} entschieden, dass {subject} des Unternehmens rechtswidrig sind (Az. {az}). Betroffen sind nach Schätzungen von Verbraucherschützern rund {customers} Millionen Kundinnen und Kunden.
    """),
    "lead2": _lines("""
        Nach dem Urteil {court_gen} zu {subject_dat} von {co} können rund {customers} Millionen Kunden auf Rückzahlungen hoffen. Im Schnitt gehe es um {refund} Euro pro Vertrag, schätzte {plaintiff} nach der Verkündung in {city}.
        Das Urteil {court_gen} gegen {co} könnte für die gesamte Branche Folgen haben. Die Richter in {city} erklärten {subject} des {sector}s für unwirksam, weil sie Kunden unangemessen benachteiligten (Az. {az}).
    """),
    "body": _lines("""
        {judge_Title} {judge} sagte in der Urteilsbegründung, die Regelungen seien für Verbraucher nicht ausreichend transparent. Kunden könnten nicht erkennen, in welchem Umfang Preise künftig steigen dürften.
        {plaintiff_Cap} hatte {co} wegen der Klauseln bereits vor drei Jahren abgemahnt. Das Unternehmen hatte sich geweigert, eine Unterlassungserklärung abzugeben.
        «Das ist ein wichtiger Tag für alle Verbraucherinnen und Verbraucher», sagte {consumer_title} {consumer} nach der Verhandlung. Betroffene sollten ihre Verträge jetzt prüfen und Geld zurückfordern.
        Die Anwälte von {co} hatten in der mündlichen Verhandlung argumentiert, die Klauseln seien branchenüblich und von früheren Urteilen gedeckt. Dem folgte das Gericht nicht.
        In den Vorinstanzen hatte die Klage nur teilweise Erfolg gehabt. Das Landgericht {hq} hatte die Klauseln noch in Teilen für zulässig gehalten.
        Das Urteil dürfte Signalwirkung für die gesamte Branche haben. Nach Einschätzung von Fachleuten verwenden zahlreiche Unternehmen ähnliche Klauseln in ihren Verträgen.
        Die Entscheidung ist {final}. Im Schnitt geht es nach Angaben der Kläger um {refund} Euro pro Vertrag.
    """),
    "upd": _updates("""
        Ankündigung der Verbraucherzentrale | {plaintiff_Cap} kündigte an, Betroffene bei der Rückforderung zu unterstützen. Auf ihrer Internetseite stellte sie einen Musterbrief bereit.
        Schätzung der Rückforderungen | Nach Berechnungen von Verbraucherschützern könnten auf {co} Rückforderungen von insgesamt bis zu {claims} Millionen Euro zukommen. | claims
        Einschätzung eines Rechtsexperten | {expert_title} {expert} von der Universität {uni} sprach von einem «Grundsatzurteil». Unternehmen müssten ihre Vertragsbedingungen nun bundesweit überprüfen.
        Börsenreaktion | An der Börse geriet die Aktie von {co} nach dem Urteil unter Druck und verlor zeitweise {share_pct} Prozent.
    """),
    "kw": "Justiz/Verbraucher/Urteile/{kw_sector}/",
    "desk": "vm",
    "corr": ("@judge", "@consumer", "customers", "refund"),
}
_T["court", "en"] = {
    "head": _lines("""
        German court rules {co} {subject_en} unlawful
        {court_en} strikes down {co} {subject_en}
        {co} must refund customers, German court rules
    """),
    "head2": _lines("""
        Millions of {co} customers may claim refunds after court ruling
        Consumer groups see wider impact of ruling against {co}
    """),
    "lead": _lines("""
        Germany's {court_en} {day} declared {subject_en} used by {sector} {co} invalid, ruling in {city} that they put customers at an unreasonable disadvantage. The case had been brought by {plaintiff}.
        {co} lost a court case over its {subject_en} {day} when the {court_en} in {city} ruled them unlawful. Consumer advocates estimate that about {customers} million customers are affected.
    """),
    "lead2": _lines("""
        About {customers} million customers of {co} may be entitled to refunds after the {court_en} ruled against the company's {subject_en}, consumer advocates said {day}. On average some {refund} euros per contract are at stake.
        The ruling by the {court_en} against {co} could have consequences for the whole industry. The judges in {city} declared the {sector}'s {subject_en} invalid because they disadvantaged customers.
    """),
    "body": _lines("""
        {judge_Title} {judge} said in the reasoning that the rules were not sufficiently transparent for consumers, who could not tell how far prices might rise in future.
        {plaintiff_Cap} had already issued {co} with a warning over the clauses three years ago. The company had refused to sign a cease-and-desist declaration.
        "This is an important day for all consumers," {consumer_title} {consumer} said after the hearing, urging customers to check their contracts and reclaim money.
        Lawyers for {co} had argued at the hearing that the clauses were common practice in the industry and covered by earlier rulings. The court did not agree.
        The lawsuit had only partly succeeded in the lower courts. The regional court in {hq} had found parts of the clauses admissible.
        The ruling is likely to set a precedent for the whole sector, experts said, as many companies use similar clauses in their contracts.
        The decision is {final_en}. On average, about {refund} euros per contract are at stake, according to the plaintiffs.
    """),
    "upd": _updates("""
        Adds consumer group plans | {plaintiff_Cap} said it would help customers reclaim money and published a template letter on its website.
        Adds estimate of claims | Consumer advocates estimate that {co} could face claims of up to {claims} million euros in total. | claims
        Adds legal expert comment | {expert} of the University of {uni} called it a landmark ruling and said companies would now have to review their terms nationwide.
        Adds share reaction | {co} shares came under pressure after the ruling, at one point losing {share_pct} percent.
    """),
    "kw": "Germany/court/consumers/",
    "desk": "i",
    "corr": ("@judge", "@consumer", "customers", "refund"),
}

_T["reaction", "de"] = {
    "head": _lines("""
        {co} will nach Urteil Kunden entschädigen
        {co} reagiert auf Urteil - Rückstellung von {provision} Millionen Euro
        Nach Niederlage vor Gericht: {co} prüft nächste Schritte
    """),
    "head2": _lines("""
        {co} bildet Rückstellung nach Urteil - Aktie erholt sich
        {co} kündigt neue Vertragsbedingungen an
    """),
    "lead": _lines("""
        Der {sector} {co} will nach dem Urteil {court_gen} betroffene Kunden entschädigen. «Wir respektieren die Entscheidung und werden sie zügig umsetzen», sagte {ceo_title} {ceo} {day} am Firmensitz in {city}.
        {co} stellt sich nach der Niederlage vor Gericht auf Kosten in Millionenhöhe ein. Das Unternehmen bilde eine Rückstellung von {provision} Millionen Euro, teilte der {sector} {day} in {city} mit.
    """),
    "lead2": _lines("""
        {co} zieht Konsequenzen aus dem Urteil {court_gen}: Der {sector} will seine Vertragsbedingungen bis Jahresende überarbeiten und betroffenen Kunden Rückzahlungen anbieten. Die Kosten bezifferte das Unternehmen auf bis zu {provision} Millionen Euro.
        Nach dem verlorenen Prozess setzt {co} auf Schadensbegrenzung. {ceo_title} {ceo} kündigte {day} in {city} an, alle betroffenen Verträge bis Jahresende umzustellen.
    """),
    "body": _lines("""
        Man werde die schriftliche Urteilsbegründung abwarten und dann über weitere Schritte entscheiden, sagte {spokes_title} {spokes}. Kunden müssten nicht selbst aktiv werden, das Unternehmen werde sie anschreiben.
        An der Börse kam die Ankündigung gut an. Die Aktie von {co} gewann am Nachmittag {share_pct} Prozent, nachdem sie unmittelbar nach dem Urteil zunächst nachgegeben hatte.
        {ceo_title} {ceo_last} betonte, das laufende Geschäft sei von der Entscheidung nicht betroffen. Die Prognose für das Gesamtjahr bleibe bestehen.
        Der Betriebsrat forderte die Unternehmensführung auf, die Kosten nicht auf die Beschäftigten abzuwälzen. «Fehler im Vertragswerk dürfen nicht zu Lasten der Belegschaft gehen», sagte {works_title} {works}.
        {co} hatte die umstrittenen Klauseln nach eigenen Angaben seit 2019 verwendet. Sie betreffen vor allem Bestandskunden mit älteren Verträgen.
        Analysten halten die finanziellen Folgen für verkraftbar. {analyst_title} {analyst} von {bank} schätzte die Belastung auf weniger als ein Prozent des Jahresumsatzes.
    """),
    "upd": _updates("""
        Details zur Umsetzung | Betroffene Kunden sollen nach Angaben von {co} bis Ende des kommenden Quartals angeschrieben werden. Eine Hotline sei bereits eingerichtet.
        Kritik von Aktionärsschützern | Aktionärsschützer kritisierten das Management. Das Risiko sei seit Jahren bekannt gewesen, sagte {investor_title} {investor}.
        Kursverlauf | Zum Handelsschluss lag die Aktie von {co} mit {share_pct} Prozent im Plus. | share_pct
        Höhe der Rückstellung präzisiert | Die Rückstellung werde sich auf {provision} Millionen Euro belaufen, präzisierte {cfo_title} {cfo} am Abend. | provision
    """),
    "kw": "Unternehmen/Justiz/{kw_sector}/{state}/",
    "desk": "wi",
    "corr": ("@ceo", "@spokes", "provision"),
}
_T["reaction", "en"] = {
    "head": _lines("""
        {co} to compensate customers after court defeat
        {co} books {provision} million euro provision after ruling
        {co} weighs next steps after losing court case
    """),
    "head2": _lines("""
        {co} shares recover as company sets aside provision
        {co} to rewrite contract terms after ruling
    """),
    "lead": _lines("""
        German {sector} {co} will compensate customers affected by a ruling of the {court_en}, {ceo_Title} {ceo} said {day} at the company's headquarters in {city}. "We respect the decision and will implement it quickly," {ceo_last} said.
        {co} is bracing for costs running into millions after losing a court case. The {sector} is setting aside a provision of {provision} million euros, it said {day} in {city}.
    """),
    "lead2": _lines("""
        {co} is drawing consequences from the ruling of the {court_en}: the German {sector} will rewrite its contract terms by the end of the year and offer refunds, at a cost of up to {provision} million euros.
        After losing in court, {co} is focusing on damage control. {ceo_Title} {ceo} said {day} in {city} that all affected contracts would be switched by the end of the year.
    """),
    "body": _lines("""
        The company will wait for the written reasoning before deciding on further steps, {spokes_title} {spokes} said. Customers would be contacted and did not need to take action themselves.
        Investors welcomed the announcement. {co} shares gained {share_pct} percent in the afternoon after initially falling on the ruling.
        {ceo_last} stressed that ongoing business was not affected by the decision and that the full-year forecast stood.
        The works council urged management not to pass the costs on to staff. "Mistakes in the contracts must not be paid for by the workforce," said {works_title} {works}.
        {co} said it had used the disputed clauses since 2019, mainly in older contracts with existing customers.
        Analysts see the financial impact as manageable. {analyst} of {bank} estimated the burden at less than one percent of annual revenue.
    """),
    "upd": _updates("""
        Adds implementation details | Affected customers are to be contacted by the end of next quarter, {co} said, adding that a hotline had been set up.
        Adds shareholder criticism | Shareholder advocates criticised management, saying the risk had been known for years, according to {investor_title} {investor}.
        Updates share price | At the close, {co} shares were up {share_pct} percent. | share_pct
        Adds size of provision | The provision will amount to {provision} million euros, {cfo_title} {cfo} said in the evening. | provision
    """),
    "kw": "Germany/business/court/",
    "desk": "i",
    "corr": ("@ceo", "@spokes", "provision"),
}

_T["visit", "de"] = {
    "head": _lines("""
        {vis_title} {vis_last} zu Staatsbesuch {host_in} eingetroffen
        {vis_last} und {host_last} vereinbaren {deal_short}
        Staatsbesuch in {city}: {host_country_Nom} und {vis_country_nom} rücken enger zusammen
    """),
    "head2": _lines("""
        {vis_last} und {host_last} unterzeichnen {agreements} Abkommen
        Staatsbesuch: {host_last} verteidigt {deal_short} gegen Kritik
    """),
    "lead": _lines("""
        {vis_Der} {vis_adj} {vis_title} {vis} ist zu einem {days}-tägigen Staatsbesuch {host_in} eingetroffen. In {city} empfing {host_title} {host} den Gast {day} mit militärischen Ehren.
        {host_title} {host} und {vis_der} {vis_adj} {vis_title} {vis} haben bei einem Treffen in {city} {deal}. Insgesamt unterzeichneten beide Seiten {day} {agreements} Abkommen und Absichtserklärungen.
    """),
    "lead2": _lines("""
        Zum Abschluss des Besuchs von {vis_title} {vis_last} {host_in} haben beide Länder eine engere Zusammenarbeit im Bereich {vtopic} vereinbart. Das Volumen der geplanten Projekte beziffern die Regierungen auf rund {volume} Milliarden Euro.
        {host_country_Nom} und {vis_country_nom} wollen künftig enger zusammenarbeiten. Bei einem Treffen in {city} unterzeichneten {host_title} {host} und {vis_title} {vis} {day} {agreements} Abkommen, darunter {deal}.
    """),
    "body": _lines("""
        Im Mittelpunkt der Gespräche stand nach Angaben aus Delegationskreisen die Zusammenarbeit im Bereich {vtopic}. Beide Seiten wollen zudem den Handel ausbauen, der im vergangenen Jahr bei rund {trade} Milliarden Euro lag.
        «Unsere Länder verbindet eine lange Freundschaft, und wir wollen sie auf eine neue Grundlage stellen», sagte {vis_last} nach dem Treffen. {host_last} sprach von einem «historischen Tag» für die Beziehungen.
        Begleitet wird {vis_last} von einer Wirtschaftsdelegation mit rund {delegation} Vertreterinnen und Vertretern von Unternehmen. Am zweiten Tag ist ein Wirtschaftsforum in {city} geplant.
        Es ist der erste Besuch eines Spitzenpolitikers {vis_from} {host_in} seit mehr als zehn Jahren. Zuletzt waren die Beziehungen durch einen Streit über Zölle belastet gewesen.
        Am Rande des Besuchs demonstrierten in {city} mehrere Hundert Menschen. Sie forderten mehr Einsatz für Menschenrechte und kritisierten das geplante {deal_short}.
        Kritik an dem {deal_short} war bereits im Vorfeld aus Nachbarländern gekommen. Diese befürchten Nachteile für ihre eigene Wirtschaft.
    """),
    "upd": _updates("""
        Pressekonferenz | Auf einer gemeinsamen Pressekonferenz verteidigte {host_last} das {deal_short}. «Wir handeln im Interesse unserer Bürgerinnen und Bürger», sagte {host_title} {host}.
        Weitere Abkommen unterzeichnet | Am Nachmittag unterzeichneten Minister beider Länder weitere Vereinbarungen. Damit stieg die Zahl der Abkommen nach Regierungsangaben auf {agreements}. | agreements
        Programm des zweiten Besuchstags | Am zweiten Besuchstag will {vis_last} einen Industriepark am Stadtrand von {city} besichtigen und an einem Wirtschaftsforum teilnehmen.
        Kritik der Opposition | Die Opposition {host_in} warf der Regierung vor, bei den Gesprächen wirtschaftliche Interessen über Menschenrechte zu stellen.
    """),
    "kw": "Diplomatie/{host_kw}/{vis_kw}/Staatsbesuch/",
    "desk": "pl",
    "corr": ("delegation", "volume", "trade"),
}
_T["visit", "en"] = {
    "head": _lines("""
        {vis_adj} {vis_title} {vis_last} arrives in {host_country} for state visit
        {vis_last} and {host_last} agree {deal_short}
        {host_country_Cap} and {vis_country} move closer during state visit
    """),
    "head2": _lines("""
        {vis_last}, {host_last} sign {agreements} agreements in {city}
        {host_last} defends {deal_short} against criticism
    """),
    "lead": _lines("""
        {vis_adj} {vis_title} {vis} arrived in {host_country} {day} for a {days}-day state visit and was welcomed with military honours by {host_title} {host} in {city}.
        {host_title} {host} and {vis_adj} {vis_title} {vis} {day} agreed {deal} at a meeting in {city}. In total, the two sides signed {agreements} agreements and declarations of intent.
    """),
    "lead2": _lines("""
        At the end of {vis_title} {vis_last}'s visit to {host_country}, the two countries agreed to work more closely on {vtopic_en}, with planned projects worth about {volume} billion euros.
        {host_country_Cap} and {vis_country} want to cooperate more closely. At a meeting in {city} {day}, {host_title} {host} and {vis_title} {vis} signed {agreements} agreements, including {deal}.
    """),
    "body": _lines("""
        The talks focused on cooperation on {vtopic_en}, according to delegation sources. Both sides also want to expand trade, which stood at about {trade} billion euros last year.
        "Our countries share a long friendship and we want to put it on a new footing," {vis_last} said after the meeting. {host_last} spoke of a "historic day" for relations.
        {vis_last} is accompanied by a business delegation of about {delegation} company representatives. An economic forum is planned in {city} on the second day.
        It is the first visit by a leader from {vis_country} to {host_country} in more than ten years. Relations had recently been strained by a dispute over tariffs.
        Several hundred people demonstrated in {city} on the sidelines of the visit, calling for more commitment to human rights and criticising the planned {deal_short}.
        Neighbouring countries had criticised the {deal_short} in advance, fearing disadvantages for their own economies.
    """),
    "upd": _updates("""
        Adds news conference | At a joint news conference, {host_last} defended the {deal_short}. "We are acting in the interest of our citizens," {host_title} {host} said.
        Updates number of agreements | Ministers from both countries signed further agreements in the afternoon, bringing the total to {agreements}, the government said. | agreements
        Adds programme for second day | On the second day of the visit, {vis_last} plans to tour an industrial park on the outskirts of {city} and attend an economic forum.
        Adds opposition criticism | The opposition in {host_country} accused the government of putting economic interests above human rights in the talks.
    """),
    "kw": "{host_kw_en}/{vis_kw_en}/diplomacy/",
    "desk": "i",
    "corr": ("delegation", "volume", "trade"),
}

_T["criticism", "de"] = {
    "head": _lines("""
        {crit_country_Nom} kritisiert {deal_short} zwischen {host_dat} und {vis_dat}
        Scharfe Kritik aus {city} an Besuch von {vis_last}
        {crit_title} {crit_last}: {deal_short} gefährdet Stabilität der Region
    """),
    "head2": _lines("""
        Streit um {deal_short}: {crit_country_Nom} bestellt Botschafter ein
        {crit_last} fordert Aufklärung über {deal_short}
    """),
    "lead": _lines("""
        {crit_country_Nom} hat das geplante {deal_short} zwischen {host_dat} und {vis_dat} scharf kritisiert. Die Vereinbarung gefährde die Sicherheit der gesamten Region, sagte {crit_title} {crit} {day} in {city}.
        Die {crit_adj} Regierung hat mit scharfer Kritik auf den Staatsbesuch von {vis_title} {vis_last} {host_in} reagiert. {crit_title} {crit} bestellte {day} in {city} den Botschafter {host_gen} ein.
    """),
    "lead2": _lines("""
        Der Streit um das {deal_short} weitet sich aus: Nach der Kritik aus {city} kündigte {crit_title} {crit} an, das Thema beim nächsten Treffen der EU-Außenminister auf die Tagesordnung zu setzen.
        {crit_country_Nom} verschärft den Ton im Streit um das {deal_short}. {crit_title} {crit} warf {host_dat} in {city} vor, die Nachbarn bewusst übergangen zu haben.
    """),
    "body": _lines("""
        «Solche Absprachen über die Köpfe der Nachbarn hinweg sind inakzeptabel», sagte {crit_last} vor Journalisten. Man erwarte von beiden Regierungen umgehend Aufklärung über den Inhalt der Vereinbarung.
        {host_title} {host} und {vis_title} {vis} hatten das {deal_short} bei einem Treffen in {host_capital} vereinbart. Details wurden zunächst nicht bekannt.
        In {city} wird befürchtet, dass das Abkommen die eigene Wirtschaft benachteiligt. Nach Schätzungen des Wirtschaftsministeriums könnten Aufträge im Wert von bis zu {loss} Millionen Euro verloren gehen.
        Die Beziehungen zwischen {crit_dat} und {host_dat} gelten seit Längerem als angespannt. Zuletzt hatte ein Streit über Fischereirechte für Verstimmung gesorgt.
        Auch Abgeordnete mehrerer Parteien im Parlament in {city} forderten eine deutliche Reaktion der Regierung. Einige verlangten, die Zusammenarbeit mit {host_dat} auf den Prüfstand zu stellen.
        Aus {host_capital} hieß es, das Abkommen richte sich gegen niemanden. Ein Regierungssprecher sprach von einem «Missverständnis».
    """),
    "upd": _updates("""
        Reaktion aus {host_capital} | Die Regierung in {host_capital} wies die Kritik zurück. Das {deal_short} sei mit den europäischen Partnern abgestimmt, sagte ein Regierungssprecher.
        Reaktion der EU-Kommission | Die EU-Kommission rief beide Seiten zur Mäßigung auf. Man verfolge die Entwicklung aufmerksam, sagte eine Sprecherin in Brüssel.
        Einbestellung des Botschafters | Am Nachmittag wurde der Botschafter {host_gen} ins Außenministerium in {city} einbestellt. Das Gespräch dauerte nach Angaben aus Diplomatenkreisen rund {minutes} Minuten. | minutes
        Umfrage | Einer Umfrage zufolge teilen {poll} Prozent der Bürgerinnen und Bürger die Kritik der Regierung. | poll
    """),
    "kw": "Diplomatie/{crit_kw}/{host_kw}/Konflikte/",
    "desk": "pl",
    "corr": ("@crit", "loss", "minutes"),
}
_T["criticism", "en"] = {
    "head": _lines("""
        {crit_country_Cap} criticises {host_country}-{vis_country} {deal_short}
        {crit_adj} anger over {vis_title} {vis_last}'s visit to {host_country}
        {crit_country_Cap}'s {crit_title} {crit_last} says {deal_short} threatens region
    """),
    "head2": _lines("""
        {crit_country_Cap} summons ambassador in row over {deal_short}
        {crit_last} demands clarity on {deal_short}
    """),
    "lead": _lines("""
        {crit_country_Cap} sharply criticised the planned {deal_short} between {host_country} and {vis_country} {day}, with {crit_title} {crit} saying in {city} that the agreement endangered the security of the whole region.
        The {crit_adj} government reacted angrily to {vis_title} {vis_last}'s state visit to {host_country}, with {crit_title} {crit} summoning the ambassador of {host_country} in {city} {day}.
    """),
    "lead2": _lines("""
        The row over the {deal_short} widened {day} as {crit_title} {crit} said in {city} that the issue would be put on the agenda of the next meeting of EU foreign ministers.
        {crit_country_Cap} hardened its tone in the dispute over the {deal_short}, with {crit_title} {crit} accusing {host_country} in {city} of deliberately bypassing its neighbours.
    """),
    "body": _lines("""
        "Such arrangements over the heads of neighbours are unacceptable," {crit_last} told reporters, demanding that both governments immediately explain the content of the agreement.
        {host_title} {host} and {vis_title} {vis} had agreed the {deal_short} at a meeting in {host_capital}. No details were initially released.
        Officials in {city} fear that the agreement will put their own economy at a disadvantage. The economy ministry estimates that contracts worth up to {loss} million euros could be lost.
        Relations between {crit_country} and {host_country} have been tense for some time, most recently over a dispute about fishing rights.
        Lawmakers from several parties in {city} called for a clear response from the government, with some demanding a review of cooperation with {host_country}.
        Officials in {host_capital} said the agreement was not directed against anyone. A government spokesman spoke of a "misunderstanding".
    """),
    "upd": _updates("""
        Adds reaction from {host_capital} | The government in {host_capital} rejected the criticism, with a spokesman saying the {deal_short} had been coordinated with European partners.
        Adds EU Commission reaction | The European Commission called on both sides to show restraint, saying it was following developments closely.
        Adds summoning of ambassador | The ambassador of {host_country} was summoned to the foreign ministry in {city} in the afternoon for a meeting that lasted about {minutes} minutes, diplomats said. | minutes
        Adds poll | According to a poll, {poll} percent of citizens share the government's criticism. | poll
    """),
    "kw": "{crit_kw_en}/{host_kw_en}/diplomacy/",
    "desk": "i",
    "corr": ("@crit", "loss", "minutes"),
}

_T["policy", "de"] = {
    "head": _lines("""
        {min_title} {min_last} legt Pläne für {plan_short} vor
        Kabinett beschließt {plan_short}
        {min_last} will {plan_goal} - Kosten von {cost} Milliarden Euro
    """),
    "head2": _lines("""
        {plan_short}: Opposition und Länder kritisieren {min_last}
        Streit um {plan_short} - Länder fordern Nachbesserungen
    """),
    "lead": _lines("""
        {min_title} {min} hat Pläne für {plan} vorgelegt. Das Vorhaben soll den Bund in den kommenden vier Jahren rund {cost} Milliarden Euro kosten, wie {min_last} {day} in Berlin sagte.
        Das Bundeskabinett hat {day} in Berlin {plan} auf den Weg gebracht. Nach den Plänen von {min_title} {min} sollen dafür bis 2029 rund {cost} Milliarden Euro bereitgestellt werden.
    """),
    "lead2": _lines("""
        Die Pläne von {min_title} {min} für {plan} stoßen auf Widerstand. Opposition und mehrere Bundesländer kritisierten {day} vor allem die Finanzierung des Vorhabens, das rund {cost} Milliarden Euro kosten soll.
        Nach dem Kabinettsbeschluss wächst der Druck auf {min_title} {min_last}. Die Länder verlangen für {plan} eine stärkere Beteiligung des Bundes an den Kosten von rund {cost} Milliarden Euro.
    """),
    "body": _lines("""
        «Wir können es uns nicht leisten, weiter abzuwarten», sagte {min_last}. Die Reform solle {plan_goal_inf} und vor allem Menschen in ländlichen Regionen zugutekommen.
        Der Gesetzentwurf soll noch vor der Sommerpause in den Bundestag eingebracht werden. Auch der Bundesrat muss zustimmen, das Gesetz könnte Anfang kommenden Jahres in Kraft treten.
        {opp_title} {opp} nannte die Pläne «halbherzig». Die Regierung drücke sich um die entscheidende Frage der Finanzierung, sagte {opp_last} in Berlin.
        Nach Berechnungen des Ministeriums könnten von den Änderungen rund {affected} Millionen Menschen profitieren. Sozialverbände begrüßten die Richtung, forderten aber mehr Tempo.
        Die Pläne gehen auf eine Vereinbarung im Koalitionsvertrag zurück. Bereits im vergangenen Jahr hatte eine Expertenkommission Vorschläge vorgelegt, die nun teilweise übernommen werden.
        Kritik kam auch von Arbeitgeberverbänden. Die Reform dürfe nicht zu höheren Abgaben für Unternehmen führen, hieß es in einer Stellungnahme.
    """),
    "upd": _updates("""
        Reaktion der Länder | {premier_title} {premier} forderte Nachbesserungen. Die Länder dürften nicht auf einem Großteil der Kosten sitzen bleiben, sagte {premier_last}.
        Zeitplan präzisiert | Nach Angaben aus dem Ministerium soll die erste Lesung im Bundestag in {weeks} Wochen stattfinden. | weeks
        Reaktion der Sozialverbände | Sozialverbände kritisierten, die geplanten Mittel von {cost} Milliarden Euro reichten bei Weitem nicht aus.
        Kosten neu beziffert | Das Ministerium bezifferte die Kosten am Nachmittag auf nunmehr {cost} Milliarden Euro. | cost
    """),
    "kw": "Regierung/Bund/{field}/",
    "desk": "pl",
    "corr": ("@min", "@opp", "cost", "affected"),
}
_T["policy", "en"] = {
    "head": _lines("""
        German minister {min_last} unveils plans for {plan_short_en}
        German cabinet approves {plan_short_en}
        Germany's {min_last} wants to {plan_goal_en} at cost of {cost} billion euros
    """),
    "head2": _lines("""
        German states, opposition criticise {min_last}'s {plan_short_en}
        Row over {plan_short_en} as states demand changes
    """),
    "lead": _lines("""
        German {min_title_en} {min} {day} presented plans for {plan_en}, which are set to cost the federal government about {cost} billion euros over the next four years, {min_last} said in Berlin.
        The German cabinet {day} approved {plan_en}. Under the plans of {min_title_en} {min}, about {cost} billion euros will be made available by 2029.
    """),
    "lead2": _lines("""
        Plans by German {min_title_en} {min} for {plan_en} met resistance {day}, with the opposition and several states criticising the financing of the project, which is set to cost about {cost} billion euros.
        Pressure is mounting on German {min_title_en} {min_last} after the cabinet approved {plan_en}, with states demanding that Berlin carry more of the roughly {cost} billion euros in costs.
    """),
    "body": _lines("""
        "We cannot afford to wait any longer," {min_last} said, adding that the reform would mainly benefit people in rural regions.
        The draft law is to be introduced in the Bundestag before the summer recess. The Bundesrat upper house must also approve it, and it could take effect early next year.
        {opp_Title} {opp} called the plans "half-hearted", saying the government was dodging the crucial question of financing.
        According to ministry calculations, about {affected} million people could benefit from the changes. Welfare groups welcomed the direction but called for more speed.
        The plans are based on an agreement in the coalition treaty. An expert commission had presented proposals last year, some of which are now being adopted.
        Employers' associations also criticised the plans, saying the reform must not lead to higher contributions for companies.
    """),
    "upd": _updates("""
        Adds reaction from states | {premier_Title} {premier} called for changes, saying the states must not be left with most of the costs.
        Adds timetable | The first reading in the Bundestag is to take place in {weeks} weeks, according to the ministry. | weeks
        Adds welfare groups | Welfare groups said the planned funds of {cost} billion euros were far from sufficient.
        Updates cost estimate | The ministry put the cost at {cost} billion euros in the afternoon. | cost
    """),
    "kw": "Germany/politics/{field_en}/",
    "desk": "i",
    "corr": ("@min", "@opp", "cost", "affected"),
}

_T["sports", "de"] = {
    "head": _lines("""
        {res_head}
        {scorer1_last} trifft - {res_short}
        {league}: {res_head}
    """),
    "head2": _lines("""
        {res_head} - {coach_a_title} {coach_a_last}: «{coach_quote_short}»
        Nach {score}: {winner_head}
    """),
    "lead": _lines("""
        {res_lead} Vor {attendance} Zuschauern in {city} erzielte {scorer1} in der {minute1}. Minute das erste Tor der Partie.
        {res_lead} Die Entscheidung fiel vor {attendance} Zuschauern im Stadion von {city}, wo {scorer2} in der {minute2}. Minute zum {score2} traf.
    """),
    "lead2": _lines("""
        {res_lead} «{coach_quote_short}», sagte {coach_a_title} {coach_a} nach dem Spiel. {scorer1} und {scorer2} trafen vor {attendance} Zuschauern.
    """),
    "body": _lines("""
        {scorer1} brachte {scorer1_team} in der {minute1}. Minute mit einem Flachschuss aus 16 Metern in Führung. In der {minute2}. Minute stellte {scorer2} auf {score2}.
        {coach_a_title} {coach_a} lobte nach dem Spiel die Moral seiner Mannschaft. «{coach_quote}», sagte der {coach_a_age}-Jährige.
        In der Tabelle belegt {table_club} nach dem {matchday}. Spieltag nun Platz {rank}. Der Rückstand auf die Spitze beträgt {gap} Punkte.
        {club_b} war mit einer Serie von {streak} Spielen ohne Niederlage angereist. {coach_b_title} {coach_b} hatte seine Startelf im Vergleich zur Vorwoche auf drei Positionen verändert.
        Die beste Chance der zweiten Halbzeit vergab {player3} in der {minute3}. Minute, als er nur den Pfosten traf. Schiedsrichter {referee} zeigte insgesamt {cards} Gelbe Karten.
        Die Partie begann wegen eines Polizeieinsatzes vor dem Stadion mit zehn Minuten Verspätung. Nach Angaben der Polizei blieb es aber weitgehend friedlich.
    """),
    "upd": _updates("""
        Stimmen nach dem Spiel | «Wir haben heute nicht das gezeigt, was wir können», sagte {coach_b_title} {coach_b} nach dem Abpfiff. Seine Mannschaft müsse sich schnell steigern.
        Verletzung | {player3} musste in der zweiten Halbzeit mit einer Knieverletzung ausgewechselt werden. Eine genaue Diagnose soll in den kommenden Tagen folgen.
        Zuschauerzahl aktualisiert | Nach Vereinsangaben verfolgten {attendance} Zuschauer die Partie, darunter rund {away_fans} Gästefans. | attendance
        Ausblick | Am kommenden Spieltag muss {club_a} auswärts antreten, {club_b} empfängt den Tabellenführer.
    """),
    "kw": "Fußball/{league_kw}/{club_a_kw}/{club_b_kw}/",
    "desk": "sp",
    "corr": ("@scorer1", "@coach_a", "attendance", "minute1"),
}
_T["sports", "en"] = {
    "head": _lines("""
        {res_head}
        {scorer1_last} scores as {res_short}
        {league}: {res_head}
    """),
    "head2": _lines("""
        {res_head}; {coach_a_last}: "{coach_quote_short}"
        After {score}, {winner_head}
    """),
    "lead": _lines("""
        {res_lead} {scorer1} scored the first goal of the game in the {minute1} minute in front of {attendance} spectators in {city}.
        {res_lead} The decisive moment came in the {minute2} minute in front of {attendance} fans in {city}, when {scorer2} made it {score2}.
    """),
    "lead2": _lines("""
        {res_lead} "{coach_quote_short}," {coach_a_title} {coach_a} said after the game, in which {scorer1} and {scorer2} scored in front of {attendance} spectators.
    """),
    "body": _lines("""
        {scorer1} gave {scorer1_team} the lead in the {minute1} minute with a low shot from 16 metres. {scorer2} made it {score2} in the {minute2} minute.
        {coach_a_Title} {coach_a} praised his team's spirit after the match. "{coach_quote}," the {coach_a_age}-year-old said.
        After matchday {matchday}, {table_club} are now {rank_ord} in the table, {gap} points behind the leaders.
        {club_b} had arrived on a run of {streak} games without defeat. {coach_b_Title} {coach_b} had made three changes to his starting line-up from the previous week.
        {player3} missed the best chance of the second half in the {minute3} minute when he hit the post. Referee {referee} showed a total of {cards} yellow cards.
        Kick-off was delayed by ten minutes because of a police operation outside the stadium, but police said the day passed largely peacefully.
    """),
    "upd": _updates("""
        Adds quotes | "Today we did not show what we are capable of," {coach_b_title} {coach_b} said after the final whistle, adding that his team had to improve quickly.
        Adds injury | {player3} had to be substituted in the second half with a knee injury. An exact diagnosis is expected in the coming days.
        Updates attendance | According to the club, {attendance} spectators watched the game, including about {away_fans} away fans. | attendance
        Adds outlook | On the next matchday {club_a} play away, while {club_b} host the league leaders.
    """),
    "kw": "Germany/soccer/{league_kw_en}/",
    "desk": "i",
    "corr": ("@scorer1", "@coach_a", "attendance", "minute1"),
}

_T["storm", "de"] = {
    "head": _lines("""
        Sturmtief «{storm}» fegt über {region}
        Unwetter in {region}: Bäume auf Straßen und Gleisen
        Orkanböen bis {wind} Stundenkilometer - Bahn stellt Verkehr in {region} ein
    """),
    "head2": _lines("""
        Sturm «{storm}»: {injured} Verletzte in {region} - Aufräumarbeiten laufen
        Nach Sturm «{storm}»: Bahnverkehr in {region} weiter eingeschränkt
    """),
    "lead": _lines("""
        Das Sturmtief «{storm}» hat in {region} für zahlreiche Einsätze von Feuerwehr und Polizei gesorgt. Der Deutsche Wetterdienst (DWD) meldete {day} in exponierten Lagen Orkanböen mit Geschwindigkeiten von bis zu {wind} Kilometern pro Stunde.
        Umgestürzte Bäume, abgedeckte Dächer und gesperrte Straßen: Das Sturmtief «{storm}» ist {day} mit Orkanböen über {region} hinweggezogen. In {city} rückte die Feuerwehr nach eigenen Angaben zu mehr als {calls} Einsätzen aus.
    """),
    "lead2": _lines("""
        Nach dem Durchzug von Sturmtief «{storm}» laufen in {region} die Aufräumarbeiten. Bei dem Unwetter wurden nach Polizeiangaben {injured} Menschen verletzt, die Feuerwehren rückten zu mehr als {calls} Einsätzen aus.
        Das Sturmtief «{storm}» hat in {region} größere Schäden angerichtet als zunächst angenommen. Allein in {city} zählte die Feuerwehr mehr als {calls} Einsätze, {injured} Menschen wurden verletzt.
    """),
    "body": _lines("""
        Die Deutsche Bahn stellte den Fernverkehr in {region} vorsorglich ein. Mehr als {trains} Verbindungen fielen nach Angaben eines Bahnsprechers aus, Reisende mussten sich auf lange Wartezeiten einstellen.
        «Die Lage ist angespannt, aber unter Kontrolle», sagte {fire_title} {fire} in {city}. Vor allem umgestürzte Bäume und herabfallende Dachziegel beschäftigten die Einsatzkräfte.
        Am Flughafen {airport} wurden {flights} Starts und Landungen gestrichen. Auch der Fährverkehr zu den Inseln wurde vorübergehend eingestellt.
        {meteo_title} {meteo} vom DWD rechnete damit, dass der Wind erst in der Nacht nachlässt. In den Mittelgebirgen seien auch Starkregen von bis zu {rain} Litern pro Quadratmeter möglich.
        In mehreren Landkreisen fiel der Unterricht aus. Die Behörden riefen die Menschen auf, Wälder und Parks zu meiden und sich möglichst nicht im Freien aufzuhalten.
        Ein Autofahrer wurde bei {city} verletzt, als ein Baum auf seinen Wagen stürzte. Er kam mit leichten Verletzungen in ein Krankenhaus.
    """),
    "upd": _updates("""
        Zahl der Verletzten gestiegen | Nach neuen Angaben der Polizei wurden bei dem Unwetter landesweit {injured} Menschen verletzt, einige von ihnen schwer. | injured
        Bahnverkehr | Die Bahn kündigte an, den Verkehr am Abend schrittweise wieder aufzunehmen. Einzelne Strecken blieben aber wegen Schäden an Oberleitungen gesperrt.
        Schadensbilanz | Versicherer rechnen nach ersten Schätzungen mit Schäden von mehr als {damage} Millionen Euro. | damage
        Einsätze | Die Feuerwehren rückten bis zum Abend zu mehr als {calls} Einsätzen aus. | calls
    """),
    "kw": "Wetter/Unwetter/Verkehr/{state}/",
    "desk": "vm",
    "corr": ("@meteo", "@fire", "wind", "trains", "calls"),
}
_T["storm", "en"] = {
    "head": _lines("""
        Storm {storm} sweeps across {region}
        Storm brings down trees, halts trains in {region}
        Hurricane-force gusts of up to {wind} km/h hit {region}
    """),
    "head2": _lines("""
        Storm {storm} injures {injured} in {region} as clean-up begins
        Rail traffic in {region} still disrupted after storm {storm}
    """),
    "lead": _lines("""
        Storm {storm} kept fire brigades and police busy across {region} {day}, with the German Weather Service (DWD) reporting hurricane-force gusts of up to {wind} kilometres per hour in exposed areas.
        Storm {storm} swept across {region} {day}, toppling trees, ripping off roofs and closing roads. In {city} alone, firefighters were called out more than {calls} times.
    """),
    "lead2": _lines("""
        Clean-up work was under way in {region} after storm {storm} passed through, injuring {injured} people according to police. Fire brigades were called out more than {calls} times.
        Storm {storm} caused more damage in {region} than initially thought. In {city} alone, firefighters counted more than {calls} call-outs and {injured} people were injured.
    """),
    "body": _lines("""
        Deutsche Bahn suspended long-distance services in {region} as a precaution. More than {trains} connections were cancelled, a rail spokesman said.
        "The situation is tense but under control," {fire_title} {fire} said in {city}, adding that fallen trees and roof tiles were the main problem.
        At {airport} airport, {flights} take-offs and landings were cancelled. Ferry services to the islands were also temporarily suspended.
        DWD {meteo_title} {meteo} expected the wind to ease only overnight, with heavy rain of up to {rain} litres per square metre possible in the uplands.
        Schools were closed in several districts. Authorities urged people to avoid forests and parks and to stay indoors where possible.
        A driver was injured near {city} when a tree fell on his car. He was taken to hospital with minor injuries.
    """),
    "upd": _updates("""
        Updates number of injured | Police said {injured} people had been injured across the state, some of them seriously. | injured
        Adds rail traffic | Deutsche Bahn said services would gradually resume in the evening, though some lines remained closed because of damaged overhead wires.
        Adds damage estimate | Insurers expect damage of more than {damage} million euros, according to first estimates. | damage
        Updates call-outs | Fire brigades were called out more than {calls} times by the evening. | calls
    """),
    "kw": "Germany/weather/storm/",
    "desk": "i",
    "corr": ("@meteo", "@fire", "wind", "trains", "calls"),
}

_T["crash", "de"] = {
    "head": _lines("""
        {acc_head}
        {acc_noun} bei {city}: {injured} Verletzte
        {acc_noun} in {region} - Polizei ermittelt
    """),
    "head2": _lines("""
        {acc_noun} bei {city}: Zahl der Verletzten steigt auf {injured}
        Nach {acc_noun} bei {city}: Ermittler suchen nach Ursache
    """),
    "lead": _lines("""
        {acc_lead} Nach Angaben der Polizei wurden mindestens {injured} Menschen verletzt, {serious} von ihnen schwer.
        {acc_lead} Rettungskräfte waren mit einem Großaufgebot im Einsatz, {injured} Menschen wurden nach ersten Angaben verletzt.
    """),
    "lead2": _lines("""
        Bei {acc_dat} nahe {city} sind nach neuen Angaben der Polizei {injured} Menschen verletzt worden, {serious} davon schwer. Die Ermittler gehen von einem Unglück aus, ein technischer Defekt wird nicht ausgeschlossen.
        Nach {acc_dat} bei {city} hat die Polizei erste Erkenntnisse zur Ursache veröffentlicht. {police_title} {police} sprach {day} von {injured} Verletzten, darunter {serious} Schwerverletzte.
    """),
    "body": _lines("""
        «Die Rettungskräfte waren sehr schnell vor Ort und haben hervorragende Arbeit geleistet», sagte {police_title} {police}. Die Unfallstelle sei weiträumig abgesperrt worden.
        Mehrere Rettungshubschrauber brachten Verletzte in Krankenhäuser in der Region. Insgesamt waren mehr als {rescuers} Einsatzkräfte von Feuerwehr, Rettungsdienst und Technischem Hilfswerk vor Ort.
        Die Ursache des Unglücks war zunächst unklar. Ein Gutachter soll klären, ob ein technischer Defekt oder menschliches Versagen vorliegt.
        {mayor_title} {mayor} zeigte sich betroffen. «Unsere Gedanken sind bei den Verletzten und ihren Angehörigen», sagte {mayor_last}.
        Für Angehörige wurde eine Hotline eingerichtet. Notfallseelsorger kümmerten sich um Unverletzte und Zeugen.
        Die Strecke bleibt nach Angaben der Behörden voraussichtlich bis zum Abend gesperrt. Es kam zu erheblichen Behinderungen im Umland von {city}.
    """),
    "upd": _updates("""
        Zahl der Verletzten gestiegen | Die Zahl der Verletzten stieg nach neuen Angaben der Polizei auf {injured}. Einige von ihnen schwebten in Lebensgefahr. | injured
        Ermittlungen | Die Staatsanwaltschaft hat ein Ermittlungsverfahren eingeleitet. Die Ermittler sicherten Spuren und befragten Zeugen.
        Aussagen der Polizei | {police_title} {police} sagte am Nachmittag, es gebe bislang keine Hinweise auf Fremdeinwirkung.
        Einsatzkräfte | Insgesamt waren nach Angaben der Feuerwehr mehr als {rescuers} Einsatzkräfte vor Ort. | rescuers
    """),
    "kw": "Unfälle/Verkehr/{state}/",
    "desk": "vm",
    "corr": ("@police", "@mayor", "injured", "rescuers"),
}
_T["crash", "en"] = {
    "head": _lines("""
        {acc_head}
        {injured} hurt in {acc_noun} near German city of {city}
        German police investigate {acc_noun} in {region}
    """),
    "head2": _lines("""
        Injured in {acc_noun} near {city} rises to {injured}
        Investigators seek cause of {acc_noun} near {city}
    """),
    "lead": _lines("""
        {acc_lead} At least {injured} people were injured, {serious} of them seriously, police said.
        {acc_lead} Rescue services were at the scene in large numbers, and {injured} people were injured according to first reports.
    """),
    "lead2": _lines("""
        {injured} people were injured, {serious} of them seriously, in {acc_dat} near {city}, police said {day}. Investigators believe it was an accident and are not ruling out a technical fault.
        Police released first findings {day} on the cause of {acc_dat} near {city}. {police_Title} {police} said {injured} people were injured, {serious} of them seriously.
    """),
    "body": _lines("""
        "The rescue services were on the scene very quickly and did an excellent job," {police_title} {police} said. The site was cordoned off.
        Several rescue helicopters flew the injured to hospitals in the region. More than {rescuers} firefighters, paramedics and relief workers were deployed.
        The cause was initially unclear. An expert is to establish whether a technical fault or human error was to blame.
        {mayor_Title} {mayor} said: "Our thoughts are with the injured and their families."
        A hotline was set up for relatives. Emergency counsellors looked after uninjured passengers and witnesses.
        The route is expected to remain closed until the evening, causing major disruption around {city}.
    """),
    "upd": _updates("""
        Updates number of injured | The number of injured rose to {injured}, police said. Some of them were in a life-threatening condition. | injured
        Adds investigation | Prosecutors have opened an investigation, securing evidence and questioning witnesses.
        Adds police comment | {police_Title} {police} said in the afternoon there was no indication of third-party involvement.
        Updates number of rescuers | More than {rescuers} emergency workers were deployed, the fire brigade said. | rescuers
    """),
    "kw": "Germany/accident/",
    "desk": "i",
    "corr": ("@police", "@mayor", "injured", "rescuers"),
}


# --------------------------------------------------------------------------------------------
# Slot builders: one per topic. A context holds the slot strings, the numbers behind them and
# the people (so corrections can respell a name or change a figure everywhere at once).
# --------------------------------------------------------------------------------------------


def _fmt_num(value: float, kind: str, lang: str) -> str:
    if kind == "d1":
        text = f"{value:.1f}"
        return text.replace(".", ",") if lang == "de" else text
    number = int(value)
    if kind == "ord":
        if lang == "de":
            return str(number)
        suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
        return f"{number}{suffix}"
    if lang == "de":
        return f"{number:,}".replace(",", ".") if number >= 10000 else str(number)
    return f"{number:,}"


@dataclass(slots=True)
class _Person:
    first: str
    last: str
    female: bool
    role: str | None  # key into _ROLES, or None when titles are set by the builder


class _Ctx:
    __slots__ = ("lang", "now", "nums", "persons", "rng", "slots", "world")

    def __init__(
        self, rng: Random, lang: str, now: datetime = DEFAULT_START, world: dict[Any, Any] | None = None
    ) -> None:
        self.rng = rng
        self.lang = lang
        self.now = now
        self.world: dict[Any, Any] = {} if world is None else world
        self.slots: dict[str, str] = {}
        self.nums: dict[str, tuple[float, str]] = {}
        self.persons: dict[str, _Person] = {}

    def fresh(self, kind: str, n: int, exclude: Sequence[int] = ()) -> int:
        """An index into a pool of ``n`` entities, the one (of a sample) this stream used longest ago.

        Keeps one company, club, ministry plan or city from turning up in two unrelated stories an
        hour apart, which would make the true labels unfair to any linker.
        """
        best, best_age = -1, -1.0
        for index in self.rng.sample(range(n), min(n, 24)):
            if index in exclude:
                continue
            last = self.world.get(("used", kind, index))
            age = float("inf") if last is None else abs((self.now - last).total_seconds())
            if age > best_age:
                best, best_age = index, age
        if best < 0:
            best = next(i for i in range(n) if i not in exclude)
        self.world["used", kind, best] = self.now
        return best

    def resident(self, key: str, role: str | None, owner: str, **kwargs: Any) -> _Person:
        """A person who holds the same post in every story of the stream (a company's CEO, a minister)."""
        known = self.world.get(("person", owner, key))
        if known is not None and key not in self.persons:
            self.persons[key] = _Person(known.first, known.last, known.female, role)
        person = self.person(key, role, **kwargs)
        self.world.setdefault(("person", owner, key), _Person(person.first, person.last, person.female, role))
        return person

    def num(self, name: str, value: float, kind: str = "int") -> None:
        self.nums[name] = (value, kind)
        self.slots[name] = _fmt_num(value, kind, self.lang)

    def person(
        self,
        key: str,
        role: str | None,
        *,
        female: bool | None = None,
        name: tuple[str, str] | None = None,
        titles: tuple[str, str, str, str] | None = None,
    ) -> _Person:
        """A named person under ``key``: ``{key}``, ``{key_last}``, ``{key_title}``, ``{key_der}``..."""
        person = self.persons.get(key)
        if person is None:
            rng = self.rng
            if name is not None:
                first, last = name
                is_female = female if female is not None else first in _FEMALE_FIRST
            else:
                is_female = rng.random() < 0.45 if female is None else female
                first = rng.choice(_FIRST_F if is_female else _FIRST_M)
                last = rng.choice(_LAST)
            person = _Person(first, last, is_female, role)
            self.persons[key] = person
        title_set = titles or (_ROLES[person.role] if person.role else ("", "", "", ""))
        self._person_slots(key, person, title_set)
        return person

    def _person_slots(self, key: str, person: _Person, titles: tuple[str, str, str, str]) -> None:
        slots = self.slots
        slots[key] = f"{person.first} {person.last}"
        slots[f"{key}_last"] = person.last
        index = (1 if person.female else 0) + (2 if self.lang == "en" else 0)
        title = titles[index]
        slots[f"{key}_title"] = title
        slots[f"{key}_Title"] = title.title() if self.lang == "en" else title[:1].upper() + title[1:]
        slots[f"{key}_der"] = "die" if person.female else "der"
        slots[f"{key}_Der"] = "Die" if person.female else "Der"
        slots[f"_{key}_titles"] = "\x1f".join(titles)

    def respell(self, key: str, last: str) -> None:
        person = self.persons[key]
        person.last = last
        self._person_slots(key, person, tuple(self.slots[f"_{key}_titles"].split("\x1f")))  # type: ignore[arg-type]

    def pick(self, de: Sequence[str], en: Sequence[str]) -> str:
        index = self.rng.randrange(len(de))
        return de[index] if self.lang == "de" else en[index]

    def word(self, de: str, en: str) -> str:
        return de if self.lang == "de" else en


def _city(ctx: _Ctx, key: str, slot: str = "city") -> None:
    de, en, _up, state_de, state_en, _svc, _yy = _CITIES[key]
    ctx.slots[slot] = de if ctx.lang == "de" else en
    if slot == "city":
        ctx.slots["city_key"] = key
        ctx.slots["state"] = state_de if ctx.lang == "de" else state_en
        ctx.slots["region"] = ctx.slots["state"]


def _company(ctx: _Ctx) -> None:
    if "co" in ctx.slots:
        return
    rng = ctx.rng
    name, sector, hq, plant = _COMPANIES[ctx.fresh("company", len(_COMPANIES))]
    s_de, s_en, p_de, p_en, union, kw = _SECTORS[sector]
    slots = ctx.slots
    slots.update(co=name, sector=ctx.word(s_de, s_en), product=ctx.word(p_de, p_en), gew=union)
    slots.update(kw_sector=kw, kw_sector_en=s_en.split()[0], hq_key=hq, plant_key=plant)
    _city(ctx, hq, "hq")
    slots["hq_state"] = _CITIES[hq][3] if ctx.lang == "de" else _CITIES[hq][4]
    ctx.num("jobs", rng.randrange(1800, 95000, 100))


def _country(ctx: _Ctx, key: str, prefix: str) -> None:
    c = _COUNTRIES[key]
    slots = ctx.slots
    if ctx.lang == "de":
        name = c[0]
        if name.startswith("die "):
            bare = name[4:]
            forms = {"nom": name, "Nom": "Die " + bare, "in": f"in den {bare}n", "from": f"aus den {bare}n",
                     "gen": f"der {bare}", "dat": f"den {bare}n", "kw": bare}  # fmt: skip
        else:
            gen = name if name.endswith(("s", "z")) else name + "s"
            forms = {"nom": name, "Nom": name, "in": f"in {name}", "from": f"aus {name}", "gen": gen,
                     "dat": name, "kw": name}  # fmt: skip
        slots[f"{prefix}_adj"] = c[2]
        slots[f"{prefix}_capital"] = c[4]
    else:
        name = c[1]
        forms = {"nom": name, "Nom": name[:1].upper() + name[1:], "in": f"in {name}", "from": f"from {name}",
                 "gen": f"of {name}", "dat": name, "kw": name.removeprefix("the ").split()[-1]}  # fmt: skip
        slots[f"{prefix}_adj"] = c[3]
        slots[f"{prefix}_capital"] = c[5]
    slots[f"{prefix}_country"] = forms["nom"]
    slots[f"{prefix}_country_nom"] = forms["nom"]
    slots[f"{prefix}_country_Nom"] = forms["Nom"]
    slots[f"{prefix}_country_Cap"] = forms["Nom"]
    slots[f"{prefix}_in"] = forms["in"]
    slots[f"{prefix}_from"] = forms["from"]
    slots[f"{prefix}_gen"] = forms["gen"]
    slots[f"{prefix}_dat"] = forms["dat"]
    slots[f"{prefix}_kw"] = c[0].removeprefix("die ")
    slots[f"{prefix}_kw_en"] = c[1].removeprefix("the ")
    slots[f"_{prefix}_key"] = key


def _leader(ctx: _Ctx, key: str, prefix: str) -> None:
    c = _COUNTRIES[key]
    female = ctx.rng.random() < 0.45
    first, last = c[8][1 if female else 0]
    m, f, en = _LEADER_TITLES[c[7]]
    ctx.person(prefix, None, female=female, name=(first, last), titles=(m, f, en, en))


def _results(ctx: _Ctx) -> None:
    rng, slots = ctx.rng, ctx.slots
    _company(ctx)
    _city(ctx, slots["hq_key"])
    pos = rng.random() < 0.5
    quarter = rng.randrange(4)
    slots["quarter"] = ctx.word(
        ("ersten Quartal", "zweiten Quartal", "dritten Quartal", "vierten Quartal")[quarter],
        ("first quarter", "second quarter", "third quarter", "fourth quarter")[quarter],
    )
    tone_de = (
        ("steigert Gewinn deutlich", "hebt Prognose an", "stieg", "steigt", "gestiegen sei", "gefragt",
         "sieht weiteres Wachstum", "mehr umgesetzt und verdient als erwartet", "die Jahresziele angehoben",
         "starken", "Wir sind auf einem sehr guten Weg und wachsen schneller als der Markt", "gewonnen", "zog",
         "kräftig an", "stiegen", "niedrigeren", "kamen die Zahlen gut an", "gewann", "einer der größten Gewinner",
         "Das war ein Quartal, das Mut macht", "deutlich belebt"),
        ("verdient deutlich weniger", "senkt Prognose", "sank", "sinkt", "gesunken sei", "unter Druck",
         "kündigt Einschnitte an", "deutlich weniger verdient als von Analysten erwartet", "die Jahresziele gesenkt",
         "schwachen", "Das Umfeld bleibt schwierig, und wir reagieren darauf mit aller Konsequenz", "verloren",
         "schwächelte", "spürbar", "sanken", "höheren", "reagierten Anleger enttäuscht", "verlor",
         "einer der schwächsten Werte", "Die Schwäche ist breiter als gedacht", "weiter abgeschwächt"),
    )  # fmt: skip
    tone_en = (
        ("profit jumps", "raises outlook", "rose", "rises", "rose", "rise", "sees further growth",
         "sold and earned more than expected", "raised its full-year targets", "strong",
         "We are on a very good path and are growing faster than the market", "gained", "picked up strongly", "",
         "rose", "lower", "investors welcomed the figures", "gained", "one of the biggest gainers",
         "This was a quarter that gives cause for optimism", "picked up noticeably"),
        ("profit slumps", "cuts outlook", "fell", "falls", "fell", "fall", "announces cuts",
         "earned significantly less than analysts had expected", "cut its full-year targets", "weak",
         "The environment remains difficult and we are responding decisively", "lost", "weakened noticeably", "",
         "fell", "higher", "investors were disappointed", "lost", "one of the weakest performers",
         "The weakness is broader than expected", "weakened further"),
    )  # fmt: skip
    names = ("profit_head", "outlook_head", "rev_verb", "rev_verb_head", "rev_verb_inf", "share_head", "ceo_head",
             "rev_cmp", "outlook_act", "q_adj", "quote_ceo", "share_pp", "biz", "biz2", "orders_verb", "cons",
             "market_reac", "share_verb", "share_rank", "quote_an", "trend")  # fmt: skip
    values = (tone_de if ctx.lang == "de" else tone_en)[0 if pos else 1]
    slots.update(zip(names, values, strict=True))
    slots["profit_head_en"] = slots["profit_head"]
    slots["market"] = ctx.pick(
        ("in China", "in Nordamerika", "in Südostasien", "auf dem Heimatmarkt", "in Osteuropa"),
        ("in China", "in North America", "in South-East Asia", "in its home market", "in Eastern Europe"),
    )
    slots["market2"] = ctx.pick(
        ("Nordamerika", "Asien", "Südamerika"), ("North America", "Asia", "South America")
    )
    slots["focus"] = ctx.pick(
        ("margenstarke Spezialprodukte", "digitale Dienstleistungen", "das Geschäft in Nordamerika",
         "klimafreundliche Produkte"),
        ("high-margin specialty products", "digital services", "its North American business",
         "climate-friendly products"),
    )  # fmt: skip
    slots["bank"] = rng.choice(_BANKS)
    rev = rng.randrange(4, 180) / 10
    pct = rng.randrange(5, 140) / 10
    profit = rng.randrange(20, 1500)
    ctx.num("rev", rev, "d1")
    ctx.num("rev_pct", pct, "d1")
    ctx.num("profit", profit)
    ctx.num("profit_prev", int(profit / (1 + pct / 100)) if pos else int(profit * (1.1 + rng.random())))
    ctx.num("share_pct", rng.randrange(8, 95) / 10, "d1")
    ctx.num("orders_pct", rng.randrange(10, 120) / 10, "d1")
    ctx.num("target", round(rev * 4 * (0.95 + rng.random() * 0.15), 1), "d1")
    ctx.num("fx", rng.randrange(10, 250))
    ctx.num("invest", rng.randrange(100, 2500, 50))
    ctx.num("savings", rng.randrange(50, 800, 10))
    dividend = rng.randrange(4, 45) / 10
    ctx.num("dividend", dividend, "d1")
    ctx.num("dividend_prev", round(dividend * (0.8 if pos else 1.2), 1), "d1")
    ctx.resident("ceo", "ceo", slots["co"])
    ctx.resident("cfo", "cfo", slots["co"])
    ctx.person("analyst", "analyst")
    ctx.resident("works", "works", slots["co"])


def _strike(ctx: _Ctx) -> None:
    rng, slots = ctx.rng, ctx.slots
    _company(ctx)
    _city(ctx, slots["plant_key"])
    ctx.num("workers", rng.randrange(300, 6000, 50))
    ctx.num("demand", rng.randrange(55, 120) / 10, "d1")
    ctx.num("offer", rng.randrange(20, 50) / 10, "d1")
    ctx.num("staff", rng.randrange(2000, 40000, 100))
    ctx.num("crowd", rng.randrange(200, 2000, 50))
    slots["hours"] = str(rng.choice((2, 3, 4, 24)))
    ctx.person("neg", "union")
    ctx.person("hr", "hr")
    ctx.person("spokes", "spokes")
    ctx.person("premier", "premier")


_COURTS = (
    ("Bundesgerichtshof", "BGH", "karlsruhe", "Der", "des Bundesgerichtshofs", "Federal Court of Justice", True),
    ("Bundesverwaltungsgericht", "BVerwG", "leipzig", "Das", "des Bundesverwaltungsgerichts",
     "Federal Administrative Court", True),
    ("Oberlandesgericht München", "OLG München", "muenchen", "Das", "des Oberlandesgerichts München",
     "Higher Regional Court in Munich", False),
    ("Oberlandesgericht Düsseldorf", "OLG Düsseldorf", "duesseldorf", "Das", "des Oberlandesgerichts Düsseldorf",
     "Higher Regional Court in Duesseldorf", False),
    ("Oberlandesgericht Hamburg", "OLG Hamburg", "hamburg", "Das", "des Oberlandesgerichts Hamburg",
     "Higher Regional Court in Hamburg", False),
    ("Landgericht Frankfurt", "LG Frankfurt", "frankfurt", "Das", "des Landgerichts Frankfurt",
     "Frankfurt Regional Court", False),
    ("Kammergericht", "KG", "berlin", "Das", "des Kammergerichts", "Berlin Court of Appeal", False),
)  # fmt: skip
_SUBJECTS = (
    ("Preisanpassungsklauseln", "den Preisanpassungsklauseln", "price adjustment clauses"),
    ("Kündigungsgebühren", "den Kündigungsgebühren", "cancellation fees"),
    ("Klauseln zur Datenweitergabe", "den Klauseln zur Datenweitergabe", "data-sharing clauses"),
    ("Gebühren für Papierrechnungen", "den Gebühren für Papierrechnungen", "fees for paper invoices"),
    ("Bearbeitungsentgelte", "den Bearbeitungsentgelten", "processing fees"),
    ("Laufzeitklauseln", "den Laufzeitklauseln", "contract term clauses"),
)


def _court_slots(ctx: _Ctx) -> None:
    rng, slots = ctx.rng, ctx.slots
    if "court" in slots:
        return
    courts = [c for c in _COURTS if c[2] != slots["hq_key"]]
    name, short, city, article, gen, en, final = courts[rng.randrange(len(courts))]
    slots.update(court=name, court_short=short, court_key=city, court_Nom=f"{article} {name}", court_gen=gen)
    slots["court_en"] = en
    slots["final"] = "rechtskräftig" if final else "noch nicht rechtskräftig, die Revision wurde zugelassen"
    slots["final_en"] = "final" if final else "not yet final, and an appeal has been allowed"
    cap, dat, sub_en = _SUBJECTS[rng.randrange(len(_SUBJECTS))]
    slots.update(subject="die " + cap, subject_Cap=cap, subject_dat=dat, subject_en=sub_en)


def _court(ctx: _Ctx) -> None:
    rng, slots = ctx.rng, ctx.slots
    _company(ctx)
    _court_slots(ctx)
    _city(ctx, slots["court_key"])
    state = slots["hq_state"]
    plaintiff = (
        f"die Verbraucherzentrale {state}" if ctx.lang == "de" else f"the consumer advice centre of {state}"
    )
    slots["plaintiff"] = plaintiff
    slots["plaintiff_Cap"] = plaintiff[:1].upper() + plaintiff[1:]
    slots["az"] = (
        f"{rng.choice(('I', 'III', 'VIII', 'XI', 'XII'))} ZR {rng.randrange(10, 400)}/{rng.randrange(22, 25)}"
    )
    slots["uni"] = rng.choice(("Köln", "Münster", "Heidelberg", "Göttingen", "Bonn", "Mainz", "Würzburg"))
    ctx.num("customers", rng.randrange(3, 65) / 10, "d1")
    ctx.num("refund", rng.randrange(40, 480))
    ctx.num("claims", rng.randrange(50, 900, 10))
    ctx.num("share_pct", rng.randrange(10, 70) / 10, "d1")
    ctx.person("judge", "judge")
    ctx.person("consumer", "consumer")
    ctx.person("expert", "expert")


def _reaction(ctx: _Ctx) -> None:
    rng, slots = ctx.rng, ctx.slots
    _company(ctx)
    _court_slots(ctx)
    _city(ctx, slots["hq_key"])
    slots.setdefault("bank", rng.choice(_BANKS))
    ctx.num("provision", rng.randrange(20, 600, 5))
    ctx.num("share_pct", rng.randrange(5, 60) / 10, "d1")
    for key, role in (("ceo", "ceo"), ("cfo", "cfo"), ("works", "works")):
        ctx.resident(key, role, slots["co"])
    for key, role in (("spokes", "spokes"), ("analyst", "analyst"), ("investor", "investor")):
        ctx.person(key, role)


_DEALS = (
    ("ein Abkommen über Flüssiggaslieferungen vereinbart", "Flüssiggasabkommen", "Energie",
     "an agreement on liquefied natural gas supplies", "LNG deal", "energy"),
    ("eine Vereinbarung über den Abbau seltener Erden getroffen", "Rohstoffabkommen", "Rohstoffe",
     "a deal on rare earth mining", "raw materials deal", "raw materials"),
    ("ein Abkommen über gemeinsame Rüstungsprojekte geschlossen", "Rüstungsabkommen", "Verteidigung",
     "a treaty on joint defence projects", "defence treaty", "defence"),
    ("eine Absichtserklärung zum Bau eines Tiefseehafens unterzeichnet", "Hafenprojekt", "Infrastruktur",
     "a memorandum on building a deep-sea port", "port project", "infrastructure"),
    ("ein Abkommen über die Rückführung von Migranten geschlossen", "Migrationsabkommen", "Migration",
     "an agreement on the return of migrants", "migration deal", "migration"),
    ("eine Partnerschaft für grünen Wasserstoff vereinbart", "Wasserstoffabkommen", "Wasserstoff",
     "a partnership on green hydrogen", "hydrogen deal", "hydrogen"),
)  # fmt: skip


def _visit(ctx: _Ctx) -> None:
    rng, slots = ctx.rng, ctx.slots
    vis_index = ctx.fresh("visitor", len(_COUNTRY_KEYS))
    vis = _COUNTRY_KEYS[vis_index]
    host = _COUNTRY_KEYS[ctx.fresh("host", len(_COUNTRY_KEYS), exclude=(vis_index,))]
    _country(ctx, vis, "vis")
    _country(ctx, host, "host")
    _leader(ctx, vis, "vis")
    _leader(ctx, host, "host")
    slots["city"] = slots["host_capital"]
    slots["city_key"] = "@" + host
    slots["state"] = slots["host_kw"]
    slots["region"] = slots["host_country"]
    deal = _DEALS[rng.randrange(len(_DEALS))]
    if ctx.lang == "de":
        slots.update(deal=deal[0], deal_short=deal[1], vtopic=deal[2])
    else:
        slots.update(deal=deal[3], deal_short=deal[4], vtopic_en=deal[5])
    slots["vtopic_en"] = deal[5]
    slots["days"] = str(rng.choice((2, 3, 3, 4)))
    ctx.num("agreements", rng.randrange(3, 14))
    ctx.num("volume", rng.randrange(5, 250) / 10, "d1")
    ctx.num("trade", rng.randrange(20, 900) / 10, "d1")
    ctx.num("delegation", rng.randrange(25, 140))


def _criticism(ctx: _Ctx) -> None:
    rng, slots = ctx.rng, ctx.slots
    if "vis" not in slots:
        _visit(ctx)
    taken = [_COUNTRY_KEYS.index(slots["_vis_key"]), _COUNTRY_KEYS.index(slots["_host_key"])]
    crit = _COUNTRY_KEYS[ctx.fresh("critic", len(_COUNTRY_KEYS), exclude=taken)]
    _country(ctx, crit, "crit")
    c = _COUNTRIES[crit]
    first, last = c[8][2]
    ctx.person("crit", None, female=False, name=(first, last),
               titles=("Außenminister", "Außenministerin", "Foreign Minister", "Foreign Minister"))  # fmt: skip
    slots["city"] = slots["crit_capital"]
    slots["city_key"] = "@" + crit
    slots["state"] = slots["crit_kw"]
    slots["region"] = slots["crit_country"]
    ctx.num("loss", rng.randrange(30, 900, 10))
    ctx.num("minutes", rng.randrange(20, 90, 5))
    ctx.num("poll", rng.randrange(40, 76))


_PLANS = (
    ("Bundesgesundheitsminister", "Bundesgesundheitsministerin", "Health Minister", "eine Reform der Notfallversorgung",
     "Notfallreform", "die Notaufnahmen entlasten", "a reform of emergency care", "emergency care reform",
     "relieve emergency rooms", "Gesundheit", "health"),
    ("Bundesverkehrsminister", "Bundesverkehrsministerin", "Transport Minister",
     "ein Programm zur Sanierung maroder Brücken", "Brückensanierungsprogramm", "marode Brücken schneller sanieren",
     "a programme to repair crumbling bridges", "bridge repair programme", "repair crumbling bridges faster",
     "Verkehr", "transport"),
    ("Bundesbauminister", "Bundesbauministerin", "Housing Minister", "ein Förderprogramm für bezahlbaren Wohnraum",
     "Wohnungsbauprogramm", "mehr bezahlbare Wohnungen schaffen", "a funding programme for affordable housing",
     "housing programme", "create more affordable housing", "Bauen", "housing"),
    ("Bundesbildungsminister", "Bundesbildungsministerin", "Education Minister", "einen Digitalpakt für Berufsschulen",
     "Digitalpakt", "Berufsschulen digital ausstatten", "a digital pact for vocational schools",
     "digital schools pact", "equip vocational schools digitally", "Bildung", "education"),
    ("Bundesarbeitsminister", "Bundesarbeitsministerin", "Labour Minister", "eine Reform der Weiterbildungsförderung",
     "Weiterbildungsreform", "Beschäftigte gezielter weiterbilden", "a reform of training subsidies",
     "training reform", "improve training for workers", "Arbeit", "labour"),
    ("Bundesumweltminister", "Bundesumweltministerin", "Environment Minister", "ein Gesetz zum Schutz der Moore",
     "Moorschutzgesetz", "trockengelegte Moore wiederherstellen", "a law to protect peatlands",
     "peatland protection law", "restore drained peatlands", "Umwelt", "environment"),
    ("Bundesfamilienminister", "Bundesfamilienministerin", "Family Minister", "einen Ausbau der Ganztagsbetreuung",
     "Ganztagsausbau", "mehr Ganztagsplätze an Grundschulen schaffen", "an expansion of all-day childcare",
     "all-day childcare plan", "create more all-day places at primary schools", "Familie", "family"),
    ("Bundesinnenminister", "Bundesinnenministerin", "Interior Minister", "ein Programm zur Stärkung des Zivilschutzes",
     "Zivilschutzprogramm", "Sirenen und Schutzräume modernisieren", "a programme to strengthen civil protection",
     "civil protection programme", "modernise sirens and shelters", "Inneres", "home affairs"),
    ("Bundesagrarminister", "Bundesagrarministerin", "Agriculture Minister", "eine Reform der Tierhaltungskennzeichnung",
     "Tierhaltungskennzeichnung", "Haltungsformen im Supermarkt sichtbar machen", "a reform of animal welfare labelling",
     "animal welfare labelling reform", "make farming conditions visible in supermarkets", "Landwirtschaft",
     "agriculture"),
    ("Bundesfinanzminister", "Bundesfinanzministerin", "Finance Minister", "eine Reform der Grundsteuer für Betriebe",
     "Grundsteuerreform", "Betriebe bei der Grundsteuer entlasten", "a reform of property tax for businesses",
     "property tax reform", "ease the property tax burden on businesses", "Steuern", "tax"),
    ("Bundeswirtschaftsminister", "Bundeswirtschaftsministerin", "Economy Minister",
     "ein Förderprogramm für Wärmepumpen in Betrieben", "Wärmepumpenprogramm", "den Umstieg auf Wärmepumpen fördern",
     "a subsidy programme for heat pumps in companies", "heat pump programme", "promote the switch to heat pumps",
     "Energie", "energy"),
    ("Bundesjustizminister", "Bundesjustizministerin", "Justice Minister", "eine Reform des Mietrechts",
     "Mietrechtsreform", "Mieter vor überhöhten Nebenkosten schützen", "a reform of tenancy law",
     "tenancy law reform", "protect tenants from excessive service charges", "Recht", "justice"),
    ("Bundesdigitalminister", "Bundesdigitalministerin", "Digital Minister", "ein Gesetz zum Ausbau von Glasfasernetzen",
     "Glasfasergesetz", "den Glasfaserausbau auf dem Land beschleunigen", "a law to expand fibre-optic networks",
     "fibre-optic law", "speed up fibre roll-out in rural areas", "Digitales", "digital"),
    ("Bundesentwicklungsminister", "Bundesentwicklungsministerin", "Development Minister",
     "eine Initiative für Impfstoffproduktion in Afrika", "Impfstoffinitiative", "Impfstoffwerke in Afrika fördern",
     "an initiative for vaccine production in Africa", "vaccine initiative", "support vaccine plants in Africa",
     "Entwicklung", "development"),
)  # fmt: skip


def _plan_free(world: dict[Any, Any], now: datetime) -> bool:
    """Whether some ministry plan has had no story in the last 72 hours."""
    for index in range(len(_PLANS)):
        last = world.get(("used", "plan", index))
        if last is None or abs((now - last).total_seconds()) >= 72 * 3600:
            return True
    return False


def _policy(ctx: _Ctx) -> None:
    rng, slots = ctx.rng, ctx.slots
    _city(ctx, "berlin")
    plan = _PLANS[ctx.fresh("plan", len(_PLANS))]
    ctx.resident("min", None, plan[0], titles=(plan[0], plan[1], plan[2], plan[2]))
    slots["min_title_en"] = ("Federal " if rng.random() < 0.5 else "") + plan[2]
    slots.update(plan=plan[3], plan_short=plan[4], plan_goal=plan[5], plan_goal_inf=plan[5], plan_en=plan[6])
    slots["plan_short_en"] = plan[7]
    slots.update(plan_goal_en=plan[8], field=plan[9], field_en=plan[10])
    ctx.num("cost", rng.randrange(12, 240) / 10, "d1")
    ctx.num("affected", rng.randrange(5, 120) / 10, "d1")
    ctx.num("weeks", rng.randrange(2, 9))
    ctx.person("opp", "opp")
    ctx.person("premier", "premier")


def _sports(ctx: _Ctx) -> None:
    rng, slots = ctx.rng, ctx.slots
    first = ctx.fresh("club", len(_CLUBS))
    a, a_city, town = _CLUBS[first]
    second = ctx.fresh("club", len(_CLUBS), exclude=[i for i, c in enumerate(_CLUBS) if c[2] == town])
    b = _CLUBS[second][0]
    _city(ctx, a_city)
    league = rng.randrange(3)
    slots["league"] = ctx.word(("Bundesliga", "2. Bundesliga", "3. Liga")[league],
                               ("Bundesliga", "Bundesliga 2", "3. Liga")[league])  # fmt: skip
    slots["league_kw"] = ("Bundesliga", "2. Bundesliga", "3. Liga")[league]
    slots["league_kw_en"] = ("Bundesliga", "2nd division", "3rd division")[league]
    slots.update(club_a=a, club_b=b, club_a_kw=a.split()[-1], club_b_kw=b.split()[-1])
    while True:
        ga, gb = rng.randrange(5), rng.randrange(4)
        if ga + gb >= 2:
            break
    goals = ["a"] * ga + ["b"] * gb
    rng.shuffle(goals)
    sep = ":" if ctx.lang == "de" else "-"
    run = [0, 0]
    for goal in goals[:2]:
        run[goal == "b"] += 1
    slots["score"] = f"{ga}{sep}{gb}"
    slots["score2"] = f"{run[0]}{sep}{run[1]}"
    slots["scorer1_team"] = a if goals[0] == "a" else b
    md = rng.randrange(3, 34)
    ctx.num("matchday", md)
    rank = rng.randrange(1, 19)
    ctx.num("rank", rank)
    slots["rank_ord"] = _fmt_num(rank, "ord", "en")
    diff = abs(ga - gb)
    lg = slots["league"]
    if ctx.lang == "de":
        adj = "knappen" if diff == 1 else "verdienten" if diff == 2 else "deutlichen"
        if ga > gb:
            head, short = f"{a} gewinnt {ga}:{gb} gegen {b}", f"{a} siegt"
            lead = f"{a} hat am {md}. Spieltag der {lg} einen {adj} {ga}:{gb}-Sieg gegen {b} gefeiert."
            winner = f"{a} klettert auf Platz {rank}"
        elif gb > ga:
            head, short = f"{b} gewinnt {gb}:{ga} bei {a}", f"{b} siegt auswärts"
            lead = f"{b} hat am {md}. Spieltag der {lg} einen {adj} {gb}:{ga}-Auswärtssieg bei {a} gefeiert."
            winner = f"{b} klettert auf Platz {rank}"
        else:
            head, short = f"{a} und {b} trennen sich {ga}:{gb}", f"Remis zwischen {a} und {b}"
            lead = f"{a} und {b} haben sich am {md}. Spieltag der {lg} {ga}:{gb} unentschieden getrennt."
            winner = f"{a} bleibt auf Platz {rank}"
    else:
        rank_ord = slots["rank_ord"]
        if ga > gb:
            head, short = f"{a} beat {b} {ga}-{gb}", f"{a} win"
            lead = f"{a} beat {b} {ga}-{gb} on matchday {md} of the {lg}."
            winner = f"{a} climb to {rank_ord} place"
        elif gb > ga:
            head, short = f"{b} win {gb}-{ga} at {a}", f"{b} win away"
            lead = f"{b} won {gb}-{ga} away at {a} on matchday {md} of the {lg}."
            winner = f"{b} climb to {rank_ord} place"
        else:
            head, short = f"{a} and {b} draw {ga}-{gb}", f"{a} and {b} draw"
            lead = f"{a} and {b} drew {ga}-{gb} on matchday {md} of the {lg}."
            winner = f"{a} stay {rank_ord}"
    slots.update(res_head=head, res_short=short, res_lead=lead, winner_head=winner)
    slots["table_club"] = b if gb > ga else a
    outcome = 0 if ga > gb else 1 if gb > ga else 2
    quotes_de = (
        ("Das war ein verdienter Sieg", "Die Jungs haben bis zur letzten Minute alles gegeben, das war ein verdienter Erfolg"),
        ("Das tut weh", "Wir haben zu viele Fehler gemacht und sind dafür bestraft worden"),
        ("Da war mehr drin", "Am Ende müssen wir mit dem Punkt leben, auch wenn mehr drin war"),
    )  # fmt: skip
    quotes_en = (
        ("That was a deserved win", "The lads gave everything until the last minute, it was a deserved win"),
        ("That hurts", "We made too many mistakes and were punished for them"),
        ("There was more in it for us", "In the end we have to live with the point, even though there was more in it"),
    )  # fmt: skip
    slots["coach_quote_short"], slots["coach_quote"] = (quotes_de if ctx.lang == "de" else quotes_en)[outcome]
    m1 = rng.randrange(3, 60)
    ctx.num("minute1", m1, "ord")
    ctx.num("minute2", rng.randrange(m1 + 2, 88), "ord")
    ctx.num("minute3", rng.randrange(46, 90), "ord")
    ctx.num("attendance", rng.randrange(8000, 81000, 100))
    ctx.num("away_fans", rng.randrange(500, 8000, 100))
    ctx.num("gap", rng.randrange(0, 16))
    ctx.num("streak", rng.randrange(3, 10))
    ctx.num("cards", rng.randrange(2, 8))
    slots["coach_a_age"] = str(rng.randrange(36, 63))
    for key, last in zip(("scorer1", "scorer2", "player3"), rng.sample(_PLAYER_LAST, 3), strict=True):
        ctx.person(key, None, female=False, name=(rng.choice(_PLAYER_FIRST), last))
    ctx.resident("coach_a", "coach", a, female=False)
    ctx.resident("coach_b", "coach", b, female=False)
    ctx.person("referee", None, female=False)


_STORM_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)
_AIRPORTS = {
    "Hessen": "Frankfurt", "Bayern": "München", "Baden-Württemberg": "Stuttgart", "Hamburg": "Hamburg",
    "Schleswig-Holstein": "Hamburg", "Niedersachsen": "Hannover", "Bremen": "Bremen",
    "Nordrhein-Westfalen": "Düsseldorf", "Sachsen": "Leipzig/Halle", "Berlin": "BER", "Brandenburg": "BER",
    "Sachsen-Anhalt": "Leipzig/Halle", "Thüringen": "Erfurt-Weimar", "Rheinland-Pfalz": "Frankfurt-Hahn",
    "Saarland": "Saarbrücken", "Mecklenburg-Vorpommern": "Rostock-Laage",
}  # fmt: skip


def _storm(ctx: _Ctx) -> None:
    rng, slots = ctx.rng, ctx.slots
    _city(ctx, _CITY_KEYS[ctx.fresh("storm-city", len(_CITY_KEYS))])
    slots["storm"] = _STORMS[int((ctx.now - _STORM_EPOCH).total_seconds() // (48 * 3600)) % len(_STORMS)]
    slots["airport"] = _AIRPORTS[_CITIES[slots["city_key"]][3]]
    ctx.num("wind", rng.randrange(95, 160))
    ctx.num("rain", rng.randrange(25, 110))
    ctx.num("trains", rng.randrange(40, 600, 10))
    ctx.num("flights", rng.randrange(20, 300))
    ctx.num("calls", rng.randrange(80, 900, 10))
    ctx.num("injured", rng.randrange(2, 40))
    ctx.num("damage", rng.randrange(10, 400, 5))
    ctx.person("meteo", "meteo")
    ctx.person("fire", "fire")


def _crash(ctx: _Ctx) -> None:
    rng, slots = ctx.rng, ctx.slots
    _city(ctx, _CITY_KEYS[ctx.fresh("crash-city", len(_CITY_KEYS))])
    kind = rng.randrange(3)
    road = rng.choice((1, 2, 3, 4, 5, 7, 8, 9, 10, 24, 61, 81))
    vehicles = rng.randrange(20, 80)
    city, day = slots["city"], slots["day"]
    if ctx.lang == "de":
        noun = ("Zugunglück", "Busunglück", "Massenkarambolage")[kind]
        dat = ("einem Zugunglück", "einem Busunglück", "einer Massenkarambolage")[kind]
        head = (f"Regionalzug bei {city} entgleist", f"Reisebus verunglückt auf der A{road} bei {city}",
                f"Massenkarambolage im Nebel auf der A{road}")[kind]  # fmt: skip
        lead = (
            f"Ein Regionalzug ist {day} in der Nähe von {city} entgleist.",
            f"Ein Reisebus ist {day} auf der A{road} bei {city} von der Fahrbahn abgekommen und auf die Seite gestürzt.",
            f"Bei dichtem Nebel sind {day} auf der A{road} bei {city} mehr als {vehicles} Fahrzeuge ineinandergefahren.",
        )[kind]
    else:
        noun = ("train derailment", "bus crash", "pile-up")[kind]
        dat = ("a train derailment", "a bus crash", "a pile-up")[kind]
        head = (f"Regional train derails near German city of {city}",
                f"Coach crashes on German A{road} motorway near {city}",
                f"Dozens of vehicles in fog pile-up on German A{road} motorway")[kind]  # fmt: skip
        lead = (
            f"A regional train derailed near the German city of {city} {day}.",
            f"A coach veered off the A{road} motorway near {city} {day} and overturned.",
            f"More than {vehicles} vehicles collided in dense fog on the A{road} motorway near {city} {day}.",
        )[kind]
    slots.update(acc_noun=noun, acc_dat=dat, acc_head=head, acc_lead=lead)
    injured = rng.randrange(3, 60)
    ctx.num("injured", injured)
    ctx.num("serious", max(2, injured // rng.randrange(3, 7)))
    ctx.num("rescuers", rng.randrange(60, 400, 10))
    ctx.person("police", "police")
    ctx.person("mayor", "mayor")


_BUILDERS = {
    "results": _results, "strike": _strike, "court": _court, "reaction": _reaction, "visit": _visit,
    "criticism": _criticism, "policy": _policy, "sports": _sports, "storm": _storm, "crash": _crash,
}  # fmt: skip
# Topics a story starts from, with weights; the second topic of a trap pair only comes as a sibling.
_PRIMARY = (("results", 16), ("strike", 5), ("court", 10), ("visit", 10), ("policy", 9), ("sports", 14),
            ("storm", 8), ("crash", 12))  # fmt: skip
_PRIMARY_TOPICS = tuple(t for t, _ in _PRIMARY)
_PRIMARY_CUM = tuple(sum(w for _, w in _PRIMARY[: i + 1]) for i in range(len(_PRIMARY)))
# topic -> (sibling topic, slots and people the sibling shares)
_TRAPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "results": ("strike", ("co", "sector", "product", "gew", "kw_sector", "kw_sector_en", "hq", "hq_key",
                           "plant_key", "hq_state", "@ceo", "@works", "#jobs")),
    "court": ("reaction", ("co", "sector", "product", "gew", "kw_sector", "kw_sector_en", "hq", "hq_key",
                           "plant_key", "hq_state", "court", "court_short", "court_key", "court_Nom", "court_gen",
                           "court_en", "final", "final_en", "subject", "subject_Cap", "subject_dat", "subject_en",
                           "#jobs")),
    "visit": ("criticism", ("vis", "host", "deal", "deal_short", "vtopic", "vtopic_en", "@vis", "@host")),
}  # fmt: skip


# --------------------------------------------------------------------------------------------
# Stories and their versions
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Version:
    index: int
    kind: str  # new, development, correction, resend, withdrawal
    created: datetime
    headline: str
    paras: tuple[str, ...]
    note: str | None = None  # what changed (neu / Adds ...), the correction, the resend note, the kill reason
    short: str | None = None  # short correction note
    seq: int = 0  # developments so far (ROUNDUP n, n-th LEAD, UPDATE n)
    takes: int = 0  # developments and corrections so far (AP writethrus)
    killed: str | None = None  # the headline a withdrawal quotes


@dataclass(slots=True)
class _Story:
    label: str
    index: int
    topic: str
    lang: str
    fmt: str
    style: str
    slots: dict[str, str]
    urgency: int
    author: str
    byline: str | None
    regional: bool
    versions: list[_Version] = field(default_factory=list)
    renditions: list[tuple[int, str, datetime]] = field(default_factory=list)
    urn: str = ""
    rtr_guid: str = ""
    usn: str = ""
    msgno: dict[tuple[str, int], str] = field(default_factory=dict)


_RESEND_DE = ("Wiederholung aus technischen Gründen", "Wiederholung: Text unverändert",
              "Wiederholung: erneut gesendet für weitere Empfänger")  # fmt: skip
_RESEND_EN = ("Refiles to include all subscribers", "Refiles with no change to text",
              "Refiles for additional recipients")  # fmt: skip
_KILL_COMPANY = (
    ("Das Unternehmen hat die Angaben dementiert.", "Die Angaben konnten nicht bestätigt werden.",
     "Die Meldung beruhte auf einer Verwechslung."),
    ("The company has denied the report.", "The information could not be confirmed.",
     "The story was based on a misunderstanding."),
)  # fmt: skip
_KILL_POLICE = (
    ("Die Polizei hat ihre Angaben zurückgenommen.", "Die Angaben konnten nicht bestätigt werden.",
     "Die Meldung beruhte auf einer Verwechslung."),
    ("Police have retracted their statement.", "The information could not be confirmed.",
     "The story was based on a misunderstanding."),
)  # fmt: skip
_KILL_POLITICS = (
    ("Die Regierung hat die Angaben dementiert.", "Die Angaben konnten nicht bestätigt werden.",
     "Die Meldung beruhte auf einer Verwechslung."),
    ("The government has denied the report.", "The information could not be confirmed.",
     "The story was based on a misunderstanding."),
)  # fmt: skip
_KILL_SPORTS = (
    ("Das Ergebnis war falsch übermittelt worden.", "Die Meldung beruhte auf einer Verwechslung.",
     "Die Angaben konnten nicht bestätigt werden."),
    ("The result was transmitted incorrectly.", "The story was based on a misunderstanding.",
     "The information could not be confirmed."),
)  # fmt: skip
_KILL_REASONS = {
    "results": _KILL_COMPANY, "strike": _KILL_COMPANY, "court": _KILL_COMPANY, "reaction": _KILL_COMPANY,
    "visit": _KILL_POLITICS, "criticism": _KILL_POLITICS, "policy": _KILL_POLITICS, "sports": _KILL_SPORTS,
    "storm": _KILL_POLICE, "crash": _KILL_POLICE,
}  # fmt: skip


def _version_count(rng: Random, max_versions: int) -> int:
    if max_versions <= 1 or rng.random() < 0.3:
        return 1
    weights = [0.7**k for k in range(max_versions - 1)]
    return 2 + rng.choices(range(max_versions - 1), weights=weights)[0]


def _gap(rng: Random, kind: str) -> float:
    """Minutes between a version and the one before it."""
    if kind == "development":
        r = rng.random()
        return rng.uniform(4, 45) if r < 0.6 else rng.uniform(45, 240) if r < 0.9 else rng.uniform(240, 720)
    if kind == "correction":
        return rng.uniform(8, 120)
    if kind == "resend":
        return rng.uniform(2, 25)
    return rng.uniform(15, 360)  # withdrawal


def _bump(ctx: _Ctx, name: str) -> None:
    value, kind = ctx.nums[name]
    if kind == "d1":
        new = round(value * ctx.rng.uniform(1.05, 1.4), 1)
        ctx.num(name, new if new != value else value + 0.1, kind)
    else:
        ctx.num(name, int(value) + max(1, round(value * ctx.rng.uniform(0.1, 0.6))), kind)


def _alter(rng: Random, value: float, kind: str) -> float:
    up = rng.random() < 0.5
    if kind == "d1":
        delta = round(max(0.1, value * rng.uniform(0.05, 0.3)), 1)
        return round(value + delta if up or value - delta <= 0 else value - delta, 1)
    if kind == "ord":
        delta = rng.randrange(1, 6)
        return value + delta if up or value - delta < 1 else value - delta
    grain = 100 if value >= 1000 and value % 100 == 0 else 10 if value >= 100 and value % 10 == 0 else 1
    delta = max(1, round(value * rng.uniform(0.05, 0.35) / grain)) * grain
    return value + delta if up or value - delta <= 0 else value - delta


def _correct(ctx: _Ctx, spec: Sequence[str], headline: str, paras: Sequence[str]) -> tuple[str, str] | None:
    """Change one name or figure that the current text shows; returns (note, short note)."""
    rng, slots, lang = ctx.rng, ctx.slots, ctx.lang
    order = list(spec)
    rng.shuffle(order)
    for item in order:
        if item.startswith("@"):
            key = item[1:]
            person = ctx.persons.get(key)
            if person is None:
                continue
            needle, old = person.last, slots[key]
        elif item in ctx.nums:
            needle = old = slots[item]
            if len(needle) < 2:
                continue
        else:
            continue
        where = next((i for i, p in enumerate(paras) if needle in p), None)
        if where is None and needle not in headline:
            continue
        if item.startswith("@"):
            assert person is not None
            last = person.last
            new_last = _SPELLING.get(last) or next((k for k, v in _SPELLING.items() if v == last), None)
            while new_last is None or new_last == last:
                new_last = rng.choice(_LAST)
            ctx.respell(item[1:], new_last)
            new = slots[item[1:]]
            what_de, what_en = "der Name", "spelling of name"
        else:
            value, kind = ctx.nums[item]
            ctx.num(item, _alter(rng, value, kind), kind)
            new = slots[item]
            what_de, what_en = "die Zahl", "figure"
        variant = rng.randrange(3)
        if lang == "de":
            at = "In der Überschrift" if where is None else f"Im {_ORDINAL_DE[min(where, 8)]} Absatz"
            note = (
                f"{at} wurde {what_de} berichtigt: {new} statt {old}.",
                f"In einer früheren Version hieß es {at[0].lower() + at[1:]} {old}. Berichtigt: {new}.",
                f"{at} muss es richtig {new} statt {old} heißen.",
            )[variant]
            return note, f"Richtig ist {new}, nicht {old}."
        at_en = "headline" if where is None else f"paragraph {where + 1}"
        return f"Corrects {what_en} to {new} from {old} in {at_en}", f"{new}, not {old}"
    return None


def _note_join(notes: list[str], lang: str) -> str:
    if lang == "de" or len(notes) < 2:
        return ", ".join(notes)
    return ", ".join([notes[0], *(n[:1].lower() + n[1:] for n in notes[1:])])


def _evolve(story: _Story, ctx: _Ctx, kinds: list[str], times: list[datetime]) -> None:
    rng, slots, lang = ctx.rng, ctx.slots, ctx.lang
    tpl = _T[story.topic, lang]
    head_t = rng.choice(tpl["head"])
    lead_t = rng.choice(tpl["lead"])
    pool = tpl["body"]
    picks = sorted(rng.sample(range(len(pool)), rng.randint(2, min(4, len(pool)))))
    paras_t = [lead_t, *(pool[i] for i in picks)]
    spare = [pool[i] for i in range(len(pool)) if i not in picks]
    updates = list(tpl["upd"])
    rng.shuffle(updates)
    seq = takes = 0
    headline, paras = "", ()
    for index, (planned, created) in enumerate(zip(kinds, times, strict=True)):
        kind = planned
        note = short = killed = None
        if kind == "correction":
            fixed = _correct(ctx, tpl["corr"], headline, paras)
            if fixed is None:
                kind = "development"
            else:
                note, short = fixed
                takes += 1
        if kind == "development":
            seq += 1
            takes += 1
            notes = []
            for _ in range(1 if rng.random() < 0.6 else 2):
                if updates:
                    label, text, bump = updates.pop()
                    if bump:
                        _bump(ctx, bump)
                    notes.append(label.format_map(slots))
                    paras_t.insert(rng.randint(1, len(paras_t)), text)
                elif spare:
                    paras_t.append(spare.pop(0))
                    notes.append(ctx.word("weitere Einzelheiten", "Adds details"))
            if rng.random() < 0.6 or not notes:
                leads = [t for t in tpl["lead2"] if t != paras_t[0]] or list(tpl["lead2"])
                paras_t[0] = rng.choice(leads)
                notes.append(ctx.word("Neufassung des Einstiegs", "Rewrites lead"))
            if rng.random() < 0.5:
                heads = [t for t in (*tpl["head2"], *tpl["head"]) if t != head_t]
                head_t = rng.choice(heads)
            while len(paras_t) > 8:
                del paras_t[rng.randint(1, len(paras_t) - 2)]
            note = _note_join(notes, lang)
        elif kind == "resend":
            note = ctx.pick(_RESEND_DE, _RESEND_EN)
        elif kind == "withdrawal":
            reasons = _KILL_REASONS[story.topic]
            note = ctx.pick(*reasons)
            killed = headline
        if kind in ("new", "development", "correction"):
            headline = head_t.format_map(slots)
            paras = tuple(t.format_map(slots) for t in paras_t)
        story.versions.append(
            _Version(index, kind, created, headline, paras, note, short, seq, takes, killed)
        )


def _initials(rng: Random) -> str:
    letters = "abcdefghijklmnoprstuvwz"
    return "".join(rng.choice(letters) for _ in range(rng.choice((2, 3, 3))))


def _make_story(
    rng: Random,
    index: int,
    topic: str,
    lang: str,
    fmt: str,
    ctx: _Ctx,
    t0: datetime,
    max_versions: int,
    kill_rate: float,
) -> _Story:
    count = _version_count(rng, max_versions)
    kinds = ["new"]
    for _ in range(count - 1):
        r = rng.random()
        kinds.append("development" if r < 0.68 else "correction" if r < 0.86 else "resend")
    if rng.random() < kill_rate and max_versions >= 2:
        if len(kinds) >= 2:
            kinds[-1] = "withdrawal"
        else:
            kinds.append("withdrawal")
    gaps = [_gap(rng, kind) for kind in kinds[1:]]
    total = sum(gaps)
    limit = MAX_STORY_SPAN.total_seconds() / 60
    if total > limit:
        gaps = [g * limit / total for g in gaps]
    times = [t0]
    for g in gaps:
        times.append(times[-1] + timedelta(seconds=round(g * 60)))
    if fmt == "dpa_text":
        afx = topic in ("results", "strike", "court", "reaction", "policy", "visit", "criticism")
        style = "afx" if afx and rng.random() < 0.75 else "basis"
    elif fmt == "newsml_g2" and lang == "en":
        style = "reuters" if rng.random() < 0.5 else "dpa"
    else:
        style = "dpa"
    urgency = 2 if rng.random() < 0.15 else rng.choice((3, 4, 4))
    byline = None
    if rng.random() < 0.6:
        female = rng.random() < 0.5
        byline = f"{rng.choice(_FIRST_F if female else _FIRST_M)} {rng.choice(_LAST)}"
    story = _Story(
        label=f"s{index:06d}",
        index=index,
        topic=topic,
        lang=lang,
        fmt=fmt,
        style=style,
        slots=ctx.slots,
        urgency=urgency,
        author=_initials(rng),
        byline=byline,
        regional=rng.random() < 0.5,
    )
    _evolve(story, ctx, kinds, times)
    day = t0.astimezone(_BERLIN)
    story.urn = f"urn:newsml:dpa.com:20090101:{day:%y%m%d}-99-{rng.randrange(10**6):06d}"
    alnum = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
    story.usn = f"L{rng.randrange(1, 9)}N" + "".join(rng.choice(alnum) for _ in range(6))
    story.rtr_guid = f"tag:reuters.com,{day.year}:newsml_{story.usn}"
    return story


# Which formats carry a rendition of an item, by the story's own format and style: dpa's
# converters render one digitalwires item as NewsML-G2 (urn = guid) and as IPTC 7901 (no id);
# AP sent one story again under another ANPA category header.
_RENDITIONS: dict[tuple[str, str], tuple[tuple[str, float], ...]] = {
    ("digitalwires", "dpa"): (("newsml_g2", 1.0), ("iptc7901", 0.5)),
    ("newsml_g2", "dpa"): (("digitalwires", 1.0), ("iptc7901", 0.5)),
    ("ninjs", "dpa"): (("newsml_g2", 1.0),),
    ("iptc7901", "dpa"): (("digitalwires", 1.0),),
    ("dpa_text", "afx"): (("iptc7901", 1.0),),
    ("dpa_text", "basis"): (("iptc7901", 1.0),),
    ("anpa", "dpa"): (("anpa", 1.0),),
}


def _plan_renditions(rng: Random, story: _Story, rate: float, formats: Sequence[str]) -> None:
    targets = [
        (fmt, p)
        for fmt, p in _RENDITIONS.get((story.fmt, story.style), ())
        if fmt in formats and story.lang in FORMAT_LANGUAGES[fmt]
    ]
    if not targets or rate <= 0:
        return
    for version in story.versions:
        if version.kind not in ("new", "development", "correction") or rng.random() >= rate:
            continue
        chosen = [fmt for fmt, p in targets if p >= 1.0 or rng.random() < p] or [targets[0][0]]
        for fmt in chosen:
            story.renditions.append((version.index, fmt, version.created))


def _plan(
    rng: Random,
    stories: int,
    max_versions: int,
    formats: Sequence[str],
    languages: Sequence[str],
    start: datetime,
    kill_rate: float,
    rendition_rate: float,
    trap_rate: float,
    stories_per_hour: float,
) -> list[_Story]:
    by_lang = {lang: [f for f in formats if lang in FORMAT_LANGUAGES.get(f, ())] for lang in languages}
    usable = [lang for lang in languages if by_lang[lang]]
    unknown = [f for f in formats if f not in FORMAT_LANGUAGES]
    if unknown:
        raise ValueError(f"the generator cannot write {unknown}; it writes {sorted(FORMAT_LANGUAGES)}")
    if not usable:
        raise ValueError(f"no format in {list(formats)} carries any of the languages {list(languages)}")
    out: list[_Story] = []
    world: dict[Any, Any] = {}
    clock = start
    mean_gap = 3600.0 / stories_per_hour

    def add(topic: str, lang: str, fmt: str, t0: datetime, shared: _Ctx | None, keys: Sequence[str]) -> _Ctx:
        ctx = _Ctx(rng, lang, t0, world)
        local = t0.astimezone(_BERLIN)
        weekday = local.weekday()
        ctx.slots["day"] = f"am {_WEEKDAY_DE[weekday]}" if lang == "de" else f"on {_WEEKDAY_EN[weekday]}"
        if shared is not None:
            for key in keys:
                if key.startswith("@"):
                    name = key[1:]
                    if name in shared.persons:
                        src = shared.persons[name]
                        ctx.persons[name] = _Person(src.first, src.last, src.female, src.role)
                        for slot, value in shared.slots.items():
                            if slot == name or slot.startswith((name + "_", f"_{name}_")):
                                ctx.slots[slot] = value
                elif key.startswith("#"):
                    if key[1:] in shared.nums:
                        number, kind = shared.nums[key[1:]]
                        ctx.num(key[1:], number, kind)
                else:
                    for slot, value in shared.slots.items():
                        if slot == key or slot.startswith((key + "_", f"_{key}_")):
                            ctx.slots[slot] = value
        _BUILDERS[topic](ctx)
        story = _make_story(rng, len(out), topic, lang, fmt, ctx, t0, max_versions, kill_rate)
        _plan_renditions(rng, story, rendition_rate, formats)
        out.append(story)
        return ctx

    while len(out) < stories:
        lang = rng.choice(usable)
        fmt = rng.choice(by_lang[lang])
        pick = rng.random() * _PRIMARY_CUM[-1]
        topic = _PRIMARY_TOPICS[next(i for i, c in enumerate(_PRIMARY_CUM) if pick < c)]
        clock += timedelta(seconds=round(rng.expovariate(1.0) * mean_gap))
        t0 = clock
        if topic == "policy" and not _plan_free(world, t0):
            # One ministry plan, one story per 72 h: two would be indistinguishable, and labelling
            # them apart would be unfair to any linker. A busy stream gets more of the other topics.
            topic = rng.choice([t for t in _PRIMARY_TOPICS if t != "policy"])
        ctx = add(topic, lang, fmt, t0, None, ())
        if topic in _TRAPS and len(out) < stories and rng.random() < trap_rate:
            sibling, keys = _TRAPS[topic]
            fmt2 = fmt if rng.random() < 0.6 else rng.choice(by_lang[lang])
            t1 = t0 + timedelta(seconds=round(rng.uniform(20 * 60, 5 * 3600)))
            add(sibling, lang, fmt2, t1, ctx, keys)
            clock += timedelta(seconds=round(rng.expovariate(1.0) * mean_gap))
    return out


# --------------------------------------------------------------------------------------------
# Renderers: one version of a story as the bytes of one wire format
# --------------------------------------------------------------------------------------------


def _wrap(text: str, width: int = 69, *, safe: bool = False) -> list[str]:
    """Greedy hard wrap as agency copy has it. ``safe`` never ends a line with a sentence end
    (dpa's parser joins a wrapped ``(Achtung) ...`` note only until a sentence ends)."""
    lines: list[str] = []
    current: list[str] = []
    size = 0
    for word in text.split(" "):
        if current and size + 1 + len(word) > width:
            lines.append(" ".join(current))
            current, size = [word], len(word)
        else:
            size += len(word) + (1 if current else 0)
            current.append(word)
    if current:
        lines.append(" ".join(current))
    if safe:
        for i in range(len(lines) - 1):
            words = lines[i].split(" ")
            if lines[i][-1:] in '.!?»"' and len(words) > 1:
                lines[i] = " ".join(words[:-1])
                lines[i + 1] = f"{words[-1]} {lines[i + 1]}"
    return lines


def _x(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _ap_quotes(text: str) -> str:
    """AP's ANPA copy writes quotation marks as `` and ''."""
    if '"' not in text:
        return text
    parts = text.split('"')
    return "".join(p + ("``" if i % 2 == 0 else "''") for i, p in enumerate(parts[:-1])) + parts[-1]


class _Wire:
    """Sequence numbers a wire service hands out in send order."""

    __slots__ = ("counters", "rng")

    def __init__(self, rng: Random) -> None:
        self.rng = rng
        self.counters: dict[str, int] = {}

    def next(self, key: str, start: int = 1) -> int:
        value = self.counters.get(key, start - 1) + 1
        self.counters[key] = value
        return value


def _places(story: _Story) -> tuple[str, str, str, bool]:
    """(place as written in the story's language, place upper case, AP dateline place, German city)."""
    key = story.slots["city_key"]
    if key.startswith("@"):
        c = _COUNTRIES[key[1:]]
        if story.lang == "de":
            return c[4], c[6], c[5].upper(), False
        return c[5], c[5].upper(), c[5].upper(), False
    city = _CITIES[key]
    ap = city[1].upper() if key == "berlin" else f"{city[1].upper()}, Germany"
    if story.lang == "de":
        return city[0], city[2], ap, True
    return city[1], city[1].upper(), ap, True


def _dpa_dateline(story: _Story, place: str, german_city: bool) -> str:
    if story.lang == "de" and german_city and story.regional and story.slots["city_key"] != "berlin":
        return f"{place} (dpa/{_CITIES[story.slots['city_key']][5]}) - "
    return f"{place} (dpa) - "


def _keywords(story: _Story) -> str:
    line: str = _T[story.topic, story.lang]["kw"].format_map(story.slots)
    while len(line) > 69 and line.count("/") > 1:
        line = line[: line.rstrip("/").rfind("/") + 1]
    return line


def _closing(story: _Story, v: _Version, editor: str) -> str:
    key = story.slots["city_key"]
    region = _CITIES[key][6] if not key.startswith("@") else "yy"
    code = {"new": "n1", "development": "z2", "correction": "z2", "resend": "a3"}.get(v.kind, "a3")
    return f"dpa {story.author} yy{region} {code} {editor}"


def _hhmm(when: datetime) -> str:
    return when.astimezone(_BERLIN).strftime("%H%M")


def _render_dpa_text(story: _Story, v: _Version, wire: _Wire) -> str:
    place, upper, _ap, german_city = _places(story)
    editor = _initials(wire.rng)
    kind = v.kind
    afx = story.style == "afx"
    head: list[str] = []
    notes: list[str] = []
    if kind == "withdrawal":
        killed = v.killed or v.headline
        head.append(f"(Achtung) Die Meldung «{killed}» wird zurückgezogen. {v.note} Bitte nicht verwenden.")
        head.append(killed if afx else f"{killed} =")
        lead = f"Die Meldung «{killed}» wird zurückgezogen. {v.note}"
        paras = [lead]
    elif afx:
        roundup = ("ROUNDUP" if v.seq == 1 else f"ROUNDUP {v.seq}") if v.seq else ""
        if kind == "development":
            head += [f"{roundup}: {v.headline}", f"(neu: {v.note})"]
        elif kind == "correction":
            if story.index % 2:
                head.append(f"KORREKTUR/{roundup}: {v.headline}" if roundup else f"KORREKTUR: {v.headline}")
                notes.append(f"(Berichtigung: {v.note})")
            else:
                head.append(f"WDH/{roundup}: {v.headline}" if roundup else f"WDH: {v.headline}")
                notes.append(f"(Wiederholung: {v.note})")
        elif kind == "resend":
            head.append(f"WDH/{roundup}: {v.headline}" if roundup else f"WDH: {v.headline}")
            if v.index % 2 == 0:
                notes.append(f"({v.note})")
        else:
            head.append(v.headline)
        paras = list(v.paras)
    else:
        if kind == "new" and story.urgency <= 2:
            head.append("(Eil)")
        elif kind == "correction":
            head.append(f"(Berichtigung: {v.note})")
        elif kind == "resend":
            head.append(f"({v.note})")
        elif kind == "development":
            if (story.index + v.index) % 3:
                head.append(f"(Zusammenfassung {_hhmm(v.created)})")
            else:
                head.append(f"(Aktualisierung: {v.note})")
        if story.byline:
            head += [v.headline, f"Von {story.byline}, dpa ="]
        else:
            head.append(f"{v.headline} =")
        paras = list(v.paras)
    dateline = f"{upper} (dpa-AFX) - " if afx else _dpa_dateline(story, place, german_city)
    paras[0] = dateline + paras[0]
    if afx:
        codes = f"/{story.author}/DP/{editor}" if story.index % 5 < 2 else f"/{story.author}/{editor}"
        paras[-1] = paras[-1] + codes
    blocks = ["\n".join(head), *notes, *("\n".join(_wrap(p, 72)) for p in paras)]
    if not afx:
        blocks.append(_closing(story, v, editor))
    return "\n\n".join(blocks) + "\n"


def _render_7901(story: _Story, v: _Version, wire: _Wire) -> str:
    de = story.lang == "de"
    service = "bdt" if de else "eca"
    seq = wire.next(service + ":seq") % 10000
    number = wire.next(service + ":no", 1000) % 10000
    kind = v.kind
    place, _upper, _ap, german_city = _places(story)
    editor = _initials(wire.rng)
    previous = next(
        (story.msgno[k] for k in (("iptc7901", i) for i in range(v.index, -1, -1)) if k in story.msgno), None
    )
    story.msgno["iptc7901", v.index] = f"{number:04d}"
    block: list[str] = []
    paras = list(v.paras)
    killed = v.killed or v.headline
    ref = f" (dpa {previous})" if previous else ""
    if de:
        if kind == "new" and story.urgency <= 2:
            block.append("(Eil \x07\x07\x07\x07\x07)")
        elif kind == "correction":
            block += _wrap(f"(Berichtigung: {v.note})")
        elif kind == "resend":
            block += _wrap(f"({v.note})")
        elif kind == "withdrawal":
            note = (
                f"(Achtung) Die Meldung «{killed}»{ref} wird zurückgezogen. {v.note} Bitte nicht verwenden."
            )
            block += _wrap(note, safe=True)
        if kind == "development":
            if (story.index + v.index) % 3:
                block.append(f"(Zusammenfassung {_hhmm(v.created)})")
            else:
                block += _wrap(f"(Aktualisierung: {v.note})")
        block += _wrap(v.headline if kind != "withdrawal" else killed)
        if story.byline and kind != "withdrawal" and (v.seq or story.index % 2):
            block.append(f"Von {story.byline}, dpa")
        if kind == "withdrawal":
            paras = [
                f"Die Meldung «{killed}» wird zurückgezogen. {v.note} Eine neue Fassung folgt gegebenenfalls."
            ]
    else:
        if kind == "development":
            block.append(f"{_LEAD_EN[min(v.seq, 9) - 1]} LEAD")
        elif kind == "correction":
            block += ["CORRECTION", *_wrap(f"({v.note})")]
        elif kind == "resend":
            block.append("REFILE")
        elif kind == "withdrawal":
            block.append("KILL KILL KILL")
        if kind == "withdrawal":
            block += _wrap(f'The story "{killed}"{ref} is withdrawn. {v.note} Do not use.')
            paras = []
        elif kind == "new" and story.urgency <= 2:
            block += _wrap(f"URGENT: \x07\x07\x07\x07\x07 {v.headline}")
        else:
            block += _wrap(v.headline)
        if story.byline and kind != "withdrawal" and v.seq:
            block.append(f"By {story.byline}, dpa")
    block[-1] += " ="
    body: list[str] = []
    if paras:
        paras[0] = _dpa_dateline(story, place, german_city) + paras[0]
        body = ["\r\n".join(_wrap(p)) for p in paras]
    if de and kind == "development" and (story.index + v.index) % 3 == 1:
        body.append(
            "# Notizblock\r\n\r\n## Redaktionelle Hinweise\r\n"
            f"- Weitere Zusammenfassung bis {(v.created + timedelta(hours=3)).astimezone(_BERLIN):%H%M} - ca. 60 Zl"
            "\r\n\r\n* * * *\r\nDie folgenden Informationen sind nicht zur Veröffentlichung bestimmt\r\n\r\n"
            f"## Kontakte\r\n- Redaktion: +49 30 0000{story.index % 1000:03d}"
        )
    if de and kind != "withdrawal":
        body.append(_closing(story, v, editor))
    words = sum(len(p.split()) for p in paras)
    priority = 1 if kind == "withdrawal" else story.urgency if kind == "new" else 3
    header = f"{service}{seq:04d} {priority} {_T[story.topic, story.lang]['desk']} {words}  dpa {number:04d}"
    if de:
        local = v.created.astimezone(_BERLIN)
        trailer = f"{local:%d%H%M} {_MONTH_DE[local.month - 1]} {local:%y}"
    else:
        utc = v.created.astimezone(UTC)
        trailer = f"{utc:%d%H%M} GMT {_MONTH_EN[utc.month - 1]} {utc:%y}"
    text = "\r\n\r\n".join(body)
    return (
        f"\x01{header}\r\n\r\n{_keywords(story)}\r\n\x02" + "\r\n".join(block) + "\r\n\r\n"
        + (text + "\r\n\r\n" if text else "")
        + f"\x03{trailer}\r\n\x7f\x04\r\n"
    )  # fmt: skip


_ANPA_SLUGS = {
    "results": "{co}-Earns", "strike": "{co}-Strike", "court": "{co}-Court", "reaction": "{co}-Ruling",
    "visit": "{host_kw_en}-{vis_kw_en}", "criticism": "{crit_kw_en}-{host_kw_en}-Deal",
    "policy": "Germany-Politics", "sports": "{club_a_kw}-{club_b_kw}", "storm": "Germany-Storm",
    "crash": "Germany-Accident",
}  # fmt: skip


def _render_anpa(story: _Story, v: _Version, wire: _Wire, duplicate: bool = False) -> str:
    number = wire.next("anpa", 100) % 10000
    kind = v.kind
    _place, _upper, ap_place, _german = _places(story)
    keyword = _ANPA_SLUGS[story.topic].format_map(story.slots).replace(" ", "-").replace(".", "")
    desk = "SOC" if story.topic == "sports" else "EU"
    slug = f"BC-{desk}--{keyword}"
    if story.topic not in ("sports", "visit", "criticism") and not keyword.startswith("Germany"):
        slug = f"BC-{desk}--Germany-{keyword}"
    takes = v.takes
    if kind == "withdrawal":
        envelope_version, line_version = "Kill", "Kill"
    elif takes:
        n = _ORDINAL_EN[min(takes, 9) - 1]
        envelope_version, line_version = f"{n}Ld-Writethru", f"{n} Ld-Writethru"
    else:
        envelope_version = line_version = ""
    category = {"results": "f", "strike": "f", "reaction": "f", "court": "f", "sports": "s"}.get(
        story.topic, "i"
    )
    if duplicate:
        category = "a" if category != "a" else "i"
    priority = "f" if kind == "withdrawal" else "u" if kind == "new" and story.urgency <= 2 else "r"
    paras = [_ap_quotes(p) for p in v.paras]
    lines = []
    if kind == "withdrawal":
        killed = v.killed or v.headline
        lines += ["Kill", f"Eds: {v.note} A new story will be sent."]
        paras = [f"Editors: Kill the story {_ap_quotes(chr(34) + killed + chr(34))}. It is being withdrawn."]
    else:
        if kind == "new" and story.urgency <= 2:
            lines.append("URGENT")
        lines.append(_ap_quotes(v.headline))
        if kind in {"development", "correction"}:
            lines.append(f"Eds: {v.note}.")
        elif kind == "resend":
            lines.append("Eds: Resends to include all subscribers. No change in text.")
    words = sum(len(p.split()) for p in paras)
    utc = v.created.astimezone(UTC)
    out = [f"\x16\x16\x01a{number:04d}\x1f-----"]
    version_field = f" {envelope_version}" if envelope_version else ""
    out.append(f"{priority} {category}\x13\x11 {slug}{version_field}   {utc:%m-%d} {words:04d}")
    slug_line = f"{slug}, {line_version},{words:04d}" if line_version else f"{slug},{words:04d}"
    out.append(f"\x02^{slug_line}<")
    out += [f"^{line}<" for line in lines]
    if story.byline and kind != "withdrawal":
        out += [f"^By {story.byline.upper()}=", "^Associated Press="]
    paras[0] = f"{ap_place} (AP) _ {paras[0]}"
    out += [f"\t   {p}" for p in paras]
    out.append(f"\t   \x03AP-WF-{utc:%m-%d-%y} {utc:%H%M}GMT<")
    out += ["\x0c", "\x04"]
    return "\r\n".join(out) + "\r\n"


_G2_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" standard="NewsML-G2" standardversion="2.32" '
    'conformance="power" guid="{guid}" version="{version}" xml:lang="{lang}">\n'
    '  <catalogRef href="http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_32.xml"/>\n'
    "  <rightsInfo><copyrightHolder><name>dpa</name></copyrightHolder></rightsInfo>\n"
)


def _render_g2_dpa(story: _Story, v: _Version, wire: _Wire, guid: str) -> str:
    kind = v.kind
    place, _upper, _ap, german_city = _places(story)
    first = story.versions[0].created.astimezone(_BERLIN).isoformat(timespec="seconds")
    created = v.created.astimezone(_BERLIN).isoformat(timespec="seconds")
    service = "bdt" if story.lang == "de" else "eca"
    editor = _initials(wire.rng)
    out = [_G2_HEAD.format(guid=guid, version=v.index + 1, lang=story.lang)]
    out.append('  <itemMeta>\n    <itemClass qcode="ninat:text"/>\n')
    out.append('    <provider qcode="dnlprov:dpa"><name>dpa</name></provider>\n')
    out.append(f"    <versionCreated>{created}</versionCreated>\n    <firstCreated>{first}</firstCreated>\n")
    status = "canceled" if kind == "withdrawal" else "usable"
    out.append(f'    <pubStatus qcode="stat:{status}"><name>{status}</name></pubStatus>\n')
    out.append(f'    <service qcode="dpasrv:{service}"><name>{service}</name></service>\n')
    signal = {"development": "sig:update", "correction": "sig:correction", "resend": "sig:repeat"}.get(kind)
    if signal:
        out.append(f'    <signal qcode="{signal}"/>\n')
    if kind != "withdrawal":
        out.append(f'    <edNote role="dpaednoterole:closingline">{_closing(story, v, editor)}</edNote>\n')
    if kind == "correction":
        out.append(f'    <edNote role="dpaednoterole:correction">{_x(v.note or "")}</edNote>\n')
        out.append(f'    <edNote role="dpaednoterole:correctionshort">{_x(v.short or "")}</edNote>\n')
    elif kind == "withdrawal":
        killed = v.killed or v.headline
        text = (f"Die Meldung «{killed}» wird zurückgezogen. {v.note}" if story.lang == "de"
                else f'The story "{killed}" is withdrawn. {v.note}')  # fmt: skip
        out.append(f'    <edNote role="dpaednoterole:correction">{_x(text)}</edNote>\n')
    elif kind == "development":
        out.append(f'    <edNote role="dpaednoterole:editorialnote">{_x(v.note or "")}</edNote>\n')
    out.append("  </itemMeta>\n  <contentMeta>\n")
    out.append(f"    <urgency>{story.urgency if kind == 'new' else 3}</urgency>\n")
    out.append(
        f'    <located qcode="dpacity:{story.slots["city_key"].lstrip("@")}"><name>{_x(place)}</name></located>\n'
    )
    genre = ("26", "Zusammenfassung") if v.seq else ("1", "Meldung")
    out.append(f'    <genre qcode="dpatextgenre:{genre[0]}"><name>{genre[1]}</name></genre>\n')
    desk = _T[story.topic, "de"]["desk"]
    out.append(f'    <subject qcode="dpacat:{desk}" type="dpatype:category"><name>{desk}</name></subject>\n')
    for rank, keyword in enumerate(k for k in _keywords(story).split("/") if k):
        out.append(f'    <keyword rank="{rank + 1}">{_x(keyword)}</keyword>\n')
    out.append(f'    <language tag="{story.lang}"/>\n')
    headline = _x(v.killed or v.headline) if kind == "withdrawal" else _x(v.headline)
    out.append(f'    <headline rank="1">{headline}</headline>\n')
    dateline = _dpa_dateline(story, place, german_city)
    out.append(f"    <dateline>{_x(dateline)}</dateline>\n")
    if story.byline:
        out.append(f"    <by>{'Von' if story.lang == 'de' else 'By'} {story.byline}, dpa</by>\n")
    out.append("    <creditline>dpa</creditline>\n  </contentMeta>\n  <contentSet>\n")
    out.append('    <inlineXML contenttype="application/xhtml+xml">\n')
    out.append(
        f'      <html xmlns="http://www.w3.org/1999/xhtml"><head><title>{headline}</title></head><body>\n'
    )
    out.append('        <section class="main">\n')
    if kind == "withdrawal":
        paras = [
            "Die Meldung wird zurückgezogen." if story.lang == "de" else "This story has been withdrawn."
        ]
        out.append(f"          <p>{paras[0]}</p>\n")
    else:
        city, _, agency = dateline.rstrip(" -").rpartition(" ")
        out.append(
            f'          <p><span class="dateline">{_x(city)} <span class="credit">{agency}</span> - </span>'
            f"{_x(v.paras[0])}</p>\n"
        )
        out += [f"          <p>{_x(p)}</p>\n" for p in v.paras[1:]]
    out.append("        </section>\n      </body></html>\n    </inlineXML>\n  </contentSet>\n</newsItem>\n")
    return "".join(out)


_RTR_SLUGS = {
    "results": "{co}-RESULTS", "strike": "{co}-STRIKE", "court": "{co}-COURT", "reaction": "{co}-RULING",
    "visit": "{host_kw_en}-{vis_kw_en}/VISIT", "criticism": "{crit_kw_en}-{host_kw_en}/DEAL",
    "policy": "GERMANY-POLITICS/{field_en}", "sports": "SOCCER-GERMANY/", "storm": "GERMANY-WEATHER/",
    "crash": "GERMANY-ACCIDENT/",
}  # fmt: skip
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def _render_g2_reuters(story: _Story, v: _Version, wire: _Wire) -> str:
    kind = v.kind
    _place, upper, _ap, _german = _places(story)
    utc = v.created.astimezone(UTC)
    first = story.versions[0].created.astimezone(UTC)
    version = int((v.created - _EPOCH).total_seconds() // 2)
    slug = _RTR_SLUGS[story.topic].format_map(story.slots).upper().replace(" ", "")
    slug = slug if slug.endswith("/") else slug + "/"
    tag, prefix, note = "", "", None
    if kind == "development":
        tag, prefix, note = f" (UPDATE {v.seq})", f"UPDATE {v.seq}-", v.note
    elif kind == "correction":
        tag = " (CORRECTED)"
        prefix, note = ("CORRECTED-" + (f"UPDATE {v.seq}-" if v.seq else "")), v.note
    elif kind == "resend":
        tag = " (REFILE)"
        prefix, note = ("REFILE-" + (f"UPDATE {v.seq}-" if v.seq else "")), v.note
    status = "canceled" if kind == "withdrawal" else "usable"
    edstat = {"new": "N", "development": "U", "correction": "C"}.get(kind, "U")
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" xmlns:rtr="http://www.reuters.com/ns/2003/08/content"'
        f' guid="{story.rtr_guid}" version="{version}" standard="NewsML-G2" standardversion="2.9"'
        f' rtr:versionedId="{story.rtr_guid}:{version}" xml:lang="en">\n  <itemMeta>\n'
        '    <itemClass qcode="icls:text"/>\n    <provider qcode="nprov:REUTERS"/>\n'
        f"    <versionCreated>{utc:%Y-%m-%dT%H:%M:%S}.000Z</versionCreated>\n"
        f"    <firstCreated>{first:%Y-%m-%dT%H:%M:%S}.000Z</firstCreated>\n"
        f'    <pubStatus qcode="stat:{status}"/>\n    <signal qcode="edStat:{edstat}"/>\n'
        f'    <instanceOf qcode="NI:{slug.split("-")[0].split("/")[0][:4]}/"/>\n  </itemMeta>\n  <contentMeta>\n'
        f"    <urgency>{story.urgency if kind == 'new' else 3}</urgency>\n"
        '    <infoSource qcode="rtr:REUTERS" role="cRole:source"/>\n'
        f'    <altId type="idType:USN">{story.usn}</altId>\n'
        f'    <slugline separator="-">{_x(slug)}{tag}</slugline>\n'
    ]
    headline = v.killed or v.headline if kind == "withdrawal" else v.headline
    out.append(
        f"    <headline>{_x(('WITHDRAWN-' if kind == 'withdrawal' else prefix) + headline)}</headline>\n"
    )
    if story.byline:
        editor = f"{_FIRST_F[story.index % len(_FIRST_F)]} {_LAST[story.index * 7 % len(_LAST)]}"
        out.append(f"    <by>Reporting by {_x(story.byline)}; Editing by {editor}</by>\n")
    out.append("    <creditline>Reuters</creditline>\n  </contentMeta>\n  <contentSet>\n")
    out.append('    <inlineXML contenttype="application/xhtml+xml">\n')
    out.append('      <html xmlns="http://www.w3.org/1999/xhtml"><head><title/></head><body>\n')
    if kind == "withdrawal":
        out.append(f"        <p>This story has been withdrawn. {_x(v.note or '')}</p>\n")
    else:
        if note:
            out.append(f"        <p>({_x(note)})</p>\n")
        dateline = f"{upper}, {_MONTH_EN[utc.month - 1]} {utc.day} (Reuters) - "
        out.append(f"        <p>{_x(dateline + v.paras[0])}</p>\n")
        out += [f"        <p>{_x(p)}</p>\n" for p in v.paras[1:]]
    out.append("      </body></html>\n    </inlineXML>\n  </contentSet>\n</newsItem>\n")
    return "".join(out)


def _html_body(story: _Story, v: _Version, dateline: str) -> str:
    city, _, agency = dateline.rstrip(" -").rpartition(" ")
    first = f'<p><span class="dateline">{_x(city)} <span class="credit">{agency}</span> - </span>{_x(v.paras[0])}</p>'
    return '<section class="main">' + first + "".join(f"<p>{_x(p)}</p>" for p in v.paras[1:]) + "</section>"


def _render_ninjs(story: _Story, v: _Version, wire: _Wire) -> str:
    kind = v.kind
    place, _upper, _ap, german_city = _places(story)
    de = story.lang == "de"
    doc: dict[str, Any] = {
        "uri": story.urn,
        "type": "text",
        "version": str(v.index + 1),
        "firstcreated": story.versions[0].created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "versioncreated": v.created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "pubstatus": "canceled" if kind == "withdrawal" else "usable",
        "urgency": story.urgency if kind == "new" else 3,
        "copyrightholder": "dpa",
        "language": story.lang,
        "slugline": _keywords(story).rstrip("/"),
    }
    if kind == "development":
        doc["ednote"] = f"Zusammenfassung {_hhmm(v.created)} - neu: {v.note}" if de else f"Eds: {v.note}"
    elif kind == "correction":
        doc["ednote"] = f"Berichtigung: {v.short}" if de else f"Eds: {v.note}"
    elif kind == "resend":
        doc["ednote"] = f"Wiederholung: {v.note}" if de else f"Eds: {v.note}"
    elif kind == "withdrawal":
        doc["ednote"] = f"Meldung zurückgezogen. {v.note}" if de else f"Story withdrawn. {v.note}"
    headline = (v.killed or v.headline) if kind == "withdrawal" else v.headline
    doc["headlines"] = [{"role": "main", "value": headline}]
    if kind != "withdrawal":
        body = _html_body(story, v, _dpa_dateline(story, place, german_city))
        doc["bodies"] = [{"role": "main", "contenttype": "text/html", "value": body}]
    doc["places"] = [{"name": place}]
    if story.byline:
        doc["by"] = f"{'Von' if de else 'By'} {story.byline}, dpa"
    return json.dumps(doc, ensure_ascii=False)


def _render_digitalwires(story: _Story, v: _Version, wire: _Wire) -> str:
    kind = v.kind
    place, _upper, _ap, german_city = _places(story)
    de = story.lang == "de"
    rng = wire.rng
    entry = "".join(
        rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") for _ in range(40)
    )
    dateline = _dpa_dateline(story, place, german_city)
    signal = {"development": "sig:update", "correction": "sig:correction", "resend": "sig:repeat"}.get(kind)
    status = "canceled" if kind == "withdrawal" else "usable"
    genre = "Zusammenfassung" if v.seq else "Meldung"
    service = "bdt" if de else "eca"
    editor = _initials(rng)
    headline = (v.killed or v.headline) if kind == "withdrawal" else v.headline
    if kind == "withdrawal":
        article = "<section class=\"main\"><p>" + ("Die Meldung wird zurückgezogen." if de else
                                                    "This story has been withdrawn.") + "</p></section>"  # fmt: skip
    elif (story.index + v.index) % 2:
        article = _html_body(story, v, dateline)
    else:
        article = '<section class="main">' + "".join(f"<p>{_x(p)}</p>" for p in v.paras) + "</section>"
    ednotes = []
    if kind != "withdrawal":
        ednotes.append(
            {
                "role": "dpaednoterole:closingline",
                "ednote": _closing(story, v, editor),
                "is_publishable": True,
            }
        )
    if kind == "correction":
        ednotes.append({"role": "dpaednoterole:correction", "ednote": v.note, "is_publishable": True})
        ednotes.append({"role": "dpaednoterole:correctionshort", "ednote": v.short, "is_publishable": True})
    elif kind == "withdrawal":
        text = (f"Die Meldung «{headline}» wird zurückgezogen. {v.note}" if de
                else f'The story "{headline}" is withdrawn. {v.note}')  # fmt: skip
        ednotes.append({"role": "dpaednoterole:correction", "ednote": text, "is_publishable": True})
        ednotes.append({"role": "dpaednoterole:correctionshort",
                        "ednote": "Meldung zurückgezogen." if de else "Story withdrawn.", "is_publishable": True})  # fmt: skip
    elif kind == "development":
        ednotes.append({"role": "dpaednoterole:editorialnote", "ednote": v.note, "is_publishable": True})
    if v.seq and kind != "withdrawal":
        ednotes.append(
            {"role": "dpaednoterole:genrenote", "ednote": _hhmm(v.created), "is_publishable": True}
        )
    keywords = [k for k in _keywords(story).split("/") if k]
    desk = _T[story.topic, "de"]["desk"]
    categories = [
        {"type": "dnltype:pubstatus", "name": status, "qcode": f"stat:{status}"},
        {"type": "dnltype:wire", "name": service, "qcode": f"dpasrv:{service}"},
        {"type": "dnltype:desk", "name": desk, "qcode": f"dpacat:{desk}"},
        {"type": "dnltype:genre", "name": genre, "qcode": "dpatextgenre:26" if v.seq else "dpatextgenre:1"},
    ]
    if signal:
        categories.append({"type": "dnltype:signal", "name": signal[4:], "qcode": signal})
    categories += [
        {"type": "dnltype:keyword", "name": k, "qcode": None, "rank": i + 1} for i, k in enumerate(keywords)
    ]
    created = v.created.astimezone(_BERLIN)
    doc = {
        "format": "digitalwires@0.9.1",
        "type": "composite",
        "entry_id": entry,
        "updated": v.created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "urn": story.urn,
        "version_created": created.isoformat(timespec="seconds"),
        "version": v.index + 1,
        "pubstatus": status,
        "signal": signal,
        "embargoed": None,
        "language": story.lang,
        "urgency": story.urgency if kind == "new" else 3,
        "kicker": keywords[0] if keywords else None,
        "headline": headline,
        "byline": f"{'Von' if de else 'By'} {story.byline}, dpa" if story.byline else None,
        "dateline": dateline,
        "article_html": article,
        "creditline": "dpa",
        "ednotes": ednotes,
        "categories": categories,
        "keyword_names": keywords,
        "genre_names": [genre],
    }
    return json.dumps(doc, ensure_ascii=False)


def _render(story: _Story, v: _Version, fmt: str, wire: _Wire, rendition: bool) -> str:
    if fmt == "dpa_text":
        return _render_dpa_text(story, v, wire)
    if fmt == "iptc7901":
        return _render_7901(story, v, wire)
    if fmt == "anpa":
        return _render_anpa(story, v, wire, duplicate=rendition)
    if fmt == "newsml_g2":
        if story.style == "reuters" and story.fmt == "newsml_g2":
            return _render_g2_reuters(story, v, wire)
        return _render_g2_dpa(story, v, wire, story.urn)
    if fmt == "ninjs":
        return _render_ninjs(story, v, wire)
    if fmt == "digitalwires":
        return _render_digitalwires(story, v, wire)
    raise ValueError(f"unknown format {fmt!r}")


# --------------------------------------------------------------------------------------------
# The stream
# --------------------------------------------------------------------------------------------


def generate(
    stories: int,
    max_versions: int,
    seed: int,
    formats: Sequence[str] = DEFAULT_FORMATS,
    languages: Sequence[str] = ("de", "en"),
    start: datetime = DEFAULT_START,
    kill_rate: float = 0.02,
    rendition_rate: float = 0.1,
    *,
    shuffle_rate: float = 0.0,
    trap_rate: float = 0.3,
    stories_per_hour: float = 25.0,
) -> list[Message]:
    """A labelled wire stream of ``stories`` stories, sorted by arrival. Same arguments, same bytes.

    ``trap_rate`` is the chance that a results, court or visit story gets a same-day sibling
    about the same company or people (a strike, the company's reaction, a third country's
    criticism) that is a separate story. ``shuffle_rate`` delays that share of messages by 10
    minutes to 3 hours so they arrive after later versions. Stories start as a Poisson process
    of ``stories_per_hour``, beginning at ``start``; companies, clubs, plans and places are drawn
    least-recently-used so one of them does not recur in unrelated stories within hours.
    """
    if stories < 0 or max_versions < 1:
        raise ValueError("stories must be >= 0 and max_versions >= 1")
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    rng = Random(seed)
    plan = _plan(rng, stories, max_versions, formats, languages, start, kill_rate, rendition_rate,
                 trap_rate, stories_per_hour)  # fmt: skip
    events: list[tuple[datetime, int, int, int, str]] = []
    for story in plan:
        for v in story.versions:
            events.append((v.created, story.index, v.index, 0, story.fmt))
        for number, (index, fmt, created) in enumerate(story.renditions, 1):
            events.append((created, story.index, index, number, fmt))
    events.sort(key=lambda e: e[:4])
    wire = _Wire(rng)
    arrivals: list[tuple[datetime, int, Message]] = []
    for order, (created, story_index, index, number, fmt) in enumerate(events):
        story = plan[story_index]
        version = story.versions[index]
        text = _render(story, version, fmt, wire, rendition=number > 0)
        delay = rng.uniform(20, 240) if number else rng.uniform(1, 45)
        if shuffle_rate and rng.random() < shuffle_rate:
            delay += rng.uniform(600, 3 * 3600)
        received = created + timedelta(seconds=round(delay))
        kind = "rendition" if number else version.kind
        message = Message(text.encode("utf-8"), received, story.label, fmt, index, kind)
        arrivals.append((received, order, message))
    arrivals.sort(key=lambda a: a[:2])
    return [message for _, _, message in arrivals]


def write_jsonl(messages: Iterable[Message], path: str) -> int:
    count = 0
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for message in messages:
            out.write(json.dumps(message.to_json(), ensure_ascii=False) + "\n")
            count += 1
    return count


# --------------------------------------------------------------------------------------------
# Check: every message must parse with the production parsers, detected as the intended format
# --------------------------------------------------------------------------------------------


def check(messages: Sequence[Message], out: Any = None) -> int:
    """Parse every message; print rejections, wrong detections and how the parsers read the kinds.

    Returns the number of failures (rejections plus wrong detections); 0 is the only pass.
    """
    out = out or sys.stdout
    from streams.errors import RejectedInput
    from streams.formats.registry import default_parsers, detect, parse_message

    parsers = default_parsers()
    failures = 0
    shown = 0
    read_as: Counter[tuple[str, str]] = Counter()
    for number, message in enumerate(messages):
        problem = None
        try:
            detected = detect(message.payload, parsers).name
            if detected != message.format:
                problem = f"detected as {detected}, intended {message.format}"
            items = parse_message(message.payload, parsers)
            for item in items:
                read_as[message.kind, str(item.update_type)] += 1
        except RejectedInput as exc:
            problem = f"rejected: {type(exc).__name__}: {exc}"
        if problem:
            failures += 1
            if shown < 10:
                shown += 1
                print(f"FAIL #{number} {message.story} {message.format}/{message.kind}: {problem}", file=out)
                print("  " + message.payload[:300].decode("utf-8", "replace").replace("\n", "\n  "), file=out)
    print(f"messages: {len(messages)}  rejected or misdetected: {failures}", file=out)
    print("generated kind -> parser update_type (text markers only, before linking):", file=out)
    for kind in KINDS:
        row = {t: n for (k, t), n in read_as.items() if k == kind}
        if row:
            cells = ", ".join(f"{t} {n}" for t, n in sorted(row.items(), key=lambda kv: -kv[1]))
            print(f"  {kind:<12} {cells}", file=out)
    return failures


def summary(messages: Sequence[Message], out: Any = None) -> None:
    out = out or sys.stdout
    formats = Counter(m.format for m in messages)
    kinds = Counter(m.kind for m in messages)
    stories = len({m.story for m in messages})
    sizes = sorted(len(m.payload) for m in messages)
    print(f"messages: {len(messages)}  stories: {stories}", file=out)
    if sizes:
        print(f"payload bytes: min {sizes[0]}  median {sizes[len(sizes) // 2]}  max {sizes[-1]}", file=out)
    print("per format: " + ", ".join(f"{k} {v}" for k, v in sorted(formats.items())), file=out)
    print("per kind:   " + ", ".join(f"{k} {kinds[k]}" for k in KINDS if kinds[k]), file=out)
    table = Counter((m.format, m.kind) for m in messages)
    width = max((len(f) for f in formats), default=6)
    print(" " * (width + 2) + "".join(f"{k[:11]:>12}" for k in KINDS), file=out)
    for fmt in sorted(formats):
        print(f"  {fmt:<{width}}" + "".join(f"{table[fmt, k]:>12}" for k in KINDS), file=out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generator", description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=500)
    parser.add_argument("--max-versions", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", help="write the stream as JSON lines to this file")
    parser.add_argument("--formats", default=",".join(DEFAULT_FORMATS), help="comma-separated format names")
    parser.add_argument("--languages", default="de,en")
    parser.add_argument(
        "--start", default=DEFAULT_START.isoformat(), help="ISO 8601 time of the stream start"
    )
    parser.add_argument("--kill-rate", type=float, default=0.02)
    parser.add_argument("--rendition-rate", type=float, default=0.1)
    parser.add_argument("--shuffle-rate", type=float, default=0.0)
    parser.add_argument("--trap-rate", type=float, default=0.3)
    parser.add_argument(
        "--check", action="store_true", help="parse every message with the production parsers"
    )
    parser.add_argument("--stats", action="store_true", help="print counts per format and kind")
    args = parser.parse_args(argv)
    start = datetime.fromisoformat(args.start)
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    began = time.perf_counter()
    messages = generate(
        args.stories,
        args.max_versions,
        args.seed,
        formats=tuple(f.strip() for f in args.formats.split(",") if f.strip()),
        languages=tuple(lang.strip() for lang in args.languages.split(",") if lang.strip()),
        start=start,
        kill_rate=args.kill_rate,
        rendition_rate=args.rendition_rate,
        shuffle_rate=args.shuffle_rate,
        trap_rate=args.trap_rate,
    )
    elapsed = time.perf_counter() - began
    print(
        f"generated {len(messages)} messages from {args.stories} stories in {elapsed:.2f} s", file=sys.stderr
    )
    if args.out:
        write_jsonl(messages, args.out)
        print(f"wrote {args.out}", file=sys.stderr)
    if args.stats or args.check:
        summary(messages)
    if args.check:
        return 1 if check(messages) else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
