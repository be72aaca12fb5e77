"""Writing a fixed draft back into its file: the readers read the new text back, and
every byte outside the draft is kept."""

from __future__ import annotations

import email
import email.policy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clarity.errors import InputError
from clarity.inputs import decode
from clarity.sources import read
from clarity.sources.document import BadRecord
from clarity.sources.mail import parse_eml
from clarity.sources.tables import iter_csv, iter_jsonl
from clarity.sources.tickets import ticket_body
from clarity.sources.writeback import Locator, WriteBack, replace_draft

DATA = Path(__file__).parent / "data"
WB = DATA / "writeback"
TICKETS = DATA / "tickets"


def _headers(data: bytes) -> bytes:
    """The bytes before the first blank line."""
    cut = [i for i in (data.find(b"\r\n\r\n"), data.find(b"\n\n")) if i >= 0]
    return data[: min(cut)]


def _changed(old: bytes, new: bytes) -> tuple[bytes, bytes]:
    """The differing middle of ``old`` and ``new`` (common prefix and suffix removed)."""
    p = 0
    while p < min(len(old), len(new)) and old[p] == new[p]:
        p += 1
    s = 0
    while s < min(len(old), len(new)) - p and old[-1 - s] == new[-1 - s]:
        s += 1
    return old[p : len(old) - s], new[p : len(new) - s]


def _edit(text: str) -> str:
    return text.replace("In order to", "To").replace("utilize", "use") + "Naïve café – ok\n"


# -- e-mail ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["qp_alternative.eml", "base64_plain.eml", "nested_mixed.eml"],
)
def test_eml_round_trip_keeps_headers_and_other_parts(name: str) -> None:
    data = (WB / name).read_bytes()
    old = parse_eml(data, name).text
    new_text = _edit(old)
    result = replace_draft(data, "eml", new_text, source=name, old_text=old)
    assert parse_eml(result.data, name).text == new_text
    assert _headers(result.data) == _headers(data)
    before, after = _changed(data, result.data)
    # Only the text/plain body changed: no header, boundary or other part inside.
    for chunk in (before, after):
        assert b"Content-" not in chunk and b"--" not in chunk
    # The line endings of the file are kept.
    assert result.data.count(b"\n") == result.data.count(b"\r\n")


def test_eml_quoted_printable_encoding_is_kept() -> None:
    data = (WB / "qp_alternative.eml").read_bytes()
    old = parse_eml(data, "m").text
    new_text = old.replace("We’ve restored", "We’ve now restored") + "Merci – à bientôt\n"
    result = replace_draft(data, "eml", new_text)
    _, after = _changed(data, result.data)
    assert b"=E2=80=99" in result.data and "’".encode() not in result.data
    assert b"=C3=A0 bient=C3=B4t" in after
    assert all(len(line) <= 76 for line in result.data.split(b"\r\n"))
    msg = email.message_from_bytes(result.data, policy=email.policy.default)
    plain = next(p for p in msg.walk() if p.get_content_type() == "text/plain")
    assert plain["Content-Transfer-Encoding"] == "quoted-printable"
    # The HTML alternative is untouched, and the caller is told so.
    html_old = data[data.index(b"Content-Type: text/html") :]
    assert result.data.endswith(html_old)
    assert result.notes == ("<input>: the HTML version of the message was left unchanged",)


def test_eml_base64_keeps_line_length_and_crlf_inside() -> None:
    data = (WB / "base64_plain.eml").read_bytes()
    old = parse_eml(data, "m").text
    result = replace_draft(data, "eml", _edit(old))
    body = result.data.split(b"\r\n\r\n", 1)[1]
    lines = body.split(b"\r\n")
    assert {len(line) for line in lines[:-2]} == {76}
    msg = email.message_from_bytes(result.data)
    payload = msg.get_payload(decode=True)
    assert isinstance(payload, bytes)
    assert b"\r\n" in payload and payload.count(b"\n") == payload.count(b"\r\n")
    assert payload.decode("utf-8").replace("\r\n", "\n") == _edit(old)


