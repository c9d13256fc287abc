"""The HTML/NITF flattening shared by the JSON and XML formats: blocks, skips, capture, linear time."""

from __future__ import annotations

import time

import pytest

from streams.formats.htmltext import html_blocks, text_blocks


def test_html_blocks_flatten_inline_and_capture_dateline() -> None:
    fragment = (
        '<section class="main"><p><span class="dateline">New York <span class="credit">(dpa)</span> - '
        "</span>Ein <a href='x'>Chatbot</a> &amp; <strong>mehr</strong>.</p><!-- c --><h2>Zwischen</h2>"
        "<figure><figcaption>Bild</figcaption></figure><p>A<br/>B</p><table><tr><td>1</td><td>2</td>"
        "</tr></table><script>x()</script></section>"
    )
    blocks, dateline = html_blocks(fragment, "dateline")
    assert dateline == "New York (dpa) -"
    assert blocks == ["Ein Chatbot & mehr.", "Zwischen", "A", "B", "1 2"]


def test_html_blocks_skip_more_tags_and_classes_on_request() -> None:
    fragment = (
        '<header><h1>H</h1></header><p class="Teaser">T</p><div class="INFOBOX"><p>L</p></div><p>Text</p>'
    )
    assert html_blocks(fragment)[0] == ["H", "T", "L", "Text"]
    assert html_blocks(fragment, skip_tags={"header"}, skip_classes={"teaser", "infobox"})[0] == ["Text"]


def test_html_blocks_match_tags_by_local_name() -> None:
    assert html_blocks("<x:p>Eins</x:p><x:p>Zwei<x:br/>Drei</x:p>")[0] == ["Eins", "Zwei", "Drei"]


@pytest.mark.parametrize(
    "fragment",
    ["<" * 200_000, "<!--" * 100_000, "<a>" * 100_000 + "</b>" * 100_000, "<p " * 100_000, "&" * 300_000],
)
def test_html_blocks_linear_on_hostile_markup(fragment: str) -> None:
    started = time.perf_counter()
    html_blocks(fragment, "dateline")
    assert time.perf_counter() - started < 1.0


def test_text_blocks() -> None:
    assert text_blocks("a\nb") == ["a", "b"]
    assert text_blocks("a\nb\n\nc") == ["a b", "c"]
