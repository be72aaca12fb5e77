"""What in a message is not the writer's own prose: quoted history, signatures, code.

:func:`detect_regions` reads a draft line by line and returns the parts to ignore as
:class:`~clarity.types.Region` spans (offsets into the text, never deletions):

``quote``
    quoted history: ``>`` lines; an attribution line with what it introduces ("On Mon,
    3 Jun 2024, Maria wrote:", "Am ... schrieb ...:", "... писал(а):", "... 写道："), and,
    whatever the client's language, any short line ending in ``:`` or ``：`` directly
    above ``>`` lines (wrapped over up to three lines when it carries a date or an
    address); Outlook's ``-----Original Message-----`` and ``From: / Sent: / To: /
    Subject:`` header blocks (under a rule of dashes or underscores, ``From:`` and one
    other field are enough); forwarded-message markers. A marker without ``>`` lines
    after it (Outlook, forwards, a known attribution when top-posting) starts history
    that runs to the end of the text.
``signature``
    the ``-- `` delimiter and what follows it; the name block under a sign-off;
    "Sent from my iPhone" and other device lines, alone on their line (not "Sent from
    my laptop at home, the error appears again..."); a trailing contact block.
``disclaimer``
    legal footers ("This e-mail is confidential... If you received it in error") and
    "this e-mail came from outside the organisation" banners.
``code`` / ``log``
    fenced (```) and indented code blocks, `inline code`; stack traces (Python, Java,
    .NET, JavaScript) and log lines that start with a timestamp.
``greeting`` / ``signoff``
    the opening line ("Hi Maria,") and the closing phrase ("Kind regards,"). These
    are the writer's own words: they count for findings and tone, and are only left
    out of the readability figures (see :meth:`clarity.types.Region.ignored_by`).

The words of every language (attributions, header names, forward markers, device
lines, sign-offs, greetings, disclaimers) are data: ``data/regions_languages.toml``,
read once by :func:`languages`; this module keeps only the logic.

"\\r\\n", a bare "\\r" and "\\n" all end a line. Every detector takes time linear
in the text's length: patterns are bounded or applied to lines of bounded length, and
looks ahead skip what is already marked (:class:`_Own`) instead of rescanning it.

Regions are sorted, never overlap, never empty and cover whole lines except inline
code; a line break is never the first or last character of a region.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clarity.data import data_path
from clarity.errors import DataError
from clarity.types import Region

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

#: When two detected regions overlap, the kind with the lower number wins.
PRIORITY = {
    "quote": 0,
    "disclaimer": 1,
    "signature": 2,
    "log": 3,
    "code": 4,
    "signoff": 5,
    "greeting": 6,
}
KINDS = tuple(PRIORITY)

# --- the per-language data ------------------------------------------------------

#: The data file with every language's markers (see its header for the keys).
LANGUAGES_FILE = "regions_languages.toml"
#: Keys of a language table whose values are lists of regular expressions.
PATTERN_KEYS = (
    "attribution",
    "wrote",
    "separator",
    "forward_intro",
    "header_from",
    "header_sent",
    "header_other",
    "device",
    "device_tail",
    "signoff",
    "greeting",
    "disclaimer",
)
_EXAMPLE_KEYS = ("text", "kind", "starts")


@dataclass(frozen=True)
class Example:
    """A text from the data file that must have a region of ``kind`` starting with
    ``starts``."""

    language: str
    text: str
    kind: str
    starts: str


@dataclass(frozen=True)
class Languages:
    """The validated contents of the languages file: ``patterns[key]`` holds every
    language's regular expressions for ``key``, in file order."""

    patterns: dict[str, tuple[str, ...]]
    examples: tuple[Example, ...]
    languages: tuple[str, ...]


