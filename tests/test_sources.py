"""Sources: e-mails, HTML, tickets and batches read into documents with regions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import clarity
from clarity.draft import Draft
from clarity.errors import InputError
from clarity.sources import BadRecord, find_regions, read, read_one
from clarity.sources.charset import decode_bytes
from clarity.sources.htmltext import html_to_text
from clarity.sources.mail import decode_header_value, parse_eml
from clarity.sources.regions import detect_regions, merge_regions
from clarity.types import Region

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
EMAIL = DATA / "email"
TICKETS = DATA / "tickets"
DRAFTS = DATA / "drafts"

# fixture -> the regions expected, in order: (kind, region text starts with, ends with)
EXPECTED: dict[str, list[tuple[str, str, str]]] = {
    "email/gmail_reply.eml": [
        ("greeting", "Hi Maria,", "Hi Maria,"),
        ("signoff", "Best,", "Best,"),
        ("signature", "Sam\n", "sam.lee@example.com"),
        ("quote", "On Mon, 3 Jun 2024 at 10:15, Maria Lopez", "> Maria"),
    ],
    "email/outlook_plain_cp1252.eml": [
        ("greeting", "Hello Mr. Becker,", "Hello Mr. Becker,"),
        ("signoff", "Kind regards,", "Kind regards,"),
        ("signature", "Helen Marsh", "Tel: +1 555 0142"),
        ("disclaimer", "This e-mail and any attachments", "delete it."),
        ("quote", "________________________________\nFrom: Becker, Thomas", "Thomas"),
    ],
    "email/outlook_html_only.eml": [
        ("greeting", "Hi Priya,", "Hi Priya,"),
        ("signoff", "Kind regards,", "Kind regards,"),
        ("signature", "João Silva", "Phone: +1 555 0177"),
        ("quote", "From: Priya Shah", "Priya"),
    ],
    "email/apple_mail_iphone.eml": [
        ("greeting", "Hi Tom,", "Hi Tom,"),
        ("signoff", "Thanks,", "Thanks,"),
        ("signature", "Ana", "Sent from my iPhone"),
        ("quote", "> On 3 Jun 2024, at 15:20, Tom Baker", "SSID is not available."),
    ],
    "email/thunderbird_inline.eml": [
        ("quote", "On 03/06/2024 09:41, Maria Lopez wrote:", "since this morning."),
        ("quote", "> Also, my mailbox", "almost full."),
        ("signoff", "Cheers,", "Cheers,"),
        ("signature", "Dave\n", "IT Support"),
    ],
    "email/outlook_android_mislabelled.eml": [
        ("greeting", "Hi Lena,", "Hi Lena,"),
        ("signoff", "Thanks,", "Thanks,"),
        ("signature", "Raj", "Get Outlook for Android"),
        ("quote", "________________________________\nFrom: Lena Novak", "Can you help?"),
    ],
    "email/gmail_html_only.eml": [
        ("greeting", "Hello Ahmed,", "Hello Ahmed,"),
        ("signoff", "Best regards,", "Best regards,"),
        ("signature", "Kim", "+1 555 0155"),
        ("quote", "On Fri, 31 May 2024 at 16:40, Ahmed Khan", "the Q2 reports."),
    ],
    "email/gmail_forward_de.eml": [
        ("greeting", "Hallo Team,", "Hallo Team,"),
        ("signoff", "Thanks,", "Thanks,"),
        ("signature", "Eva", "Eva"),
        ("quote", "---------- Weitergeleitete Nachricht ---------", "nicht mehr anmelden."),
    ],
    "email/broken_no_boundary.eml": [
        ("greeting", "Hi Maria,", "Hi Maria,"),
        ("signoff", "Thanks,", "Thanks,"),
        ("signature", "Sam", "Sam"),
    ],
    "drafts/pasted_history.txt": [
        ("greeting", "Hi Carlos,", "Hi Carlos,"),
        ("signoff", "Regards,", "Regards,"),
        ("signature", "Nina", "Service Desk"),
        ("quote", "-----Original Message-----", "causing this."),
    ],
    "drafts/inline_plain.txt": [
        ("quote", "Maria Lopez <maria.lopez@example.com> wrote:", "to the printer."),
        ("quote", "> And the screen flickers", "the monitor."),
        ("signature", "Sent from my iPad", "Sent from my iPad"),
    ],
    "drafts/logs_and_code.md": [
        ("greeting", "Hi Jordan,", "Hi Jordan,"),
        ("code", "```\n2024-06-03 08:14:02,117 ERROR", "```"),
        ("log", "Traceback (most recent call last):", "AuthError: invalid_grant"),
        ("log", 'Exception in thread "main"', "(Main.java:17)"),
        ("code", "    acme-sync logout", "jordan@example.com"),
        ("code", "`acme-sync status`", "`acme-sync status`"),
        ("signoff", "Thanks,", "Thanks,"),
        ("signature", "Priya", "Priya"),
    ],
    "tickets/zendesk.json": [
        ("greeting", "Hi Sam,", "Hi Sam,"),
        ("signoff", "Best,", "Best,"),
        ("signature", "Li", "Li"),
        ("quote", "On Mon, 3 Jun 2024 at 08:58, Sam", "Can you help?"),
    ],
    "tickets/freshdesk.json": [
        ("greeting", "Hello Mia,", "Hello Mia,"),
        ("signoff", "Kind regards,", "Kind regards,"),
        ("signature", "Omar", "IT Support"),
    ],
}
#: Kinds whose findings are dropped.
IGNORED = {"quote", "signature", "disclaimer", "code", "log"}


def _doc(name: str) -> Draft:
    return read_one(str(DATA / name))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_regions(name: str) -> None:
    doc = _doc(name)
    got = [(r.kind, doc.text[r.start : r.end]) for r in doc.regions]
    expected = EXPECTED[name]
    assert [k for k, _ in got] == [k for k, _, _ in expected], got
    for (kind, text), (_, head, tail) in zip(got, expected, strict=True):
        assert text.startswith(head), (kind, text)
        assert text.endswith(tail), (kind, text)
        assert text == text.strip("\n"), "regions never start or end with a line break"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_findings_never_fall_in_ignored_regions(checker: clarity.Checker, name: str) -> None:
    doc = _doc(name)
    report = checker.check(doc.text, regions=doc.regions, subject=doc.subject)
    ignored = [r for r in doc.regions if r.kind in IGNORED]
    for f in report.findings:
        assert not any(f.start < r.end and r.start < f.end for r in ignored), (f.code, f.text)
    for s in report.readability.sentence_scores:
        assert not any(r.start <= s.start and s.end <= r.end for r in doc.regions)


def test_regions_are_what_silences_the_quoted_jargon(checker: clarity.Checker) -> None:
    doc = _doc("email/gmail_reply.eml")
    quoted = {f.text for f in checker.check(doc.text, regions=()).findings}
    assert {"latency", "escalate"} & quoted, "the quoted history has jargon to ignore"
    kept = {f.text for f in checker.check(doc.text, regions=doc.regions).findings}
    assert not {"latency", "escalate", "DNS server"} & kept


def test_greeting_and_signoff_count_for_findings_not_readability(
    checker: clarity.Checker,
) -> None:
    text = "Dear Mr. Becker,\n\nThe printer works again.\n\nKind regards,\nHelen"
    doc = Draft(text, regions=find_regions(text))
    kinds = {r.kind for r in doc.regions}
    assert {"greeting", "signoff", "signature"} <= kinds
    report = checker.check(text, regions=doc.regions)
    assert report.readability.sentences == 1  # only the message itself
    greeting = next(r for r in doc.regions if r.kind == "greeting")
    assert not greeting.ignored_by("findings") and not greeting.ignored_by("tone")
    assert greeting.ignored_by("readability")
    quote = Region(0, 1, "quote")
    assert all(quote.ignored_by(p) for p in ("findings", "readability", "tone"))
    with pytest.raises(ValueError):
        quote.ignored_by("spelling")


def test_a_finding_in_a_greeting_is_kept(checker: clarity.Checker) -> None:
    text = "Hi SSO team,\n\nThe printer works again."
    as_quote = checker.check(text, regions=[Region(0, 12, "quote")])
    assert "SSO" not in {f.text for f in as_quote.findings}
    as_greeting = checker.check(text, regions=[Region(0, 12, "greeting")])
    assert "SSO" in {f.text for f in as_greeting.findings}
    assert as_greeting.readability.sentences == 1


# --- decoding -------------------------------------------------------------------


def test_windows_1252_labelled_latin1_is_decoded_without_loss() -> None:
    doc = _doc("email/outlook_plain_cp1252.eml")
    assert "near the café, and it prints again" in doc.text
    assert "We’ve replaced the toner" in doc.text
    assert "“Paper jam”" in doc.text
    assert doc.meta["charset"] == "windows-1252"
    assert "\r" not in doc.text


def test_utf8_labelled_latin1_is_decoded_as_utf8() -> None:
    doc = _doc("email/outlook_android_mislabelled.eml")
    assert "Your café loyalty app" in doc.text
    assert doc.meta["charset"] == "utf-8"
    assert doc.subject == "RE: RE: Fwd: Locked out"


def test_html_only_base64_cp1252_with_encoded_headers() -> None:
    doc = _doc("email/outlook_html_only.eml")
    assert doc.meta["body"] == "html"
    assert doc.subject == "RE: Laptop replacement – ready to collect"
    assert doc.meta["from"] == "João Silva <joao.silva@example.com>"
    assert "Desktop Support – Acme Corp" in doc.text
    assert "<p " not in doc.text and "MsoNormal" not in doc.text and "&nbsp;" not in doc.text


def test_quoted_printable_plain_part_is_preferred() -> None:
    doc = _doc("email/gmail_reply.eml")
    assert doc.meta["body"] == "plain"
    assert "when you work from the café." in doc.text
    assert "\n-- \nSam Lee" in doc.text  # the delimiter's trailing space survives QP
    assert doc.subject == "Re: VPN keeps dropping"


def test_thunderbird_8bit_and_encoded_from() -> None:
    doc = _doc("email/thunderbird_inline.eml")
    assert doc.meta["from"] == "Dave Müller <dave.mueller@example.com>"
    assert "Dave Müller" in doc.text


@pytest.mark.parametrize("path", sorted(EMAIL.glob("*.eml")), ids=lambda p: p.name)
def test_no_replacement_characters(path: Path) -> None:
    try:
        doc = read_one(str(path))
    except InputError:
        return
    assert "\ufffd" not in doc.text and "\ufffd" not in (doc.subject or "")


def test_broken_mime_is_read_as_far_as_it_goes() -> None:
    doc = _doc("email/broken_no_boundary.eml")
    assert doc.text.startswith("Hi Maria,\n\nThe printer works again.")
    assert "--b1_0a9f" not in doc.text and "<p>" not in doc.text
    assert "NoBoundaryInMultipartDefect" in doc.meta["defects"]


def test_attachments_are_not_the_draft() -> None:
    doc = _doc("email/gmail_forward_de.eml")
    assert "JVBER" not in doc.text


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "empty file"),
        (b"just text\nno headers\n", "no header lines"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "Outlook .msg"),
        ((EMAIL / "attachment_only.eml").read_bytes(), "no text body (only application/pdf)"),
    ],
)
def test_unreadable_email_is_one_clear_error(data: bytes, fragment: str) -> None:
    with pytest.raises(InputError, match=r"^x\.eml: ") as info:
        parse_eml(data, "x.eml")
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("data", "label", "text"),
    [
        (b"plain ascii", "utf-16", "plain ascii"),
        ("café".encode(), "iso-8859-1", "café"),
        ("café".encode("cp1252"), "utf-8", "café"),
        ("“quoted” €5".encode("cp1252"), "iso-8859-1", "“quoted” €5"),
        ("“quoted”".encode("cp1252"), None, "“quoted”"),
        ("naïve".encode("latin-1"), "x-unknown-charset", "naïve"),
        (b"\x81\x8d\x8f\x90\x9d", "windows-1252", "\x81\x8d\x8f\x90\x9d"),
        ("Привет".encode("koi8-r"), "koi8-r", "Привет"),
        ("こんにちは".encode("shift_jis"), "shift_jis", "こんにちは"),
        ("\ufeffhello é".encode(), None, "hello é"),
    ],
)
def test_decode_bytes(data: bytes, label: str | None, text: str) -> None:
    assert decode_bytes(data, label)[0] == text


def test_header_values() -> None:
    assert decode_header_value("=?iso-8859-1?q?caf=E9?= ok") == "café ok"
    assert decode_header_value("=?iso-8859-1?q?caf=C3=A9?=") == "café"  # mislabelled
    assert decode_header_value("caf\udce9 cr\udce8me") == "café crème"  # raw 8-bit cp1252
    assert decode_header_value("Re: a long\r\n subject") == "Re: a long subject"


# --- HTML -----------------------------------------------------------------------


def test_html_rendering() -> None:
    html = (
        "<html><head><title>x</title><style>p{}</style></head><body>"
        "<p>Hi&nbsp;Sam,</p><p>&nbsp;</p><p>Please <b>restart</b>\n   the laptop.</p>"
        "<ul><li>Open Settings</li><li>Click <i>Accounts</i></li></ul>"
        "<ol><li>One</li><li>Two</li></ol>"
        "<span style='display: none'>preheader</span><script>alert(1)</script>"
        "<table><tr><td>Name</td><td>Sam</td></tr></table>"
        "<pre>ping  example.com</pre><blockquote>old<br>text</blockquote></body></html>"
    )
    text, regions = html_to_text(html)
    assert text.startswith("Hi Sam,\n\nPlease restart the laptop.\n")
    assert "- Open Settings\n- Click Accounts" in text
    assert "1. One\n2. Two" in text
    assert "preheader" not in text and "alert" not in text and "x" not in text.split("\n")[0]
    assert "Name\tSam" in text
    assert "ping  example.com" in text
    assert "> old\n> text" in text
    kinds = {r.kind: text[r.start : r.end] for r in regions}
    assert kinds["code"] == "ping  example.com"
    assert kinds["quote"] == "> old\n> text"


# --- tickets --------------------------------------------------------------------


def test_zendesk_draft_is_the_last_public_agent_comment() -> None:
    doc = _doc("tickets/zendesk.json")
    assert doc.meta["format"] == "zendesk" and doc.meta["comment_id"] == 1003
    assert doc.text.startswith("Hi Sam,\n\nThanks for waiting.")
    assert doc.subject == "VPN not connecting from home"


def test_freshdesk_draft_skips_private_notes_and_customer_replies() -> None:
    doc = _doc("tickets/freshdesk.json")
    assert doc.meta["conversation_id"] == 90001
    assert "Credential Manager" in doc.text and "conditional access" not in doc.text
    assert doc.subject == "URGENT: OUTLOOK KEEPS ASKING FOR MY PASSWORD"


def test_helpscout_draft_is_the_agent_reply_rendered_from_html() -> None:
    doc = _doc("tickets/helpscout.json")
    assert doc.meta["thread_id"] == 2
    assert doc.text.startswith("Hi Lee,\n\nPlease switch the printer off")


def test_generic_ticket_and_named_field(tmp_path: Path) -> None:
    doc = _doc("tickets/generic.json")
    assert doc.subject == "Re: Re: Fwd: New starter laptop" and doc.text.startswith("Hi Ben,")
    nested = tmp_path / "t.json"
    nested.write_text('{"ticket": {"reply": {"text": "Hello."}}, "title": "T"}', encoding="utf-8")
    doc = read_one(str(nested), field="ticket.reply.text")
    assert doc.text == "Hello." and doc.subject == "T"
    with pytest.raises(InputError, match=r"no field 'ticket\.draft'"):
        read_one(str(nested), field="ticket.draft")


@pytest.mark.parametrize(
    ("name", "fragment"),
    [("tickets/no_draft.json", "no draft text found"), ("tickets/broken.json", "invalid JSON")],
)
def test_bad_tickets(name: str, fragment: str) -> None:
    with pytest.raises(InputError, match=fragment):
        _doc(name)


def test_json_list_of_tickets(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text('{"tickets": [{"body": "One."}, {"nope": 1}, {"body": "Two."}]}')
    items = list(read(str(path)))
    assert [type(i).__name__ for i in items] == ["Draft", "BadRecord", "Draft"]
    assert items[1].source == f"{path}:ticket 2"


# --- batches --------------------------------------------------------------------


def test_csv_streams_rows_and_reports_bad_ones() -> None:
    path = TICKETS / "tickets.csv"
    items = list(read(str(path)))
    sources = [i.source for i in items]
    assert sources == [f"{path}:row {n}" for n in range(1, 7)]
    bad = {i.source: i.message for i in items if isinstance(i, BadRecord)}
    assert set(bad) == {f"{path}:row 3", f"{path}:row 5"}
    assert "malformed CSV" in bad[f"{path}:row 3"]
    assert "6 fields but the header has 4" in bad[f"{path}:row 5"]
    first = items[0]
    assert isinstance(first, Draft)
    assert first.text.startswith("Hi Ana,\n\nYour password has been reset.")  # quoted newlines
    assert first.subject == "Password reset" and first.meta["id"] == "101"
    printer = items[3]
    assert isinstance(printer, Draft)
    assert "quote" in {r.kind for r in printer.regions}


def test_csv_column_errors_and_encoding(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("id;Reply Text\n1;Hello there.\n", encoding="utf-8")
    docs = list(read(str(path), column="reply text"))
    assert isinstance(docs[0], Draft) and docs[0].text == "Hello there."
    with pytest.raises(InputError, match=r"no column 'body'.*columns: id, Reply Text"):
        list(read(str(path), column="body"))
    latin = tmp_path / "l.csv"
    latin.write_bytes("body\nCafé crème\n".encode("cp1252"))
    (item,) = read(str(latin))
    assert isinstance(item, BadRecord) and "not valid utf-8" in item.message
    (item,) = read(str(latin), encoding="cp1252")
    assert isinstance(item, Draft) and item.text == "Café crème"


def test_batches_carry_the_customers_message(tmp_path: Path) -> None:
    """A ``customer`` column or field is the message the draft answers, as
    ``clarity audit`` reads it: the upset customer is seen (T012) in a CSV row, a JSON
    Lines record and with ``--field``, and the customer's own term is no jargon."""
    customer = "This is the third time my VPN has dropped today and I am furious."
    reply = "Please restart the VPN and try again."
    csv_path = tmp_path / "t.csv"
    csv_path.write_text(f'id,customer,reply\n1,"{customer}","{reply}"\n', encoding="utf-8")
    jsonl = tmp_path / "t.jsonl"
    record = {"customer": customer, "reply": reply, "nested": {"text": reply}}
    jsonl.write_text(json.dumps(record) + "\n", encoding="utf-8")
    drafts = [*read(str(csv_path)), *read(str(jsonl)), *read(str(jsonl), field="nested.text")]
    checker = clarity.Checker()
    for draft in drafts:
        assert isinstance(draft, Draft) and draft.incoming == customer and draft.text == reply
        codes = [f.code for f in checker.check(draft.text, incoming=draft.incoming).findings]
        assert codes == ["T012"], draft.source
    alone = [f.code for f in checker.check(reply).findings]
    assert "T012" not in alone and "J001" in alone  # without it: no upset, VPN is jargon


