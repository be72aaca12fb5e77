"""The shape of an e-mail: a greeting and a sign-off (codes ``T009``, ``T010``).

Short messages (chat lines) are not judged. The greeting and sign-off words are
``data/tone_greetings.txt`` and ``data/tone_signoffs.txt``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from clarity.rules import wordlists
from clarity.rules.base import Context, Hit, rule
from clarity.types import Category, Severity

#: Below this many words a message is a chat line, not an e-mail.
MIN_WORDS_FOR_EMAIL = 40


def _last_lines(ctx: Context, n: int) -> str:
    """The last ``n`` non-empty lines of the writer's own text."""
    end = ctx.sentences[-1].end_char if ctx.sentences else len(ctx.text)
    lines = [line for line in ctx.text[:end].splitlines() if line.strip()]
    return "\n".join(lines[-n:])


#: A line that is a name: one to five capitalised words ("James", "Dr Priya Shah",
#: "IT Service Desk", "- Sam"), "and", "of", "the" and "&" allowed between them.
_NAME_LINE = re.compile(
    r"^\s*(?:[-–—~]\s*)?[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|&|and|of|the|at)){0,4}\s*$"
)


#: A line that greets a group by itself: "All,", "Everyone,", "Team,".
_GROUP_GREETING = re.compile(
    r"[ \t]*(?:all|everyone|everybody|team|folks|colleagues)[ \t]*[,!][ \t]*(?:\r?\n|\r)", re.I
)


def greets(ctx: Context) -> bool:
    """Whether the message opens with a greeting: a region marked as one, a first
    sentence that starts with ``data/tone_greetings.txt`` ("Hi Maria,", "Thanks for
    ..."), or "All," / "Everyone," on a line of its own (a group)."""
    if any(r.kind == "greeting" for r in ctx.regions):
        return True
    if not ctx.sentences:
        return False
    first = ctx.sentences[0]
    if wordlists.word_pattern(wordlists.GREETINGS, r"^\W*").search(first.text):
        return True
    return _GROUP_GREETING.match(ctx.text, first.start_char) is not None


def _looks_like_email(ctx: Context) -> bool:
    """A message long enough to be judged as an e-mail to a customer: IT colleagues
    (the ``technical`` audience) write "Done. Renewed the certificate." to each other."""
    if ctx.config.audience_info.knows_technical_terms:
        return False
    return ctx.words >= MIN_WORDS_FOR_EMAIL and len(ctx.sentences) >= 3


@rule("T009", "missing-greeting", Category.TONE, Severity.INFO, opt_in=True)
def missing_greeting(ctx: Context) -> Iterator[Hit]:
    """E-mail that does not greet the reader.

    What it does:
        For a message of 40 words or more, checks that the first line greets the
        reader ("Hi Maria,", "Hello,", "Dear ...", "Thanks for ..."). A region
        marked as a greeting counts. Between IT colleagues (``--audience
        technical``) neither this rule nor T010 applies.

        Off unless selected by its code (``select = ["T009"]``, ``--select
        T009``): many good replies and notices open without a greeting, and two
        readers who judged every finding of 120 replies found none of its findings
        worth an interruption. Turn it on where a house style asks for one.

    Why it matters:
        A reply that opens straight with instructions reads as cold. One word of
        greeting, with the customer's name, tells them a person read their message.

    Example:
        - **Your new laptop is ready for you at the front desk, next to the lifts.** We
          copied your files and your bookmarks across, and your printer is set up.
          Bring your old laptop when you come. It takes about ten minutes to swap.

          Kind regards, Sam

    Use instead:
        - Hi Maria,

          Your new laptop is ready for you at the front desk, next to the lifts. We
          copied your files and your bookmarks across, and your printer is set up.
          Bring your old laptop when you come. It takes about ten minutes.

          Kind regards, Sam

    Not reported:
        - Your laptop is ready. (too short to be judged as an e-mail)
        - All,

          The office Wi-Fi will be off on Saturday from 8am to noon while we replace
          the access points. Nothing needs doing on your side, and your laptops will
          reconnect by themselves when it comes back. If anything is still off on
          Monday, please call us on 4410.

          Thanks, IT
    """
    if not _looks_like_email(ctx) or greets(ctx):
        return
    first = ctx.sentences[0]
    end = max(t.idx + len(t.text) for t in first if not t.is_space)
    yield Hit(
        first.start_char,
        end,
        "The message does not greet the reader; start with “Hi <name>,”",
        ("Hi <name>,",),
    )


@rule("T010", "missing-signoff", Category.TONE, Severity.INFO, opt_in=True)
def missing_signoff(ctx: Context) -> Iterator[Hit]:
    """E-mail that ends without a sign-off.

    What it does:
        For a message of 40 words or more, checks that one of its last six lines
        signs off ("Kind regards,", "Thanks,", "Best wishes"). A region
        marked as a sign-off or signature counts, and so does a last line that is
        a name ("James", "IT Service Desk"): a message signed with a name has ended.

        Off unless selected by its code (``select = ["T010"]``), like T009.

    Why it matters:
        Ending without a sign-off feels abrupt, and leaves the reader unsure whether
        the message is finished or who will follow up.

    Example:
        - Hi Maria,

          Your new laptop is ready for you at the front desk, next to the lifts. We
          copied your files and your bookmarks across, and your printer is set up.
          Bring your old laptop when you come. **It takes about ten minutes to swap.**

    Use instead:
        - Hi Maria,

          Your new laptop is ready for you at the front desk, next to the lifts. We
          copied your files and your bookmarks across, and your printer is set up.
          Bring your old laptop when you come. It takes about ten minutes.

          See you soon, Sam
        - Hi Maria,

          Your new laptop is ready for you at the front desk, next to the lifts. We
          copied your files and your bookmarks across, and your printer is set up.
          Bring your old laptop when you come. Enjoy the rest of your week!

          James
    """
    if not _looks_like_email(ctx):
        return
    if any(r.kind in {"signoff", "signature"} for r in ctx.regions):
        return
    if wordlists.word_pattern(wordlists.SIGNOFFS).search(_last_lines(ctx, 6)):
        return
    if _NAME_LINE.match(_last_lines(ctx, 1)):
        return  # signed with a name or a team's name: "James", "IT Service Desk"
    last = ctx.sentences[-1]
    end = max(t.idx + len(t.text) for t in last if not t.is_space)
    yield Hit(
        last.start_char,
        end,
        "The message ends without a sign-off; close with “Kind regards,” and your name",
        ("Kind regards,",),
    )