def load_languages(path: Path) -> Languages:
    """Read and check a languages file: every entry must compile and every example be
    complete. Raises :class:`~clarity.errors.DataError` naming the entry otherwise."""
    try:
        with path.open("rb") as fh:
            raw: dict[str, Any] = tomllib.load(fh)
    except OSError as exc:
        raise DataError(f"cannot read data file {path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{path}: not valid TOML: {exc}") from exc
    patterns: dict[str, list[str]] = {key: [] for key in PATTERN_KEYS}
    examples: list[Example] = []
    for lang, table in raw.items():
        if not isinstance(table, dict):
            raise DataError(f"{path}: [{lang}] must be a table")
        for key, value in table.items():
            where = f"{path}: [{lang}] {key}"
            if key == "examples":
                examples.extend(_examples(where, lang, value))
                continue
            if key not in patterns:
                raise DataError(
                    f"{where}: unknown key (expected one of: {', '.join(PATTERN_KEYS)})"
                )
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                raise DataError(f"{where}: must be a list of non-empty strings")
            for entry in value:
                try:
                    re.compile(entry, re.IGNORECASE)
                except re.error as exc:
                    raise DataError(f"{where}: bad pattern {entry!r}: {exc}") from exc
                patterns[key].append(entry)
    return Languages({key: tuple(v) for key, v in patterns.items()}, tuple(examples), tuple(raw))


def _examples(where: str, lang: str, value: object) -> list[Example]:
    if not isinstance(value, list):
        raise DataError(f"{where}: must be a list of {{text, kind, starts}} tables")
    out = []
    for n, item in enumerate(value, 1):
        ok = isinstance(item, dict) and all(isinstance(item.get(k), str) for k in _EXAMPLE_KEYS)
        if not ok or item["kind"] not in PRIORITY:
            raise DataError(f"{where} #{n}: needs text, kind (one of {', '.join(KINDS)}), starts")
        out.append(Example(lang, item["text"], item["kind"], item["starts"]))
    return out


@functools.lru_cache(maxsize=1)
def languages() -> Languages:
    """The shipped languages file, read once."""
    return load_languages(data_path(LANGUAGES_FILE))


def _alternatives(key: str) -> str:
    return "|".join(f"(?:{p})" for p in languages().patterns[key])


@dataclass(frozen=True)
class _Patterns:
    """The line patterns built from the languages file (see :func:`_patterns`)."""

    attribution: re.Pattern[str]
    wrote: re.Pattern[str]
    separator: re.Pattern[str]
    forward_intro: re.Pattern[str]
    header_from: re.Pattern[str]
    header_sent: re.Pattern[str]
    header_other: re.Pattern[str]
    device: re.Pattern[str]
    device_tail: re.Pattern[str]
    signoff: re.Pattern[str]
    greeting: re.Pattern[str]
    disclaimer: re.Pattern[str]


def _header(key: str, value: str = "") -> re.Pattern[str]:
    """``From:`` / ``*From:*`` / ``De :`` / ``差出人：`` with one of ``key``'s names."""
    return re.compile(
        rf"^[ \t]*\*{{0,2}}(?:{_alternatives(key)})\*{{0,2}}[ \t]*[:：]\*{{0,2}}{value}",
        re.IGNORECASE,
    )


@functools.lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    """Compile the data entries into one pattern per marker, each applied to one line
    (or a few joined lines) and each bounded, so a match costs linear time."""
    i = re.IGNORECASE
    end = r"[ \t]*[:：][ \t]*$"
    return _Patterns(
        attribution=re.compile(rf"^\s*(?:{_alternatives('attribution')}){end}", i),
        wrote=re.compile(rf"^\s*\S.{{0,200}}(?:{_alternatives('wrote')}){end}", i),
        separator=re.compile(
            rf"^[ \t]*-{{2,}}[ \t]*(?:{_alternatives('separator')})[ \t]*-{{2,}}[ \t]*$", i
        ),
        forward_intro=re.compile(rf"^[ \t]*(?:{_alternatives('forward_intro')}){end}", i),
        header_from=_header("header_from", r"[ \t]*\S"),
        header_sent=_header("header_sent"),
        header_other=_header("header_other"),
        device=re.compile(rf"^[ \t]*(?:{_alternatives('device')})", i),
        device_tail=re.compile(rf"[.!]?[ \t]*(?:{_alternatives('device_tail')})[ \t]*[.!]?$", i),
        # The phrase is matched in any case, the name after it must be capitalised.
        signoff=re.compile(
            rf"^[ \t]*(?i:{_alternatives('signoff')})"
            r"(?:[ \t]*[,.!]+|[ \t]*[,.!]*[ \t]*(?:[-–—][ \t]*|,[ \t]*)?"
            r"[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3})?[ \t]*$"
        ),
        greeting=re.compile(
            rf"^[ \t]*(?i:{_alternatives('greeting')})\b[^,!?:;\n]{{0,50}}[,!:]?[ \t]*$"
        ),
        disclaimer=re.compile(_alternatives("disclaimer"), i),
    )


