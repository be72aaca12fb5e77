"""Help-desk tickets as JSON: which text is the draft.

A ticket carries the whole conversation; clarity checks the reply an agent wrote.
The rule, for every format: **the last public reply written by an agent**; when the
export does not say who wrote what, the last public comment; when there are no
comments, the ticket's own body (description). Private notes are never the draft.
Formats recognised, first match wins:

* **Zendesk** (``{"ticket": {...}, "comments": [...]}``, the Ticket Comments API, with
  or without sideloaded ``users``): a comment is public unless ``"public": false``; its
  author is an agent when the sideloaded user's ``role`` is ``agent`` or ``admin``, or
  else when it is not the ticket's ``requester_id``. Text: ``body``, else
  ``plain_body``, else ``html_body`` rendered.
* **Freshdesk** (a ticket with ``conversations``): an agent's public reply has
  ``"incoming": false`` and ``"private": false``. Text: ``body_text``, else ``body``
  (HTML) rendered; the ticket's ``description_text`` / ``description`` otherwise.
* **Help Scout** (``threads``, or ``_embedded.threads``): agent replies are threads of
  type ``reply`` or ``message``, ordered by ``createdAt`` (newest first when absent, as
  the API returns them).
* **Intercom** (``conversation_parts``): the last ``comment`` part whose author type
  is ``admin``; else the conversation's ``source.body``.
* **Generic**: the first of ``body``, ``text``, ``draft``, ``reply``, ``message``,
  ``content``, ``description`` that holds a string, and ``subject`` (or ``title``);
  the customer's message it answers from the first of ``incoming``, ``customer``,
  ``customer_message``, ``request``, ``question`` that holds text (also with
  ``--field``).

HTML found in any of these fields is rendered to text (regions kept). ``meta`` records
the format and which comment was taken. A lone surrogate in the text or subject (JSON
can escape one: ``"\\ud800"``) becomes U+FFFD, offsets unchanged, and
``meta["notices"]`` says how many were replaced.

JSON is parsed by :func:`parse_json`: invalid JSON, a number too long to convert and
JSON nested deeper than Python's parser allows (about 1,000 levels) are one clear
:class:`~clarity.errors.InputError`, never a traceback.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from clarity.draft import clean_text, surrogate_notice
from clarity.errors import InputError
from clarity.sources.document import Body
from clarity.sources.htmltext import html_to_text, looks_like_html

TEXT_KEYS = ("body", "text", "draft", "reply", "message", "content", "description")
SUBJECT_KEYS = ("subject", "title", "raw_subject")
#: A record's field (or a table's column, matched without regard to case) holding the
#: customer's message the draft answers: the first that holds text.
INCOMING_KEYS = ("incoming", "customer", "customer_message", "request", "question")
_INDEX = re.compile(r"^-?\d+$")


def parse_json(text: str, source: str, *, one_line: bool = False) -> Any:
    """The JSON value in ``text``; :class:`InputError` (``source: why``) when it cannot be
    read: invalid, nested too deeply, or a number too long. ``one_line``: the error
    names only the column (a JSON Lines record)."""
    try:
        return json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        where = f"column {exc.colno}" if one_line else f"line {exc.lineno}, column {exc.colno}"
        raise InputError(f"{source}: invalid JSON: {exc.msg} ({where})") from None
    except RecursionError:
        raise InputError(f"{source}: invalid JSON: nested too deeply") from None
    except ValueError as exc:  # an integer of over 4,300 digits
        raise InputError(f"{source}: invalid JSON: {str(exc).split(':')[0]}") from None


def get_path(obj: Any, path: str) -> Any:
    """``obj`` followed along a dotted path: ``ticket.comments.-1.body``.

    Raises :class:`KeyError` with the part that is missing.
    """
    current = obj
    for part in path.split("."):
        if isinstance(current, Mapping) and part in current:
            current = current[part]
        elif isinstance(current, Sequence) and not isinstance(current, str) and _INDEX.match(part):
            try:
                current = current[int(part)]
            except IndexError:
                raise KeyError(part) from None
        else:
            raise KeyError(part)
    return current


def as_body(
    text: str,
    subject: Any,
    meta: dict[str, Any],
    html: bool | None = None,
    incoming: Any = None,
) -> Body:
    """The :class:`Body` of a record's ``text`` (HTML rendered), ``subject`` and the
    customer's message it answers (``incoming``, used when it is non-blank text)."""
    subj = subject.strip() if isinstance(subject, str) and subject.strip() else None
    theirs = incoming if isinstance(incoming, str) and incoming.strip() else None
    if theirs is not None:
        theirs = clean_text(theirs)[0].replace("\r\n", "\n")
    text, replaced = clean_text(text)
    if subj is not None:
        subj, in_subject = clean_text(subj)
        replaced += in_subject
    if replaced:
        meta = {**meta, "notices": [*meta.get("notices", ()), surrogate_notice(replaced)]}
    if html is None:
        html = looks_like_html(text)
    if html:
        rendered, regions = html_to_text(text)
        return Body(rendered, subj, tuple(regions), {**meta, "html": True}, theirs)
    return Body(text.replace("\r\n", "\n"), subj, (), meta, theirs)


