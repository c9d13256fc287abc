"""NewsML 1.2 (AFP): identity from NewsIdentifier, the Update/Status mapping, bodies and charsets."""

from __future__ import annotations

import pytest

from schemas.item import ParsedItem, UpdateType
from streams.errors import InvalidItem, MissingContent
from streams.formats.newsml12 import NewsML12Parser
from streams.formats.registry import default_parsers, detect

PARSER = NewsML12Parser()


def newsml(
    *,
    revision: str = "1",
    update: str = "N",
    public: str | None = "urn:newsml:afp.com:20251014:TX-PAR-ZZB01:1",
    status: str = "Usable",
    headline: str = "Nordwerk va supprimer 1.200 emplois",
    data: str = "<nitf><body><body.content><p>Texte.</p></body.content></body></nitf>",
    items: int = 1,
) -> bytes:
    public_id = f"<PublicIdentifier>{public}</PublicIdentifier>" if public else ""
    item = (
        '<NewsItem xml:lang="fr"><Identification><NewsIdentifier><ProviderId>afp.com</ProviderId>'
        "<DateId>20251014</DateId><NewsItemId>TX-PAR-ZZB01</NewsItemId>"
        f'<RevisionId PreviousRevision="0" Update="{update}">{revision}</RevisionId>{public_id}'
        '</NewsIdentifier></Identification><NewsManagement><NewsItemType FormalName="News"/>'
        f'<Status FormalName="{status}"/></NewsManagement>'
        f"<NewsComponent><NewsLines><HeadLine>{headline}</HeadLine></NewsLines>"
        f'<ContentItem><MediaType FormalName="Text"/><DataContent>{data}</DataContent></ContentItem>'
        "</NewsComponent></NewsItem>"
    )
    return f'<?xml version="1.0" encoding="iso-8859-1"?><NewsML Version="1.2">{item * items}</NewsML>'.encode(
        "latin-1"
    )


def one(raw: bytes) -> ParsedItem:
    [item] = PARSER.parse(raw)
    return item


def test_sniff_and_detect() -> None:
    raw = newsml()
    assert PARSER.sniff(raw)
    assert detect(raw, default_parsers()).name == "newsml12"
    assert not PARSER.sniff(b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/"/>')


@pytest.mark.parametrize(
    ("public", "revision", "update", "expected"),
    [
        ("urn:newsml:afp.com:20251014:TX-PAR-ZZB01:2", "2", "N", "urn:newsml:afp.com:20251014:TX-PAR-ZZB01"),
        ("urn:newsml:afp.com:20251014:TX-PAR-ZZB01:3A", "3", "A", "urn:newsml:afp.com:20251014:TX-PAR-ZZB01"),
        # A suffix that is not this revision is part of the id, not a revision number.
        (
            "urn:newsml:afp.com:20251014:TX-PAR-ZZB01:7",
            "2",
            "N",
            "urn:newsml:afp.com:20251014:TX-PAR-ZZB01:7",
        ),
        (None, "2", "N", "urn:newsml:afp.com:20251014:TX-PAR-ZZB01"),
    ],
)
def test_item_id_is_stable_across_revisions(
    public: str | None, revision: str, update: str, expected: str
) -> None:
    item = one(newsml(revision=revision, update=update, public=public))
    assert (item.item_id, item.item_id_explicit, item.version) == (expected, True, int(revision))


@pytest.mark.parametrize(
    ("revision", "update", "status", "headline", "outcome"),
    [
        ("1", "N", "Usable", "Nordwerk", (UpdateType.NEW, ())),
        ("3", "N", "Usable", "Nordwerk", (UpdateType.DEVELOPMENT, ("RevisionId:3",))),
        ("2", "U", "Usable", "Nordwerk", (UpdateType.DEVELOPMENT, ("Update:U",))),
        ("2", "A", "Usable", "Nordwerk", (UpdateType.MINOR, ("Update:A",))),
        ("2", "N", "Usable", "CORRECTED-Nordwerk", (UpdateType.CORRECTION, ("prefix:CORRECTED",))),
        ("4", "A", "Canceled", "", (UpdateType.WITHDRAWAL, ("Update:A",))),
    ],
)
def test_update_mapping(
    revision: str, update: str, status: str, headline: str, outcome: tuple[UpdateType, tuple[str, ...]]
) -> None:
    item = one(newsml(revision=revision, update=update, status=status, headline=headline, public=None))
    assert (item.update_type, item.signals) == outcome
    assert item.pubstatus == ("canceled" if status == "Canceled" else "usable")


def test_withheld_sets_status_only() -> None:
    item = one(newsml(status="Withheld"))
    assert (item.pubstatus, item.update_type) == ("withheld", UpdateType.NEW)


def test_missing_headline_on_a_full_item_is_missing_content() -> None:
    with pytest.raises(MissingContent):
        PARSER.parse(newsml(headline=""))


def test_bad_revision_is_invalid() -> None:
    with pytest.raises(InvalidItem):
        PARSER.parse(newsml(revision="two"))


@pytest.mark.parametrize("raw", [b'<NewsML Version="1.2"/>', b"<NewsItem/>"])
def test_no_news_item_is_missing_content(raw: bytes) -> None:
    with pytest.raises(MissingContent):
        PARSER.parse(raw)


def test_several_news_items_and_latin1() -> None:
    items = PARSER.parse(newsml(headline="Grève à Kassel", items=2))
    assert [i.headline for i in items] == ["Grève à Kassel", "Grève à Kassel"]
    assert {(i.charset, i.language, i.agency, i.agency_family) for i in items} == {
        ("iso8859-1", "fr", "AFP", "afp")
    }


def test_plain_text_data_content_and_body_dateline() -> None:
    item = one(newsml(data="KASSEL (AFP) - Premier paragraphe\nsur deux lignes.\n\nDeuxième."))
    assert item.paragraphs == ("Premier paragraphe sur deux lignes.", "Deuxième.")
    assert item.dateline is not None and (item.dateline.place, item.dateline.agency) == ("KASSEL", "AFP")