def test_eml_cp1252_8bit_with_lf_endings() -> None:
    data = (WB / "cp1252_8bit_lf.eml").read_bytes()
    old = parse_eml(data, "m").text
    new_text = old.replace("“Paper jam”", "“Paper jam” or “Toner low”")
    result = replace_draft(data, "eml", new_text)
    assert parse_eml(result.data, "m").text == new_text
    assert b"\r" not in result.data
    assert "“Toner low”".encode("cp1252") in result.data
    assert _headers(result.data) == _headers(data)


def test_eml_text_the_charset_cannot_hold_is_refused() -> None:
    data = (WB / "cp1252_8bit_lf.eml").read_bytes()
    old = parse_eml(data, "m").text
    with pytest.raises(InputError) as exc:
        replace_draft(data, "eml", old + "Next → done\n", source="m.eml")
    message = str(exc.value)
    assert "\n" not in message and "'→'" in message and "cp1252" in message


def test_eml_nested_attachment_and_attached_message_stay_byte_identical() -> None:
    data = (WB / "nested_mixed.eml").read_bytes()
    old = parse_eml(data, "m").text
    result = replace_draft(data, "eml", _edit(old))
    tail = data[data.index(b"--inner-b\r\nContent-Type: text/html") :]
    assert result.data.endswith(tail)  # HTML part, forwarded message and PDF untouched
    msg = email.message_from_bytes(result.data, policy=email.policy.default)
    (pdf,) = [p for p in msg.walk() if p.get_content_type() == "application/pdf"]
    original = email.message_from_bytes(data, policy=email.policy.default)
    (old_pdf,) = [p for p in original.walk() if p.get_content_type() == "application/pdf"]
    assert pdf.get_payload(decode=True) == old_pdf.get_payload(decode=True)


@pytest.mark.parametrize("path", sorted((DATA / "email").glob("*.eml")), ids=lambda p: p.name)
def test_eml_unchanged_text_gives_identical_bytes(path: Path) -> None:
    data = path.read_bytes()
    try:
        body = parse_eml(data, path.name)
    except InputError:
        return
    if body.meta.get("body") != "plain":
        with pytest.raises(InputError, match="the draft is HTML; clarity cannot write it back"):
            replace_draft(data, "eml", body.text)
        return
    try:
        result = replace_draft(data, "eml", body.text)
    except InputError as exc:  # broken MIME (no boundary) is refused, not guessed at
        assert "broken" in path.name, exc
        return
    assert result.data == data


def test_eml_html_only_is_refused_in_one_line() -> None:
    data = (DATA / "email" / "gmail_html_only.eml").read_bytes()
    with pytest.raises(InputError) as exc:
        replace_draft(data, "eml", "Hello", source="g.eml")
    assert str(exc.value) == "g.eml: the draft is HTML; clarity cannot write it back safely"


def test_eml_7bit_part_refuses_non_ascii() -> None:
    data = (
        b"From: a@example.com\r\nTo: b@example.com\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n"
        b"\r\nPlease restart.\r\n"
    )
    assert replace_draft(data, "eml", "Restart, please.\n").data.endswith(
        b"\r\n\r\nRestart, please.\r\n"
    )
    with pytest.raises(InputError, match="'é'"):
        replace_draft(data, "eml", "Café\n")


def test_eml_after_an_mbox_from_line() -> None:
    data = (
        b"From alice@example.com Mon Jun  3 10:00:00 2024\n"
        + (WB / "cp1252_8bit_lf.eml").read_bytes()
    )
    old = parse_eml(data.partition(b"\n")[2], "m").text
    result = replace_draft(data, "eml", old.replace("Helen", "Helen M."))
    assert result.data.startswith(b"From alice@example.com Mon Jun  3 10:00:00 2024\nFrom: Helen")
    assert parse_eml(result.data.partition(b"\n")[2], "m").text == old.replace("Helen", "Helen M.")


