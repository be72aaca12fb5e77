"""The subject line: length, capitals, reply chains (codes ``S``, category structure).

These rules read ``ctx.subject`` and run only when the draft has one (an ``.eml``
file, a ticket, a CSV row with a subject column). Their findings are reported in
``Report.subject_findings`` with offsets into the subject, not the body.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from clarity.rules.base import Context, Hit, quote, rule
from clarity.types import Applicability, Category, Edit, Fix, Severity

#: Longer subjects are cut off in most inbox lists (and on phones at about 40).
MAX_SUBJECT_CHARS = 60

_REPLY = r"re|aw|sv|vs|antw|odp|ynt|r|rif|res|回复|答复"
_FORWARD = r"fwd?|wg|tr|enc|i|rv|vb|vl|pd|fs|doorst|转发"
#: One prefix: "Re:", "RE :", "Fwd:", "AW:", "Re[2]:", "Re(3):".
#: (No two ``\s*`` in a row: "Re" and 100,000 spaces made those backtrack quadratically.)
_PREFIX = re.compile(
    rf"\s*(?:(?P<reply>{_REPLY})|(?P<fwd>{_FORWARD}))\s*(?:(?:\[\d+\]|\(\d+\))\s*)?[:：]\s*",
    re.IGNORECASE,
)
#: Tags mail systems insert: "[EXTERNAL]", "[Ticket #123]".
_TAG = re.compile(r"\s*\[[^\]]{1,40}\]\s*")


def _prefixes(subject: str) -> tuple[int, list[re.Match[str]]]:
    """Where the subject proper starts, and the reply/forward prefixes before it."""
    pos = 0
    found = []
    while True:
        m = _PREFIX.match(subject, pos)
        if m is not None and m.end() > pos:
            found.append(m)
            pos = m.end()
            continue
        tag = _TAG.match(subject, pos)
        if tag is not None and tag.end() > pos and _PREFIX.match(subject, tag.end()):
            pos = tag.end()
            continue
        return pos, found


@rule("S001", "subject-too-long", Category.STRUCTURE, Severity.INFO, target="subject")
def subject_too_long(ctx: Context) -> Iterator[Hit]:
    """Subject line too long to read in an inbox.

    What it does:
        Counts the characters of the subject after any "Re:" / "Fwd:" prefixes and
        reports subjects longer than 60 characters.

    Why it matters:
        Inbox lists cut a subject off at about 60 characters, and phones at about 40.
        The reader decides from the first few words whether to open the message, so
        the point belongs at the start.

    Example:
        - **Update regarding your recent request for a replacement laptop and the
          delivery schedule**
        - Re: **Information about the scheduled maintenance of the VPN gateway
          tonight**

    Use instead:
        - Your new laptop arrives on Friday
        - Re: Re: Printer on the 2nd floor
    """
    subject = ctx.subject or ""
    start, _ = _prefixes(subject)
    body = subject[start:].rstrip()
    if len(body) > MAX_SUBJECT_CHARS:
        yield Hit(
            start,
            start + len(body),
            f"Subject has {len(body)} characters (limit {MAX_SUBJECT_CHARS}); inboxes cut it "
            "off, so put the point in the first few words",
        )


@rule("S002", "subject-all-caps", Category.STRUCTURE, Severity.WARNING, target="subject")
def subject_all_caps(ctx: Context) -> Iterator[Hit]:
    """Subject line in capital letters.

    What it does:
        Reports a subject whose letters are all capitals, when it has three or more
        words and at least one of four letters or more (so "VPN DNS" is left alone).

    Why it matters:
        Capitals read as shouting, and they are slower to read: words lose their
        shape. A worried customer reads "URGENT: ACTION REQUIRED" as a threat, and
        spam filters score it as spam.

    Example:
        - **URGENT: YOUR PASSWORD EXPIRES TODAY**
        - RE: **PRINTER NOT WORKING**

    Use instead:
        - Your password expires today: please change it before 5 pm

    Not reported:
        - VPN DNS
        - Re: VPN and MFA set-up for the new starters
        - RE: FW: Printer on floor 2
    """
    subject = ctx.subject or ""
    start, _ = _prefixes(subject)
    body = subject[start:].rstrip()
    words = re.findall(r"[^\W\d_]+", body)
    if len(words) < 3 or not any(len(w) >= 4 for w in words):
        return
    if all(w.isupper() for w in words):
        yield Hit(
            start,
            start + len(body),
            f"Subject {quote(body)} is in capitals, which reads as shouting; use sentence case",
            fix=Fix(
                edits=(Edit(start, start + len(body), body[:1] + body[1:].lower()),),
                applicability=Applicability.DISPLAY,
                message="Write the subject in sentence case (keep acronyms in capitals)",
            ),
        )


@rule("S003", "subject-reply-chain", Category.STRUCTURE, Severity.INFO, target="subject")
def subject_reply_chain(ctx: Context) -> Iterator[Hit]:
    """Subject starts with a chain of "Re:" and "Fwd:" prefixes.

    What it does:
        Reports two or more reply or forward prefixes at the start of the subject
        ("Re: Re: Fwd:", "RE: AW:", "Re[2]: Re:"), in the common languages' forms.
        The fix keeps one "Re:" (safe when every prefix is a reply; when a forward
        is among them the fix is unsafe, because it drops that the message was
        forwarded).

    Why it matters:
        A pile of prefixes pushes the real subject out of sight in the inbox and
        says nothing the reader needs. One "Re:" is enough to show it is a reply.

    Example:
        - **Re: RE: Fwd: Re:** Printer on the 2nd floor
        - **RE: AW:** Laptop swap
        - [EXTERNAL] **Re: RE:** VPN

    Use instead:
        - Re: Printer on the 2nd floor

    Not reported:
        - Fwd: Laptop swap
        - Resetting your password
    """
    subject = ctx.subject or ""
    end, prefixes = _prefixes(subject)
    if len(prefixes) < 2:
        return
    start = prefixes[0].start() + (len(prefixes[0].group(0)) - len(prefixes[0].group(0).lstrip()))
    forwarded = any(m.group("fwd") for m in prefixes)
    chain = subject[start:end].strip()
    yield Hit(
        start,
        start + len(subject[start:end].rstrip()),
        f"Subject starts with {len(prefixes)} reply/forward prefixes ({quote(chain)}); "
        "one “Re:” is enough",
        suggestions=("Re:",),
        fix=Fix(
            edits=(Edit(start, end, "Re: "),),
            applicability=Applicability.UNSAFE if forwarded else Applicability.SAFE,
            message="Keep one “Re:”",
        ),
    )
