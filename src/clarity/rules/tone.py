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

from clarity.nlp import doc_text
from clarity.rules import wordlists
from clarity.rules.base import Context, Hit, quote, rule
from clarity.rules.courtesy import greets
from clarity.rules.jargon import in_name, name_spans
from clarity.rules.reply import asks_how_to
from clarity.types import Category, Severity
from clarity.wordfreqs import zipf_en

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


#: Words that negate what follows within a few words: "it's not your fault",
#: "nothing is wrong on your side" are reassurance, not blame.
_NEGATIONS = frozenset({"not", "n't", "no", "nothing", "never", "nobody"})
#: How many words before a blame phrase a negation still turns it round.
_NEGATION_WINDOW = 3
#: ... and before a phrase placing a problem: "nothing that needs to be done on your
#: side" is reassurance.
_PLACE_NEGATION_WINDOW = 8
#: Verbs after which "you should have ..." / "you didn't ..." says what the customer
#: should have been given, not what they did wrong ("you should have had an answer",
#: "you didn't get the e-mail").
_RECEIVING = frozenset({"have", "receive", "get", "be", "hear", "see", "need"})
#: Words before "you didn't ..." that make it a wish or a hope, not a charge: "we'd
#: rather you didn't", "I hope you didn't lose anything".
_WISHES = frozenset({"rather", "prefer", "hope", "sure", "unless"})
#: Subject forms: an absolute or blame phrase that starts with "you" is about the
#: reader only when "you" does something ("you never restart"), not when something is
#: done to them ("it asks you again", "I apologize to you again").
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})


def _turned_round(span: Span, kind: str) -> bool:
    """Whether a phrase is not what it seems: a blame or absolute phrase negated ("not
    your fault"), inside a condition ("if you didn't get it"), about what the reader
    should have received ("you should have had a reply") or with "you" as the object
    ("it asks you again"); a minimizer about something else or reassuring ("it's
    easy to miss"); a dismissal the writer takes on ("I can deal with it")."""
    doc = span.doc
    if kind == "minimizing":
        # "it's easy to miss": easy for anyone to get wrong, which reassures
        after = doc[span.end : span.end + 2]
        if (
            len(after) == 2
            and after[0].lower_ == "to"
            and after[1].lemma_.lower() in _EASY_TO_GET_WRONG
        ):
            return True
        if len(after) and after[0].lower_ == "once":
            return True  # "it's easy once you've done it once": it will be
        return _about_something_else(span)
    if kind == "dismissal":
        # "I can deal with it there and then": the writer taking the job on
        before = doc[max(span.sent.start, span.start - 3) : span.start]
        # "I'll", "we'll", not "you'll need to sort it out yourself"
        return any(
            t.lower_ in {"i", "we", "i'll", "we'll"}
            or (t.lower_ == "'ll" and t.i > 0 and doc[t.i - 1].lower_ in {"i", "we"})
            for t in before
        )
    if kind == "blame-place":
        if not _FAULT.search(span.sent.text):
            return True  # "stored safely on your side": where, not whose fault
        near = doc[max(span.sent.start, span.start - _PLACE_NEGATION_WINDOW) : span.start]
        if any(t.lower_ in _NEGATIONS for t in near):
            return True  # "nothing that needs to be done on your side"
        kind = "blame"
    if kind not in {"blame", "absolute"}:
        return False
    first = span[0]
    if first.lower_ == "you" and first.dep_ not in _SUBJECT_DEPS:
        return True
    if (
        kind == "absolute"
        and span.start > span.sent.start
        and doc[span.start - 1].lower_ in _REASONS
        and not _FAULT.search(span.sent.text)
    ):
        return True  # "as you always sign up by phone, it thought you'd left"
    if kind != "blame":
        return False
    sent = span.sent
    before = doc[max(sent.start, span.start - _NEGATION_WINDOW) : span.start]
    if any(t.lower_ in _NEGATIONS for t in before):
        return True
    if any(t.lower_ in _CONDITION_WORDS for t in doc[sent.start : span.start]):
        return True
    if span.start > sent.start and doc[span.start - 1].lower_ in _WISHES:
        return True
    last = span[-1]
    if last.lower_ in {"have", "'ve", "did", "n't", "not"} and span.end < sent.end:
        nxt = doc[span.end]
        if nxt.lemma_.lower() in _RECEIVING:
            return True
    return False