def test_jsonl_streams_lines_and_reports_bad_ones() -> None:
    path = TICKETS / "tickets.jsonl"
    items = list(read(str(path)))
    assert [i.source for i in items] == [f"{path}:line {n}" for n in (1, 2, 3, 4, 6, 7)]
    bad = {i.source: i.message for i in items if isinstance(i, BadRecord)}
    assert "invalid JSON" in bad[f"{path}:line 3"]
    assert "no draft text found" in bad[f"{path}:line 6"]
    zendesk = items[3]
    assert isinstance(zendesk, Draft) and zendesk.text.startswith("Hi Kim,")
    only = list(read(str(path), field="subject"))
    assert isinstance(only[0], Draft) and only[0].text == "Wi-Fi"


def test_kind_plain_turns_detection_off() -> None:
    path = str(DRAFTS / "pasted_history.txt")
    assert read_one(path).regions
    assert read_one(path, kind="plain").regions == ()


def test_stdin_like_mail_is_sniffed(tmp_path: Path) -> None:
    raw = (EMAIL / "gmail_reply.eml").read_bytes()
    path = tmp_path / "message"  # no extension
    path.write_bytes(raw)
    assert read_one(str(path)).meta["kind"] == "eml"
    with pytest.raises(InputError, match="unknown kind"):
        read_one(str(path), kind="docx")


