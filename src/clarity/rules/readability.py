"""Readability: long, hard and passive sentences; the message's grade (codes ``R``)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from clarity.nlp import doc_text
from clarity.rules.base import MAX_QUOTE, Context, Hit, per_context, quote, rule
from clarity.spans import Intervals
from clarity.types import Applicability, Category, Edit, Fix, SentenceScore, Severity

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from clarity.rules.jargon import Names

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


#: A sentence over the limit but no longer than this many times it is reported by R001
#: only when its words are as hard as R002 asks: 26 to 37 plain words read fine (1.5 x
#: 25 = 37.5 for ``customer``). A hand-judged sample found such sentences clear ("29
#: plain, friendly words"). Nor is a longer one whose colons and semicolons already
#: cut it into parts within the limit ("38 words, a list of short steps after a
#: colon").
PLAIN_LONG_FACTOR = 1.5
#: This many technical terms (lexicon entries the reader is not expected to know) make
#: a sentence "dense": hard and dense is R002's. Long and dense is no reason for R001:
#: two readers judged 19 of 20 such sentences of 30 to 37 words in three censuses
#: "long but clear; the trouble is its jargon", which J001 reports term by term.
DENSE_TERMS = 2
#: A sentence R002 reports on its words alone (without :data:`DENSE_TERMS` terms) must
#: read this many grades above ``max_sentence_grade`` with its length counted as at most
#: the word limit: its words, not its length, make it hard.
HARD_WORDS_MARGIN = 4.0


def very_long_limit(limit: int) -> float:
    """The sentence length past which R005 reports instead of R001."""
    return limit * VERY_LONG_SENTENCE_FACTOR


def word_count(text: str) -> int:
    """Words as a reader counts them: runs of non-space characters with a letter or a
    digit in them ("doesn't", "sign-in" and "9:30" are one word each; "-" and ">" none).
    """
    return sum(1 for w in text.split() if any(ch.isalnum() for ch in w))


@dataclass(frozen=True)
class _Sentence:
    """One sentence's length, grade and technical terms, and which rule reports it."""

    span: Span
    score: SentenceScore
    words: int
    terms: tuple[str, ...]
    code: str | None  # "R005", "R001", "R002" or None


