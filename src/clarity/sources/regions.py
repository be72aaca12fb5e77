"""What in a message is not the writer's own prose: quoted history, signatures, code.

:func:`detect_regions` reads a draft line by line and returns the parts to ignore as
:class:`~clarity.types.Region` spans (offsets into the text, never deletions):

``quote``
    quoted history: ``>`` lines; an attribution line ("On Mon, 3 Jun 2024, Maria
    wrote:", "Am ... schrieb ...:", "Le ... a écrit :"...) with what it introduces;
    Outlook's ``-----Original Message-----`` and ``From: / Sent: / To: / Subject:``
    header blocks; forwarded-message markers of Gmail, Outlook, Apple Mail and
    Thunderbird in several languages. A marker without ``>`` lines after it (Outlook,
    forwards) starts history that runs to the end of the text.
``signature``
    the ``-- `` delimiter and what follows it; the name block under a sign-off;
    "Sent from my iPhone" and other device lines; a trailing contact block.
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

Regions are sorted, never overlap, never empty and cover whole lines except inline
code; a line break is never the first or last character of a region.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from clarity.types import Region

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


@dataclass(frozen=True)
class _Line:
    start: int
    end: int  # after the content, before "\r\n" / "\n"
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def _lines(text: str) -> list[_Line]:
    out = []
    pos = 0
    for raw in text.split("\n"):
        content = raw[:-1] if raw.endswith("\r") else raw
        out.append(_Line(pos, pos + len(content), content))
        pos += len(raw) + 1
    return out


Marks = list[str | None]

# --- quoted history -------------------------------------------------------------

_QUOTE_LINE = re.compile(r"^[ \t]{0,3}>")

_ORIGINAL = re.compile(
    r"^\s*-{2,}\s*(original message|ursprüngliche nachricht|message d'origine"
    r"|mensaje original|messaggio originale|oorspronkelijk bericht|mensagem original"
    r"|originalmeddelande|oprindelig meddelelse|opprinnelig melding|alkuperäinen viesti"
    r"|wiadomość oryginalna|исходное сообщение"
    r"|forwarded message|weitergeleitete nachricht|message transféré|mensaje reenviado"
    r"|messaggio inoltrato|doorgestuurd bericht|mensagem encaminhada"
    r"|vidarebefordrat meddelande|videresendt meddelelse|przekazana wiadomość"
    r"|пересылаемое сообщение)\s*-{2,}\s*$",
    re.IGNORECASE,
)
_APPLE_FORWARD = re.compile(
    r"^\s*(begin forwarded message|anfang der weitergeleiteten nachricht"
    r"|début du message (réexpédié|transféré)|inicio del mensaje reenviado"
    r"|inizio messaggio inoltrato|begin doorgestuurd bericht"
    r"|início da mensagem encaminhada)\s*:\s*$",
    re.IGNORECASE,
)
_RULE_LINE = re.compile(r"^\s*(_{8,}|-{8,}|={8,})\s*$")
_HDR_FROM = re.compile(r"^\s*\*?(from|von|de|da|van|från|fra|od|от)\s*:\*?\s*\S", re.IGNORECASE)
_HDR_SENT = re.compile(
    r"^\s*\*?(sent|date|gesendet|datum|envoyé|enviado(?: el)?|fecha|inviato|data|verzonden"
    r"|skickat|sendt|wysłano|отправлено)\s*:\*?",
    re.IGNORECASE,
)
_HDR_TO_SUBJECT = re.compile(
    r"^\s*\*?(to|an|à|a|para|aan|till|til|do|кому|cc|subject|betreff|objet|asunto|oggetto"
    r"|onderwerp|ämne|emne|temat|тема)\s*:\*?",
    re.IGNORECASE,
)
_ATTRIBUTION = re.compile(
    r"^\s*(?:"
    r"on\b.{4,300}\bwrote"
    r"|am\b.{4,300}\bschrieb\b.{0,200}"
    r"|le\b.{4,300}\ba écrit"
    r"|el\b.{4,300}\bescribió"
    r"|il\b.{4,300}\bha scritto"
    r"|op\b.{4,300}\bschreef\b.{0,200}"
    r"|em\b.{4,300}\bescreveu"
    r"|(?:den|on)\b.{4,300}\bskrev\b.{0,200}"
    r"|w dniu\b.{4,300}\bnapisał(?:a|\(a\))?"
    r")\s*:\s*$",
    re.IGNORECASE,
)
#: "Maria Lopez <maria@example.com> wrote:": only before ">" lines.
_SHORT_ATTRIBUTION = re.compile(
    r"^\s*\S.{0,100}\b(wrote|writes|schrieb|a écrit|escribió|ha scritto|schreef|escreveu"
    r"|skrev|napisał|написал\(?а?\)?)\s*:\s*$",
    re.IGNORECASE,
)


def _first_nonblank(lines: Sequence[_Line], i: int) -> int | None:
    while i < len(lines):
        if not lines[i].blank:
            return i
        i += 1
    return None


def _attribution_end(lines: Sequence[_Line], i: int) -> int | None:
    """Index of the last line of an attribution starting at line ``i`` (wrapped up to
    three lines, as Gmail wraps a long name and address), or None."""
    joined = ""
    for j in range(i, min(i + 3, len(lines))):
        if lines[j].blank:
            return None
        joined = f"{joined} {lines[j].text.strip()}" if joined else lines[j].text
        if len(joined) > 400:
            return None
        if _ATTRIBUTION.match(joined):
            return j
        if joined.rstrip().endswith(":"):
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


def _is_header_block(lines: Sequence[_Line], i: int) -> bool:
    """An Outlook-style "From: ... Sent: ... To: ... Subject: ..." block at line ``i``."""
    if not _HDR_FROM.match(lines[i].text):
        return False
    sent = other = False
    for j in range(i + 1, min(i + 8, len(lines))):
        text = lines[j].text
        if lines[j].blank:
            break
        if _HDR_SENT.match(text):
            sent = True
        elif _HDR_TO_SUBJECT.match(text):
            other = True
    return sent and other


def _mark(marks: Marks, first: int, last: int, kind: str) -> None:
    for j in range(first, last + 1):
        if marks[j] is None:
            marks[j] = kind


def _mark_history(lines: Sequence[_Line], marks: Marks) -> None:
    n = len(lines)
    i = 0
    while i < n:
        line = lines[i]
        if marks[i] is not None or line.blank:
            i += 1
            continue
        text = line.text
        if _ORIGINAL.match(text) or _APPLE_FORWARD.match(text) or _is_header_block(lines, i):
            start = i
            if i > 0 and _RULE_LINE.match(lines[i - 1].text) and marks[i - 1] is None:
                start = i - 1
            _mark(marks, start, n - 1, "quote")
            return
        end = _attribution_end(lines, i)
        if end is None and _SHORT_ATTRIBUTION.match(text):
            nxt = _first_nonblank(lines, i + 1)
            if nxt is not None and _QUOTE_LINE.match(lines[nxt].text):
                end = i
        if end is not None:
            nxt = _first_nonblank(lines, end + 1)
            if nxt is None:
                _mark(marks, i, end, "quote")
                return
            if _QUOTE_LINE.match(lines[nxt].text):
                last = _quote_block_end(lines, nxt)
                _mark(marks, i, last, "quote")
                i = last + 1
                continue
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
_FRAME = re.compile(
    r"^\s+at\s+\S+.*(\(.*\)|:\d+|:line \d+)\s*$|^\s*\.\.\. \d+ more\s*$|^\s*Caused by:"
)
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
        if _FRAME.match(text):
            first = i
            if i > 0 and marks[i - 1] is None and _EXC_HEADER.match(lines[i - 1].text):
                first = i - 1
            j = i
            while j + 1 < n and (
                _FRAME.match(lines[j + 1].text) or _EXC_HEADER.match(lines[j + 1].text)
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

_DEVICE = re.compile(
    r"^\s*(?:"
    r"sent (?:from|via|with|using|on) .{0,40}\b(?:iphone|ipad|ipod|android|samsung|galaxy"
    r"|huawei|xiaomi|pixel|mobile|phone|smartphone|tablet|blackberry|outlook|mail|gmail"
    r"|yahoo|aol|proton\s?mail|proton|tuta|spark|edison|bluemail|windows|surface|device"
    r"|apple watch|superhuman)\b.{0,30}"
    r"|get outlook for (?:ios|android)\b.{0,60}"
    r"|(?:von meinem|envoyé de mon|envoyé depuis mon|enviado desde mi|enviado do meu"
    r"|inviato dal mio|inviato da|verzonden (?:vanaf|met) mijn|skickat från min|sendt fra min"
    r"|wysłane z mojego|отправлено с моего)\b.{1,60}"
    r")$",
    re.IGNORECASE,
)
_DASH_DELIMITER = re.compile(r"^--\s*$")
_DISCLAIMER = re.compile(
    r"intended (?:solely |only |exclusively )?for the (?:sole )?(?:use of the )?"
    r"(?:named |individual|addressee|recipient|person|entity)"
    r"|received this (?:e-?mail|message|communication|transmission) (?:in error|by mistake)"
    r"|\bnot the intended recipient\b"
    r"|\bconsider the environment before printing\b"
    r"|\b(?:this|the) (?:e-?mail|message|communication)(?: and any (?:attachments?|files?)"
    r"(?: transmitted with it)?)? (?:is|are|may be|contains?|may contain) (?:strictly )?"
    r"(?:confidential|privileged)"
    r"|^\s*\W{0,3}disclaimer\b"
    r"|originated (?:from )?outside (?:of )?(?:the|your|our) (?:organi[sz]ation|company|network)"
    r"|^\s*\[?(?:external|caution|warning)\]?\s*[:\-]\s*this (?:e-?mail|message)"
    r"|diese (?:e-?mail|nachricht) (?:enthält|ist) vertraulich"
    r"|ce (?:message|courriel|mail)\b.{0,80}\bconfidentiel"
    r"|este (?:mensaje|correo)\b.{0,80}\bconfidencial",
    re.IGNORECASE,
)
_SIGNOFF = re.compile(
    r"^\s*(?i:(?:with )?(?:kind(?:est)?|best|warm(?:est)?|many|sincere|good|fond|kind)\s+"
    r"(?:regards|wishes|thanks)"
    r"|regards|best|cheers|thanks(?: again| so much| a lot| in advance| very much)?"
    r"|thank you(?: (?:again|so much|very much|for your (?:patience|understanding|time|help"
    r"|cooperation)))?|many thanks|much appreciated|sincerely|yours(?: (?:truly|sincerely"
    r"|faithfully))?|respectfully|all the best|take care|talk soon|speak soon"
    r"|have a (?:great|good|nice|lovely) (?:day|weekend|evening|one)|br|kr|rgds|thx"
    r"|mit freundlichen grüßen|freundliche grüße|viele grüße|beste grüße|liebe grüße|mfg"
    r"|cordialement|bien (?:à vous|cordialement)|salutations|bien à toi"
    r"|saludos(?: cordiales)?|un saludo|atentamente|cordiali saluti|distinti saluti|saluti"
    r"|met vriendelijke groet(?:en)?|groeten|atenciosamente|abraços|cumprimentos"
    r"|med vänliga hälsningar|vänliga hälsningar|mvh|med venlig hilsen|hilsen)"
    r"(?:\s*[,.!]+|\s*[,.!]*\s*(?:[-–—]\s*|,\s*)?[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3})?\s*$"
)
_GREETING = re.compile(
    r"^\s*(?i:hi|hello|hey|heya|hiya|dear|good (?:morning|afternoon|evening|day)|greetings"
    r"|morning|afternoon|hallo|guten (?:tag|morgen|abend)|liebe[rs]?|sehr geehrte[rs]?"
    r"|bonjour|bonsoir|cher|chère|madame|monsieur|hola|estimad[oa]s?|buongiorno|buonasera"
    r"|ciao|gentile|beste|hoi|olá|prezad[oa]s?|hej)\b[^,!?:;\n]{0,50}[,!:]?\s*$"
)
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


def _mark_devices(lines: Sequence[_Line], marks: Marks) -> None:
    for i, line in enumerate(lines):
        if marks[i] is None and len(line.text) <= 120 and _DEVICE.match(line.text):
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
    for first, last in list(_paragraphs(lines, marks)):
        block = " ".join(lines[k].text.strip() for k in range(first, last + 1))
        if _DISCLAIMER.search(block):
            _mark(marks, first, last, "disclaimer")


def _next_marked(marks: Marks, i: int, kinds: tuple[str, ...] = ("quote",)) -> int:
    """Index of the next line at or after ``i`` marked as one of ``kinds``, else len."""
    for j in range(i, len(marks)):
        if marks[j] in kinds:
            return j
    return len(marks)


def _mark_dash_signatures(lines: Sequence[_Line], marks: Marks) -> None:
    for i, line in enumerate(lines):
        if marks[i] is not None or not _DASH_DELIMITER.match(line.text):
            continue
        stop = _next_marked(marks, i + 1)
        own = [k for k in range(i + 1, stop) if marks[k] is None and not lines[k].blank]
        if len(own) <= 15:
            last = max(own, default=i)
            _mark(marks, i, last, "signature")


def _tail_is_signature_like(lines: Sequence[_Line], marks: Marks, start: int) -> bool:
    """Whether everything from ``start`` to the next quote (or the end) is blank, already
    a region, or a few short lines (a contact block)."""
    stop = _next_marked(marks, start)
    own = [k for k in range(start, stop) if marks[k] is None and not lines[k].blank]
    return len(own) <= 6 and all(_short(lines[k], 10, 80) for k in own)


def _name_line(lines: Sequence[_Line], marks: Marks, j: int) -> bool:
    """A line that can belong to the name block under a sign-off."""
    line = lines[j]
    return (
        marks[j] is None
        and not line.blank
        and _short(line)
        and not _SIGNOFF.match(line.text)
        and not line.text.rstrip().endswith(("?", "!", ":"))
        and not (line.text.rstrip().endswith(".") and len(line.text.split()) >= 3)
    )


def _mark_signoffs(lines: Sequence[_Line], marks: Marks) -> None:
    for i in range(len(lines) - 1, 0, -1):
        line = lines[i]
        if marks[i] is not None or line.blank or not _SIGNOFF.match(line.text):
            continue
        first = i + 1
        if first + 1 < len(lines) and lines[first].blank and _name_line(lines, marks, first + 1):
            first += 1  # "Kind regards,", a blank line, then the name (HTML paragraphs)
        j = first
        while j < len(lines) and j - first < 8 and _name_line(lines, marks, j):
            j += 1
        if not _tail_is_signature_like(lines, marks, j):
            continue
        marks[i] = "signoff"
        if j > first:
            _mark(marks, first, j - 1, "signature")
        # A contact block after a blank line below the name is part of the signature.
        stop = _next_marked(marks, j)
        own = [k for k in range(j, stop) if marks[k] is None and not lines[k].blank]
        if own and any(_CONTACT.search(lines[k].text) for k in own):
            _mark(marks, own[0], own[-1], "signature")


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
    if _short(line, 8, 80) and _GREETING.match(line.text):
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