# --- detection details ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "region"),
    [
        ("Done.\n\nAm 03.06.2024 um 10:15 schrieb Maria <m@example.com>:\n> Hallo", "quote", 1),
        ("Done.\n\nLe lun. 3 juin 2024 à 10:15, Marie a écrit :\n> Bonjour", "quote", 1),
        ("Done.\n\nEl lun, 3 jun 2024 a las 10:15, Ana escribió:\n> Hola", "quote", 1),
        (
            "Done.\n\nVon: Maria\nGesendet: Montag, 3. Juni 2024\nAn: Desk\nBetreff: Hilfe\n\nx",
            "quote",
            1,
        ),
        ("Done.\n\n-------- Forwarded Message --------\nSubject: x\n\nold", "quote", 1),
        ("Done.\n\nBegin forwarded message:\n\nFrom: a\nold", "quote", 1),
        ("Done.\n\nVon meinem iPhone gesendet", "signature", 1),
        ("Done.\n\nSent from my Samsung Galaxy smartphone.", "signature", 1),
        ("Done.\n\n--\nSam\n555 0100", "signature", 1),
        (
            "Done.\n\nCAUTION: This email originated from outside of the organization.",
            "disclaimer",
            1,
        ),
        ("Good morning Ana!\n\nDone.", "greeting", 0),
        ("Done.\n\nMit freundlichen Grüßen\nEva Schmidt", "signoff", 1),
        (
            "Done.\n\n[2024-06-03 10:15:00] ERROR disk full\n[2024-06-03 10:15:01] INFO retry",
            "log",
            1,
        ),
        ("Done.\n\n   at Acme.Sync.Run() in C:\\src\\Sync.cs:line 42", "log", 1),
    ],
)
def test_detects(text: str, kind: str, region: int) -> None:
    regions = detect_regions(text)
    nonblank = [r for r in regions if r.kind == kind]
    assert nonblank, (kind, regions)
    block = text.split("\n\n")[region]
    assert text[nonblank[0].start : nonblank[0].end].startswith(block.split("\n")[0])