class _TechnicalTerms:
    """Lexicon terms the reader may not know, sentence by sentence: not a technical
    term for a technical audience, not inside a product name, not the customer's own
    word. Worked out only for the sentences that ask (long or hard ones)."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._starts = [s for s, _, _ in ctx.term_matches]  # in text order
        self._names: Names | None = None
        self._theirs: set[str] | None = None

    def within(self, start: int, end: int) -> tuple[str, ...]:
        """The distinct terms in ``[start, end)``, as written."""
        from clarity.rules.jargon import in_name, incoming_terms, name_spans

        ctx = self._ctx
        first = bisect.bisect_left(self._starts, start)
        last = bisect.bisect_left(self._starts, end)
        found = [m for m in ctx.term_matches[first:last] if m[1] <= end]
        if not found:
            return ()
        if self._names is None or self._theirs is None:
            self._names, self._theirs = name_spans(ctx), incoming_terms(ctx)
        knows = ctx.config.audience_info.knows_technical_terms
        out: dict[str, str] = {}
        for s, e, term in found:
            written = ctx.text[s:e]
            if (knows and term.technical) or in_name(self._names, s, e):
                continue
            if written.lower() not in self._theirs:
                out.setdefault(written.lower(), written)
        return tuple(out.values())


def _word_grade(score: SentenceScore, words: int, limit: int) -> float:
    """The Flesch-Kincaid grade of a sentence with its length counted as at most
    ``limit`` words: how hard its words are, whatever its length."""
    if not score.words:
        return 0.0
    return 0.39 * min(words, limit) + 11.8 * score.syllables / score.words - 15.59


#: Where a sentence is already cut in parts: a colon or semicolon before a space.
_PARTS = re.compile(r"[;:](?=\s)")


def _longest_part(ctx: Context, score: SentenceScore) -> int:
    """The words of the longest part of a sentence between its colons and semicolons."""
    return max(word_count(p) for p in _PARTS.split(ctx.text[score.start : score.end]))


@per_context
def _classify(ctx: Context) -> list[_Sentence]:
    """Each sentence and the one rule (if any) that reports it: far too long (R005),
    long and hard going (R001), hard (R002). One finding a sentence."""
    limit = ctx.config.effective_max_sentence_words
    grade_limit = ctx.config.effective_max_sentence_grade
    far = very_long_limit(limit)
    out = []
    technical = _TechnicalTerms(ctx)
    for sent, score in zip(ctx.sentences, ctx.sentence_scores, strict=True):
        words = word_count(ctx.text[score.start : score.end])
        hard = words >= MIN_WORDS_FOR_SENTENCE_GRADE and score.grade > grade_limit
        asks = words > limit or hard
        terms = technical.within(score.start, score.end) if asks else ()
        dense = len(terms) >= DENSE_TERMS
        # Hard words: the grade its words give it, its length counted as at most
        # the word limit (the full grade of a long sentence is high for its length).
        hard_words = _word_grade(score, words, limit) > grade_limit + HARD_WORDS_MARGIN
        code: str | None = None
        if words > far:
            code = "R005"
        elif words > limit and (
            (words > limit * PLAIN_LONG_FACTOR and _longest_part(ctx, score) > limit) or hard_words
        ):
            code = "R001"
        elif hard and (hard_words or (dense and words <= limit)):
            code = "R002"  # a long one dense with jargon but under 30 words: J001's
        out.append(_Sentence(sent, score, words, terms, code))
    return out


@rule("R001", "long-sentence", Category.READABILITY, Severity.INFO)
def long_sentence(ctx: Context) -> Iterator[Hit]:
    """Sentence longer than the audience's limit.

    What it does:
        Counts the words of each sentence as a reader does ("doesn't" is one word)
        and reports one longer than ``max_sentence_words`` (25 for the ``customer``
        audience, 35 for ``technical``) but at most twice as long
        (``VERY_LONG_SENTENCE_FACTOR``) when it is hard going: more than one and a
        half times the limit (``PLAIN_LONG_FACTOR``: 38 words or more for
        ``customer``) and not already cut by colons or semicolons into parts within
        the limit, or over the limit with words hard enough for R002. A sentence of
        26 to 37 words reads fine when its words are plain, and one whose trouble is
        its jargon is J001's, term by term. Advice (info); a sentence past twice the
        limit is R005's, a warning.

    Why it matters:
        Readers keep about one idea in mind at a time. A sentence of forty words
        holds three or four, and one that also carries technical terms makes the
        customer read it twice. Step-by-step instructions are clearest one step a
        sentence.

    Example:
        - **To fix this you need to open Settings and then go to Accounts where you
          will find the option to remove the old profile, after which you should
          restart the laptop and sign in again with your new password so that the
          new one is used.**

    Use instead:
        - Open Settings and go to Accounts. Remove the old profile. Then restart the
          laptop and sign in with your new password.

    Not reported:
        - I've restored 'Payroll March' to the Finance shared drive, in the same
          folder it was in before, and it's exactly as it was at 6pm yesterday. (29
          plain words)
        - The matter number is the client-matter ID from the PMS, for example 10234,
          and it has to match exactly or the ethical wall rules will block the save.
          (27 words: its jargon is the trouble)
        - I've looked at the sign-in logs: the alert was triggered by an
          impossible-travel detection because your phone hit a VPN egress node in
          Amsterdam while your laptop was in Leeds. (J001 reports its terms)
        - To get the new photos in: open the app on your phone and tap Import at the
          bottom of the screen; then pick the album you made on Saturday and choose
          Copy to the shared folder for everyone in the team. (41 words in three
          short parts)
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
    """The sentences R005 reports when ``very_long``, else those R001 reports."""
    limit = ctx.config.effective_max_sentence_words
    for s in _classify(ctx):
        if s.code != ("R005" if very_long else "R001"):
            continue
        sent, score = s.span, s.score
        split = split_point(sent)
        message = f"Sentence has {s.words} words (limit {limit})"
        if s.terms and len(s.terms) >= DENSE_TERMS and not very_long:
            shown = ", ".join(quote(t) for t in s.terms[:3])
            message += f" and {len(s.terms)} technical terms ({shown})"
        message += "; split it into shorter ones"
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
        if doc_text(doc)[edit.start : edit.end].count("\n"):
            continue
        distance = abs(tok.i - middle)
        if best is None or distance < best[0]:
            best = (distance, edit)
    return best[1] if best else None