# --- lines ----------------------------------------------------------------------

#: "\r\n", a bare "\r" (old Mac) and "\n" all end a line.
_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class _Line:
    start: int
    end: int  # after the content, before its line break
    text: str
    blank: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "blank", not self.text.strip())


def _lines(text: str) -> list[_Line]:
    out = []
    pos = 0
    for m in _BREAK.finditer(text):
        out.append(_Line(pos, m.start(), text[pos : m.start()]))
        pos = m.end()
    out.append(_Line(pos, len(text), text[pos:]))
    return out


Marks = list[str | None]


class _Own:
    """Walks to the next line that is the writer's own (unmarked, not blank) or quoted
    history, skipping everything else in amortised constant time.

    Valid because a mark, once set, never goes back to ``None``: a line skipped once
    stays skipped, so the jump recorded over it stays true.
    """

    def __init__(self, lines: Sequence[_Line], marks: Marks) -> None:
        self.lines = lines
        self.marks = marks
        self.jump = list(range(len(lines) + 1))

    def _stop(self, k: int) -> bool:
        kind = self.marks[k]
        return kind == "quote" or (kind is None and not self.lines[k].blank)

    def next(self, k: int) -> int:
        n = len(self.lines)
        path = []
        while k < n:
            j = self.jump[k]
            if j != k:
                path.append(k)
                k = j
            elif self._stop(k):
                break
            else:
                path.append(k)
                k += 1
        for p in path:
            self.jump[p] = k
        return k

    def until_quote(self, start: int, limit: int) -> tuple[list[int], bool]:
        """Up to ``limit`` own lines from ``start`` to the next quote (or the end), and
        whether there are more than ``limit``."""
        out: list[int] = []
        k = self.next(start)
        while k < len(self.lines) and self.marks[k] != "quote":
            if len(out) == limit:
                return out, True
            out.append(k)
            k = self.next(k + 1)
        return out, False


# --- quoted history -------------------------------------------------------------

_QUOTE_LINE = re.compile(r"^[ \t]{0,3}>")
#: Dashes or underscores alone on a line (Outlook's rule above its header block).
_RULE_LINE = re.compile(r"^[ \t]*(?:-{3,}|_{3,}|={8,})[ \t]*$")
#: A date, a time or an e-mail address: what a wrapped attribution line carries.
_DATE_OR_ADDRESS = re.compile(r"@|\d{1,2}[:.]\d{2}|\d{4}|\d{1,2}[年월/.-]")
_ENDS_SENTENCE = re.compile(r"[.!?][ \t]*$")
#: Longest attribution (all its wrapped lines joined) and longest marker line.
_MAX_ATTRIBUTION = 400
_MAX_MARKER = 300


def _first_nonblank(lines: Sequence[_Line], i: int) -> int | None:
    while i < len(lines):
        if not lines[i].blank:
            return i
        i += 1
    return None


