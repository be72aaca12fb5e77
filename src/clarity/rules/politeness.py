"""Politeness as the shipped model scores it (code ``T011``).

The model (``clarity.tone``, JSON weights) scores each tone sentence once, on
:attr:`Context.tone_scores`; this rule reports the requests it finds clearly impolite.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from clarity.rules.base import Context, Hit, quote, rule
from clarity.rules.tone import CURT_MAX_WORDS, in_list_item
from clarity.types import Category, Severity

if TYPE_CHECKING:
    from spacy.tokens import Span


#: Words that address the reader: a question without one is the writer's own.
_SECOND_PERSON = frozenset({"you", "your", "yours", "yourself", "yourselves", "u", "ya"})
#: A sentence the model gives a lower P(polite) than this is reported (T011).
IMPOLITE_SENTENCE = 0.25


@rule("T011", "impolite-sentence", Category.TONE, Severity.INFO)
def impolite_sentence(ctx: Context) -> Iterator[Hit]:
    """Sentence the politeness model scores as clearly impolite.

    What it does:
        Scores each request in the message (a question, or a short command that is
        not a step of a list: the kind of sentence the model was trained on; a long
        command is an instruction the customer asked for) with clarity's politeness
        model (a
        linear classifier trained on the Stanford Politeness Corpus, shipped as JSON
        weights; see ``docs/tone-model.md``) and reports those whose probability of
        reading as polite is under 0.25, naming the phrases that pushed the score
        down most. Statements of fact and the steps of a numbered or bulleted list
        are left to the other tone rules. It is a statistical guess, right about
        half the time on help-desk replies, so it informs (``info``) and does not
        hold a reply: rudeness that holds one is found by the explainable phrase
        rules T001-T008.

    Why it matters:
        Tone problems are not all in a word list. The model has learnt from
        thousands of rated requests which openings, questions and phrasings read as
        brusque, and catches the sentence that a list misses.

    Example:
        - **Why didn't you send the log like I asked?**

    Use instead:
        - Could you send the log when you have a moment? It helps us find the cause.
        - Could you send the log when you have a moment? Thanks!

    Not reported:
        - 3. You'll see a list of dates and times. Pick the one from this afternoon,
          before you saved over it, and click 'Restore'.
        - Regenerate the keys in the dashboard and paste them into the plugin
          settings, then run a test payment.
        - Why the change? The old drives only protect you if you remember them.
    """
    for sent, (p, contributions) in zip(ctx.tone_sentences, ctx.tone_scores, strict=True):
        if p >= IMPOLITE_SENTENCE or not is_request(sent):
            continue
        words = sum(1 for t in sent if t.is_alpha)
        if words < 3:
            continue
        negative = [c for c in contributions if c.contribution < 0][:3]
        shown = []
        for c in negative:
            if c.start is not None and c.end is not None:
                shown.append(quote(ctx.text[c.start : c.end]))
            else:
                shown.append(c.feature.split(":", 1)[-1].replace("_", " "))
        end = max(t.idx + len(t.text) for t in sent if not t.is_space)
        why = f"; most of all {', '.join(shown)}" if shown else ""
        yield Hit(
            sent.start_char,
            end,
            f"This sentence reads as impolite (politeness {p:.2f}){why}. Soften it: a "
            "please, a question instead of an order, a reason",
        )


def is_request(sent: Span) -> bool:
    """A request of the kind the model was trained on and judges well: a question, or
    a short command (a bare verb with no subject, at most
    :data:`~clarity.rules.tone.CURT_MAX_WORDS` words) that is not a step of a list.
    A question counts when it is put to the reader (it has "you" or "your").
    A longer command is an instruction the customer asked for ("Regenerate the keys
    in the dashboard, then run a test payment."); one that opens with "please" is
    polite by its first word ("Please don't feel bad, it happens to everyone.")."""
    first = next((t for t in sent if t.is_alpha), None)
    if first is None or first.lower_ in {"please", "kindly"}:
        return False
    if sent.text.rstrip().endswith("?"):
        # to the reader; not one the writer asks and answers ("Why the change? ...")
        return any(t.lower_ in _SECOND_PERSON for t in sent)
    if in_list_item(sent) or sum(1 for t in sent if t.is_alpha) > CURT_MAX_WORDS:
        return False
    return first.tag_ == "VB" and not any(
        c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in first.children
    )