@pytest.mark.parametrize(
    "text",
    [
        "Thanks for your patience while we look at this.\n\nThe printer works again.",
        "On Monday we will replace the laptop. It will be ready by noon.",
        "From: the start of next week, the VPN changes.\nPlease sign in again.",
        "Hi Maria, thanks for your message. The printer works again.",
        "Please call us:\n\n    Monday to Friday\n    9am to 5pm\n\nThanks.",
        "Best practice is to restart the laptop once a week.\nIt keeps things fast.",
        "If you received this email in a shared mailbox, forward it to your manager.",
        "Thanks!\n\nThe printer works again.\n\nIt prints in colour too.",
    ],
)
def test_no_false_positives_in_prose(text: str) -> None:
    assert not [r for r in detect_regions(text) if r.kind in IGNORED]


@pytest.mark.parametrize(
    "path", sorted((DATA / "plain_replies").glob("*.txt")), ids=lambda p: p.name
)
def test_plain_replies_keep_their_prose(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    regions = detect_regions(text)
    assert {r.kind for r in regions} <= {"greeting", "signoff", "signature"}
    covered = sum(r.end - r.start for r in regions)
    assert covered < 0.25 * len(text)


def test_merge_regions_priority_and_joining() -> None:
    text = "aaaa\n\nbbbb"
    merged = merge_regions(
        [Region(0, 4, "quote"), Region(6, 10, "quote"), Region(1, 3, "signoff")], text
    )
    assert merged == [Region(0, 10, "quote")]
    assert merge_regions([Region(0, 5, "code"), Region(3, 8, "signature")]) == [
        Region(0, 3, "code"),
        Region(3, 8, "signature"),
    ]
    assert merge_regions([Region(3, 3, "quote")]) == []


# --- properties -----------------------------------------------------------------

EMAIL_LINES = st.sampled_from(
    [
        "Hi Maria,",
        "Thanks,",
        "Kind regards,",
        "Sam",
        "-- ",
        "--",
        "> quoted line",
        ">",
        "On Mon, 3 Jun 2024 at 10:15, Maria <m@example.com> wrote:",
        "On Mon, 3 Jun 2024 at 10:15, Maria <",
        "-----Original Message-----",
        "From: Maria",
        "Sent: Monday",
        "To: Desk",
        "Subject: Help",
        "________________________________",
        "Sent from my iPhone",
        "```",
        "    indented = code()",
        "Traceback (most recent call last):",
        "    at com.acme.Foo(Foo.java:1)",
        "2024-06-03 10:15:00 ERROR x",
        "This e-mail is confidential.",
        "Please restart the laptop.",
        "`inline` and `more`",
        "",
        "\r",
        "   ",
    ]
)
emails = st.lists(EMAIL_LINES, max_size=40).map("\n".join)


def _check_regions(text: str, regions: list[Region]) -> None:
    last_end = 0
    for r in regions:
        assert 0 <= r.start < r.end <= len(text)
        assert r.start >= last_end
        last_end = r.end
        assert r.kind in {"quote", "signature", "disclaimer", "code", "log", "greeting", "signoff"}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_regions_are_sorted_disjoint_and_in_bounds(text: str) -> None:
    _check_regions(text, detect_regions(text))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(emails)
def test_regions_of_email_like_text(text: str) -> None:
    regions = detect_regions(text)
    _check_regions(text, regions)
    for r in regions:
        assert text[r.start] not in "\r\n" and text[r.end - 1] not in "\r\n"
