"""Hypothesis strategies for adversarial input: drafts, e-mails and batch files.

Used by the fuzz harness (``python -m tests.fuzz``) and its short run in the test suite
(``tests/test_fuzz.py``). Each strategy builds input the way real help-desk mail goes
wrong: broken Unicode, invisible and bidirectional characters, mixed scripts, every
kind of line break, quoted history in several languages, signatures, code, and MIME or
batch files that are broken in the ways mail clients and exports break them.

The words come from clarity's own data files (wordy phrases, jargon), so that many
drafts have findings with fixes and the fix invariants get exercised.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import quopri
from dataclasses import dataclass
from functools import lru_cache

from hypothesis import strategies as st

from clarity.data import data_path, read_csv

# --- vocabulary -------------------------------------------------------------------


@lru_cache(maxsize=1)
def _phrases() -> tuple[str, ...]:
    """Wordy phrases (most carry safe or unsafe fixes) and jargon terms."""
    wordy = [row["phrase"] for _, row in read_csv(data_path("wordy_phrases.csv"), ("phrase",))]
    jargon = [row["term"] for _, row in read_csv(data_path("jargon_lexicon.csv"), ("term",))]
    return tuple(wordy + jargon)


PLAIN_WORDS = (
    "please",
    "your",
    "the",
    "a",
    "an",
    "A",
    "An",
    "it",
    "IT",
    "we",
    "you",
    "was",
    "restarted",
    "by",
    "admin",
    "router",
    "hour",
    "utility",
    "umbrella",
    "SSO",
    "VPN",
    "e-mail",
    "café",
    "naïve",
    "Hi",
    "Maria",
    "thanks",
    "sorry",
    "unfortunately",
    "immediately",
    "obviously",
    "just",
    "simply",
    "can't",
    "won't",
    "don't",
    "O'Brien",
    "3.5",
    "10:30",
    "https://example.com/a?b=c",
    "user@example.com",
    "C:\\Users\\x",
    "#1234",
)

#: Characters that break naive text handling: zero-width, bidi controls, BOM, soft
#: hyphen, odd spaces and line separators, C0/C1 controls, combining marks.
ODD_CHARS = (
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u202e",
    "\u202d",
    "\u2066",
    "\u00ad",
    "\u00a0",
    "\u2028",
    "\u2029",
    "\u0085",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x07",
    "\x7f",
    "\x9b",
    "\u0301",
    "\u0308\u0308\u0308",
    "\ufffd",
    "\U000e0041",
)
#: Lone surrogates: not encodable as UTF-8; a str may still hold them.
SURROGATES = ("\ud800", "\udfff", "\udc80", "\ud83d", "\ude00", "\udcff")
SCRIPTS = (
    "Здравствуйте, ваш пароль сброшен.",
    "Пожалуйста, перезагрузите роутер",
    "您好，请重启路由器。",
    "パスワードをリセットしました",
    "مرحبا، يرجى إعادة تشغيل الموجه",
    "שלום, נא לאתחל",
    "नमस्ते कृपया राउटर",
    "Ελληνικά κείμενο",
    "👨‍👩‍👧‍👦",
    "🏳️‍🌈",
    "👍🏽",
    "😀😃😄",
    "🇩🇪🇫🇷",
    "ǅemal",
    "ﬁle",  # ligature: lowercases to two letters
    "İstanbul",  # dotted capital I: lower() changes the length
    "ẞ",
    "Ⅻ",
)
NEWLINES = ("\n", "\r\n", "\r", "\n\n", "\r\n\r\n", "\n \n", "\n\t\n")
#: Between words: spaces and punctuation, and the line breaks of hard-wrapped mail.
PUNCT = (" ", " ", " ", ", ", ". ", "! ", "? ", "; ", ": ", " - ", " (", ") ", "...", "…", '"')
PUNCT += ("\n", "\r\n", " \n", "\n\n")

#: Any character but NUL, which clarity refuses: drafts get one now and then on
#: purpose (:func:`drafts`), not in one of five inputs.
_ANY = st.characters(codec="utf-8", exclude_characters="\x00") | st.sampled_from(SURROGATES)
#: An article before a phrase clarity may replace: the ``a``/``an`` touch-up, also
#: across a line break or a blank line.
articled = st.builds(
    "".join,
    st.tuples(
        st.sampled_from(("a", "an", "A", "An")),
        st.sampled_from((" ", " ", "\n", "\r\n", "\n\n", "  ", "\t")),
        st.sampled_from(_phrases()),
    ),
)
words = st.one_of(
    st.sampled_from(PLAIN_WORDS),
    st.sampled_from(_phrases()),
    articled,
    st.text(alphabet=_ANY, min_size=1, max_size=6),
)
odd = st.one_of(st.sampled_from(ODD_CHARS), st.sampled_from(SCRIPTS))


@st.composite
def sentences(draw: st.DrawFn) -> str:
    """A sentence of words with odd characters and punctuation between them."""
    parts = []
    for _ in range(draw(st.integers(1, 14))):
        word = draw(words)
        if draw(st.integers(0, 9)) == 0:
            word = word.capitalize()
        parts.append(word)
        parts.append(
            draw(st.one_of(st.sampled_from(PUNCT), odd) if draw(st.booleans()) else st.just(" "))
        )
    end = draw(st.sampled_from((".", "!", "?", "", ".\u200b", "。", " :)")))
    return "".join(parts).strip(" ") + end


# --- blocks: what a reply is made of -----------------------------------------------

ATTRIBUTIONS = (
    "On Mon, 3 Jun 2024 at 10:02, Maria <maria@example.com> wrote:",
    "On Mon, Jun 3, 2024 at 10:02 AM Maria Lopez\n<maria@example.com> wrote:",
    "Am Mo., 3. Juni 2024 um 10:02 Uhr schrieb Maria <maria@example.com>:",
    "Le lun. 3 juin 2024 à 10:02, Maria <maria@example.com> a écrit :",
    "El lun, 3 jun 2024 a las 10:02, Maria (<maria@example.com>) escribió:",
    "Il giorno lun 3 giu 2024 alle ore 10:02 Maria <maria@example.com> ha scritto:",
    "Op ma 3 jun. 2024 om 10:02 schreef Maria <maria@example.com>:",
    "2024年6月3日(月) 10:02 Maria <maria@example.com>:",
    "пн, 3 июн. 2024 г. в 10:02, Maria <maria@example.com>:",
    "Maria wrote:",
    "-----Original Message-----",
    "---------- Forwarded message ---------",
    "Begin forwarded message:",
    "________________________________",
)
OUTLOOK_HEADERS = (
    "From: Maria Lopez <maria@example.com>\nSent: Monday, June 3, 2024 10:02 AM\n"
    "To: Support <help@example.com>\nSubject: RE: VPN",
    "*From:* Maria\n*Sent:* Monday\n*To:* Help\n*Subject:* Re: it",
    "Von: Maria\nGesendet: Montag, 3. Juni 2024 10:02\nAn: Support\nBetreff: AW: VPN",
    "De : Maria\nEnvoyé : lundi 3 juin 2024 10:02\nÀ : Support\nObjet : RE: VPN",
    "From: \nSent: \nTo: \nSubject: ",
)
SIGNATURES = (
    "-- \nJane Doe\nSupport team",
    "--\nJane",
    "-- ",
    "Sent from my iPhone",
    "Sent from my Galaxy",
    "Get Outlook for Android",
    "Von meinem iPhone gesendet",
    "Kind regards,\nJane Doe\nSupport Engineer\n+1 555 0100",
    "Best,\nJ.",
    "Thanks,\n\nJane",
    "This e-mail is confidential. If you received it in error, please delete it.",
    "CAUTION: This email originated from outside of the organization.",
)
GREETINGS = ("Hi Maria,", "Hello,", "Dear Sir or Madam,", "Hey!", "Hi,\u200b", "Bonjour Maria,")


@st.composite
def paragraphs(draw: st.DrawFn) -> str:
    nl = draw(st.sampled_from(("\n", "\r\n", " ", "\r")))
    return nl.join(draw(st.lists(sentences(), min_size=1, max_size=5)))


@st.composite
def quoted(draw: st.DrawFn) -> str:
    """Quoted history: an attribution or header block, then ``>`` lines or plain text."""
    head = draw(st.one_of(st.sampled_from(ATTRIBUTIONS), st.sampled_from(OUTLOOK_HEADERS)))
    body = draw(st.lists(sentences(), min_size=0, max_size=4))
    prefix = draw(st.sampled_from(("> ", ">", ">> ", "   > ", "", "> > ", "|")))
    lines = [prefix + line for line in body]
    if draw(st.booleans()):
        lines.insert(0, prefix.rstrip())
    return head + "\n" + "\n".join(lines)


@st.composite
def code_blocks(draw: st.DrawFn) -> str:
    fence = draw(st.sampled_from(("```", "~~~", "````", "```bash")))
    body = draw(
        st.lists(
            st.one_of(
                sentences(),
                st.sampled_from(
                    (
                        "ipconfig /flushdns",
                        "$ sudo systemctl restart nginx",
                        'File "x.py", line 3, in <module>',
                        "Traceback (most recent call last):",
                        "    at com.example.Foo.bar(Foo.java:12)",
                        "2024-06-03 10:02:11,123 ERROR utilize the cache",
                        "[WARN] in order to",
                    )
                ),
            ),
            max_size=4,
        )
    )
    indent = draw(st.sampled_from(("", "    ", "\t")))
    closed = draw(st.booleans())
    inner = "\n".join(indent + b for b in body)
    if not fence or draw(st.integers(0, 3)) == 0:
        return inner  # an indented block or a log without a fence
    return f"{fence}\n{inner}" + (f"\n{fence[:3]}" if closed else "")


@st.composite
def lists_(draw: st.DrawFn) -> str:
    marker = draw(st.sampled_from(("- ", "* ", "• ", "1. ", "1) ", "+ ", "a) ")))
    items = draw(st.lists(sentences(), min_size=1, max_size=5))
    return "\n".join(marker + i for i in items)


@st.composite
def long_runs(draw: st.DrawFn) -> str:
    """Very long words, very long lines, and one sentence repeated many times."""
    kind = draw(st.integers(0, 4))
    n = draw(st.integers(50, 3000))
    if kind == 0:
        return draw(st.sampled_from(("a", "x", "é", "日", "\u200b", "-", "_", "="))) * n
    if kind == 1:
        return " ".join([draw(words)] * (n // 10 + 1))
    if kind == 2:
        return (draw(sentences()) + " ") * (n // 50 + 1)
    if kind == 3:
        return draw(st.sampled_from(("a", "an", "A", "the"))) + (" " + draw(words)) * (n // 20)
    return ("\n" * draw(st.integers(1, 3)) + draw(sentences())) * (n // 60 + 1)


blocks = st.one_of(
    paragraphs(),
    paragraphs(),
    paragraphs(),
    quoted(),
    code_blocks(),
    lists_(),
    st.sampled_from(SIGNATURES),
    st.sampled_from(GREETINGS),
    st.sampled_from(NEWLINES),
    odd,
    st.sampled_from(SURROGATES),
    long_runs(),
    st.text(alphabet=_ANY, max_size=40),
)


@st.composite
def drafts(draw: st.DrawFn, max_blocks: int = 8) -> str:
    """A reply: greeting, paragraphs, lists, code, quoted history, a signature...

    Lone surrogates and NUL appear now and then: clarity must refuse them with a
    :class:`~clarity.errors.ClarityError` or check them, never crash.
    """
    parts = draw(st.lists(blocks, min_size=1, max_size=max_blocks))
    seps = draw(st.lists(st.sampled_from(NEWLINES), min_size=len(parts), max_size=len(parts)))
    text = "".join(p + s for p, s in zip(parts, seps, strict=True))
    if draw(st.integers(0, 40)) == 0:
        text = text.replace("\n", "\r")  # old Mac line breaks throughout
    if draw(st.integers(0, 60)) == 30:  # not 0: Hypothesis favours the bounds
        text += "\x00"
    return text


# --- e-mail -------------------------------------------------------------------------

CHARSETS = (
    "utf-8",
    "UTF-8",
    "iso-8859-1",
    "windows-1252",
    "us-ascii",
    "koi8-r",
    "shift_jis",
    "gb2312",
    "big5",
    "utf-16",
    "utf-7",
    "x-unknown",
    "",
    '"utf-8"',
    "utf-8; format=flowed",
    "unicode-1-1-utf-7",
    "cp-850",
    "iso-2022-jp",
)
ENCODINGS = ("7bit", "8bit", "binary", "quoted-printable", "base64", "x-uuencode", "bogus", "")


def _encode_body(body: str, charset: str, cte: str) -> bytes:
    codec = charset.strip('"').split(";")[0].strip() or "utf-8"
    try:
        raw = body.encode(codec, errors="surrogateescape")
    except (LookupError, UnicodeError):
        raw = body.encode("utf-8", errors="surrogatepass")
    if cte == "base64":
        return base64.encodebytes(raw)
    if cte == "quoted-printable":
        return quopri.encodestring(raw)
    return raw


def _encoded_word(text: str, charset: str, broken: bool) -> str:
    codec = charset.strip('"').split(";")[0].strip() or "utf-8"
    try:
        raw = text.encode(codec)
    except (LookupError, UnicodeError):
        raw = text.encode("utf-8", errors="surrogatepass")
    word = f"=?{charset or 'utf-8'}?B?{base64.b64encode(raw).decode()}?="
    return word[:-3] if broken else word


@dataclass(frozen=True)
class Mail:
    """An e-mail message as bytes, and the file name to give it."""

    data: bytes
    name: str = "message.eml"


@st.composite
def html_bodies(draw: st.DrawFn) -> str:
    """HTML as mail clients write it, with deep nesting now and then."""
    text = draw(drafts(max_blocks=3)).replace("<", "&lt;")
    depth = draw(st.sampled_from((0, 1, 3, 50, 400, 3000)))
    tag = draw(st.sampled_from(("div", "blockquote", "span", "b", "table><tr><td", "ul><li")))
    close = "".join(f"</{t}>" for t in reversed(tag.split("><")))
    nested = f"<{tag}>" * depth + text + (close * depth if draw(st.booleans()) else "")
    extra = draw(
        st.sampled_from(
            (
                "",
                '<div class="gmail_quote">On Mon Maria wrote:'
                "<blockquote>in order to</blockquote></div>",
                '<div id="divRplyFwdMsg">From: x</div><div>utilize</div>',
                '<p class="MsoNormal" style="margin:0">Hi<o:p></o:p></p>',
                "<style>p{}</style><script>alert(1)</script>",
                '<div style="display:none">hidden utilize</div>',
                "<pre>code\n  here</pre>",
                "<!-- comment",
                "<br><br/><br />",
                "&#xD800;&#0;&#x110000;&nbsp;&bogus;",
                '<meta charset="koi8-r">',
            )
        )
    )
    return f"<html><body>{extra}{nested}</body></html>"


@st.composite
def leaf_parts(draw: st.DrawFn) -> tuple[str, bytes]:
    """One MIME leaf: headers (without the blank line) and its body bytes."""
    ctype = draw(
        st.sampled_from(
            ("text/plain", "text/html", "application/pdf", "message/rfc822", "text/x-weird", "")
        )
    )
    charset = draw(st.sampled_from(CHARSETS))
    cte = draw(st.sampled_from(ENCODINGS))
    body = draw(html_bodies()) if ctype == "text/html" else draw(drafts(max_blocks=4))
    headers = []
    if ctype:
        params = f"; charset={charset}" if charset and draw(st.booleans()) else ""
        headers.append(f"Content-Type: {ctype}{params}")
    if cte:
        headers.append(f"Content-Transfer-Encoding: {cte}")
    if draw(st.integers(0, 5)) == 0:
        headers.append('Content-Disposition: attachment; filename="x.txt"')
    return "\r\n".join(headers), _encode_body(body, charset, cte)


@st.composite
def mime_entities(draw: st.DrawFn, depth: int = 0) -> tuple[str, bytes]:
    """A leaf or a multipart (maybe nested, maybe with broken boundaries)."""
    if depth >= 3 or draw(st.integers(0, 2)) == 0:
        return draw(leaf_parts())
    boundary = draw(st.sampled_from(("b1", "==_x_==", "a" * 75, "with space", "", "b1")))
    children = draw(
        st.lists(
            st.deferred(lambda: mime_entities(depth + 1)),  # type: ignore[no-any-return]
            min_size=0,
            max_size=3,
        )
    )
    sub = draw(st.sampled_from(("mixed", "alternative", "related", "signed", "report")))
    declared = draw(
        st.sampled_from((f'"{boundary}"', boundary, "", f'"{boundary}x"', f'"{boundary}'))
    )
    header = f"Content-Type: multipart/{sub}" + (f"; boundary={declared}" if declared else "")
    used = boundary if draw(st.integers(0, 4)) else boundary + "-wrong"
    out = io.BytesIO()
    if draw(st.booleans()):
        out.write(b"This is a multi-part message in MIME format.\r\n")
    for h, b in children:
        out.write(f"--{used}\r\n{h}\r\n\r\n".encode("utf-8", "surrogatepass"))
        out.write(b + b"\r\n")
    if draw(st.integers(0, 3)):
        out.write(f"--{used}--\r\n".encode())
    if draw(st.integers(0, 5)) == 0:
        out.write(b"epilogue \xff\xfe")
    return header, out.getvalue()


@st.composite
def emails(draw: st.DrawFn) -> Mail:
    """An .eml file: valid or malformed MIME, odd charsets, encoded words, bare CRs."""
    headers = ["From: Jane <jane@example.com>", "To: maria@example.com"]
    subject = draw(sentences())
    how = draw(st.integers(0, 3))
    if how == 1:
        subject = _encoded_word(subject, draw(st.sampled_from(CHARSETS)), draw(st.booleans()))
    elif how == 2:
        subject = subject + "\r\n " + draw(sentences())  # folded
    headers.append("Subject: " + subject)
    if draw(st.booleans()):
        headers.append("MIME-Version: 1.0")
    if draw(st.booleans()):
        headers.append("Date: Mon, 3 Jun 2024 10:02:11 +0200")
    entity_headers, body = draw(mime_entities())
    if entity_headers:
        headers.append(entity_headers)
    nl = draw(st.sampled_from(("\r\n", "\n", "\r")))
    head = nl.join(headers).encode("utf-8", "surrogatepass")
    if nl != "\r\n":
        body = body.replace(b"\r\n", nl.encode())
    data = head + nl.encode() + nl.encode() + body
    mangle = draw(st.integers(0, 12))
    if mangle == 0:
        data = data[: draw(st.integers(0, len(data)))]  # truncated file
    elif mangle == 1:
        data = b"\xef\xbb\xbf" + data  # BOM before the headers
    elif mangle == 2:
        data = data.replace(b"\r\n", b"\r")
    elif mangle == 3:
        data = b"\xd0\xcf\x11\xe0" + data  # looks like an Outlook .msg
    elif mangle == 4:
        data = data + b"\x00" * draw(st.integers(1, 50))
    name = draw(st.sampled_from(("message.eml", "message.eml", "message", "page.html")))
    return Mail(data, name)


# --- batches --------------------------------------------------------------------------


@dataclass(frozen=True)
class Batch:
    """A batch file and how many records it holds (each must come back as a document
    or a BadRecord)."""

    data: bytes
    name: str
    records: int


def _deep(depth: int, kind: str) -> str:
    if kind == "list":
        return "[" * depth + "]" * depth
    return '{"a":' * depth + '"x"' + "}" * depth


@st.composite
def jsonl_lines(draw: st.DrawFn) -> str:
    """One JSON Lines record: a ticket, a bad line, or deep nesting."""
    kind = draw(st.integers(0, 9))
    text = draw(drafts(max_blocks=3))
    if kind <= 3:
        obj = {"id": draw(st.integers()), "subject": draw(sentences()), "body": text}
        return json.dumps(obj, ensure_ascii=draw(st.booleans()))
    if kind == 4:
        return draw(
            st.sampled_from(("{", "nul", '{"body": 1}', "[]", "42", '"x"', "{}", "\ufeff{}"))
        )
    if kind == 5:
        return _deep(
            draw(st.sampled_from((10, 500, 5000, 100_000))), draw(st.sampled_from(("list", "obj")))
        )
    if kind == 6:
        # Zendesk-ish nesting with odd types
        return json.dumps(
            {"ticket": {"comments": [{"body": text, "public": draw(st.booleans())}, None, 3]}}
        )
    if kind == 7:
        return json.dumps({"body": text, "html_body": draw(html_bodies())})
    if kind == 8:
        return json.dumps({"body": {"nested": [text]}, "subject": [1, 2]})
    return json.dumps({"body": text}).replace("\\n", "\n")  # a record split over lines


@st.composite
def jsonl_batches(draw: st.DrawFn) -> Batch:
    lines = draw(st.lists(jsonl_lines(), min_size=0, max_size=8))
    out = io.BytesIO()
    records = 0
    for line in lines:
        encoded = line.encode("utf-8", "surrogatepass")
        if draw(st.integers(0, 15)) == 0:
            encoded = encoded + b"\xff\xc3("  # not UTF-8
        pieces = [p for p in encoded.split(b"\n")]
        records += sum(1 for p in pieces if p.strip())
        out.write(encoded + draw(st.sampled_from((b"\n", b"\r\n", b"\n\n"))))
    return Batch(out.getvalue(), "batch.jsonl", records)


@st.composite
def csv_batches(draw: st.DrawFn) -> Batch:
    """A CSV export; bad rows have the wrong number of fields or invalid bytes."""
    delimiter = draw(st.sampled_from((",", ";", "\t", "|")))
    header = ["id", "subject", draw(st.sampled_from(("body", "Body", "TEXT", "reply")))]
    out = io.StringIO()
    # A writer ending rows with "\n" alone does not quote a field holding a bare "\r",
    # which a reader then takes for a row end: such a file has no definite record count.
    terminator = draw(st.sampled_from(("\r\n", "\n")))
    quoting = csv.QUOTE_MINIMAL if terminator == "\r\n" else csv.QUOTE_ALL
    writer = csv.writer(out, delimiter=delimiter, lineterminator=terminator, quoting=quoting)
    writer.writerow(header)
    rows = draw(st.lists(st.tuples(st.integers(0, 6), drafts(max_blocks=3)), max_size=8))
    bad_bytes: list[int] = []
    records = 0
    for n, (kind, text) in enumerate(rows):
        text = text.replace("\x00", "")
        if kind == 0:
            writer.writerow([n, "extra", text, "field"])  # one field too many
        elif kind == 1:
            writer.writerow([n])  # too few
        elif kind == 2:
            bad_bytes.append(n)
            writer.writerow([n, "s", f"BADBYTES{n}"])
        else:
            writer.writerow([n, draw(sentences()), text])
        records += 1
    data = out.getvalue().encode("utf-8", "surrogatepass")
    for n in bad_bytes:
        data = data.replace(f"BADBYTES{n}".encode(), b"caf\xe9 \xff")
    if draw(st.integers(0, 8)) == 0:
        data = b"\xef\xbb\xbf" + data
    return Batch(data, draw(st.sampled_from(("batch.csv", "batch.tsv"))), records)


@st.composite
def json_batches(draw: st.DrawFn) -> Batch:
    """A .json file: a list of tickets, or ``{"tickets": [...]}``."""
    items = draw(st.lists(st.one_of(jsonl_lines().map(lambda s: s), st.just("null")), max_size=6))
    parsed = []
    for item in items:
        try:
            parsed.append(json.loads(item.replace("\n", "\\n")))
        except (json.JSONDecodeError, RecursionError):
            parsed.append(None)
    if draw(st.booleans()):
        doc: object = {"tickets": parsed}
    else:
        doc = parsed
    try:
        data = json.dumps(doc).encode("utf-8", "surrogatepass")
    except (RecursionError, ValueError):
        data = b"[]"
        parsed = []
    return Batch(data, "tickets.json", len(parsed))


batches = st.one_of(jsonl_batches(), csv_batches(), json_batches())
