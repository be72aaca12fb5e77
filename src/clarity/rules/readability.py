"""Readability: long, hard and passive sentences; the message's grade (codes ``R``)."""

from __future__ import annotations

from collections.abc import Iterator

from clarity.rules.base import Context, Hit, quote, rule
from clarity.types import Applicability, Category, Fix, Severity

#: Below this many words a message's grade level is too noisy to report.
MIN_WORDS_FOR_GRADE = 40
#: Sentences shorter than this are not judged by their grade.
MIN_WORDS_FOR_SENTENCE_GRADE = 8


@rule("R001", "long-sentence", Category.READABILITY, Severity.WARNING)
def long_sentence(ctx: Context) -> Iterator[Hit]:
    """Sentence longer than the audience's limit.

    What it does:
        Counts the words of each sentence and reports those longer than
        ``max_sentence_words`` (25 for the ``customer`` audience, 35 for
        ``technical``).

    Why it matters:
        Readers keep about one idea in mind at a time. Past 25 words a sentence
        usually holds two or three, and the customer has to read it twice.
        Step-by-step instructions are clearest one step a sentence.

    Example:
        To fix this you need to open Settings and then go to Accounts where you
        will find the option to remove the old profile, after which you should
        restart the laptop and sign in again with your new password.

    Use instead:
        Open Settings and go to Accounts. Remove the old profile. Then restart the
        laptop and sign in with your new password.
    """
    limit = ctx.config.effective_max_sentence_words
    for score in ctx.sentence_scores:
        if score.words > limit:
            yield Hit(
                score.start,
                score.end,
                f"Sentence has {score.words} words (limit {limit}); split it into shorter ones",
                fix=Fix(
                    edits=(),
                    applicability=Applicability.DISPLAY,
                    message="Split the sentence where a new idea starts",
                ),
            )


@rule("R002", "hard-sentence", Category.READABILITY, Severity.INFO)
def hard_sentence(ctx: Context) -> Iterator[Hit]:
    """Sentence whose reading grade is above the audience's limit.

    What it does:
        Scores each sentence of eight or more words with the Flesch-Kincaid grade
        formula and reports those above ``max_sentence_grade`` (12 for
        ``customer``, 16 for ``technical``). Long words with many syllables are
        what usually lifts the grade.

    Why it matters:
        A sentence full of long, abstract words ("authentication configuration
        modification") is hard work even when it is short. Plain everyday words
        bring the grade down.

    Example:
        Subsequent authentication verification necessitates additional configuration.

    Use instead:
        You will need to change one more setting before you can sign in.
    """
    limit = ctx.config.effective_max_sentence_grade
    for score in ctx.sentence_scores:
        if score.words >= MIN_WORDS_FOR_SENTENCE_GRADE and score.grade > limit:
            yield Hit(
                score.start,
                score.end,
                f"Sentence reads at grade {score.grade:.0f} (limit {limit:.0f}); "
                "use shorter, everyday words",
            )


@rule("R003", "passive-voice", Category.READABILITY, Severity.INFO)
def passive_voice(ctx: Context) -> Iterator[Hit]:
    """Passive voice that hides who does what.

    What it does:
        Finds passive constructions from the dependency parse: a passive auxiliary
        (``auxpass``) attached to a past participle, as in "the server was
        restarted". Participles that describe a state
        rather than an action ("you are logged in", "the office is located",
        ``data/passive_exceptions.txt``) pass.

    Why it matters:
        "Your account has been locked" leaves the customer wondering who locked it,
        and whether they must do something. The active voice says who acts: "We
        locked your account to keep it safe".

    Example:
        The password was reset and a new laptop will be sent.

    Use instead:
        We reset the password and will send you a new laptop.
    """
    exceptions = ctx.resources.passive_exceptions
    for sent in ctx.sentences:
        for tok in sent:
            if tok.dep_ != "auxpass":
                continue
            verb = tok.head
            if verb.lemma_.lower() in exceptions:
                continue
            agent = next((c for c in verb.children if c.dep_ == "agent"), None)
            start = min(tok.idx, verb.idx)
            end = max(tok.idx + len(tok.text), verb.idx + len(verb.text))
            phrase = ctx.text[start:end]
            if agent is not None:
                who = " ".join(t.text for t in agent.subtree if t.dep_ != "agent")
                advice = f"say who acts first: {quote(who)} {verb.lemma_}..."
            else:
                advice = "say who does it (we, you, the system)"
            yield Hit(
                start,
                end,
                f"{quote(phrase)} is passive; {advice}",
                fix=Fix(
                    edits=(), applicability=Applicability.DISPLAY, message="Use the active voice"
                ),
            )


@rule("R004", "grade-above-target", Category.READABILITY, Severity.WARNING, late=True)
def grade_above_target(ctx: Context) -> Iterator[Hit]:
    """Message reads above the audience's target grade.

    What it does:
        Compares the message's Flesch-Kincaid grade (textstat, over the writer's own
        text: quoted history and signatures excluded) with ``target_grade`` (8 for
        ``customer``, 12 for ``technical``). Messages under 40 words are not
        judged: their grade swings with a single word.

    Why it matters:
        Half of adults read most comfortably at grade 8 or below, and nobody
        reads a support reply at their best: they are busy, worried or reading on
        a phone. Plain-language guidance for the public aims at grade 6 to 8.

    Example:
        Subsequent to the implementation of the modification, authentication
        necessitates re-verification utilizing the organizational credentials.

    Use instead:
        After the change, please sign in again with your work email and password.
    """
    target = ctx.config.effective_target_grade
    if ctx.words < MIN_WORDS_FOR_GRADE or ctx.grade <= target or not ctx.sentence_scores:
        return
    start, end = ctx.sentence_scores[0].start, ctx.sentence_scores[-1].end
    yield Hit(
        start,
        end,
        f"The message reads at grade {ctx.grade:.1f}; the target for this audience is "
        f"{target:.0f}. Use shorter sentences and everyday words",
    )
