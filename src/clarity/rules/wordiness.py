"""Wordiness: wordy and needlessly complex phrases (codes ``W``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from clarity.fit import TOPIC_PREPOSITIONS, fit_phrase
from clarity.inflect import inflect_first
from clarity.rules.base import Context, Hit, match_case, quote, rule
from clarity.types import Applicability, Category, Edit, Fix, Severity

if TYPE_CHECKING:
    from spacy.tokens import Span


@rule("W001", "wordy-phrase", Category.WORDINESS, Severity.INFO)
def wordy_phrase(ctx: Context) -> Iterator[Hit]:
    """Wordy or needlessly complex phrase with a shorter plain alternative.

    What it does:
        Finds phrases from ``data/wordy_phrases.csv`` ("in order to", "prior to",
        "utilize", "at this point in time") and offers the concise alternative. A
        verb's inflection and a capital at the start of a sentence carry over to the
        replacement ("Utilized" -> "Used"); when the fix is applied, "a"/"an" before
        it is corrected. Text in quotation marks is left alone: it is a label as the
        screen shows it ("Continue on this browser"). The fix is safe where the list
        marks the replacement as meaning-preserving in every help-desk context,
        unsafe where a human should look, display-only where the sentence needs
        rewording. Formal single words with an everyday twin ("assist", "retain",
        "regarding") are W002's, which is off unless selected.

    Why it matters:
        Every extra word is one more thing for the reader to get through before they
        find what to do. Plain, short words are read faster and misread less, by
        everyone and especially by readers in their second language.

    Example:
        - **In order to** reset your password, please **utilize** the link below.
        - We **utilized** the backup to restore your files.
        - **Prior to** the update, save your work.

    Use instead:
        - To reset your password, please use the link below.
        - Please use the new printer before noon.

    Not reported:
        - Click “Continue on this browser” to join the meeting.
        - Yes, go ahead and book the room for Friday.
        - The volunteer who has kindly offered to help starts on Monday.
        - Set the headset as the default device and turn off audio enhancements.
        - We will assist you with the new printer and retain your settings.
    """
    yield from _phrases(ctx, formal=False)


@rule("W002", "formal-word", Category.WORDINESS, Severity.INFO, opt_in=True)
def formal_word(ctx: Context) -> Iterator[Hit]:
    """Formal word or mild padding with an everyday alternative (off unless selected).

    What it does:
        Finds the words and phrases of ``data/formal_words.csv`` ("assist",
        "retain", "regarding", "proceed", "going forward") and offers the everyday
        word, with W001's care: inflections carry over, labels in quotation marks are
        left alone, and a fix is safe only where the list says the swap keeps the
        meaning. Off by default: readers understand these words, and a hand-judged
        sample of replies found them "only slightly plainer" far more often than
        useful. Select it for a house style that wants the plainest words
        (``select = ["W002"]`` or ``--select W002``).

    Why it matters:
        An everyday word is read a little faster than its formal twin, and a reply
        full of them reads like a letter from a bank rather than a person.

    Example:
        - We will **assist** you with the new printer and **retain** your settings.
        - **Regarding** your laptop, it is ready to collect.

    Use instead:
        - We will help you with the new printer and keep your settings.

    Not reported:
        - We will help you set up the new printer and keep your settings.
    """
    yield from _phrases(ctx, formal=True)


def _phrases(ctx: Context, *, formal: bool) -> Iterator[Hit]:
    """W001's wordy phrases, or W002's ``formal`` words, as hits."""
    doc = ctx.doc
    for m in ctx.phrase_matches:
        phrase = m.entry
        if phrase.formal is not formal:
            continue
        span = doc[m.start : m.end]
        start, end = span.start_char, span.end_char
        if ctx.quoted.overlaps(start, end):
            continue  # a label as the screen shows it: "Continue on this browser"
        if ctx.in_term(start):
            continue  # part of a jargon term, which J001 reports: "audio enhancements"
        if _not_this_sense(span, phrase.replacements):
            continue
        written = span.text
        first = doc[m.start]
        # Inflect the replacement only when the text inflects the entry's first word
        # ("utilized" for "utilize"), not when the entry is itself a form ("regarding").
        tag = first.tag_ if first.lower_ != phrase.phrase.split()[0] else ""
        alternatives = tuple(inflect_first(r, tag) for r in phrase.replacements)
        base = phrase.replacements[0] if phrase.replacements else ""
        unsafe = phrase.applicability is Applicability.UNSAFE
        fitted = fit_phrase(doc, start, end, base) if unsafe else None
        if base and fitted == f"{base} of":  # "a large number of our users": "many of"
            alternatives = tuple(dict.fromkeys((f"{alternatives[0]} of", *alternatives[1:])))
        if alternatives:
            best = match_case(written, alternatives[0], ctx.starts_sentence(start))
            edit = Edit(start, end, best)
            what = "is formal" if formal else "is wordy"
            message = f"{quote(written)} {what}; say {quote(alternatives[0])}"
            label = f"Replace with {quote(best)}"
        else:
            # Drop the phrase with the spaces or comma after it; the finding covers
            # what the edit removes. The fix engine capitalises the next word if the
            # phrase started a sentence.
            end = _separator_end(ctx.text, end)
            edit = Edit(start, end, "")
            message = f"{quote(written)} adds words but no meaning; leave it out"
            label = "Remove the phrase"
        if phrase.note:
            message += f" ({phrase.note})"
        applicability = phrase.applicability
        first_words = phrase.replacements[0] if phrase.replacements else ""
        aside = ctx.text[max(0, start - 2) : start].rstrip().endswith(",")
        if (ctx.starts_sentence(start) or aside) and first_words.lower() in TOPIC_PREPOSITIONS:
            # "About refunds, these are...", "Just to let you know that, about the..."
            applicability = Applicability.DISPLAY
        if applicability is Applicability.UNSAFE:
            if fitted is None:
                applicability = Applicability.DISPLAY
            elif base:
                edit = Edit(start, end, match_case(written, fitted, ctx.starts_sentence(start)))
        fix = Fix(edits=(edit,), applicability=applicability, message=label)
        yield Hit(start, end, message, alternatives, fix)


def _not_this_sense(span: Span, replacements: tuple[str, ...]) -> bool:
    """Whether the phrase at ``span`` is not used in the sense the list means.

    * An opener the list drops, said as an order at the start of a sentence, gives
      leave: "Go ahead and block them" without it is a bare command.
    * A word the list replaces with "please" ("kindly") means it only before an
      order: "who has kindly offered to help" means "generously".
    """
    first = span[0]
    if not replacements and first.tag_ == "VB" and first.dep_ == "ROOT":
        before = [t for t in span.doc[first.sent.start : first.i] if t.is_alpha]
        if all(t.lower_ in {"yes", "so", "then", "please", "ok", "okay"} for t in before):
            return True
    if replacements[:1] == ("please",):
        nxt = span.doc[span.end] if span.end < len(span.doc) else None
        return nxt is None or nxt.tag_ != "VB"
    return False


def _separator_end(text: str, end: int) -> int:
    """Offset after the spaces, tabs and one comma that follow ``end``."""
    stop = end
    if stop < len(text) and text[stop] == ",":
        stop += 1
    while stop < len(text) and text[stop] in " \t":
        stop += 1
    return stop