#: "It's easy to ..." these is reassurance: anyone could get it wrong.
_EASY_TO_GET_WRONG = frozenset(
    {"miss", "overlook", "forget", "confuse", "mix", "lose", "misread", "mistake"}
)


def _about_something_else(span: Span) -> bool:
    """Whether a one-word minimizer ("simply", "just") describes what something else
    does ("the new app simply opens the same data"), not a task of the reader's (an
    order, or "you simply click")."""
    if len(span) != 1:
        return False
    verb = span[0].head
    subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]
    return bool(subjects) and all(c.lower_ not in {"you", "yourself"} for c in subjects)


#: Words that give a reason: "as you always sign up by phone" explains, unless the
#: sentence speaks of a fault.
_REASONS = frozenset({"as", "since", "because"})

#: Words that say something went wrong (``data/tone_fault_words.txt``): a phrase placing
#: a problem ("on your side") is blame only beside one.
_FAULT = wordlists.word_pattern(wordlists.FAULT_WORDS)

#: Words that make a sentence a condition (``data/tone_conditions.txt``).
_CONDITION_WORDS = frozenset(w.lower() for w in wordlists.words(wordlists.CONDITIONS))


def _phrase_hits(ctx: Context, kind: str, what: str) -> Iterator[Hit]:
    for m in ctx.tone_phrase_matches:
        if m.entry.kind != kind:
            continue
        span = ctx.doc[m.start : m.end]
        if _turned_round(span, kind):
            continue
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
        ``data/tone_phrases.csv`` (kind ``blame``), and lessons about what the
        customer did ("next time check...", "in future make sure..."). A phrase that
        says where something is ("on your side", kind ``blame-place``) is blame only
        in a sentence that says something went wrong (``data/tone_fault_words.txt``:
        "the problem is on your side", not "your files were kept safe on your
        side"). A phrase that
        is turned round is
        not blame: negated ("not your fault", "nothing is wrong on your side"), in a
        condition or a wish ("if you didn't get it", "we'd rather you didn't"), or
        about what the reader should have been given ("you should have had a
        reply"). Nor are the customer's own words given back ("Did anything change
        on your side?" - "the task on your side still has the old password").

    Why it matters:
        A customer who feels blamed defends themselves instead of following the fix,
        and remembers the reply long after the problem is gone. Saying what happened
        and what happens next solves the same problem without the sting.

    Example:
        - **You failed to** install the update, so **the issue is on your end**.
        - **The issue is on your end**, not ours.
        - This was caused by **user error**.
        - **You should have** checked the recycle bin first.
        - **You didn't save** the file before closing it.
        - **Next time check** which file you are attaching.

    Use instead:
        - The update did not install on your laptop. Let's run it together: ...
        - Thanks for your patience; we found the cause on our side and fixed it.

    Not reported:
        - Next time, you can also reset it yourself on the portal.
        - It's not your fault at all: the account was set up wrongly.
        - The chips were stored safely on your side the whole time.
        - The supplier found the fault; there is nothing that needs to be done on
          your side in the meantime.
        - Nothing is wrong on your side.
        - I'm sorry, you should have had an answer the first time.
        - If you didn't get the code, call us.
        - We'd rather you didn't save your password in the browser.
        - (to "Our sync failed. Did anything change on your side?") Yes: the task on
          your side still has the old password.
    """
    theirs = " ".join(ctx.incoming.text.lower().split()) if ctx.incoming is not None else ""
    hits = [
        *_phrase_hits(ctx, "blame", "blames the reader"),
        *_phrase_hits(ctx, "blame-place", "blames the reader"),
    ]
    for hit in sorted(hits, key=lambda h: (h.start, h.end)):
        if theirs and " ".join(ctx.text[hit.start : hit.end].lower().split()) in theirs:
            continue  # their own words: "Did anything change on your side?"
        yield hit


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
        - **It's really simple**. **As I said**, click Reset.
        - **We've been over this** before.
        - **As explained at** the last staff meeting, print jobs wait at the desk.
        - **It's really not that hard**. Hold the button down.

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
        similar words (``data/tone_phrases.csv``, kind ``minimizing``) in a task of
        the reader's (an order, "you simply..."), not in what something else does
        ("the app simply opens it"). Minor: often harmless ("simply click Save"), so
        it is advice, not a warning.

    Why it matters:
        If the reader finds the "simple" step hard, the word tells them the fault is
        theirs. Leaving it out loses nothing.

    Example:
        - **Simply** reinstall the driver.
        - **Simply** click Save and close the window.
        - **It's just a** laptop; **you just need to** restart it.

    Use instead:
        - Reinstall the driver: ...
        - Click Save and close the window.

    Not reported:
        - The new version simply opens the same data, so nothing is lost.
        - There is a thin strip of tape on the cartridge, and it's easy to miss.
        - It's easy once you've done it once: write the e-mail and tick Encrypt.
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
        - TVs **aren't something we deal with**.
        - You'll need to **sort that out yourself**.

    Use instead:
        - That app is managed by its maker, so we can't change it, but here is how to
          reach their support: ...
        - This app is run by its maker, so here is how to reach their support.

    Not reported:
        - We can help with whatever you need.
        - I'll be on site on Monday, so if anything slows down I can deal with it
          there and then.
    """
    yield from _phrase_hits(ctx, "dismissal", "dismisses the customer's problem")


@rule("T007", "absolute-about-reader", Category.TONE, Severity.WARNING)
def absolute_about_reader(ctx: Context) -> Iterator[Hit]:
    """Absolute statement about the reader ("you always", "you never").

    What it does:
        Finds "you never", "you always", "you keep", "yet again" and similar
        phrases (``data/tone_phrases.csv``, kind ``absolute``). A
        phrase whose "you" is the object, not the one acting ("it asks you again",
        "I apologize to you again"), is not about the reader's habits and passes;
        nor does a habit given as a reason ("as you always sign up by phone, the
        app thought you had left"), unless its sentence speaks of a fault
        (``data/tone_fault_words.txt``: "because you never restart it").

    Why it matters:
        "You never restart your laptop" turns one problem into a verdict on the
        person. It is rarely true and always heard as an accusation.

    Example:
        - **You always** forget to attach the log.
        - **You never** restart your laptop.
        - It crashes because **you never** restart it.

    Use instead:
        - The log was not attached this time; could you send it?

    Not reported:
        - I apologize to you again for the wait.
        - The app asks you again after eight hours.
        - As you always sign up by phone with Jean, the app thought you had left.
        - Please tick "Print on both sides" every time you print.
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
        sign in, ...") or a clause that names things ("What we can't see: ...").

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
        - We can't open the file without its password. The sender should be able to
          give it to you.
        - What we can't see: your photos, your messages or your browsing.
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
        if _NAMES_WHAT.search(ctx.text, max(sent_start, hit.start - 12), hit.start):
            continue  # "What we can't see: your photos...": a clause, not a refusal
        window_end = sentences[min(idx + 1, len(sentences) - 1)].end_char
        if alternatives.within(hit.end, window_end) or alternatives.within(sent_start, hit.start):
            continue
        yield Hit(hit.start, hit.end, hit.message + "; add what can be done", hit.suggestions)


#: Just before "we can't": a clause that names things ("What we can't see:", "all we
#: cannot do"), not a refusal.
_NAMES_WHAT = re.compile(r"\b(?:what|which|everything|anything|all)\s+$", re.I)


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


#: Objects that leave a bare command with nothing but the order: "Delete it.",
#: "Check it.", "Don't open them."
_PRONOUN_OBJECTS = frozenset({"it", "them", "that", "this", "those", "these"})
#: The longest command that T004 judges, in words.
CURT_MAX_WORDS = 10
#: Words that make a command the reader's own job ("Fix it yourself.").
_YOURSELF = frozenset({"yourself", "yourselves"})


def _command_verb(words: list[Token]) -> Token | None:
    """The verb a command starts with, past a leading "just" or "don't": "Just
    reinstall the client." -> "reinstall"; ``None`` when the sentence starts
    otherwise."""
    i = 0
    if words and words[0].lower_ == "just":
        i = 1
    elif len(words) > 1 and words[0].lower_ == "do" and words[1].lower_ in {"n't", "not"}:
        i = 2
    if i >= len(words) or words[i].tag_ != "VB":
        return None
    return words[i]


def _curt_reason(words: list[Token], verb: Token, curt_verbs: frozenset[str]) -> bool:
    """Whether a short, unsoftened command reads as an order: its verb is one of the
    curt verbs, it opens with "just", it is only a verb and a pronoun ("Delete it."),
    it hands the job to the reader ("... yourself") or it forbids doing something
    "again" ("Don't change the settings again.": a reprimand)."""
    if verb.i == words[0].i and verb.lower_ in curt_verbs:
        return True
    if words[0].lower_ == "just":
        return True
    rest = [t for t in words if t.i > verb.i]
    if len(rest) == 1 and rest[0].lower_ in _PRONOUN_OBJECTS:
        return True
    if words[0].lower_ == "do" and words[-1].lower_ == "again":
        return True
    return any(t.lower_ in _YOURSELF for t in words)


@rule("T004", "curt-command", Category.TONE, Severity.WARNING)
def curt_command(ctx: Context) -> Iterator[Hit]:
    """Bare command that reads as an order.

    What it does:
        Finds short commands (up to 10 words, not a step of a numbered or bulleted
        list) that carry no softening (no "please", "thanks", question, condition or
        reason, ``data/tone_softeners.txt``) and read as an order: those that start
        with a verb from ``data/curt_verbs.txt`` ("Read the FAQ.", "Contact the
        vendor."), that open with "just" ("Just reinstall the client."), that are
        only a verb and a pronoun ("Delete it.", "Don't open them."), that hand the
        job to the reader ("Sort it out yourself.") or that forbid doing something
        again ("Don't change the settings on it again.": a reprimand). In a reply
        with no courtesy at all (no greeting, and none of ``data/tone_courtesy.txt``:
        please, thanks, sorry, regards...) of 50 words or fewer, two bare commands
        or more are
        orders ("Restart your laptop. Try the VPN again. IT"), unless the customer
        asked how to do something ("How do I...?"): then steps answer. Ordinary
        instructions ("Click Save.") are not on the list, and a polite request
        with "please" is never reported; idioms such as "Look forward to hearing
        from you" are softeners,
        and so is a reassurance ("... and you're all set") and an invitation to get
        in touch ("Just give me a ring.", "Let me know").

    Why it matters:
        In writing there is no friendly voice to soften an order. A bare "Read the
        FAQ." reads as "go away"; the same instruction with a reason and a please
        reads as help.

    Example:
        - **Read the FAQ.** Stop opening tickets.
        - **Restart your laptop.** **Try the VPN again.**

          IT
        - **Check the manual.**
        - **Just reinstall the client.**
        - **Delete it.** **Don't open them.**
        - **Contact the vendor yourself.**
        - The manual is in the drawer. **Don't change the settings on it again.**

    Use instead:
        - The FAQ has a short guide for this, with pictures: ... If it does not help,
          please reply here and we will keep this request open.
        - Please read the FAQ, it has pictures.
        - Please reinstall the client: that clears the stuck update.

    Not reported:
        - Click Save, then close the window.
        - Hi Sam, restart your laptop. Try the VPN again. Thanks, IT
        - Just keep the phone charged and you're all set.
        - Check the cable if the light is off.
        - Could you check the cable?
        - Look forward to talking with you.
        - 1. Open WhatsApp and tap Back up. Wait until it finishes.
        - Thank you.
        - (to "How do I stop sharing a file?") Open the file in OneDrive. Click Share,
          then Manage access.
        - I can come round and set it up with you. Just give me a ring.
        - I can add a "Cut and colour" package too. Just let me know the price.
        - Don't worry if it asks for your password again.
    """
    phrase_starts = {ctx.doc[m.start].i for m in ctx.tone_phrase_matches}
    softeners = wordlists.word_pattern(wordlists.SOFTENERS)
    commands = []
    for sent in ctx.sentences:
        words = [t for t in sent if not (t.is_punct or t.is_space)]
        if not words or len(words) > CURT_MAX_WORDS or sent.text.rstrip().endswith("?"):
            continue
        verb = _command_verb(words)
        if verb is not None:
            commands.append((sent, words, verb))
    # Two bare commands or more in a short reply with no courtesy at all: orders.
    terse = len(commands) >= 2 and _terse(ctx)
    for sent, words, verb in commands:
        if not (terse or _curt_reason(words, verb, ctx.resources.curt_verbs)):
            continue
        if words[0].i in phrase_starts:
            continue  # already reported as what it is ("Stop opening tickets": dismissal)
        if any(t.dep_ in {"nsubj", "nsubjpass", "expl"} and t.head == verb for t in sent):
            continue  # a statement ("Check-in works"), not a command
        if in_list_item(sent) or softeners.search(sent.text):
            continue
        if _signed_name(ctx, sent, words):
            continue  # "Rob" alone on the last line: the writer's name, not "rob"
        end = max(t.idx + len(t.text) for t in sent if not t.is_space)
        yield Hit(
            sent.start_char,
            end,
            f"{quote(ctx.text[sent.start_char : end])} reads as an order; add please, a reason, "
            "or say how it helps",
        )


def _signed_name(ctx: Context, sent: Span, words: list[Token]) -> bool:
    """Whether ``sent`` is one capitalised word alone on the message's last line: the
    writer's name ("Rob", "Mark"), which a tagger may read as a verb."""
    if len(words) != 1 or not words[0].text[:1].isupper() or sent != ctx.sentences[-1]:
        return False
    line_start = ctx.text.rfind("\n", 0, sent.start_char) + 1
    line_end = ctx.text.find("\n", sent.end_char)
    if line_end < 0:
        line_end = len(ctx.text)
    return ctx.text[line_start:line_end].strip() == words[0].text


#: A terse reply is short: a longer one without courtesy words is a notice.
_TERSE_MAX_WORDS = 50


def _terse(ctx: Context) -> bool:
    """Whether the writer's words hold no courtesy at all: no greeting and none of
    ``data/tone_courtesy.txt`` ("please", "thanks", "sorry", "regards"...). IT
    colleagues (the ``technical`` audience) write so to each other, and steps are
    what a customer who asked "How do I...?" wants."""
    if ctx.config.audience_info.knows_technical_terms or not ctx.sentences:
        return False
    said = " ".join(s.text for s in ctx.sentences)
    if ctx.words > _TERSE_MAX_WORDS or wordlists.word_pattern(wordlists.COURTESY).search(said):
        return False
    return not greets(ctx) and not (ctx.incoming is not None and asks_how_to(ctx.incoming))


_LIST_MARKER = re.compile(r"\s*(?:[-*\u2022]|\(?\d{1,2}[.)]|[a-z][.)])\s")


def in_list_item(sent: Span) -> bool:
    """Whether the sentence is part of a numbered or bulleted list item: the line it
    starts on opens with a marker ("2. ", "- ", "a) "). Steps of a list are
    instructions, not orders."""
    text = doc_text(sent.doc)
    line_start = text.rfind("\n", 0, sent.start_char) + 1
    return _LIST_MARKER.match(text, line_start) is not None


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
        return zipf_en(tok_text.lower()) >= 3.0

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
        repeated exclamation or question marks ("!!", "??", "?!"). Capitals in
        quotation marks (a file name or a label as the screen shows it) and a
        brand's capitals inside a name ("the NVIDIA Control Panel") are not shouting.

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
        - Open the show file on the desktop called "Sweeney FINAL".
        - Set Zoom to use the built-in graphics in the NVIDIA Control Panel.
    """
    names = name_spans(ctx)
    for sent in ctx.sentences:
        for start, end in _shouted_runs(sent, ctx):
            if ctx.quoted.contains(start) or in_name(names, start, end):
                continue  # a label or file name on screen, a brand in a name
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
