"""Tone: blame, condescension, curt commands, shouting, dismissal (codes ``T``).

The phrase rules read ``data/tone_phrases.csv`` (one ``kind`` per rule); the others
read the parse. Every message says why the wording hurts and, where one exists,
offers a kinder alternative.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from clarity.rules.base import Context, Hit, quote, rule
from clarity.rules.jargon import _zipf
from clarity.types import Category, Severity

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


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
        You failed to install the update, so the issue is on your end.

    Use instead:
        The update did not install on your laptop. Let's run it together: ...
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
        As I already told you twice, read the FAQ.

    Use instead:
        Here are the steps again, in short: ... The FAQ has pictures of each step.
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
        Simply reinstall the driver.

    Use instead:
        Reinstall the driver: ...
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
        That's not our problem. There is nothing we can do.

    Use instead:
        That app is managed by its maker, so we can't change it, but here is how to
        reach their support: ...
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
        You always forget to attach the log.

    Use instead:
        The log was not attached this time; could you send it?
    """
    yield from _phrase_hits(ctx, "absolute", "is an absolute about the reader")


_ALTERNATIVE = re.compile(
    r"\b(but|however|instead|alternatively|what (?:we|you|i) can|(?:we|you|i) can(?!'t|not))\b",
    re.I,
)


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
        We cannot restore files older than 30 days.

    Use instead:
        We can restore any file from the last 30 days; for older ones, ...
    """
    sentences = list(ctx.sentences)
    for hit in _phrase_hits(ctx, "negative", "says what cannot be done"):
        idx = next(
            (i for i, s in enumerate(sentences) if s.start_char <= hit.start < s.end_char), None
        )
        if idx is None:
            continue
        sent = sentences[idx]
        before = ctx.text[sent.start_char : hit.start].lower()
        if re.search(r"\b(if|when|unless|whether)\b", before):
            continue
        window = ctx.text[hit.end : sentences[min(idx + 1, len(sentences) - 1)].end_char]
        if _ALTERNATIVE.search(window) or _ALTERNATIVE.search(before):
            continue
        yield Hit(hit.start, hit.end, hit.message + "; add what can be done", hit.suggestions)


_SOFTENERS = re.compile(
    r"\b(please|thanks|thank you|kindly|if|when|could|would|can|may|might|let's|let us|"
    r"so that|because|to help)\b",
    re.I,
)


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
        Read the FAQ. Stop opening tickets.

    Use instead:
        The FAQ has a short guide for this, with pictures: ... If it does not help,
        please reply here and we will keep this request open.
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
        if _SOFTENERS.search(sent.text):
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
        PLEASE DO NOT reply to this email!!

    Use instead:
        Please do not reply to this email: it is not monitored.
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


_GREETING = re.compile(
    r"^\W*(hi|hello|hey|dear|good (morning|afternoon|evening)|greetings|thanks|thank you|"
    r"hope you|good news)\b",
    re.I,
)
_SIGNOFF = re.compile(
    r"\b(regards|best|thanks|thank you|cheers|sincerely|yours|take care|speak soon|"
    r"all the best|have a (great|good|nice)|talk soon|warm wishes|best wishes|see you)\b",
    re.I,
)
#: Below this many words a message is a chat line, not an e-mail.
MIN_WORDS_FOR_EMAIL = 40


def _last_lines(ctx: Context, n: int) -> str:
    """The last ``n`` non-empty lines of the writer's own text."""
    end = ctx.sentences[-1].end_char if ctx.sentences else len(ctx.text)
    lines = [line for line in ctx.text[:end].splitlines() if line.strip()]
    return "\n".join(lines[-n:])


def _looks_like_email(ctx: Context) -> bool:
    return ctx.words >= MIN_WORDS_FOR_EMAIL and len(ctx.sentences) >= 3


@rule("T009", "missing-greeting", Category.TONE, Severity.INFO)
def missing_greeting(ctx: Context) -> Iterator[Hit]:
    """E-mail that does not greet the reader.

    What it does:
        For a message of 40 words or more, checks that the first line greets the
        reader ("Hi Maria,", "Hello,", "Dear ...", "Thanks for ..."). A region
        marked as a greeting counts.

    Why it matters:
        A reply that opens straight with instructions reads as cold. One word of
        greeting, with the customer's name, tells them a person read their message.

    Example:
        Restart the laptop and try again. (first line of the reply)

    Use instead:
        Hi Maria,

        Thanks for letting us know. Please restart the laptop and try again.
    """
    if not _looks_like_email(ctx) or any(r.kind == "greeting" for r in ctx.regions):
        return
    first = ctx.sentences[0]
    if _GREETING.search(first.text):
        return
    end = max(t.idx + len(t.text) for t in first if not t.is_space)
    yield Hit(
        first.start_char,
        end,
        "The message does not greet the reader; start with “Hi <name>,”",
        ("Hi <name>,",),
    )