@rule("R002", "hard-sentence", Category.READABILITY, Severity.INFO)
def hard_sentence(ctx: Context) -> Iterator[Hit]:
    """Sentence made hard by its words: long, abstract or technical.

    What it does:
        Scores each sentence of eight or more words with the Flesch-Kincaid grade
        formula and reports one above ``max_sentence_grade`` (12 for ``customer``,
        16 for ``technical``) when its words are what make it hard: it carries two or
        more technical terms (``DENSE_TERMS``), or it still reads
        ``HARD_WORDS_MARGIN`` (4) grades above the limit with its length counted as at
        most ``max_sentence_words``. The grade of a long sentence of plain words is
        high only because it is long: that is R001's or R005's business (one finding
        a sentence), not this rule's.

    Why it matters:
        A sentence full of long, abstract words ("authentication configuration
        modification") or unexplained terms is hard work even when it is short.
        Plain everyday words bring the grade down.

    Example:
        - **Subsequent authentication verification necessitates additional
          organizational configuration modifications.**

    Use instead:
        - You will need to change one more setting before you can sign in.

    Not reported:
        - Subsequent authentication verification necessitates configuration. (a
          sentence of fewer than eight words is not judged)
        - The VPN only works on work laptops, because we need to be sure every
          computer that connects has our security software and updates on it.
          (plain words)
    """
    limit = ctx.config.effective_max_sentence_grade
    for s in _classify(ctx):
        if s.code != "R002":
            continue
        message = f"Sentence reads at grade {s.score.grade:.1f} (limit {limit:.0f})"
        if len(s.terms) >= DENSE_TERMS:
            shown = ", ".join(quote(t) for t in s.terms[:3])
            message += f" and has {len(s.terms)} technical terms ({shown}); explain them"
            message += " or use everyday words"
        else:
            message += "; use shorter, everyday words"
        yield Hit(s.score.start, s.score.end, message)