def test_changed_draft_is_not_overwritten() -> None:
    data = (WB / "qp_alternative.eml").read_bytes()
    with pytest.raises(InputError, match="changed since it was read"):
        replace_draft(data, "eml", "New", old_text="Some other draft")


_TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"), blacklist_characters="<&\r", max_codepoint=0x1FFFF
    )
    | st.sampled_from("\n\n \t=.,\"'"),
    max_size=300,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(new_text=_TEXT)
def test_eml_quoted_printable_property(new_text: str) -> None:
    data = (WB / "qp_alternative.eml").read_bytes()
    if not new_text.strip():
        # A blank plain part makes the reader take the HTML part: refused, not written.
        with pytest.raises(InputError, match="would not read back unchanged"):
            replace_draft(data, "eml", new_text)
        return
    result = replace_draft(data, "eml", new_text)
    assert parse_eml(result.data, "m").text == new_text
    assert _headers(result.data) == _headers(data)
    assert result.data.endswith(
        data[data.index(b"--000000000000f00dcafe0001\r\nContent-Type: text/html") :]
    )
    assert all(len(line) <= 76 for line in result.data.split(b"\r\n"))
    assert result.data.isascii()


# -- JSON tickets ---------------------------------------------------------------------


def _json_draft(data: bytes, field: str | None = None) -> str:
    return ticket_body(json.loads(decode(data, "t")), "t", field).text


@pytest.mark.parametrize("name", ["zendesk.json", "freshdesk.json", "generic.json"])
def test_json_ticket_only_the_draft_literal_changes(name: str) -> None:
    data = (TICKETS / name).read_bytes()
    old = _json_draft(data)
    new_text = old.replace("Please", "Kindly") + " Naïve → ok"
    result = replace_draft(data, "json", new_text, old_text=old)
    assert _json_draft(result.data) == new_text
    before, after = _changed(data, result.data)
    assert b'"' not in before.replace(b'\\"', b"") and b"\n" not in after
    # a pure-ASCII file stays pure ASCII
    assert result.data.isascii() and b"\\u2192" in after
    assert replace_draft(data, "json", old).data == data


def test_json_zendesk_picks_the_agent_reply_not_an_identical_copy() -> None:
    # The customer's comment has body, plain_body and the ticket description equal;
    # the draft (the agent's reply) must be the one changed.
    data = (TICKETS / "zendesk.json").read_bytes()
    obj = json.loads(data)
    result = replace_draft(data, "json", "Hi Sam, done.")
    new = json.loads(result.data)
    assert new["comments"][2]["body"] == "Hi Sam, done."
    new["comments"][2]["body"] = obj["comments"][2]["body"]
    assert new == obj


def test_json_utf8_file_keeps_raw_characters_bom_and_slash_escapes() -> None:
    text = '{\n\t"subject": "Café",\n\t"body": "Hi,\\r\\nsee https:\\/\\/example.com"\n}\n'
    data = b"\xef\xbb\xbf" + text.encode("utf-8")
    result = replace_draft(data, "json", "Hi there,\nsee https://example.com – ok")
    expected = text.replace(
        "Hi,\\r\\nsee https:\\/\\/example.com", "Hi there,\\r\\nsee https:\\/\\/example.com – ok"
    )
    assert result.data == b"\xef\xbb\xbf" + expected.encode("utf-8")


