"""Paragraphs out of the HTML, XHTML and NITF bodies that agencies send, for every format.

ninjs, digitalwires and AP carry their body as HTML or NITF inside a JSON string; NewsML-G2 and
NewsML 1.2 carry XHTML or NITF inside the XML. One flattening for all of them is what makes dpa's
digitalwires and NewsML-G2 renditions of one item read alike: a paragraph per block element
(``p``, ``h2``, ``li``, table row, ``br`` line), inline markup flattened, picture furniture and
metadata blocks dropped. It is a linear scan with one regular expression, not an HTML parser:
agency markup is simple, and hostile markup must not cost more than its length.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection

from streams.formats.charset import clean

_TOKEN = re.compile(r"<!--|<(?P<end>/?)(?P<tag>[A-Za-z][A-Za-z0-9.:-]*)(?P<attrs>[^<>]*)>|<[!?][^<>]*>")
_CLASS = re.compile(r"""\bclass\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'>]+))""", re.I)
# Elements that end a paragraph; inline ones (a, span, strong, em) just flatten into the text.
_BLOCK = frozenset(
    {"p", "div", "section", "article", "header", "footer", "blockquote", "pre", "br", "dt", "dd"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "table", "tbody", "thead"}
    | {"hl1", "hl2", "block", "body", "html", "nitf", "body.content"}  # NITF
)
# Elements whose text is not body copy: page head, scripts, picture furniture, NITF's head block.
_SKIP = frozenset(
    {"head", "title", "script", "style", "figure", "figcaption", "aside", "media", "iframe", "object"}
    | {"template", "body.head", "body.end"}
)
# TT's html5 body repeats vignette and source in <div class="dat">: metadata, not copy.
_SKIP_CLASSES = frozenset({"dat", "byline"})
_CELLS = frozenset({"td", "th"})
_VOID = frozenset({"br", "img", "hr", "meta", "link", "input", "wbr", "col", "source"})
_BLANK_LINES = re.compile(r"\n\s*\n")


def html_blocks(
    fragment: str,
    capture_class: str | None = None,
    *,
    skip_tags: Collection[str] = (),
    skip_classes: Collection[str] = (),
) -> tuple[list[str], str | None]:
    """Paragraph texts of an HTML/NITF fragment, and the text of the first ``capture_class`` element.

    Inline markup is flattened, entities are unescaped, whitespace is folded and empty blocks are
    dropped. ``capture_class`` (dpa's ``dateline``) is cut out of the copy and returned apart.
    ``skip_tags`` and ``skip_classes`` (lower case) name more elements whose text is not copy.
    Tags are matched by local name, so ``<xhtml:p>`` is a paragraph too.
    """
    skipped_tags = _SKIP.union(skip_tags)
    skipped_classes = _SKIP_CLASSES.union(skip_classes)
    blocks: list[str] = []
    current: list[str] = []
    captured: list[str] = []
    capture_depth = 0  # > 0 while inside the captured element
    captured_done = False
    skip_depth = 0  # > 0 while inside an element whose text is dropped
    stack: list[tuple[str, str]] = []  # (tag, role) of open elements: role is "", "skip" or "capture"
    open_count: dict[str, int] = {}  # how often each tag is on the stack: O(1) stray-close check

    def flush() -> None:
        joined = "".join(current)
        current.clear()
        if not joined or joined.isspace():
            return
        line = clean(html.unescape(joined) if "&" in joined else joined)
        if line:
            blocks.append(line)

    search = _TOKEN.search
    pos = 0
    while True:
        match = search(fragment, pos)
        start = match.start() if match else len(fragment)
        if start > pos and not skip_depth:
            (captured if capture_depth else current).append(fragment[pos:start])
        if match is None:
            break
        pos = match.end()
        end_mark, raw_tag, attrs = match.groups()  # the three groups: end, tag, attrs
        if raw_tag is None:
            if fragment.startswith("<!--", start):
                end = fragment.find("-->", pos)
                if end < 0:
                    break
                pos = end + 3
            continue  # <!DOCTYPE>, <?xml?>
        tag = raw_tag.rpartition(":")[2].lower()
        block = tag in _BLOCK
        if end_mark:
            # Pop to the matching open tag; a stray close tag is ignored.
            if open_count.get(tag):
                while stack:
                    open_tag, role = stack.pop()
                    open_count[open_tag] -= 1
                    if role:
                        skip_depth -= role == "skip"
                        capture_depth -= role == "capture"
                    if open_tag == tag:
                        break
            if block and not skip_depth and not capture_depth:
                flush()
            continue
        if block and not skip_depth and not capture_depth:
            flush()
        if tag in _CELLS and not skip_depth:
            (captured if capture_depth else current).append(" ")
        if tag in _VOID or attrs.endswith("/") or attrs.rstrip().endswith("/"):
            continue
        role = ""
        if tag in skipped_tags:
            role = "skip"
        elif "class" in attrs:
            classes = set(_classes(attrs))
            if not classes.isdisjoint(skipped_classes):
                role = "skip"
            elif capture_class and not captured_done and capture_class in classes and not capture_depth:
                role = "capture"
                captured_done = True
        if role == "skip":
            skip_depth += 1
        elif role == "capture":
            capture_depth += 1
        stack.append((tag, role))
        open_count[tag] = open_count.get(tag, 0) + 1
    flush()
    dateline = clean(html.unescape("".join(captured))) if captured else None
    return blocks, dateline


def _classes(attrs: str) -> list[str]:
    match = _CLASS.search(attrs)
    if not match:
        return []
    return (match.group("dq") or match.group("sq") or match.group("bare") or "").lower().split()


def text_blocks(text: str) -> list[str]:
    """Paragraphs of a plain-text body: blank-line blocks when it has any, else single lines."""
    parts = _BLANK_LINES.split(text) if _BLANK_LINES.search(text) else text.split("\n")
    return [line for line in (clean(part) for part in parts) if line]
