"""Rules that read the customer's message the draft replies to (codes ``T012``,
``T013``): acknowledge an upset customer, answer every question.

They run only when the message is given (``incoming=``, ``--reply-to``). The word
lists are ``data/tone_upset_words.txt``, ``data/tone_negative_words.txt``,
``data/empathy_phrases.txt`` and ``data/tone_generic_lemmas.txt``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from clarity.rules import wordlists
from clarity.rules.base import Context, Hit, quote, rule
from clarity.types import Category, Severity

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span


_STACKED_MARKS = re.compile(r"!{2,}|\?{2,}")


def customer_is_upset(incoming: Doc) -> bool:
    """Whether the customer's message shows they are upset: complaint words, capitals
    or stacked punctuation (two signs or more, or one capitalised run)."""
    negative = frozenset(wordlists.words(wordlists.NEGATIVE_WORDS))
    signs = sum(1 for t in incoming if t.lemma_.lower() in negative or t.lower_ in negative)
    signs += len(_STACKED_MARKS.findall(incoming.text))
    signs += len(wordlists.word_pattern(wordlists.UPSET_WORDS).findall(incoming.text))
    shouted = sum(1 for t in incoming if t.is_alpha and t.is_upper and len(t.text) >= 4)
    return signs >= 2 or shouted >= 2


@rule("T012", "no-acknowledgement", Category.TONE, Severity.WARNING)
def no_acknowledgement(ctx: Context) -> Iterator[Hit]:
    """Reply to an upset customer that does not acknowledge how they feel.

    What it does:
        When the customer's message (``incoming=``, ``--reply-to``) is upset
        (complaint words, "still", "again", capitals, "!!"), checks that the reply
        acknowledges it somewhere: an apology, "I understand", "thank you for your
        patience", "that must be frustrating" (``data/empathy_phrases.txt``).

    Why it matters:
        An upset customer reads a reply that goes straight to the fix as "they did
        not listen". One sentence of acknowledgement first makes the fix land.

    Example:
        - (to "This is the THIRD time my email has stopped working!! Nobody has fixed
          it.") **Please restart Outlook.**

    Use instead:
        - (to "This is the THIRD time my email has stopped working!! Nobody has fixed
          it.") I'm sorry your email has stopped working again; that must be
          frustrating. Please restart Outlook, and I will stay on this until it is
          fixed.

    Not reported:
        - (to "My email stopped working this morning.") Please restart Outlook.
    """
    if ctx.incoming is None or not ctx.sentences or not customer_is_upset(ctx.incoming):
        return
    reply = ctx.text.lower()
    if any(phrase in reply for phrase in ctx.resources.empathy_phrases):
        return
    first = ctx.sentences[0]
    end = max(t.idx + len(t.text) for t in first if not t.is_space)
    yield Hit(
        first.start_char,
        end,
        "The customer is upset, and the reply does not acknowledge it; start with an "
        "apology or “I understand how frustrating this is”",
        ("I'm sorry this has happened again.",),
    )


def _content_lemmas(tokens: Span | Doc) -> set[str]:
    generic = frozenset(wordlists.words(wordlists.GENERIC_LEMMAS))
    return {
        t.lemma_.lower()
        for t in tokens
        if t.pos_ in {"NOUN", "PROPN", "VERB", "ADJ", "NUM"}
        and not t.is_stop
        and t.lemma_.lower() not in generic
        and len(t.text) > 2
    }


@rule("T013", "unanswered-question", Category.TONE, Severity.WARNING)
def unanswered_question(ctx: Context) -> Iterator[Hit]:
    """A direct question from the customer that the reply does not address.

    What it does:
        Finds the direct questions in the customer's message (sentences ending in
        "?"; ``incoming=``, ``--reply-to``) and reports each one whose content words
        (nouns, verbs, adjectives and numbers, by lemma) the reply never mentions,
        quoting the question.

    Why it matters:
        A question left unanswered means another round of e-mails, and tells the
        customer their message was skimmed. Answer each one, even if the answer is
        "not yet".

    Example:
        - (to "Will I lose my files? When will the laptop be ready?") **Your laptop will
          be ready on Friday.**

    Use instead:
        - (to "Will I lose my files? When will the laptop be ready?") Your laptop will
          be ready on Friday, and you will not lose any files: we copy them across
          first.
    """
    if ctx.incoming is None or not ctx.sentences:
        return
    answered = _content_lemmas(ctx.doc)
    first = ctx.sentences[0]
    end = max(t.idx + len(t.text) for t in first if not t.is_space)
    for sent in ctx.incoming.sents:
        question = sent.text.strip()
        if not question.endswith("?"):
            continue
        wanted = _content_lemmas(sent)
        if not wanted or wanted & answered:
            continue
        yield Hit(
            first.start_char,
            end,
            f"The customer asked {quote(' '.join(question.split()))}, and the reply does "
            "not answer it",
        )
