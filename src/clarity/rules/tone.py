"""Tone of the draft's wording: blame, condescension, curt commands, shouting,
dismissal (codes ``T001``-``T008``).

The phrase rules read ``data/tone_phrases.csv`` (one ``kind`` per rule); the others
read the parse and the word lists of :mod:`clarity.rules.wordlists`. Every message
says why the wording hurts and, where one exists, offers a kinder alternative.

The other tone rules: the e-mail's shape (greeting, sign-off) in
:mod:`clarity.rules.courtesy`, the politeness model in :mod:`clarity.rules.politeness`,
and the rules that read the customer's message in :mod:`clarity.rules.reply`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from clarity.rules import wordlists
from clarity.rules.base import Context, Hit, quote, rule
from clarity.rules.jargon import _zipf
from clarity.types import Category, Severity

if TYPE_CHECKING:
    from spacy.tokens import Span


def _phrase_hits(ctx: Context, kind: str, what: str) -> Iterator[Hit]:
    for m in ctx.resources.tone_phrases(ctx.doc):
        if m.entry.kind != kind:
            continue
        span = ctx.doc[m.start : m.end]
        start, end = span.start_char, span.end_char
        message = f"{quote(span.text)} {what}"
        if m.entry.note:
            message += f". {m.entry.note}"
        suggestions = (m.entry.alternative,) if m.entry.alternative else ()
        yield Hit(start, end, message, suggestions)


@rule("T001", "blame", Category.TONE, Severity.WARNING)
def blame(ctx: Context) -> Iterator[Hit]:
    """Wording that blames the reader.

    What it does:
        Finds phrases that put the fault on the customer ("you failed to", "your
        mistake", "user error", "the issue is on your end", "you should have"), from
        ``data/tone_phrases.csv`` (kind ``blame``).

    Why it matters:
        A customer who feels blamed defends themselves instead of following the fix,
        and remembers the reply long after the problem is gone. Saying what happened
        and what happens next solves the same problem without the sting.

    Example:
        - **You failed to** install the update, so **the issue is on your end**.
        - **The issue is on your end**, not ours.
        - This was caused by **user error**.

    Use instead:
        - The update did not install on your laptop. Let's run it together: ...
        - Thanks for your patience; we found the cause on our side and fixed it.
    """
    yield from _phrase_hits(ctx, "blame", "blames the reader")


@rule("T002", "condescension", Category.TONE, Severity.WARNING)
def condescension(ctx: Context) -> Iterator[Hit]:
    """Wording that talks down to the reader.

    What it does:
        Finds condescending phrases ("obviously", "as I already told you", "per my
        last email", "did you even read", "everyone knows") from
        ``data/tone_phrases.csv`` (kind ``condescension``).

    Why it matters:
        The customer asked because it was not obvious to them. Reminding them that
        they were told before makes them feel stupid, not informed.

    Example:
        - **As I already told you** twice, read the FAQ.
        - **Obviously**, the cable must be plugged in.
        - **As per my last email**, the form is attached.

    Use instead:
        - Here are the steps again, in short: ... The FAQ has pictures of each step.
        - Please read the FAQ: it has pictures of each step.
    """
    yield from _phrase_hits(ctx, "condescension", "talks down to the reader")


@rule("T003", "minimizing", Category.TONE, Severity.INFO)
def minimizing(ctx: Context) -> Iterator[Hit]:
    """Word that makes a task sound easier than it may be.

    What it does:
        Finds "simply", "all you have to do is", "straightforward", "trivial" and
        similar words (``data/tone_phrases.csv``, kind ``minimizing``). Minor: often
        harmless ("simply click Save"), so it is advice, not a warning.

    Why it matters:
        If the reader finds the "simple" step hard, the word tells them the fault is
        theirs. Leaving it out loses nothing.

    Example:
        - **Simply** reinstall the driver.
        - **Simply** click Save and close the window.

    Use instead:
        - Reinstall the driver: ...
        - Click Save and close the window.
    """
    yield from _phrase_hits(ctx, "minimizing", "makes the task sound easy; leave it out")


@rule("T006", "dismissal", Category.TONE, Severity.WARNING)
def dismissal(ctx: Context) -> Iterator[Hit]:
    """Wording that dismisses the customer's problem.

    What it does:
        Finds phrases that wave the problem away ("not our problem", "nothing we can
        do", "works as designed", "whatever.", "stop opening tickets") from
        ``data/tone_phrases.csv`` (kind ``dismissal``).

    Why it matters:
        Even when the request is out of scope, the customer needs to hear what they
        can do next. A dismissal ends the conversation and starts a complaint.

    Example:
        - That's **not our problem**. **There is nothing we can do**.
        - **There is nothing we can do** about it.
        - **Whatever.** It works for us.

    Use instead:
        - That app is managed by its maker, so we can't change it, but here is how to
          reach their support: ...
        - This app is run by its maker, so here is how to reach their support.

    Not reported:
        - We can help with whatever you need.
    """
    yield from _phrase_hits(ctx, "dismissal", "dismisses the customer's problem")


@rule("T007", "absolute-about-reader", Category.TONE, Severity.WARNING)
def absolute_about_reader(ctx: Context) -> Iterator[Hit]:
    """Absolute statement about the reader ("you always", "you never").

    What it does:
        Finds "you never", "you always", "you keep", "every time you", "yet again"
        and similar phrases (``data/tone_phrases.csv``, kind ``absolute``).

    Why it matters:
        "You never restart your laptop" turns one problem into a verdict on the
        person. It is rarely true and always heard as an accusation.

    Example:
        - **You always** forget to attach the log.
        - **You never** restart your laptop.

    Use instead:
        - The log was not attached this time; could you send it?
    """
    yield from _phrase_hits(ctx, "absolute", "is an absolute about the reader")


@rule("T008", "negative-framing", Category.TONE, Severity.INFO)
def negative_framing(ctx: Context) -> Iterator[Hit]:
    """A refusal that does not say what can be done.

    What it does:
        Finds "we can't", "unable to", "it is not possible to", "unfortunately" and
        similar phrases (``data/tone_phrases.csv``, kind ``negative``) when neither
        that sentence nor the next offers an alternative ("but", "instead", "you
        can", "we can"), and the phrase is not inside a condition ("if you can't
        sign in, ...").

    Why it matters:
        A reply that only says no leaves the customer stuck. Leading with what is
        possible keeps the same facts and gives them a next step.

    Example:
        - **We cannot** restore files older than 30 days.

    Use instead:
        - We can restore any file from the last 30 days; for older ones, ...
        - We cannot restore files older than 30 days, but we can restore anything newer.

    Not reported:
        - If you can't sign in, call us on 555-0100.
        - Thanks for letting us know you can't sign in.
    """
    sentences = list(ctx.sentences)
    starts = [s.start_char for s in sentences]
    # Each list is matched once over the whole text; a hit then looks its sentence up
    # (searching the sentence's text again for each hit was quadratic).
    conditions = _Matches(wordlists.word_pattern(wordlists.CONDITIONS), ctx.text)
    alternatives = _Matches(wordlists.word_pattern(wordlists.ALTERNATIVES), ctx.text)
    for hit in _phrase_hits(ctx, "negative", "says what cannot be done"):
        idx = bisect.bisect_right(starts, hit.start) - 1
        if idx < 0 or hit.start >= sentences[idx].end_char:
            continue
        sent_start = sentences[idx].start_char
        if conditions.within(sent_start, hit.start):
            continue
        window_end = sentences[min(idx + 1, len(sentences) - 1)].end_char
        if alternatives.within(hit.end, window_end) or alternatives.within(sent_start, hit.start):
            continue
        yield Hit(hit.start, hit.end, hit.message + "; add what can be done", hit.suggestions)


class _Matches:
    """A pattern's matches in a text, found once, for "is there one within ``[lo,
    hi)``?" in O(log n)."""

    def __init__(self, pattern: re.Pattern[str], text: str) -> None:
        found = [(m.start(), m.end()) for m in pattern.finditer(text)]
        self.starts = [s for s, _ in found]
        self.ends = [e for _, e in found]  # sorted too: matches do not overlap

    def within(self, lo: int, hi: int) -> bool:
        i = bisect.bisect_left(self.starts, lo)
        return i < len(self.starts) and self.ends[i] <= hi


@rule("T004", "curt-command", Category.TONE, Severity.WARNING)
def curt_command(ctx: Context) -> Iterator[Hit]:
    """Bare command that reads as an order.

    What it does:
        Finds short sentences (up to 10 words) that start with a command verb from
        ``data/curt_verbs.txt`` ("Read the FAQ.", "Stop opening tickets.", "Check
        the manual.") and carry no softening: no "please", "thanks", question,
        condition or reason. Ordinary instructions ("Click Save.") are not on the
        list, and a polite request with "please" is never reported.

    Why it matters:
        In writing there is no friendly voice to soften an order. A bare "Read the
        FAQ." reads as "go away"; the same instruction with a reason and a please
        reads as help.

    Example:
        - **Read the FAQ.** Stop opening tickets.
        - **Check the manual.**

    Use instead:
        - The FAQ has a short guide for this, with pictures: ... If it does not help,
          please reply here and we will keep this request open.
        - Please read the FAQ, it has pictures.

    Not reported:
        - Click Save, then close the window.
        - Check the cable if the light is off.
        - Could you check the cable?
    """
    phrase_starts = {ctx.doc[m.start].i for m in ctx.resources.tone_phrases(ctx.doc)}
    for sent in ctx.sentences:
        first = next((t for t in sent if not (t.is_punct or t.is_space)), None)
        if first is None or first.lower_ not in ctx.resources.curt_verbs:
            continue
        if first.i in phrase_starts:
            continue  # already reported as what it is ("Stop opening tickets": dismissal)
        words = [t for t in sent if not (t.is_punct or t.is_space)]
        if len(words) > 10 or sent.text.rstrip().endswith("?"):
            continue
        if any(t.dep_ in {"nsubj", "nsubjpass"} and t.head == first for t in sent):
            continue  # a statement ("Check-in works"), not a command
        if wordlists.word_pattern(wordlists.SOFTENERS).search(sent.text):
            continue
        end = max(t.idx + len(t.text) for t in sent if not t.is_space)
        yield Hit(
            sent.start_char,
            end,
            f"{quote(ctx.text[sent.start_char : end])} reads as an order; add please, a reason, "
            "or say how it helps",
        )


def _shouted_runs(sent: Span, ctx: Context) -> Iterator[tuple[int, int]]:
    """Runs of all-capital ordinary words (not acronyms) in a sentence."""
    run: list[int] = []
    res = ctx.resources

    def shouted(tok_text: str) -> bool:
        if not tok_text.isalpha() or not tok_text.isupper() or len(tok_text) < 2:
            return False
        if tok_text in res.acronyms or tok_text in res.common_acronyms:
            return False
        if res.known_term(tok_text) is not None:
            return False
        return _zipf(tok_text.lower()) >= 3.0

    tokens = [t for t in sent if not t.is_space]
    for tok in [*tokens, None]:
        if tok is not None and (shouted(tok.text) or (run and tok.is_punct and tok.text != ".")):
            if tok.is_alpha:
                run.append(tok.i)
            continue
        if run:
            doc = sent.doc
            first, last = doc[run[0]], doc[run[-1]]
            # One capitalised word is emphasis only if it is a whole sentence or long.
            if len(run) >= 2 or len(first.text) >= 5 or len(tokens) <= 2:
                yield first.idx, last.idx + len(last.text)
            run = []


_REPEATED_MARKS = re.compile(r"[!?]{2,}")


@rule("T005", "shouting", Category.TONE, Severity.WARNING)
def shouting(ctx: Context) -> Iterator[Hit]:
    """Shouting: ordinary words in capitals, or "!!" and "??".

    What it does:
        Finds runs of ordinary words written in capitals ("PLEASE DO NOT", "URGENT")
        that are not acronyms (``VPN``, ``PDF`` and the lexicon's terms pass), and
        repeated exclamation or question marks ("!!", "??", "?!").

    Why it matters:
        Capitals and stacked punctuation read as raised voice. A customer who is
        shouted at stops reading for content and starts reading for attitude.

    Example:
        - **PLEASE DO NOT** reply to this email**!!**
        - Call us now**!!**
        - Why is it broken again**??**

    Use instead:
        - Please do not reply to this email: it is not monitored.

    Not reported:
        - Your VPN and PDF files are fine, OK?
        - Please send the PDF by USB stick!
    """
    for sent in ctx.sentences:
        for start, end in _shouted_runs(sent, ctx):
            yield Hit(
                start,
                end,
                f"{quote(ctx.text[start:end])} is in capitals, which reads as shouting; "
                "use normal case",
                (ctx.text[start:end].lower(),),
            )
        for m in _REPEATED_MARKS.finditer(ctx.text, sent.start_char, sent.end_char):
            yield Hit(
                m.start(),
                m.end(),
                f"{quote(m.group())} reads as raised voice; one mark is enough",
                (m.group()[0],),
            )