def _attribution_end(lines: Sequence[_Line], i: int) -> tuple[int, bool] | None:
    """``(last line, strong)`` of an attribution starting at line ``i``, else None.

    It may wrap over up to three lines, as Gmail wraps a long name and address. A
    *strong* one ("On <date>, <name> wrote:" in a known language) starts history even
    without ``>`` lines after it. Any other line ending in ``:`` is an attribution only
    if ``>`` lines follow it directly (checked by the caller); when wrapped, it must
    carry a date, a time or an address and no sentence may end inside it.
    """
    last = min(i + 3, len(lines))
    if not any(lines[j].text.rstrip().endswith((":", "：")) for j in range(i, last)):
        return None  # every attribution ends in a colon: most lines stop here
    pats = _patterns()
    joined = ""
    for j in range(i, last):
        text = lines[j].text
        if lines[j].blank or len(joined) + len(text) > _MAX_ATTRIBUTION:
            return None
        joined = f"{joined} {text.strip()}" if joined else text
        if pats.attribution.match(joined):
            return j, True
        if joined.rstrip().endswith((":", "：")):
            if j == i or _DATE_OR_ADDRESS.search(joined):
                return j, False
            return None
        if _ENDS_SENTENCE.search(text):
            return None
    return None


def _quote_block_end(lines: Sequence[_Line], i: int) -> int:
    """Last line of the run of ``>`` lines (blank lines inside allowed) starting at ``i``."""
    last = i
    j = i
    while j < len(lines):
        if _QUOTE_LINE.match(lines[j].text):
            last = j
        elif not lines[j].blank:
            break
        j += 1
    return last


def _rule_above(lines: Sequence[_Line], marks: Marks, i: int) -> int | None:
    """The rule line directly above line ``i`` (one blank line between allowed)."""
    for k in (i - 1, i - 2):
        if k < 0 or marks[k] is not None:
            return None
        if _RULE_LINE.match(lines[k].text):
            return k
        if not lines[k].blank:
            return None
    return None


def _header_block_start(lines: Sequence[_Line], marks: Marks, i: int) -> int | None:
    """Where history starts if line ``i`` opens an Outlook-style header block, else None.

    ``From:`` followed by ``Sent:`` and one of ``To:``/``Cc:``/``Subject:`` (names in any
    supported language) is a header block; under a rule line of dashes or underscores,
    ``From:`` and any one other field are enough, and history starts at the rule.
    """
    pats = _patterns()
    if not pats.header_from.match(lines[i].text):
        return None
    sent = other = False
    for j in range(i + 1, min(i + 8, len(lines))):
        text = lines[j].text
        if lines[j].blank:
            break
        if pats.header_sent.match(text):
            sent = True
        elif pats.header_other.match(text):
            other = True
    rule = _rule_above(lines, marks, i)
    if rule is not None and (sent or other):
        return rule
    return i if sent and other else None


def _mark(marks: Marks, first: int, last: int, kind: str) -> None:
    for j in range(first, last + 1):
        if marks[j] is None:
            marks[j] = kind


def _starts_history(lines: Sequence[_Line], marks: Marks, i: int) -> int | None:
    """Where history that runs to the end starts, if a marker is at line ``i``."""
    pats = _patterns()
    text = lines[i].text
    if len(text) <= _MAX_MARKER and (pats.separator.match(text) or pats.forward_intro.match(text)):
        rule = _rule_above(lines, marks, i)
        return i if rule is None else rule
    return _header_block_start(lines, marks, i)


def _mark_history(lines: Sequence[_Line], marks: Marks) -> None:
    pats = _patterns()
    n = len(lines)
    i = 0
    while i < n:
        line = lines[i]
        if marks[i] is not None or line.blank:
            i += 1
            continue
        text = line.text
        start = _starts_history(lines, marks, i)
        if start is not None:
            _mark(marks, start, n - 1, "quote")
            return
        found = _attribution_end(lines, i)
        if found is not None:
            end, strong = found
            nxt = _first_nonblank(lines, end + 1)
            if nxt is None and strong:
                _mark(marks, i, end, "quote")
                return
            direct = nxt == end + 1
            wrote = end == i and len(text) <= _MAX_MARKER and pats.wrote.match(text)
            if (
                nxt is not None
                and _QUOTE_LINE.match(lines[nxt].text)
                and (strong or direct or wrote)
            ):
                last = _quote_block_end(lines, nxt)
                _mark(marks, i, last, "quote")
                i = last + 1
                continue
            if strong:
                # No ">" markers: everything below the attribution is history (top-posting).
                _mark(marks, i, n - 1, "quote")
                return
        if _QUOTE_LINE.match(text):
            last = _quote_block_end(lines, i)
            _mark(marks, i, last, "quote")
            i = last + 1
            continue
        i += 1


