"""HTML mail bodies as plain text, with the structure mail clients mark kept as regions.

The HTML is parsed by Beautiful Soup (``html.parser``: no compiled dependency, and
forgiving with the broken markup mail clients write) and rendered the way a reader
sees it: block elements on their own lines, ``<br>`` as a line break, list items with
``-`` or ``1.``, table cells separated by tabs, whitespace collapsed outside ``<pre>``,
scripts, styles and hidden elements dropped. A ``<blockquote>`` is written with ``> ``
in front of each line, as a plain-text client would quote it.

What clients mark as history or signature becomes a region of the rendered text:

* quote: ``<blockquote>``, Gmail's ``gmail_quote``, Thunderbird's ``moz-cite-prefix``
  and ``moz-forward-container``, Yahoo's ``yahoo_quoted``, Proton's
  ``protonmail_quote``; Outlook's ``divRplyFwdMsg`` / ``appendonsend`` markers start
  history that runs to the end;
* signature: Gmail's ``gmail_signature``, Thunderbird's ``moz-signature``, Outlook's
  ``Signature`` and any element whose class is ``signature``;
* code: ``<pre>`` and ``<code>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from clarity.types import Region

_BLOCK = frozenset(
    {
        *("address", "article", "aside", "blockquote", "center", "dd", "details", "dir"),
        *("div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "menu", "nav"),
        *("ol", "p", "pre", "section", "summary", "table", "tbody", "thead", "tfoot", "tr"),
        "ul",
    }
)
_SKIP = frozenset(
    {"head", "script", "style", "title", "meta", "link", "template", "noscript", "object"}
    | {"iframe"}
)
_QUOTE_CLASSES = frozenset(
    {
        "gmail_quote",
        "gmail_quote_container",
        "gmail_extra",
        "yahoo_quoted",
        "moz-cite-prefix",
        "moz-forward-container",
        "protonmail_quote",
        "zmail_extra",
        "outlookmessageheader",
    }
)
_SIGNATURE_CLASSES = frozenset(
    {"gmail_signature", "moz-signature", "signature", "protonmail_signature_block"}
)
_SIGNATURE_IDS = frozenset({"signature", "x_signature"})
_HISTORY_IDS = frozenset({"divrplyfwdmsg", "x_divrplyfwdmsg", "appendonsend", "x_appendonsend"})
_SPACE = re.compile(r"[ \t\n\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all")


@dataclass
class _Writer:
    """Accumulates text; collapses whitespace; opens and closes regions at real text."""

    parts: list[str] = field(default_factory=list)
    length: int = 0
    newlines: int = 2  # pending line breaks; 2 at the start: nothing to separate
    space: bool = False
    open: list[list[Any]] = field(default_factory=list)  # [kind, start | None]
    regions: list[Region] = field(default_factory=list)

    def _emit(self, s: str) -> None:
        self.parts.append(s)
        self.length += len(s)

    def _flush(self) -> None:
        if self.length and self.newlines:
            self._emit("\n" * self.newlines)
        elif self.length and self.space:
            self._emit(" ")
        self.newlines = 0
        self.space = False
        for rec in self.open:
            if rec[1] is None:
                rec[1] = self.length

    def inline(self, text: str) -> None:
        text = _INVISIBLE.sub("", text)
        collapsed = _SPACE.sub(" ", text)
        if not collapsed:
            return
        if collapsed == " ":
            self.space = True
            return
        if collapsed[0] == " ":
            self.space = True
        body = collapsed.strip(" ")
        self._flush()
        self._emit(body)
        self.space = collapsed[-1] == " "

    def raw(self, text: str) -> None:
        """Text whose line breaks and spaces are kept (``<pre>``, quoted blocks)."""
        text = _INVISIBLE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
        text = text.strip("\n")
        if not text.strip():
            return
        self._flush()
        self._emit(text)

    def tab(self) -> None:
        """A table cell separator."""
        self._flush()
        self._emit("\t")

    def line_break(self, count: int = 1) -> None:
        self.newlines = max(self.newlines, count)
        self.space = False

    def hard_break(self) -> None:
        """``<br>``: breaks add up (two ``<br>`` make a blank line)."""
        if self.newlines < 2 or not self.length:
            self.newlines = min(self.newlines + 1, 2)
        self.space = False

    def begin(self, kind: str) -> list[Any]:
        rec: list[Any] = [kind, None]
        self.open.append(rec)
        return rec

    def end(self, rec: list[Any]) -> None:
        self.open.remove(rec)
        if rec[1] is not None and self.length > rec[1]:
            self.regions.append(Region(rec[1], self.length, rec[0]))

    def text(self) -> str:
        return "".join(self.parts)


def _classes(tag: Any) -> set[str]:
    value = tag.get("class") or []
    if isinstance(value, str):
        value = value.split()
    return {str(c).lower() for c in value}


def _hidden(tag: Any) -> bool:
    if tag.has_attr("hidden") or str(tag.get("aria-hidden", "")).lower() == "true":
        return tag.name not in ("html", "body")
    return bool(_HIDDEN_STYLE.search(str(tag.get("style") or "")))


def _kind(tag: Any) -> str | None:
    classes = _classes(tag)
    ident = str(tag.get("id") or "").lower()
    if tag.name == "blockquote" or classes & _QUOTE_CLASSES:
        return "quote"
    if classes & _SIGNATURE_CLASSES or ident in _SIGNATURE_IDS:
        return "signature"
    if tag.get("data-smartmail") == "gmail_signature":
        return "signature"
    if tag.name in ("pre", "code", "kbd", "samp"):
        return "code"
    return None


class _Renderer:
    def __init__(self) -> None:
        self.out = _Writer()
        self.history_start: int | None = None

    def render(self, node: Any) -> None:
        from bs4.element import Comment, Declaration, Doctype, NavigableString, Tag

        for child in list(node.children):
            if isinstance(child, (Comment, Declaration, Doctype)):
                continue
            if isinstance(child, NavigableString):
                if type(child).__name__ in ("CData", "ProcessingInstruction"):
                    continue
                self.out.inline(str(child))
            elif isinstance(child, Tag):
                self.element(child)

    def element(self, tag: Any) -> None:
        name = tag.name.lower() if tag.name else ""
        if name in _SKIP or _hidden(tag):
            return
        ident = str(tag.get("id") or "").lower()
        if ident in _HISTORY_IDS and self.history_start is None:
            self.out.line_break(2)
            self.history_start = self.out.length
        if name == "br":
            self.out.hard_break()
            return
        if name == "hr":
            self.out.line_break(1)
            self.out.raw("-" * 32)
            self.out.line_break(1)
            return
        if name == "img":
            return
        if name in ("p", "div") and _blank_paragraph(tag):
            self.out.line_break(2)  # Outlook's <p>&nbsp;</p>: an empty line
            return
        kind = _kind(tag)
        rec = self.out.begin(kind) if kind is not None else None
        block = name in _BLOCK
        gap = 2 if name in _PARAGRAPHS and not _tight(tag) else 1
        if block:
            self.out.line_break(gap)
        if name == "blockquote":
            self.out.raw(_quoted(tag))
        elif name == "pre":
            self.out.raw(tag.get_text())
        elif name == "li":
            parent = tag.find_parent(["ol", "ul"])
            if parent is not None and parent.name == "ol":
                number = len(tag.find_previous_siblings("li")) + 1
                self.out.inline(f"{number}.")
            else:
                self.out.inline("-")
            self.out.space = True
            self.render(tag)
        elif name in ("td", "th"):
            if tag.find_previous_sibling(["td", "th"]) is not None:
                self.out.tab()
            self.render(tag)
        else:
            self.render(tag)
        if block:
            self.out.line_break(gap)
        if rec is not None:
            self.out.end(rec)


#: Blocks set off by a blank line (a paragraph <p> only when it has a margin: Outlook's
#: MsoNormal paragraphs, margin 0, are lines).
_PARAGRAPHS = frozenset({"p", "blockquote", "pre", "table", "ul", "ol", "h1", "h2", "h3", "h4"})
_NO_MARGIN = re.compile(r"margin(?:-top|-bottom)?\s*:\s*0(?:[a-z%]*)?\s*(?:;|$)", re.IGNORECASE)


def _tight(tag: Any) -> bool:
    """A paragraph drawn without space around it (Outlook's ``MsoNormal``, ``margin:0``)."""
    if tag.name != "p":
        return False
    classes = _classes(tag)
    if any(c.startswith("mso") for c in classes):
        return True
    return bool(_NO_MARGIN.search(str(tag.get("style") or "")))


def _blank_paragraph(tag: Any) -> bool:
    """A paragraph holding nothing but non-breaking spaces (and no line break tags)."""
    text = tag.get_text()
    return "\u00a0" in text and not text.replace("\u00a0", "").strip() and not tag.find("br")


def _quoted(tag: Any) -> str:
    """A blockquote's content rendered on its own, each line prefixed with ``> ``."""
    inner = _Renderer()
    inner.render(tag)
    lines = inner.out.text().split("\n")
    return "\n".join("> " + line if line.strip() else ">" for line in lines)


def html_to_text(html: str) -> tuple[str, list[Region]]:
    """``html`` rendered as text, and the regions its markup shows (offsets into the text)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    root = soup.body or soup
    renderer = _Renderer()
    renderer.render(root)
    text = renderer.out.text()
    regions = list(renderer.out.regions)
    if renderer.history_start is not None and renderer.history_start < len(text):
        start = renderer.history_start
        while start < len(text) and text[start].isspace():
            start += 1
        if start < len(text):
            regions.append(Region(start, len(text), "quote"))
    return text, regions


_HTML_HINT = re.compile(
    r"<(?:html|body|p|div|br|span|table|a|b|i|em|strong|ul|ol|li|blockquote|h[1-6]|font)\b"
    r"[^>]*>",
    re.IGNORECASE,
)


def looks_like_html(text: str) -> bool:
    """Whether a help-desk field holds HTML rather than plain text."""
    return bool(_HTML_HINT.search(text[:5000]))


_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)


def meta_charset(data: bytes) -> str | None:
    """The charset an HTML document declares in a ``<meta>`` tag, if any."""
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii", "replace") if m else None