@rule("R003", "passive-voice", Category.READABILITY, Severity.INFO)
def passive_voice(ctx: Context) -> Iterator[Hit]:
    """Passive voice that hides who must act.

    What it does:
        Finds passive constructions from the dependency parse (a passive auxiliary,
        ``auxpass``, on a past participle) and reports the ones that leave out an
        actor the reader needs to know, which is usually the reader:

        * a duty with nobody to do it: "must be returned", "needs to be restarted",
          "will have to be removed";
        * a request in the subjunctive: "we ask that the email be forwarded";
        * an impersonal "it is requested that", "it was decided to".

        A passive that names its actor ("the slot is held by another booking",
        "restarted by the admin") hides nobody and is not reported; readers judged
        its active rewrite no plainer. Passives that report what happened or will
        happen ("your password was changed", "you'll be asked for a code") read fine
        and pass, and so do participles that describe a state rather than an action
        ("you are logged in", "the office is located", ``data/passive_exceptions.txt``),
        as does a state the reader is asked to check ("make sure it's plugged in",
        "ensure the form is signed"). A passive in a sentence R005 reports as far
        too long is left to R005: splitting the sentence comes first.

    Why it matters:
        "The laptop must be returned by Friday" leaves the customer wondering
        whether they should bring it in or wait for someone to collect it. Saying
        who acts ("Please bring the laptop back by Friday") removes the doubt.

    Example:
        - We ask that the email **be forwarded** to the help desk.
        - The old laptop **must be returned** to the IT desk.
        - Your password **needs to be changed** before you can sign in.

    Use instead:
        - Please forward the email to the help desk.
        - Please bring the old laptop back to the IT desk.

    Not reported:
        - You are logged in now.
        - The office is located on the second floor.
        - Your account was locked after too many tries, so I've unlocked it.
        - You'll be asked to choose a new password when you sign in.
        - It's fixed now, and the printer is switched on again.
        - The server was restarted by the admin last night.
        - Please make sure the speakers are plugged in and the sound isn't muted.
    """
    exceptions = ctx.resources.passive_exceptions
    far = {s.span.start for s in _classify(ctx) if s.code == "R005"}
    wordy = _wordy_spans(ctx)
    for sent in ctx.sentences:
        if sent.start in far:
            continue  # a sentence far too long: R005's, and splitting it comes first
        for tok in sent:
            if tok.dep_ != "auxpass":
                continue
            verb = tok.head
            if verb.tag_ != "VBN" or verb.lemma_.lower() in exceptions:
                continue  # "it's been warning you" is not a passive
            start = min(tok.idx, verb.idx)
            end = max(tok.idx + len(tok.text), verb.idx + len(verb.text))
            if wordy.overlaps(start, end):
                continue  # "it should be noted that": W001 says it better
            phrase = ctx.text[start:end]
            if any(c.dep_ == "agent" for c in verb.children):
                continue  # "restarted by the admin": the actor is named
            frame = hidden_actor(verb, tok)
            if frame is None:
                continue
            if frame == "duty":
                # The span takes in what makes it a duty: "must be returned", "needs
                # to be changed".
                duty = [c for c in verb.children if c.lower_ in _DUTY_MODALS]
                first = duty[0] if duty else verb.head if verb.dep_ == "xcomp" else tok
                start = min(start, first.idx)
                phrase = ctx.text[start:end]
            if frame in {"duty", "instruction"}:
                message = (
                    f"{quote(phrase)} is passive and does not say who must do it; if it "
                    "is the reader, ask them directly (“please …”), else say who will"
                )
            else:
                message = f"{quote(phrase)} is passive; say who asks or decides (we, you)"
            yield Hit(start, end, message)


def _wordy_spans(ctx: Context) -> Intervals:
    """Where W001's wordy phrases are ("it should be noted that")."""
    doc = ctx.doc
    return Intervals(
        (doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1].text))
        for m in ctx.resources.phrases(doc)
    )


#: Verbs whose ``to``-complement states a duty: "needs to be restarted", "has to be
#: returned", "is going to have to be replaced".
_DUTY_VERBS = frozenset({"need", "have"})
#: Modals of obligation: "must be returned". ("Should" is left out: "your files should
#: be restored by noon" is a forecast as often as a duty.)
_DUTY_MODALS = frozenset({"must"})


def _asks_reader(verb: Token) -> bool:
    """Whether ``verb`` is the writer asking the reader: "we ask (that ...)", "I
    request", an imperative ("Please ensure that ..."), or an impersonal "it is
    requested that". Not "pages requesting that passwords be entered"."""
    subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if subj is None:
        return verb.tag_ == "VB" and verb.dep_ == "ROOT"
    return subj.lower_ in {"we", "i"} or (subj.lower_ == "it" and subj.dep_ == "nsubjpass")