# --- code and logs --------------------------------------------------------------

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_INDENTED = re.compile(r"^(?: {4}|\t)\s*\S")
_CODE_SIGNAL = re.compile(r"[=(){}\[\];/\\$<>|`\"]|\s-{1,2}\w|^\s*[#$%>]\s")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•+]|\d{1,2}[.)])\s")
_TRACEBACK = re.compile(r"^\s*Traceback \(most recent call last\):\s*$")
_PY_FRAME = re.compile(r"^\s+(File \"|\S)")
#: "   at Foo.bar(Foo.java:12)", "   at X in C:\\src\\Sync.cs:line 42" (see :func:`_is_frame`).
_FRAME_AT = re.compile(r"^\s+at\s+\S")
_FRAME_LINE_NUMBER = re.compile(r":(?:line )?\d+$")
_FRAME_OTHER = re.compile(r"^\s*\.\.\. \d+ more\s*$|^\s*Caused by:")
_EXC_HEADER = re.compile(
    r"^\s*(Exception in thread\b|Unhandled [Ee]xception|Caused by:|"
    r"[\w.$]*(Exception|Error)\b[:\s]|System\.\w+|Uncaught\b|\w*Error:)"
)
_TIMESTAMP = re.compile(
    r"^\s*\[?(\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(:\d{2})?"
    r"|\d{1,2}/\d{1,2}/\d{2,4},? \d{1,2}:\d{2}:\d{2}"
    r"|(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2} \d{2}:\d{2}:\d{2}"
    r"|\d{2}:\d{2}:\d{2}([.,]\d+)?)\b"
)
_LEVEL = re.compile(r"^\s*\[?(ERROR|WARN|WARNING|INFO|DEBUG|TRACE|FATAL|CRITICAL)\]?[:\s]")


def _is_frame(text: str) -> bool:
    """A stack frame line: "at" and a name ending in "(...)" or ":<line number>".

    Written as two linear checks; the single regular expression it replaces
    (``\\S+.*(\\(.*\\)|...)``) took cubic time on a line of many "(".
    """
    m = _FRAME_AT.match(text)
    if m is None:
        return bool(_FRAME_OTHER.match(text))
    rest = text[m.end() :].rstrip()
    return (rest.endswith(")") and "(" in rest) or bool(_FRAME_LINE_NUMBER.search(rest))


def _mark_fences(lines: Sequence[_Line], marks: Marks) -> None:
    i = 0
    n = len(lines)
    while i < n:
        m = _FENCE.match(lines[i].text)
        if not m or marks[i] is not None:
            i += 1
            continue
        fence = m.group(1)
        close = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        j = i + 1
        while j < n and not close.match(lines[j].text):
            j += 1
        last = min(j, n - 1)
        _mark(marks, i, last, "code")
        i = last + 1


def _mark_logs(lines: Sequence[_Line], marks: Marks) -> None:
    n = len(lines)
    i = 0
    while i < n:
        text = lines[i].text
        if marks[i] is not None or lines[i].blank:
            i += 1
            continue
        if _TRACEBACK.match(text):
            j = i + 1
            while j < n and not lines[j].blank and _PY_FRAME.match(lines[j].text):
                j += 1
            last = j if j < n and not lines[j].blank else j - 1  # the exception line
            _mark(marks, i, last, "log")
            i = last + 1
            continue
        if _is_frame(text):
            first = i
            if i > 0 and marks[i - 1] is None and _EXC_HEADER.match(lines[i - 1].text):
                first = i - 1
            j = i
            while j + 1 < n and (
                _is_frame(lines[j + 1].text) or _EXC_HEADER.match(lines[j + 1].text)
            ):
                j += 1
            _mark(marks, first, j, "log")
            i = j + 1
            continue
        level_run = _LEVEL.match(text) and i + 1 < n and _LEVEL.match(lines[i + 1].text)
        if _TIMESTAMP.match(text) or level_run:
            j = i
            while j + 1 < n and not lines[j + 1].blank:
                nxt = lines[j + 1].text
                if _TIMESTAMP.match(nxt) or _LEVEL.match(nxt) or nxt[:1] in (" ", "\t"):
                    j += 1
                else:
                    break
            _mark(marks, i, j, "log")
            i = j + 1
            continue
        i += 1