def _first_str(obj: Mapping[str, Any], keys: Sequence[str]) -> tuple[str, str] | None:
    for key in keys:
        value = obj.get(key)
        if isinstance(value, str):
            return key, value
    return None


def _incoming(obj: Any, text_key: str) -> str | None:
    """The customer's message in a generic record (:data:`INCOMING_KEYS`), not the
    field the draft was read from."""
    if not isinstance(obj, Mapping):
        return None
    for key in INCOMING_KEYS:
        value = obj.get(key)
        if key != text_key and isinstance(value, str) and value.strip():
            return value
    return None


def _subject(*objs: Any) -> Any:
    for obj in objs:
        if isinstance(obj, Mapping):
            found = _first_str(obj, SUBJECT_KEYS)
            if found is not None:
                return found[1]
    return None


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _dicts(value: Any) -> list[Mapping[str, Any]]:
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, Mapping)]


def _pick(items: list[tuple[int, Mapping[str, Any]]], *tests: Callable[..., bool]) -> Any:
    """The last item passing the first test that any item passes."""
    for test in tests:
        chosen = [(i, c) for i, c in items if test(c)]
        if chosen:
            return chosen[-1]
    return None


def zendesk(obj: Mapping[str, Any]) -> Body | None:
    ticket = _mapping(obj.get("ticket"))
    comments = _dicts(obj.get("comments")) or _dicts(ticket.get("comments"))
    looks = comments and any(
        k in c for c in comments for k in ("plain_body", "html_body", "public", "author_id")
    )
    if not looks and not ticket:
        return None
    roles = {u.get("id"): str(u.get("role", "")) for u in _dicts(obj.get("users"))}
    requester = ticket.get("requester_id")

    def text_of(c: Mapping[str, Any]) -> tuple[str, bool] | None:
        for key, html in (("body", None), ("plain_body", False), ("html_body", True)):
            value = c.get(key)
            if isinstance(value, str) and value.strip():
                return value, bool(html) if html is not None else looks_like_html(value)
        return None

    public = [(i, c) for i, c in enumerate(comments) if c.get("public", True) is not False]
    public = [(i, c) for i, c in public if text_of(c) is not None]

    def by_agent(c: Mapping[str, Any]) -> bool:
        author = c.get("author_id")
        if roles:
            return roles.get(author) in ("agent", "admin")
        return requester is not None and author is not None and author != requester

    meta: dict[str, Any] = {"format": "zendesk"}
    if ticket.get("id") is not None:
        meta["ticket_id"] = ticket.get("id")
    chosen = _pick(public, by_agent, lambda c: True)
    subject = _subject(ticket, obj)
    if chosen is not None:
        index, comment = chosen
        found = text_of(comment)
        assert found is not None
        meta.update(comment=index, comment_id=comment.get("id"))
        return as_body(found[0], subject, meta, found[1])
    desc = _first_str(ticket, ("description",))
    if desc is not None:
        return as_body(desc[1], subject, {**meta, "field": "description"})
    return None


def freshdesk(obj: Mapping[str, Any]) -> Body | None:
    if "conversations" not in obj and "description_text" not in obj:
        return None
    convs = _dicts(obj.get("conversations"))

    def text_of(c: Mapping[str, Any]) -> tuple[str, bool] | None:
        if isinstance(c.get("body_text"), str) and c["body_text"].strip():
            return c["body_text"], False
        if isinstance(c.get("body"), str) and c["body"].strip():
            return c["body"], looks_like_html(c["body"])
        return None

    items = [(i, c) for i, c in enumerate(convs) if text_of(c) is not None]
    public = [(i, c) for i, c in items if c.get("private") is not True]
    meta: dict[str, Any] = {"format": "freshdesk"}
    if obj.get("id") is not None:
        meta["ticket_id"] = obj.get("id")
    chosen = _pick(public, lambda c: c.get("incoming") is False, lambda c: True)
    subject = _subject(obj)
    if chosen is not None:
        index, conv = chosen
        found = text_of(conv)
        assert found is not None
        meta.update(conversation=index, conversation_id=conv.get("id"))
        return as_body(found[0], subject, meta, found[1])
    for key, html in (("description_text", False), ("description", None)):
        value = obj.get(key)
        if isinstance(value, str) and value.strip():
            return as_body(value, subject, {**meta, "field": key}, html)
    return None