def hidden_actor(verb: Token, aux: Token) -> str | None:
    """Why the agentless passive ``aux`` + ``verb`` hides an actor the reader needs:
    ``"duty"`` ("must be returned", "needs to be changed"), ``"instruction"`` ("we
    ask that it be forwarded"), ``"request"`` ("it is
    requested that"), or ``None`` for a passive that only reports an event."""
    auxes = [c for c in verb.children if c.dep_ == "aux"]
    if any(a.lower_ in _DUTY_MODALS for a in auxes):
        return "duty"
    head = verb.head
    if (
        verb.dep_ == "xcomp"
        and head.lemma_.lower() in _DUTY_VERBS
        and any(a.lower_ == "to" for a in auxes)
    ):
        return "duty"
    # Not "make sure they're plugged in", "ensure the sound isn't muted": a state the
    # reader is asked to check, the reader plainly the one to act (readers judged 2
    # of 12 such findings right, 4 wrong).
    if (
        verb.dep_ == "ccomp"
        and aux.lower_ == "be"
        and aux.tag_ == "VB"
        and not auxes
        and _asks_reader(head)
    ):
        return "instruction"  # "we ask that the email be forwarded"
    subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if (
        subj is not None
        and subj.lower_ == "it"
        and any(c.dep_ in {"ccomp", "xcomp"} for c in verb.children)
    ):
        return "request"  # "it is requested that", "it was decided to"
    return None


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


@rule("R006", "grade-near-target", Category.READABILITY, Severity.INFO, late=True, opt_in=True)
def grade_near_target(ctx: Context) -> Iterator[Hit]:
    """Message reads a little above the audience's target grade.

    What it does:
        Reports a message whose Flesch-Kincaid grade is at least
        ``NEAR_TARGET_MARGIN`` (1.5) above ``target_grade`` (8 for ``customer``, 12 for
        ``technical``) and less than ``FAR_ABOVE_TARGET_GRADES`` (4) above it, when
        its words are long: at least ``LONG_WORDS_SYLLABLES`` (1.45) syllables a word
        on average. A grade is an estimate, so 9.2 against 8 is not mentioned, and a
        grade lifted only by a long sentence of plain words is R001's concern, not
        this rule's. Advice (info): such a reply can go out, though plainer words
        would help. Four grades or more above the target is R004's, a warning.
        Messages under 40 words are not judged. Off unless selected (``select =
        ["R006"]`` or ``--select R006``): judges reading real replies found none of
        its 22 reports clearly helpful (21 marginal, 1 wrong); every report shows the
        message's grade anyway.

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
        - Hi Gwen, everything in your mailbox, including all your folders and the
          emails you saved, is copied across before the switch, and we check it's all
          there before we turn the old one off. The move is on Thursday evening, so
          you'll see the new mailbox on Friday morning. (plain words; the grade comes
          from one long sentence)
    """
    yield from _grade_hits(ctx, far=False)


#: How far above the target a message's grade must be before R006 mentions it: a grade
#: is an estimate, and 8.3 against a target of 8 is the same reading. Readers who judged
#: R006's findings called every one at 9.3 or less against 8 marginal or wrong, and
#: most at 9.5 and above right.
NEAR_TARGET_MARGIN = 1.5
#: R006 speaks only of a message whose words average at least this many syllables
#: (plain English averages about 1.3 to 1.4): a grade a little above the target that
#: comes from sentence length alone is the long sentences' business (R001, R005).
LONG_WORDS_SYLLABLES = 1.45


def _syllables_per_word(ctx: Context) -> float:
    """The mean syllables per word of the writer's sentences."""
    words = sum(s.words for s in ctx.sentence_scores)
    return sum(s.syllables for s in ctx.sentence_scores) / words if words else 0.0


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
    if not far and _syllables_per_word(ctx) < LONG_WORDS_SYLLABLES:
        return  # plain words in long sentences: R001 and R005 speak to those
    start, end = ctx.sentence_scores[0].start, ctx.sentence_scores[-1].end
    yield Hit(
        start,
        end,
        f"The message reads at grade {ctx.grade:.1f}; the target for this audience is "
        f"{target:.0f}. Use shorter sentences and everyday words",
    )