def _mark_indented_code(lines: Sequence[_Line], marks: Marks) -> None:
    """Markdown's indented code: 4 spaces or a tab after a blank line, not a list item's
    continuation, with something code-like in it."""
    n = len(lines)
    i = 0
    while i < n:
        if marks[i] is not None or not _INDENTED.match(lines[i].text):
            i += 1
            continue
        if i > 0 and not lines[i - 1].blank:
            i += 1
            continue
        prev = i - 1
        while prev >= 0 and lines[prev].blank:
            prev -= 1
        para = prev
        while para > 0 and not lines[para - 1].blank:
            para -= 1
        if prev >= 0 and _LIST_ITEM.match(lines[para].text):
            i += 1
            continue
        j = i
        last = i
        while j < n and marks[j] is None and (lines[j].blank or _INDENTED.match(lines[j].text)):
            if not lines[j].blank:
                last = j
            j += 1
        if any(_CODE_SIGNAL.search(lines[k].text) for k in range(i, last + 1)):
            _mark(marks, i, last, "code")
        i = last + 1


# --- signatures, disclaimers, greetings and sign-offs ----------------------------

_DASH_DELIMITER = re.compile(r"^--\s*$")
#: Longest line that can be a device line, a sign-off or a greeting.
_MAX_SHORT_LINE = 120
_CONTACT = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.-]+|https?://|www\.|\+?\d[\d ()./-]{6,}\d|\b(?:tel|phone|mobile"
    r"|fax|ext|cell|direct|office)\b\.?\s*:?|\|"
    r"|\b(?:manager|engineer|analyst|specialist|technician|director|officer|lead"
    r"|administrator|team|desk|helpdesk|support|department|services?|ops|it)\b",
    re.IGNORECASE,
)


def _short(line: _Line, words: int = 8, chars: int = 72) -> bool:
    text = line.text.strip()
    return len(text) <= chars and len(text.split()) <= words


#: After a clause break, a word in lower case starts a sentence: "..., the error is back".
_CLAUSE = re.compile(r"[,;:][ \t]*([^\W\d_])")
_SENTENCE_INSIDE = re.compile(r"[.!?][ \t]+\S")


def _is_device_line(text: str) -> bool:
    """ "Sent from my iPhone" and the like, alone on its line.

    The line starts with a ``device`` phrase of the languages file and stays a
    signature only while it does not go on into a sentence of the writer's own: at
    most 10 words (a known ``device_tail`` such as "Please excuse typos" aside), no
    "?", no second sentence, and no clause after a comma that starts in lower case
    ("Sent from my laptop at home, the error appears again" is prose).
    """
    pats = _patterns()
    line = text.strip()
    if len(line) > _MAX_SHORT_LINE:
        return False
    m = pats.device.match(line)
    if m is None:
        return False
    tail = pats.device_tail.search(line, m.end())
    if tail is not None:
        line = line[: tail.start()]
    rest = line[m.end() :]
    if len(line.split()) > 10 or "?" in line or _SENTENCE_INSIDE.search(rest):
        return False
    return not any(c.group(1).islower() for c in _CLAUSE.finditer(rest))


def _mark_devices(lines: Sequence[_Line], marks: Marks) -> None:
    for i, line in enumerate(lines):
        if marks[i] is None and not line.blank and _is_device_line(line.text):
            marks[i] = "signature"