def helpscout(obj: Mapping[str, Any]) -> Body | None:
    embedded = _mapping(obj.get("_embedded"))
    threads = _dicts(obj.get("threads")) or _dicts(embedded.get("threads"))
    if not threads or not any("type" in t for t in threads):
        return None
    ordered = list(enumerate(threads))
    if all(isinstance(t.get("createdAt"), str) for t in threads):
        ordered.sort(key=lambda it: str(it[1]["createdAt"]))
    else:
        ordered.reverse()  # the API lists threads newest first
    items = [(i, t) for i, t in ordered if isinstance(t.get("body"), str) and t["body"].strip()]
    chosen = _pick(
        items,
        lambda t: t.get("type") in ("reply", "message"),
        lambda t: t.get("type") not in ("note", "lineitem"),
    )
    if chosen is None:
        return None
    index, thread = chosen
    meta: dict[str, Any] = {"format": "helpscout", "thread": index, "thread_id": thread.get("id")}
    return as_body(thread["body"], _subject(obj), meta)


def intercom(obj: Mapping[str, Any]) -> Body | None:
    parts_obj = obj.get("conversation_parts")
    if isinstance(parts_obj, Mapping):
        parts = _dicts(parts_obj.get("conversation_parts"))
    else:
        parts = _dicts(parts_obj)
    source = _mapping(obj.get("source"))
    if not parts and not ("conversation_parts" in obj or obj.get("type") == "conversation"):
        return None

    def author_type(p: Mapping[str, Any]) -> str:
        author = p.get("author")
        return str(author.get("type", "")) if isinstance(author, Mapping) else ""

    items = [(i, p) for i, p in enumerate(parts) if isinstance(p.get("body"), str) and p["body"]]
    chosen = _pick(
        items,
        lambda p: p.get("part_type") == "comment" and author_type(p) == "admin",
        lambda p: p.get("part_type") == "comment",
    )
    subject = _subject(source, obj)
    meta: dict[str, Any] = {"format": "intercom"}
    if chosen is not None:
        index, part = chosen
        meta.update(part=index, part_id=part.get("id"))
        return as_body(part["body"], subject, meta)
    body = source.get("body")
    if isinstance(body, str) and body.strip():
        return as_body(body, subject, {**meta, "field": "source.body"})
    return None


def generic(obj: Mapping[str, Any]) -> Body | None:
    found = _first_str(obj, TEXT_KEYS)
    if found is None:
        for key in ("html", "body_html", "html_body"):
            if isinstance(obj.get(key), str):
                meta = {"format": "json", "field": key}
                return as_body(obj[key], _subject(obj), meta, True, _incoming(obj, key))
        return None
    key, text = found
    meta = {"format": "json", "field": key}
    return as_body(text, _subject(obj), meta, incoming=_incoming(obj, key))


FORMATS: tuple[Callable[[Mapping[str, Any]], Body | None], ...] = (
    zendesk,
    freshdesk,
    helpscout,
    intercom,
    generic,
)


def ticket_body(obj: Any, source: str, field: str | None = None) -> Body:
    """The draft of the ticket ``obj`` (parsed JSON). ``field`` names the text instead
    (a dotted path); the subject is then the record's ``subject`` or ``title``."""
    if field is not None:
        try:
            value = get_path(obj, field)
        except KeyError as exc:
            raise InputError(f"{source}: no field {field!r} (missing {exc.args[0]!r})") from None
        if not isinstance(value, str):
            kind = "null" if value is None else type(value).__name__
            raise InputError(f"{source}: field {field!r} is {kind}, not text")
        subject = _subject(obj) if isinstance(obj, Mapping) else None
        try:
            meta = {"format": "json", "field": field}
            return as_body(value, subject, meta, incoming=_incoming(obj, field))
        except InputError as exc:  # HTML too large to render
            raise InputError(f"{source}: {exc}") from None
    if not isinstance(obj, Mapping):
        kind = "a list" if isinstance(obj, list) else type(obj).__name__
        raise InputError(f"{source}: expected a JSON object (a ticket), got {kind}")
    for reader in FORMATS:
        try:
            body = reader(obj)
        except InputError as exc:  # HTML too large to render
            raise InputError(f"{source}: {exc}") from None
        if body is not None:
            return body
    keys = ", ".join(list(obj)[:8]) or "none"
    raise InputError(
        f"{source}: no draft text found (keys: {keys}); expected a 'body' field or a "
        "help-desk export (Zendesk comments, Freshdesk conversations...); "
        "name the field with --field"
    )