def test_json_list_of_tickets_and_field_path() -> None:
    data = b'[{"id": 1, "body": "First reply."},\n {"id": 2, "body": "Second reply."}]\n'
    result = replace_draft(data, "json", "Second, fixed.", locator=Locator(ticket=2))
    assert result.data == data.replace(b"Second reply.", b"Second, fixed.")
    nested = b'{"ticket": {"reply": "Old", "body": "Not this"}, "body": "Nor this"}'
    result = replace_draft(nested, "json", "New", locator=Locator(field="ticket.reply"))
    assert result.data == nested.replace(b'"Old"', b'"New"')
    dup = b'{"body": "first", "body": "last"}'  # json keeps the last duplicate
    assert replace_draft(dup, "json", "x").data == b'{"body": "first", "body": "x"}'


def test_json_html_field_is_refused() -> None:
    data = (TICKETS / "helpscout.json").read_bytes()
    with pytest.raises(InputError, match="the draft is HTML"):
        replace_draft(data, "json", "Hi Lee", source="h.json")


# -- CSV and JSON Lines ---------------------------------------------------------------


def _rows(path: Path, column: str | None = None) -> dict[int, str]:
    return {
        item[2]["row"]: item[1].text
        for item in iter_csv(path, column)
        if not isinstance(item, BadRecord)
    }


def test_csv_multiline_cell_keeps_crlf_and_other_rows(tmp_path: Path) -> None:
    data = (WB / "export.csv").read_bytes()
    new_text = 'Hi Ana,\n\nUse the reset link, then sign in, "today".\n\nThanks,\nIT Desk'
    result = replace_draft(data, "csv", new_text, locator=Locator(row=1, column="body"))
    out = tmp_path / "out.csv"
    out.write_bytes(result.data)
    rows = _rows(out)
    assert rows[1] == new_text
    assert rows == {**_rows(WB / "export.csv"), 1: new_text}
    assert b'"Hi Ana,\r\n\r\nUse the reset link, then sign in, ""today"".\r\n' in result.data
    # Row 2 holds a Windows-1252 byte: kept byte for byte with every other record.
    tail = data[data.index(b"202,") :]
    assert result.data.endswith(tail) and result.data.startswith(b"id,subject,body,channel\r\n201,")


def test_csv_unquoted_cell_gets_quotes_only_when_needed() -> None:
    data = (WB / "export.csv").read_bytes()
    loc = Locator(row=3, column="body")
    plain = replace_draft(data, "csv", "Reconnect now", locator=loc).data
    assert plain == data.replace(b"Reconnect to the VPN", b"Reconnect now")
    quoted = replace_draft(data, "csv", "Reconnect, then retry", locator=loc).data
    assert quoted == data.replace(b"Reconnect to the VPN", b'"Reconnect, then retry"')
    doubled = replace_draft(data, "csv", 'She said "reboot".', locator=Locator(row=4)).data
    assert doubled == data.replace(b'""restart it"", and it worked.', b'""reboot"".')


def test_csv_bad_row_and_html_cell_are_refused() -> None:
    data = (TICKETS / "tickets.csv").read_bytes()
    with pytest.raises(InputError, match="row 3: the row is malformed"):
        replace_draft(data, "csv", "x", locator=Locator(row=3), source="t.csv")
    html = b"id,body\n1,<p>Hello <b>there</b></p>\n"
    with pytest.raises(InputError, match="the draft is HTML"):
        replace_draft(html, "csv", "Hello", locator=Locator(row=1))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(new_text=_TEXT, row=st.sampled_from([1, 3, 4]))
def test_csv_property(tmp_path_factory: pytest.TempPathFactory, new_text: str, row: int) -> None:
    data = (WB / "export.csv").read_bytes()
    result = replace_draft(data, "csv", new_text, locator=Locator(row=row, column="body"))
    out = tmp_path_factory.mktemp("csv") / "out.csv"
    out.write_bytes(result.data)
    assert _rows(out) == {**_rows(WB / "export.csv"), row: new_text}
    before, after = _changed(data, result.data)
    assert b"\r\n20" not in before and b"\r\n20" not in after  # no other record touched