def _paragraphs(lines: Sequence[_Line], marks: Marks) -> Iterable[tuple[int, int]]:
    """Runs of unmarked, non-blank lines: ``(first, last)``."""
    i = 0
    n = len(lines)
    while i < n:
        if marks[i] is not None or lines[i].blank:
            i += 1
            continue
        j = i
        while j + 1 < n and marks[j + 1] is None and not lines[j + 1].blank:
            j += 1
        yield i, j
        i = j + 1


def _mark_disclaimers(lines: Sequence[_Line], marks: Marks) -> None:
    disclaimer = _patterns().disclaimer
    for first, last in list(_paragraphs(lines, marks)):
        block = " ".join(lines[k].text.strip() for k in range(first, last + 1))
        if disclaimer.search(block):
            _mark(marks, first, last, "disclaimer")


def _next_marked(marks: Marks, i: int, kinds: tuple[str, ...] = ("quote",)) -> int:
    """Index of the next line at or after ``i`` marked as one of ``kinds``, else len."""
    for j in range(i, len(marks)):
        if marks[j] in kinds:
            return j
    return len(marks)


def _mark_dash_signatures(lines: Sequence[_Line], marks: Marks) -> None:
    """``-- `` and at most 15 own lines below it (up to the next quote)."""
    own = _Own(lines, marks)
    for i, line in enumerate(lines):
        if marks[i] is not None or not _DASH_DELIMITER.match(line.text):
            continue
        below, more = own.until_quote(i + 1, 15)
        if not more:
            _mark(marks, i, max(below, default=i), "signature")


def _is_signoff(line: _Line) -> bool:
    return len(line.text) <= _MAX_SHORT_LINE and bool(_patterns().signoff.match(line.text))


def _name_line(lines: Sequence[_Line], marks: Marks, j: int) -> bool:
    """A line that can belong to the name block under a sign-off."""
    line = lines[j]
    return (
        marks[j] is None
        and not line.blank
        and _short(line)
        and not _is_signoff(line)
        and not line.text.rstrip().endswith(("?", "!", ":"))
        and not (line.text.rstrip().endswith(".") and len(line.text.split()) >= 3)
    )


def _mark_signoffs(lines: Sequence[_Line], marks: Marks) -> None:
    """A sign-off phrase, the name block under it (up to 8 short lines) and a contact
    block after that, when what follows up to the next quote is a few short lines.

    Bottom-up, so the last sign-off of a message is seen first; :class:`_Own` keeps the
    look below each candidate from rescanning what is already marked.
    """
    own = _Own(lines, marks)
    for i in range(len(lines) - 1, 0, -1):
        line = lines[i]
        if marks[i] is not None or line.blank or not _is_signoff(line):
            continue
        first = i + 1
        if first + 1 < len(lines) and lines[first].blank and _name_line(lines, marks, first + 1):
            first += 1  # "Kind regards,", a blank line, then the name (HTML paragraphs)
        j = first
        while j < len(lines) and j - first < 8 and _name_line(lines, marks, j):
            j += 1
        # Below the name: blank, already a region, or a few short lines (a contact block).
        below, more = own.until_quote(j, 6)
        if more or not all(_short(lines[k], 10, 80) for k in below):
            continue
        marks[i] = "signoff"
        if j > first:
            _mark(marks, first, j - 1, "signature")
        # A contact block after a blank line below the name is part of the signature.
        if below and any(_CONTACT.search(lines[k].text) for k in below):
            _mark(marks, below[0], below[-1], "signature")


