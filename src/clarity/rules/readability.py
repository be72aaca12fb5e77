"""Readability: long, hard and passive sentences; the message's grade (codes ``R``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from clarity.inflect import inflect_word
from clarity.rules.base import MAX_QUOTE, Context, Hit, match_case, quote, rule
from clarity.types import Applicability, Category, Edit, Fix, Severity

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

#: Below this many words a message's grade level is too noisy to report.
MIN_WORDS_FOR_GRADE = 40
#: Sentences shorter than this are not judged by their grade.
MIN_WORDS_FOR_SENTENCE_GRADE = 8
#: A sentence longer than this many times the audience's ``max_sentence_words`` is
#: "far over" the limit: R005 (a warning, which blocks at the default gate) reports
#: it instead of R001 (info). 2 x 25 = 50 words for ``customer``, 70 for ``technical``.
VERY_LONG_SENTENCE_FACTOR = 2.0
#: A message whose grade is at least this many grades above the audience's
#: ``target_grade`` is "far above" it: R004 (a warning) reports it. Nearer the target,
#: R006 (info) only informs. 8 + 4 = grade 12 for ``customer``, 16 for ``technical``.
FAR_ABOVE_TARGET_GRADES = 4.0


def very_long_limit(limit: int) -> float:
    """The sentence length past which R005 reports instead of R001."""
    return limit * VERY_LONG_SENTENCE_FACTOR


@rule("R001", "long-sentence", Category.READABILITY, Severity.INFO)
def long_sentence(ctx: Context) -> Iterator[Hit]:
    """Sentence longer than the audience's limit.

    What it does:
        Counts the words of each sentence and reports those longer than
        ``max_sentence_words`` (25 for the ``customer`` audience, 35 for
        ``technical``) but at most twice as long (``VERY_LONG_SENTENCE_FACTOR``):
        advice (info), since one long sentence in a clear reply does not stop it
        going out. A sentence past twice the limit is R005's, a warning.

    Why it matters:
        Readers keep about one idea in mind at a time. Past 25 words a sentence
        usually holds two or three, and the customer has to read it twice.
        Step-by-step instructions are clearest one step a sentence.

    Example:
        - **To fix this you need to open Settings and then go to Accounts where you
          will find the option to remove the old profile, after which you should
          restart the laptop and sign in again with your new password.**

    Use instead:
        - Open Settings and go to Accounts. Remove the old profile. Then restart the
          laptop and sign in with your new password.
    """
    yield from _long_sentences(ctx, very_long=False)


@rule("R005", "very-long-sentence", Category.READABILITY, Severity.WARNING)
def very_long_sentence(ctx: Context) -> Iterator[Hit]:
    """Sentence far longer than the audience's limit.

    What it does:
        Reports each sentence of more than twice ``max_sentence_words``
        (``VERY_LONG_SENTENCE_FACTOR``): more than 50 words for the ``customer``
        audience, 70 for ``technical``. A warning: it blocks at the default gate.
        Shorter sentences over the limit are R001's (info).

    Why it matters:
        A sentence of fifty words or more holds several ideas tangled together;
        most readers lose the thread before the end and have to read it again, or
        give up and call.

    Example:
        - **To fix this you need to open Settings and then go to Accounts where you
          will find the option to remove the old profile, after which you should
          restart the laptop and sign in again with your new password, and if that
          does not work you should call the help desk on the usual number so that
          someone from our team can take a look at it together with you today.**

    Use instead:
        - Open Settings and go to Accounts. Remove the old profile. Then restart the
          laptop and sign in with your new password. If that does not work, please
          call us and we will look at it with you today.

    Not reported:
        - To fix this you need to open Settings and then go to Accounts where you
          will find the option to remove the old profile, after which you should
          restart the laptop and sign in again with your new password. (under
          twice the limit: R001's)
    """
    yield from _long_sentences(ctx, very_long=True)


def _long_sentences(ctx: Context, *, very_long: bool) -> Iterator[Hit]:
    """Sentences over the limit: those past :func:`very_long_limit` when
    ``very_long``, the others otherwise."""
    limit = ctx.config.effective_max_sentence_words
    far = very_long_limit(limit)
    for sent, score in zip(ctx.sentences, ctx.sentence_scores, strict=True):
        if score.words <= limit or (score.words > far) != very_long:
            continue
        split = split_point(sent)
        message = f"Sentence has {score.words} words (limit {limit}); split it into shorter ones"
        fix = None
        if split is not None:
            where = " ".join(ctx.text[score.start : split.start].split()[-5:])
            message += f", e.g. after “…{where[-(MAX_QUOTE - 1) :]}”"
            fix = Fix(
                edits=(split,),
                applicability=Applicability.DISPLAY,
                message="Split the sentence here",
            )
        yield Hit(score.start, score.end, message, fix=fix)


_SPLIT_CONJUNCTIONS = {"and": False, "but": True, "so": True, "yet": True}


def split_point(sent: Span) -> Edit | None:
    """Where a long sentence splits best: a conjunction joining two clauses that each
    have a subject (", and we will..." -> ". We will..."), or a semicolon, nearest the
    middle. ``and`` is dropped; ``but``/``so`` start the new sentence."""
    doc = sent.doc
    middle = (sent.start + sent.end) / 2
    best: tuple[float, Edit] | None = None
    for tok in sent[1:-2]:
        nxt = doc[tok.i + 1]
        if tok.text == ";":
            cut_start = tok.idx
            edit = Edit(cut_start, nxt.idx + 1, ". " + nxt.text[0].upper())
        elif tok.dep_ == "cc" and tok.lower_ in _SPLIT_CONJUNCTIONS:
            conj = next((c for c in tok.head.children if c.dep_ == "conj" and c.i > tok.i), None)
            if conj is None or conj.pos_ not in {"VERB", "AUX"}:
                continue
            if not any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in conj.children):
                continue
            prev = doc[tok.i - 1]
            cut_start = prev.idx if prev.text == "," else tok.idx - 1
            if _SPLIT_CONJUNCTIONS[tok.lower_]:
                edit = Edit(cut_start, tok.idx + 1, ". " + tok.text[0].upper())
            else:
                edit = Edit(cut_start, nxt.idx + 1, ". " + nxt.text[0].upper())
        else:
            continue
        if doc.text[edit.start : edit.end].count("\n"):
            continue
        distance = abs(tok.i - middle)
        if best is None or distance < best[0]:
            best = (distance, edit)
    return best[1] if best else None


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
        - **Subsequent authentication verification necessitates additional
          organizational configuration modifications.**

    Use instead:
        - You will need to change one more setting before you can sign in.

    Not reported:
        - Subsequent authentication verification necessitates configuration. (a
          sentence of fewer than eight words is not judged)
    """
    limit = ctx.config.effective_max_sentence_grade
    for score in ctx.sentence_scores:
        if score.words >= MIN_WORDS_FOR_SENTENCE_GRADE and score.grade > limit:
            yield Hit(
                score.start,
                score.end,
                f"Sentence reads at grade {score.grade:.1f} (limit {limit:.0f}); "
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
        - The password **was changed** and a new laptop will **be sent**.
        - **The server was restarted by the admin** last night.
        - Your account has **been locked**.

    Use instead:
        - We changed the password and will send you a new laptop.
        - We restarted the server last night.

    Not reported:
        - You are logged in now.
        - The office is located on the second floor.
    """
    exceptions = ctx.resources.passive_exceptions
    for sent in ctx.sentences:
        for tok in sent:
            if tok.dep_ != "auxpass":
                continue
            verb = tok.head
            if verb.lemma_.lower() in exceptions:
                continue
            start = min(tok.idx, verb.idx)
            end = max(tok.idx + len(tok.text), verb.idx + len(verb.text))
            phrase = ctx.text[start:end]
            active = active_voice(verb)
            if active is not None:
                rewritten = ctx.text[active.start : active.end]
                message = (
                    f"{quote(phrase)} is passive; say who acts: "
                    f"{quote(active.replacement)} instead of {quote(rewritten)}"
                )
                fix = Fix(
                    edits=(active,),
                    applicability=Applicability.DISPLAY,
                    message=f"Rewrite as {quote(active.replacement)}",
                )
                # The finding covers the clause the suggestion rewrites.
                yield Hit(active.start, active.end, message, (active.replacement,), fix)
            else:
                message = f"{quote(phrase)} is passive; say who does it (we, you, the system)"
                yield Hit(start, end, message)


@rule("R004", "grade-above-target", Category.READABILITY, Severity.WARNING, late=True)
def grade_above_target(ctx: Context) -> Iterator[Hit]:
    """Message reads far above the audience's target grade.

    What it does:
        Compares the message's Flesch-Kincaid grade (textstat, over the writer's own
        text: quoted history and signatures excluded) with ``target_grade`` (8 for
        ``customer``, 12 for ``technical``) and reports a message at least
        ``FAR_ABOVE_TARGET_GRADES`` (4) grades above it: grade 12 or more for
        ``customer``. A warning: it blocks at the default gate. A message above the
        target but nearer to it is R006's (info). Messages under 40 words are not
        judged: their grade swings with a single word.

    Why it matters:
        Half of adults read most comfortably at grade 8 or below, and nobody
        reads a support reply at their best: they are busy, worried or reading on
        a phone. Plain-language guidance for the public aims at grade 6 to 8.

    Example:
        - **Subsequent to the implementation of the organizational modification,
          authentication necessitates re-verification utilizing the organizational
          credentials previously communicated. Consequently, individuals experiencing
          authentication difficulties should contact the departmental representative
          immediately for additional clarification regarding procedural requirements.
          Authorization verification subsequently necessitates documentation.**

    Use instead:
        - Hi Sam, thanks for your message. I am sorry the printer is not working.
          Please turn it off, wait ten seconds, and turn it on again. If it still does
          not print, reply to this email and I will call you. We will get it working
          today.

    Not reported:
        - Subsequent authentication necessitates re-verification. (under 40 words:
          too short to judge)
    """
    yield from _grade_hits(ctx, far=True)


@rule("R006", "grade-near-target", Category.READABILITY, Severity.INFO, late=True)
def grade_near_target(ctx: Context) -> Iterator[Hit]:
    """Message reads a little above the audience's target grade.

    What it does:
        Reports a message whose Flesch-Kincaid grade is at least
        ``NEAR_TARGET_MARGIN`` (1) above ``target_grade`` (8 for ``customer``, 12 for
        ``technical``) and less than ``FAR_ABOVE_TARGET_GRADES`` (4) above it; a grade
        is an estimate, so 8.3 against 8 is not mentioned. Advice (info): such a reply
        can go out,
        though plainer words would help. Four grades or more above the target is
        R004's, a warning. Messages under 40 words are not judged.

    Why it matters:
        Plain-language guidance for the public aims at grade 6 to 8. A reply a
        grade or two above that is still readable, but every long word costs a
        busy reader a little.

    Example:
        - **Thanks for getting in touch about the shared calendar. During the
          migration, the calendar permissions were modified, which is why your
          colleagues can no longer see your appointments. I have restored the
          previous configuration, so everything should be visible again immediately.
          Let me know if anything still looks different.**

    Use instead:
        - Hi Sam, thanks for your message. I am sorry the printer is not working.
          Please turn it off, wait ten seconds, and turn it on again. If it still does
          not print, reply to this email and I will call you. We will get it working
          today.

    Not reported:
        - The calendar permissions were modified during the migration. (under 40
          words: too short to judge)
    """
    yield from _grade_hits(ctx, far=False)


#: How far above the target a message's grade must be before R006 mentions it: a grade
#: is an estimate, and 8.3 against a target of 8 is the same reading.
NEAR_TARGET_MARGIN = 1.0


def _grade_hits(ctx: Context, *, far: bool) -> Iterator[Hit]:
    """The message-level grade finding: at least ``FAR_ABOVE_TARGET_GRADES`` above the
    target when ``far``, above it but nearer otherwise."""
    target = ctx.config.effective_target_grade
    if ctx.words < MIN_WORDS_FOR_GRADE or not ctx.sentence_scores:
        return
    if ctx.grade < target + NEAR_TARGET_MARGIN:
        return
    if (ctx.grade >= target + FAR_ABOVE_TARGET_GRADES) != far:
        return
    start, end = ctx.sentence_scores[0].start, ctx.sentence_scores[-1].end
    yield Hit(
        start,
        end,
        f"The message reads at grade {ctx.grade:.1f}; the target for this audience is "
        f"{target:.0f}. Use shorter sentences and everyday words",
    )


_SUBJECT_TO_OBJECT = {"i": "me", "we": "us", "he": "him", "she": "her", "they": "them"}
_OBJECT_TO_SUBJECT = {v: k for k, v in _SUBJECT_TO_OBJECT.items()}
_MODALS = {"will", "would", "can", "could", "should", "must", "may", "might", "shall"}


def _subtree_span(tok: Token) -> Span:
    return tok.doc[tok.left_edge.i : tok.right_edge.i + 1]


def _singular_third(actor: Token) -> bool:
    if actor.lower_ in {"i", "you", "we", "they"}:
        return False
    return actor.tag_ in {"NN", "NNP"} or actor.lower_ in {"he", "she", "it"}


def active_voice(verb: Token) -> Edit | None:
    """The active form of "<subject> <aux> <participle> by <actor>", or ``None``.

    "The server was restarted by the admin" -> "The admin restarted the server".
    Handles simple past and present, the perfect ("has been restarted") and modals
    ("will be restarted"); the three parts must stand next to each other.
    """
    subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    actor = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
    if subj is None or agent is None or actor is None or agent.i != verb.i + 1:
        return None
    auxes = [c for c in verb.children if c.dep_ in {"aux", "auxpass"} and c.i < verb.i]
    subj_span = _subtree_span(subj)
    actor_span = _subtree_span(actor)
    if (
        not auxes
        or subj_span.end != auxes[0].i
        or any(a.i != auxes[0].i + n for n, a in enumerate(auxes))
        or auxes[-1].i != verb.i - 1
    ):
        return None
    words = [a.lower_ for a in auxes]
    lemma = verb.lemma_.lower()
    if words in (["was"], ["were"]):
        verb_phrase = inflect_word(lemma, "VBD")
    elif words in (["is"], ["are"], ["am"]):
        verb_phrase = inflect_word(lemma, "VBZ") if _singular_third(actor) else lemma
    elif words in (["has", "been"], ["have", "been"]):
        have = "has" if _singular_third(actor) else "have"
        verb_phrase = f"{have} {inflect_word(lemma, 'VBN')}"
    elif len(words) == 2 and words[0] in _MODALS and words[1] == "be":
        verb_phrase = f"{words[0]} {lemma}"
    else:
        return None
    if verb_phrase == lemma and _singular_third(actor) and words != ["was"]:
        return None
    actor_text = _OBJECT_TO_SUBJECT.get(actor_span.text.lower(), actor_span.text)
    subj_text = _SUBJECT_TO_OBJECT.get(subj_span.text.lower(), subj_span.text)
    at_start = subj_span.start == subj_span.sent.start
    if at_start:
        actor_text = match_case("A", actor_text, True)
        if subj_span[0].pos_ != "PROPN" and subj_span[0].text != "I":
            subj_text = subj_text[:1].lower() + subj_text[1:]
    start = subj_span.start_char
    end = actor_span.end_char
    return Edit(start, end, f"{actor_text} {verb_phrase} {subj_text}")