def test_jsonl_line_with_crlf_endings(tmp_path: Path) -> None:
    data = (TICKETS / "tickets.jsonl").read_bytes().replace(b"\n", b"\r\n")
    src = tmp_path / "t.jsonl"
    src.write_bytes(data)
    records = {i[2]["line"]: i[1].text for i in iter_jsonl(src) if not isinstance(i, BadRecord)}
    result = replace_draft(data, "jsonl", "Hi Kim,\n\nDone.", locator=Locator(line=4))
    src.write_bytes(result.data)
    after = {i[2]["line"]: i[1].text for i in iter_jsonl(src) if not isinstance(i, BadRecord)}
    assert after == {**records, 4: "Hi Kim,\n\nDone."}
    lines_before, lines_after = data.split(b"\n"), result.data.split(b"\n")
    assert [
        n for n, (a, b) in enumerate(zip(lines_before, lines_after, strict=True)) if a != b
    ] == [3]
    assert lines_after[3].endswith(b"}\r")


# -- text and markdown ----------------------------------------------------------------


def test_text_keeps_bom_and_crlf() -> None:
    data = (WB / "crlf_bom.txt").read_bytes()
    old = decode(data, "t").replace("\r\n", "\n")
    new_text = old.replace(
        "Please utilize the new VPN profile in order to connect.",
        "Use the new VPN profile.\nIt is faster.",
    )
    result = replace_draft(data, "text", new_text, old_text=old)
    assert result.data.startswith(b"\xef\xbb\xbf")
    assert result.data.count(b"\n") == result.data.count(b"\r\n")
    assert decode(result.data, "t").replace("\r\n", "\n") == new_text


def test_markdown_unchanged_lines_keep_their_own_endings() -> None:
    data = (WB / "mixed_endings.md").read_bytes()
    old = decode(data, "t").replace("\r\n", "\n")
    result = replace_draft(data, "markdown", old.replace("Second line", "2nd line"))
    assert result.data == b"# Reply\r\n\r\nFirst line\n2nd line\r\n\r\n> quoted\r\n"


def test_text_utf16_and_unencodable() -> None:
    data = "Hello\r\nWorld\r\n".encode("utf-16-be")
    data = b"\xfe\xff" + data
    result = replace_draft(data, "text", "Hello\nThere\n")
    assert result.data == b"\xfe\xff" + "Hello\r\nThere\r\n".encode("utf-16-be")
    latin = b"Caf\xe9\n"
    with pytest.raises(InputError, match="'→'"):
        replace_draft(latin, "text", "Café →\n", locator=Locator(encoding="latin-1"))


def test_html_kind_and_unknown_kind_are_refused() -> None:
    with pytest.raises(InputError, match="the draft is HTML"):
        replace_draft(b"<p>Hi</p>", "html", "Hi")
    with pytest.raises(InputError, match="cannot write a draft back"):
        replace_draft(b"x", "docx", "Hi")


# -- through the reader ---------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        WB / "qp_alternative.eml",
        WB / "crlf_bom.txt",
        WB / "export.csv",
        TICKETS / "tickets.jsonl",
        TICKETS / "freshdesk.json",
        WB / "payload.json",
    ],
    ids=lambda p: p.name,
)
def test_locator_for_draft_round_trips_through_read(path: Path, tmp_path: Path) -> None:
    data = path.read_bytes()
    for draft in read(str(path)):
        if isinstance(draft, BadRecord):
            continue
        kind = draft.meta["kind"]
        new_text = draft.text.replace("Please", "Kindly") + " – fixed"
        result = replace_draft(
            data, kind, new_text, locator=Locator.for_draft(draft), old_text=draft.text
        )
        assert isinstance(result, WriteBack)
        out = tmp_path / path.name
        out.write_bytes(result.data)
        again = [
            d
            for d in read(str(out))
            if not isinstance(d, BadRecord)
            and d.source.endswith(draft.source.removeprefix(str(path)))
        ]
        assert [d.text for d in again] == [new_text]
