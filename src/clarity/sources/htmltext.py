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

The tree is walked with an explicit stack, so markup nested at any depth is read, in
time linear in its size (list numbers and table cells are counted as the walk goes;
nested ``<blockquote>`` s are quoted up to :data:`MAX_QUOTE_DEPTH` levels). Markup of
over :data:`MAX_HTML_TAGS` tags is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from clarity.errors import InputError
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
    pending: list[list[Any]] = field(default_factory=list)  # open regions not started yet
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
        for rec in self.pending:
            rec[1] = self.length
        self.pending.clear()

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
        self.pending.append(rec)
        return rec

    def end(self, rec: list[Any]) -> None:
        if rec[1] is None:  # no text since it began: still pending, and the last one
            if self.pending and self.pending[-1] is rec:
                self.pending.pop()
            return
        if self.length > rec[1]:
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


#: Nested ``<blockquote>`` s deeper than this are not quoted again (their text is kept).
MAX_QUOTE_DEPTH = 16

# What a subtree's text holds (see _content_flags): a no-break space, other visible
# text, a <br>.
_NBSP, _TEXT, _BR = 1, 2, 4


@dataclass
class _Exit:
    """Work left for when an element's children are rendered."""

    block: bool
    gap: int
    rec: list[Any] | None


@dataclass
class _Item:
    """A node to render, with what its siblings and ancestors say about it."""

    node: Any
    ordinal: int  # 1 + the number of earlier <li> (for <li>) or <td>/<th> siblings
    in_ol: bool  # the nearest enclosing list is an <ol>


class _Renderer:
    """Renders a tree with an explicit stack: any depth, time linear in the tree's size
    (nested ``<blockquote>`` s cost one more pass each, up to :data:`MAX_QUOTE_DEPTH`)."""

    def __init__(self, flags: dict[int, int], quote_depth: int = 0) -> None:
        self.out = _Writer()
        self.history_start: int | None = None
        self.flags = flags
        self.quote_depth = quote_depth

    def render(self, node: Any, in_ol: bool = False) -> None:
        from bs4.element import Comment, Declaration, Doctype, NavigableString, Tag

        stack: list[_Item | _Exit] = []
        self._push_children(stack, node, in_ol)
        while stack:
            item = stack.pop()
            if isinstance(item, _Exit):
                if item.block:
                    self.out.line_break(item.gap)
                if item.rec is not None:
                    self.out.end(item.rec)
                continue
            child = item.node
            if isinstance(child, (Comment, Declaration, Doctype)):
                continue
            if isinstance(child, NavigableString):
                if type(child).__name__ in ("CData", "ProcessingInstruction"):
                    continue
                self.out.inline(str(child))
            elif isinstance(child, Tag):
                self.element(item, stack)

    @staticmethod
    def _push_children(stack: list[_Item | _Exit], node: Any, in_ol: bool) -> None:
        name = node.name.lower() if getattr(node, "name", None) else ""
        if name in ("ol", "ul"):
            in_ol = name == "ol"
        items = []
        items_seen = cells_seen = 0
        for child in node.children:
            child_name = getattr(child, "name", None)
            ordinal = 0
            if child_name == "li":
                items_seen += 1
                ordinal = items_seen
            elif child_name in ("td", "th"):
                cells_seen += 1
                ordinal = cells_seen
            items.append(_Item(child, ordinal, in_ol))
        stack.extend(reversed(items))

    def element(self, item: _Item, stack: list[_Item | _Exit]) -> None:
        tag = item.node
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
        if name in ("p", "div") and _blank_paragraph(self.flags.get(id(tag), 0)):
            self.out.line_break(2)  # Outlook's <p>&nbsp;</p>: an empty line
            return
        kind = _kind(tag)
        rec = self.out.begin(kind) if kind is not None else None
        block = name in _BLOCK
        gap = 2 if name in _PARAGRAPHS and not _tight(tag) else 1
        if block:
            self.out.line_break(gap)
        exit_ = _Exit(block, gap, rec)
        if name == "blockquote" and self.quote_depth < MAX_QUOTE_DEPTH:
            self.out.raw(self._quoted(tag, item.in_ol))
        elif name == "pre":
            self.out.raw(tag.get_text())
        else:
            if name == "li":
                self.out.inline(f"{item.ordinal}." if item.in_ol else "-")
                self.out.space = True
            elif name in ("td", "th") and item.ordinal > 1:
                self.out.tab()
            stack.append(exit_)
            self._push_children(stack, tag, item.in_ol)
            return
        stack.append(exit_)

    def _quoted(self, tag: Any, in_ol: bool) -> str:
        """A blockquote's content rendered on its own, each line prefixed with ``> ``."""
        inner = _Renderer(self.flags, self.quote_depth + 1)
        inner.render(tag, in_ol)
        lines = inner.out.text().split("\n")
        return "\n".join("> " + line if line.strip() else ">" for line in lines)


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


def _blank_paragraph(flags: int) -> bool:
    """A paragraph holding nothing but non-breaking spaces (and no line break tags)."""
    return flags & (_NBSP | _TEXT | _BR) == _NBSP


def _content_flags(root: Any) -> dict[int, int]:
    """For every element under ``root`` (by ``id``), what its text holds: ``_NBSP``,
    ``_TEXT`` (anything but white space and no-break spaces), ``_BR``.

    One pass from the last node to the first, so every node's descendants are seen
    before it: linear in the tree, at any depth (``tag.get_text()`` per element was
    quadratic in the nesting depth).
    """
    from bs4.element import CData, NavigableString, Tag

    flags: dict[int, int] = {}
    for node in reversed([root, *root.descendants]):
        if isinstance(node, Tag):
            value = _BR if node.name == "br" else 0
            for child in node.children:
                value |= flags.get(id(child), 0)
            flags[id(node)] = value
        elif type(node) in (NavigableString, CData):
            text = str(node)
            value = _NBSP if "\u00a0" in text else 0
            if text.replace("\u00a0", "").strip():
                value |= _TEXT
            if value:
                flags[id(node)] = value
    return flags


#: Markup with more tags than this (counted as ``<`` characters) is refused: Beautiful
#: Soup builds about 50,000 elements a second, and more slowly in deep trees.
MAX_HTML_TAGS = 250_000


def html_to_text(html: str) -> tuple[str, list[Region]]:
    """``html`` rendered as text, and the regions its markup shows (offsets into the text).

    Any nesting depth is read, in time linear in the size of the markup. Markup of more
    than :data:`MAX_HTML_TAGS` tags raises :class:`~clarity.errors.InputError`.
    """
    from bs4 import BeautifulSoup

    if html.count("<") > MAX_HTML_TAGS:
        raise InputError(f"HTML with over {MAX_HTML_TAGS:,} tags; not read")

    soup = BeautifulSoup(html, "html.parser")
    root = soup.body or soup
    renderer = _Renderer(_content_flags(root))
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