@rule("T010", "missing-signoff", Category.TONE, Severity.INFO)
def missing_signoff(ctx: Context) -> Iterator[Hit]:
    """E-mail that ends without a sign-off.

    What it does:
        For a message of 40 words or more, checks that one of its last six lines
        signs off ("Kind regards,", "Thanks,", "Best wishes"). A region
        marked as a sign-off or signature counts.

    Why it matters:
        Ending without a sign-off feels abrupt, and leaves the reader unsure whether
        the message is finished or who will follow up.

    Example:
        The laptop will be ready on Monday. (last line of the reply)

    Use instead:
        The laptop will be ready on Monday.

        Kind regards,
        Sam
    """
    if not _looks_like_email(ctx):
        return
    if any(r.kind in {"signoff", "signature"} for r in ctx.regions):
        return
    if _SIGNOFF.search(_last_lines(ctx, 6)):
        return
    last = ctx.sentences[-1]
    end = max(t.idx + len(t.text) for t in last if not t.is_space)
    yield Hit(
        last.start_char,
        end,
        "The message ends without a sign-off; close with “Kind regards,” and your name",
        ("Kind regards,",),
    )


#: A sentence the model gives a lower P(polite) than this is reported (T011).
IMPOLITE_SENTENCE = 0.25


@rule("T011", "impolite-sentence", Category.TONE, Severity.WARNING)
def impolite_sentence(ctx: Context) -> Iterator[Hit]:
    """Sentence the politeness model scores as clearly impolite.

    What it does:
        Scores each request in the message (a question or a command: the kind of
        sentence the model was trained on) with clarity's politeness model (a
        linear classifier trained on the Stanford Politeness Corpus, shipped as JSON
        weights; see ``docs/tone-model.md``) and reports those whose probability of
        reading as polite is under 0.25, naming the phrases that pushed the score
        down most. Statements of fact and the steps of a numbered or bulleted list
        are left to the other tone rules.

    Why it matters:
        Tone problems are not all in a word list. The model has learnt from
        thousands of rated requests which openings, questions and phrasings read as
        brusque, and catches the sentence that a list misses.

    Example:
        Why didn't you send the log like I asked?

    Use instead:
        Could you send the log when you have a moment? It helps us find the cause.
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


_LIST_MARKER = re.compile(r"^\s*(?:[-*•]|\(?\d{1,2}[.)]|[a-z][.)])\s")


def is_request(sent: Span) -> bool:
    """A question, or a command (starts with a bare verb that has no subject) that is
    not a step of a list ("2. Delete the old e-mails.")."""
    if sent.text.rstrip().endswith("?"):
        return True
    if _LIST_MARKER.match(sent.text):
        return False
    first = next((t for t in sent if t.is_alpha), None)
    if first is None:
        return False
    if first.lower_ in {"please", "kindly"}:
        return True
    return first.tag_ == "VB" and not any(
        c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in first.children
    )


def _negative_words() -> frozenset[str]:
    from clarity.data import data_path, read_lines

    return frozenset(read_lines(data_path("tone_negative_words.txt")))


_UPSET_MARKERS = re.compile(
    r"!{2,}|\?{2,}|\b(again|still|unacceptable|ridiculous|third time|second time|"
    r"nobody|no one|waste|wasted|useless|furious|fed up|sick of|disappointed|frustrated|"
    r"angry|annoyed|complaint|terrible|awful|worst)\b",
    re.I,
)


def customer_is_upset(incoming: Doc) -> bool:
    """Whether the customer's message shows they are upset: complaint words, capitals
    or stacked punctuation (two signs or more, or one capitalised run)."""
    negative = _negative_words()
    signs = sum(1 for t in incoming if t.lemma_.lower() in negative or t.lower_ in negative)
    signs += len(_UPSET_MARKERS.findall(incoming.text))
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
        (to "This is the THIRD time my email has stopped working!!")
        Please restart Outlook.

    Use instead:
        I'm sorry your email has stopped working again; that must be frustrating.
        Please restart Outlook, and I will stay on this until it is fixed.
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


_GENERIC_LEMMAS = frozenset(
    [
        "be",
        "have",
        "do",
        "can",
        "will",
        "would",
        "could",
        "should",
        "may",
        "might",
        "get",
        "know",
        "help",
        "please",
        "thank",
        "thanks",
        "tell",
        "let",
        "make",
        "want",
        "need",
        "go",
        "see",
        "try",
        "work",
        "use",
        "say",
        "ask",
        "look",
        "find",
        "give",
        "take",
        "come",
        "anyone",
        "someone",
        "anything",
        "something",
        "way",
        "thing",
        "time",
    ]
)


def _content_lemmas(tokens: Iterator[Token] | Span | Doc) -> set[str]:
    return {
        t.lemma_.lower()
        for t in tokens
        if t.pos_ in {"NOUN", "PROPN", "VERB", "ADJ", "NUM"}
        and not t.is_stop
        and t.lemma_.lower() not in _GENERIC_LEMMAS
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
        (to "Will I lose my files? When will the laptop be ready?")
        Your laptop will be ready on Friday.

    Use instead:
        Your laptop will be ready on Friday, and you will not lose any files: we
        copy them across first.
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