def _mark_contact_block(lines: Sequence[_Line], marks: Marks) -> None:
    """A trailing block of short lines with contact details and no sign-off above it
    (``Mike\\nNetwork Ops\\n+1 555 0100``): the last own paragraph before history."""
    paragraphs = list(_paragraphs(lines, marks))
    if len(paragraphs) < 2:
        return
    first, last = paragraphs[-1]
    stop = _next_marked(marks, last + 1)
    if any(marks[k] is None and not lines[k].blank for k in range(last + 1, stop)):
        return
    block = [lines[k] for k in range(first, last + 1)]
    if not 2 <= len(block) <= 8 or not all(_short(b, 8, 60) for b in block):
        return
    if any(
        b.text.rstrip().endswith((".", "?", "!", ":")) or _LIST_ITEM.match(b.text) for b in block
    ):
        return
    if sum(1 for b in block if _CONTACT.search(b.text)) >= 1:
        _mark(marks, first, last, "signature")


def _mark_greeting(lines: Sequence[_Line], marks: Marks) -> None:
    first = _first_nonblank(lines, 0)
    if first is None or marks[first] is not None:
        return
    line = lines[first]
    if _short(line, 8, 80) and _patterns().greeting.match(line.text):
        marks[first] = "greeting"


_INLINE_CODE = re.compile(r"(`+)([^`\n]+?)\1")

Detector = Callable[[Sequence[_Line], Marks], None]
#: In order: a line keeps the first kind it is given.
DETECTORS: tuple[Detector, ...] = (
    _mark_fences,
    _mark_history,
    _mark_logs,
    _mark_indented_code,
    _mark_devices,
    _mark_disclaimers,
    _mark_dash_signatures,
    _mark_signoffs,
    _mark_contact_block,
    _mark_greeting,
)


def _line_regions(lines: Sequence[_Line], marks: Marks) -> list[Region]:
    """Consecutive lines of one kind (blank lines between them included) as regions."""
    out: list[Region] = []
    current: tuple[int, int, str] | None = None
    for line, kind in zip(lines, marks, strict=True):
        if line.blank:
            continue
        if current is not None and kind == current[2]:
            current = (current[0], line.end, kind)
            continue
        if current is not None:
            out.append(Region(*current))
        current = (line.start, line.end, kind) if kind is not None else None
    if current is not None:
        out.append(Region(*current))
    return out


def _inline_code(text: str, lines: Sequence[_Line], marks: Marks) -> list[Region]:
    out = []
    for line, kind in zip(lines, marks, strict=True):
        if kind is not None or "`" not in line.text:
            continue
        for m in _INLINE_CODE.finditer(line.text):
            out.append(Region(line.start + m.start(), line.start + m.end(), "code"))
    return out


def merge_regions(regions: Iterable[Region], text: str | None = None) -> list[Region]:
    """Sorted, non-overlapping, non-empty regions from any set of regions.

    Where regions overlap, the kind earlier in :data:`PRIORITY` wins. Regions of one
    kind that touch, or (given ``text``) are separated only by whitespace, are joined.
    """
    given = [r for r in regions if r.end > r.start]
    events = sorted([(r.start, 1, r.kind) for r in given] + [(r.end, -1, r.kind) for r in given])
    active: dict[str, int] = {}
    out: list[Region] = []
    prev = 0
    for pos, delta, kind in events:
        if active and pos > prev:
            top = min(active, key=lambda k: (PRIORITY.get(k, len(PRIORITY)), k))
            _append(out, Region(prev, pos, top), text)
        active[kind] = active.get(kind, 0) + delta
        if not active[kind]:
            del active[kind]
        prev = pos
    return out


def _append(out: list[Region], region: Region, text: str | None) -> None:
    if out and out[-1].kind == region.kind:
        last = out[-1]
        if last.end == region.start or (
            text is not None and not text[last.end : region.start].strip()
        ):
            out[-1] = Region(last.start, region.end, region.kind)
            return
    out.append(region)


def detect_regions(text: str) -> list[Region]:
    """The quoted history, signatures, code and other non-prose parts of ``text``.

    Returns sorted, non-overlapping regions with offsets into ``text``; the text
    itself is never changed.
    """
    if not text:
        return []
    lines = _lines(text)
    marks: Marks = [None] * len(lines)
    for detector in DETECTORS:
        detector(lines, marks)
    regions = _line_regions(lines, marks) + _inline_code(text, lines, marks)
    return merge_regions(regions, text)
