"""Rules that read the customer's message the draft replies to (codes ``T012``,
``T013``): acknowledge an upset customer, answer every question.

They run only when the message is given (``incoming=``, ``--reply-to``). The word
lists are ``data/tone_upset_words.txt`` and ``data/upset_weak_signs.txt`` (signs of
upset), ``data/empathy_phrases.txt`` (acknowledgement), ``data/tone_generic_lemmas.txt``,
``data/answer_synonyms.txt``, ``data/answer_hedges.txt`` and
``data/rhetorical_questions.txt`` (questions and answers).
"""

from __future__ import annotations

import functools
import itertools
import re
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from clarity import lexicon
from clarity.data import data_path
from clarity.limits import MAX_QUESTIONS
from clarity.rules import wordlists
from clarity.rules.base import Context, Hit, quote, quoted_spans, rule
from clarity.types import Category, Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

#: The rules' regular expressions, as data (one table a pattern).
PATTERNS_FILE = "reply_patterns.toml"


@functools.cache
def _patterns() -> dict[str, re.Pattern[str]]:
    """Every pattern of :data:`PATTERNS_FILE`, compiled (case-insensitive unless the
    table says ``ignore_case = false``)."""
    data = tomllib.loads(data_path(PATTERNS_FILE).read_text(encoding="utf-8"))
    return {
        name: re.compile(table["pattern"], re.I if table.get("ignore_case", True) else 0)
        for name, table in data.items()
    }


def _pattern(name: str) -> re.Pattern[str]:
    return _patterns()[name]


# What each pattern matches, with examples: data/reply_patterns.toml.
_STACKED_MARKS = _pattern("STACKED_MARKS")
_DEADLINE = _pattern("DEADLINE")
_NEGATED = _pattern("NEGATED")
_ASKED_ABOUT = _pattern("ASKED_ABOUT")
#: What turns an upset word round just before it: "not urgent", "when is the deadline".
_MIGHT_BE = _pattern("MIGHT_BE")
_STATE_BY = _pattern("STATE_BY")
_FAILING = _pattern("FAILING")
_BEFORE_UPSET = (_NEGATED, _ASKED_ABOUT, _MIGHT_BE)
#: A condition, up to the end of its clause: "if she pays again", "in case it fails".
_CONDITION_CLAUSE = re.compile(r"\b(?:if|in case|unless)\b[^,.;:!?]*", re.I)


def _shouted(token: Token) -> bool:
    """A word in capitals that is not an acronym: "NOW", "MY", "NOTHING", "HELP"."""
    text = token.text
    if not (token.is_alpha and text.isupper() and len(text) >= 2 and text != "I"):
        return False
    known = lexicon.acronym_expansions().keys() | lexicon.common_acronyms()
    if text in known or (text.endswith("S") and text[:-1] in known):
        return False
    if text in _names_in_capitals():
        return False  # a product written in capitals: "JAWS"
    if token.i > 0 and token.nbor(-1).lower_ in _SENT_WORDS:
        return False  # a word to type or send: "Should I reply STOP?", "press OK"
    return bool(token.is_stop) or (len(text) >= 4 and token.pos_ != "PROPN")


#: Verbs before a word in capitals that is typed or sent, not shouted ("reply STOP").
_SENT_WORDS = {"reply", "text", "type", "typed", "send", "sent", "enter", "press", "pressed", "say"}


@functools.cache
def _names_in_capitals() -> frozenset[str]:
    """Product names written in capitals (``data/product_names.txt``)."""
    from clarity.rules.jargon import product_names

    return frozenset(n for n in product_names() if n.isupper())


def upset_signs(incoming: Doc) -> tuple[int, int]:
    """The strong and the weak signs of upset in the customer's message.

    Strong: a word of ``data/tone_upset_words.txt`` (worried, ridiculous, third time,
    urgent, lost all...; not after "not": "not urgent", nor asked about: "when is
    the deadline?", nor what might be: "apps can be hacked"), "!!" or "??", a word in
    capitals (not in quotes: an error message 'NO SIGNAL'; not a word to type or send:
    "reply STOP"), a close deadline ("in an
    hour", "due Friday", "we have a presentation at 2pm") with something not working.
    Weak: a word of ``data/upset_weak_signs.txt`` (again, still, twice...; each
    counted once; not "still" in "will it still be there?" nor "again" in "will I
    have to do it again?", none in a condition: "if she pays again"), a single "!" or a close
    deadline with nothing broken ("a visitor coming at 2"), none in a sentence of
    relief or thanks (``data/upset_relief_words.txt``: "Thanks, that worked!").
    """
    text = incoming.text
    words = wordlists.word_pattern(wordlists.UPSET_WORDS).finditer(text)
    # Both look only just before the word ("not too", "when is the"): a window, so
    # many upset words in a long message are not each matched against all before.
    strong = sum(
        1
        for m in words
        if not any(p.search(text, max(0, m.start() - 60), m.start()) for p in _BEFORE_UPSET)
    )
    strong += len(_STACKED_MARKS.findall(text))
    deadlines = sum(
        1
        for m in _DEADLINE.finditer(text)
        if not (
            m.group().lower().startswith("by ")
            and _STATE_BY.search(text, max(0, m.start() - 30), m.start())
        )
    )
    failing = bool(_FAILING.search(text.lower()))
    strong += deadlines if failing else 0
    quoted = quoted_spans(text)
    strong += sum(
        1
        for t in incoming
        if _shouted(t) and not any(start <= t.idx < end for start, end in quoted)
    )
    # Weak signs in a sentence of relief or thanks ("Thanks, that worked, I can see my
    # emails again!") are not signs of upset.
    relief = wordlists.word_pattern(wordlists.UPSET_RELIEF_WORDS)
    weak_sign = wordlists.word_pattern(wordlists.UPSET_WEAK_SIGNS)
    found: set[str] = set()
    bang = False
    for sent in incoming.sents:
        if relief.search(sent.text):
            continue
        # What might happen is no upset: "Has she been charged twice if she pays again?"
        said = _CONDITION_CLAUSE.sub(" ", sent.text)
        signs = {sign.lower() for sign in weak_sign.findall(said)}
        if re.match(r"\W*(?:will|would|can|could|should)\b", said, re.I):
            signs.discard("still")  # "Will my accounts still be there tomorrow?"
        if re.match(r"\W*(?:will|would|should)\b", said, re.I):
            signs.discard("again")  # "If I install it, will I have to record them again?"
        found |= signs
        bang = bang or bool(re.search(r"(?<!!)!(?!!)", sent.text))
    plan = 1 if deadlines and not failing else 0  # "a visitor coming at 2": a plan
    return strong, len(found) + (1 if bang else 0) + plan


def customer_is_upset(incoming: Doc) -> bool:
    """Whether the customer's message shows they are upset, worried or under pressure:
    one strong sign or two weak ones (:func:`upset_signs`)."""
    strong, weak = upset_signs(incoming)
    return strong >= 1 or weak >= 2


@rule("T012", "no-acknowledgement", Category.TONE, Severity.WARNING)
def no_acknowledgement(ctx: Context) -> Iterator[Hit]:
    """Reply to an upset customer that does not acknowledge how they feel.

    What it does:
        When the customer's message (``incoming=``, ``--reply-to``) shows they are
        upset, worried or under pressure, checks that the reply acknowledges it
        somewhere, and reports its first sentence when it does not. Upset is one
        strong sign (a feeling: worried, stressed, fed up; a complaint: ridiculous,
        unacceptable; a repeated failure: third time, third day running, nobody
        has; stakes: urgent, deadline, lost all, in trouble; "!!" or "??"; a word in
        capitals; a close deadline with something not working: "the projector won't
        turn on and I present in an hour", "I've got patients booked from 9", but
        not a state by a time: "the battery is dead by 2pm") or two weak ones
        (again, still, twice, tomorrow, "please help", "like you showed me", a
        single "!", a close deadline alone: "a visitor coming at 2"):
        ``data/tone_upset_words.txt``, ``data/upset_weak_signs.txt``. What might
        happen is no upset ("apps can be hacked", "if she pays again"), nor is
        "still" in "will it still be there?" or "again" in "will I have to record
        them again?", nor a word in capitals to type or send ("Should I reply
        STOP?").
        Acknowledgement is an apology, understanding ("I understand", "that must
        be", "frustrating", "a fair worry"), reassurance ("don't worry", "you did
        the right thing", "please reassure her", "tell him not to worry"), feeling
        with them ("I'd be worried too"), thanks for their patience or the
        urgency taken on ("right away", "before your meeting"):
        ``data/empathy_phrases.txt``.

    Why it matters:
        An upset customer reads a reply that goes straight to the fix as "they did
        not listen". One sentence of acknowledgement first makes the fix land.

    Example:
        - (to "This is the THIRD time my email has stopped working!! Nobody has fixed
          it.") **Please restart Outlook.**
        - (to "I have a client presentation in an hour and the projector won't turn
          on.") **Press the power button on the remote twice.**
        - (to "I think I deleted the team's budget spreadsheet and I'm really
          worried.") **I've restored it from last night's backup.**
        - (to "The till closes itself every afternoon. It's happened every day this
          week and we lose the sale each time.") **Please restart it.**
        - (to "The tablet says 'session expired' when we sign children out. This is
          the third day running.") **Please log out at the end of each day.**
        - (to "The printer is printing blank labels again. I changed the roll like you
          showed me.") **Check the roll is the right way up.**
        - (to "Outlook keeps saying the newsletter is too big. I've got to send it
          before Sunday.") **Save it as a PDF and attach that instead.**
        - (to "I'm locked out of the practice system. I've got patients booked from
          9.") **Please use the reset link on the login page.**

    Use instead:
        - (to "This is the THIRD time my email has stopped working!! Nobody has fixed
          it.") I'm sorry your email has stopped working again; that must be
          frustrating. Please restart Outlook, and I will stay on this until it is
          fixed.
        - (to "I think I deleted the team's budget spreadsheet and I'm really
          worried.") Please don't worry: I've restored it from last night's backup.

    Not reported:
        - (to "My email stopped working this morning.") Please restart Outlook.
        - (to "I forgot my password again. Can you reset it?") I've reset it; the new
          one is in a text message.
        - (to "My monitor says 'NO SIGNAL'. It's not urgent.") Please check that the
          cable is pushed in at both ends.
        - (to "Thanks, that fixed it, I can print again! Can I print from my phone
          too?") Yes: install the Print app and pick the office printer.
        - (to "Our new receptionist uses JAWS. Can it be on her PC for Monday?") Yes,
          it will be installed on Friday.
        - (to "You're updating my PC tonight. Will my files be there?") Yes, your files
          are on the server, not the PC.
        - (to "Will my courses be copied to next year? When is the deadline?") They
          are copied for you, and there is no deadline.
        - (to "The printer has jammed AGAIN and I need 40 copies by noon!") I know the
          timing is awful; Sam is on his way with a new drum.
        - (to "My mum's tablet says it has a virus. Is it real? She's really
          worried.") Please reassure her, it's not real: the pop-ups come from a
          website.
        - (to "What's the Wi-Fi password for guests? I have a visitor coming at 2.")
          The guest Wi-Fi is called Harbour-Guest and today's password is
          Lighthouse47.
        - (to "They're updating my PC tonight. Will my accounts still be there
          tomorrow?") Yes: your accounts are kept on the server, not on your PC.
        - (to "Is the bank's app safe? My neighbour said apps can be hacked.") Yes,
          the bank's app is safe to use: it locks itself with your PIN.
        - (to "I got a text saying I'm owed a refund. Should I reply STOP to it?")
          Please don't reply at all; it's a scam.
        - (to "The receipt said 'Declined'. Has she been charged twice if she pays
          again?") No, she'll only be charged once.
        - (to "The driver's phone battery is dead by 2pm every day. Any tips?") Lower
          the screen brightness and keep it on the charger in the van.
        - (to "I've got a new iPhone. If I install the app on it, will my old
          recordings still be there or will I have to record them all again?") You
          won't need to record anything again: they are all on the office system.
        - (to "The camera won't pair any more. We've got three tours booked tomorrow
          and I really can't cancel them!") With three tours tomorrow I'd be worried
          too. Turn Bluetooth back on in the iPad's settings.
        - (to "Jamal dropped his Chromebook and the screen is smashed. Will he lose
          his essays? He's panicking.") Please tell Jamal not to worry: his essays
          are saved in his school account.
    """
    if ctx.incoming is None or not ctx.sentences or not customer_is_upset(ctx.incoming):
        return
    # The writer's own words: a quoted "I'm so sorry" from the customer is no apology.
    reply = " ".join(s.text for s in (ctx.tone_sentences or ctx.sentences)).lower()
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


def _content_lemmas(tokens: Span | Doc | Sequence[Token]) -> set[str]:
    """The content words of ``tokens``: each by its lemma and, where the lemmatiser
    changed it, by its own lower-case form too ("phishing" read as "phishe")."""
    generic = frozenset(wordlists.words(wordlists.GENERIC_LEMMAS))
    out: set[str] = set()
    for t in tokens:
        lemma = t.lemma_.lower()
        if (
            t.pos_ in {"NOUN", "PROPN", "VERB", "ADJ", "NUM"}
            and not t.is_stop
            and not t.vocab[lemma].is_stop
            and lemma not in generic
            and len(t.text) > 2
        ):
            out.add(lemma)
            if t.pos_ != "VERB" or t.tag_ == "VBG":
                out.add(t.lower_)
    return out


def _plain_lemmas(tokens: Span | Doc | Sequence[Token]) -> set[str]:
    """The lemmas of the words of ``tokens`` that carry meaning, generic ones included
    ("need", "do", "anything"), less pronouns, determiners and auxiliaries."""
    return {
        t.lemma_.lower()
        for t in tokens
        if t.is_alpha and t.pos_ not in {"PRON", "DET", "AUX", "ADP", "CCONJ", "SCONJ", "PART"}
    }


def _stem(word: str) -> str:
    """``word`` without an "-ing", "-ed" or "-s" ending the lemmatiser left on it
    ("reporting" as a noun, "Checked" at the start of a sentence)."""
    for ending, shortest in (("ing", 6), ("ed", 5), ("s", 4)):
        if (
            word.endswith(ending)
            and len(word) >= shortest
            and not word.endswith(("ss", "us", "is"))
        ):
            stem = word[: -len(ending)]
            if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "ls":
                stem = stem[:-1]  # "stopped" -> "stop"
            return stem
    return word


def _widen(lemmas: set[str]) -> set[str]:
    """``lemmas`` with the words of ``data/answer_synonyms.txt`` related to them, and
    each word without an ending the lemmatiser left on it ("reporting", "disabled"
    as "disable")."""
    related = wordlists.related_words(wordlists.ANSWER_SYNONYMS)
    out = set(lemmas) | {_stem(lemma) for lemma in lemmas}
    # "disabled" read as an adjective: its stem "disabl" is "disable" with its "e" lost
    out |= {f"{_stem(w)}e" for w in lemmas if w.endswith(("ed", "ing")) and _stem(w) != w}
    for lemma in set(out):
        out |= related.get(lemma, frozenset())
    return out


_YES_NO_START = {
    "am", "is", "are", "was", "were", "can", "could", "will", "would", "do", "does",
    "did", "should", "shall", "has", "have", "had", "may", "might", "must",
}  # fmt: skip
_WH_START = {"why", "what", "what's", "how", "where", "who", "which", "when"}
# What each pattern matches, with examples: data/reply_patterns.toml.
_WHEN = _pattern("WHEN")
_TIME = _pattern("TIME")
_TIMED = _pattern("TIMED")
_DONE = _pattern("DONE")
_WHY = _pattern("WHY")
_REASON = _pattern("REASON")
_YES_OR_NO = _pattern("YES_OR_NO")
_YES_NO = _pattern("YES_NO")
_DOING = _pattern("DOING")
_REQUEST = _pattern("REQUEST")
_INFO_REQUEST = _pattern("INFO_REQUEST")
_HANDED_OVER = _pattern("HANDED_OVER")
_REFUSES = _pattern("REFUSES")
_SELF_SERVICE = _pattern("SELF_SERVICE")
_TURNED_DOWN = _pattern("TURNED_DOWN")
_LOCATED = _pattern("LOCATED")
_REFERS = re.compile(r"(?:it|they|that|this|those|these|nothing|no one|nobody)\b", re.I)
_DIRECT = re.compile(
    r"(?:n't|\b(?:not|nothing|no one|nobody|never|only|still|already|fine|safe|healthy))\b",
    re.I,
)
_DEFINES = _pattern("DEFINES")
_WHAT_IS = _pattern("WHAT_IS")
_COMMITS = _pattern("COMMITS")
_OPEN = _pattern("OPEN")
_HOW_TO = _pattern("HOW_TO")
_STEPS = _pattern("STEPS")
_BARE_DONE = _pattern("BARE_DONE")
_NEGATIVE = _pattern("NEGATIVE")
#: Who does something (``data/answer_doers.txt``): "An engineer will visit".
_WHO = frozenset(wordlists.words(wordlists.ANSWER_DOERS))
#: Verbs too light to show what a question turns on ("do", "get", "make").
_LIGHT_VERBS = {"be", "do", "have", "get", "make", "go", "need", "want", "take", "let", "try"}
_NEED = _pattern("NEED")
_ANY_ACTION = _pattern("ANY_ACTION")
_TELLS_TO_DO = _pattern("TELLS_TO_DO")
_WHICH = _pattern("WHICH")
_CHOSEN = _pattern("CHOSEN")
_VALUE = _pattern("VALUE")
_NO_COST = _pattern("NO_COST")
_MONEY = _pattern("MONEY")
_AMOUNT = _pattern("AMOUNT")
_RESTATING = _pattern("RESTATING")
_UNKNOWN = _pattern("UNKNOWN")
_WHAT_HAPPENED = _pattern("WHAT_HAPPENED")
_WHAT_IF = _pattern("WHAT_IF")
_FOLLOWS = _pattern("FOLLOWS")
_GOES_ON = _pattern("GOES_ON")
_CONTINUES = _pattern("CONTINUES")
_HOW_LONG = _pattern("HOW_LONG")
_DURATION = _pattern("DURATION")
_FUTURE = _pattern("FUTURE")
_PAST_TIME = _pattern("PAST_TIME")
_GREETING = _pattern("GREETING")
_EMBEDDED = _pattern("EMBEDDED")
_CONDITION = _pattern("CONDITION")


def _is_instruction(sentence: Span) -> bool:
    """Whether ``sentence`` tells the reader what to do: it starts (after "please")
    with a verb in its base form ("Restart the laptop.", "Please reconnect...")."""
    words = [t for t in sentence if not t.is_space]
    if words and (words[0].tag_ == "IN" or words[0].lower_ == "to"):
        # "Once you're set up, bring the old phone...", "For your lesson plans, export..."
        comma = next((k for k, t in enumerate(words[:15]) if t.text == ","), None)
        words = words[comma + 1 :] if comma is not None else []
    words = [t for t in words if not t.is_punct]
    while words and words[0].lower_ in {
        "please", "just", "simply", "then", "first", "now", "also", "instead", "so", "next",
        "yes", "yeah", "ok", "okay", "sure",
    }:  # fmt: skip
        words = words[1:]
    if (
        len(words) > 1
        and words[0].tag_ in {"NNP", "NN", "VBP", "RB", "JJ"}
        and words[1].lower_ in _OBJECTS
    ):
        return True  # "Grant the service account...", read as a name
    return bool(words) and words[0].tag_ == "VB"


#: Words that start what an order acts on: "Grant *the* account...", "Send *it*...".
_OBJECTS = {"the", "a", "an", "your", "this", "that", "these", "those", "it", "them", "my"}


def _opening(sentence: Span) -> str:
    """The sentence's text without a greeting in front ("Hi Jo, yes..." -> "yes...")."""
    return _GREETING.sub("", sentence.text.strip(), count=1)


_LEAD = _pattern("LEAD")
_SORRY = _pattern("SORRY")
_PREFACE = _pattern("PREFACE")


def _question_text(question: Span) -> str:
    """The question in lower case without "And", "Also," in front."""
    text = _LEAD.sub("", _GREETING.sub("", " ".join(question.text.split()))).lower()
    text = _LEAD.sub("", _SORRY.sub("", text, count=1))
    preface = _PREFACE.match(text)
    if preface and _opens_question(_LEAD.sub("", text[preface.end() :])):
        text = _LEAD.sub("", text[preface.end() :])
    return text


def _main_clause(text: str) -> str:
    """The asking part of a question's text: without a condition in front ("if so, do
    I need..." -> "do I need...") or a question it is asked in ("do you know when...")."""
    text = _CONDITION.sub("", text, count=1)
    embedded = _EMBEDDED.sub("", text, count=1)
    if embedded != text:  # "do you know if the office will be open?"
        embedded = re.sub(r"^(?:if|whether)\s+", "", embedded)
    return embedded


def _opens_question(text: str) -> bool:
    """Whether ``text`` starts as a question does: with a question word or a verb that
    asks ("why", "can", "is", "do"...)."""
    first = text.split(" ", 1)[0] if text else ""
    return first in _YES_NO_START or first in _WH_START


def _parts(sentence: Span) -> Iterator[Span]:
    """The questions of ``sentence``: more than one where questions are joined with a
    comma or "and" ("Why does it do that, and will it affect my recordings?", "What is
    it and what happens if I don't do it?")."""
    start = sentence.start
    doc = sentence.doc
    tokens = list(sentence)
    for k, tok in enumerate(tokens[:-2]):
        joined = tok.lower_ == "and" and tokens[k - 1].text not in {",", ";"}
        if not (tok.text in {",", ";"} or joined) or tok.i - start < 3:
            continue
        nxt = k + 1
        if tokens[nxt].lower_ == "or":
            continue  # "Do I need to come in, or can I do it at home?" is one question
        if not joined and tokens[nxt].lower_ in {"and", "but", "also", "then"}:
            nxt += 1
        word, after = tokens[nxt], tokens[nxt + 1] if nxt + 1 < len(tokens) else None
        opener = word.lower_ in _WH_START or (
            word.lower_ in _YES_NO_START and after is not None and after.pos_ in {"PRON", "DET"}
        )
        head = _question_text(doc[start : tok.i])
        if opener and _opens_question(_main_clause(head)):
            yield doc[start : tok.i + (0 if joined else 1)]
            start = tokens[nxt].i
    yield doc[start : sentence.end]


def _in_quotes(sentence: Span, quoted: list[tuple[int, int]]) -> bool:
    """Whether the question mark of ``sentence`` is inside quotation marks: a question
    quoted from a message on screen ("it says 'Do you want to continue?'")."""
    mark = sentence.text.rstrip().rfind("?") + sentence.start_char
    return any(start <= mark < end for start, end in quoted)


def _split_at_marks(doc: Doc) -> Iterator[Span]:
    """The sentences of ``doc``, split after a "?" the parser ran on from ("1) can
    you reset my PIN? 2) why does my phone ring twice?")."""
    for sent in doc.sents:
        start = sent.start
        for tok in sent[:-1]:
            nxt = doc[tok.i + 1]
            if tok.text == "?" and not nxt.is_punct and not nxt.is_quote and tok.i + 1 > start:
                yield doc[start : tok.i + 1]
                start = tok.i + 1
        yield doc[start : sent.end]


def _questions(incoming: Doc) -> Iterator[Span]:
    """The customer's real questions: sentences ending in "?" (each question of one
    joined with "and": "Why does it do that, and will it affect my recordings?"), less
    rhetorical ones (``data/rhetorical_questions.txt``), ones quoted from a screen ("it
    says 'Do you want to allow this?'") and vague ones with no content word ("Any
    ideas?", "What am I doing wrong?", "Can you help?"), which any helpful reply
    answers. Requests ("Could you have a look?") and questions about when are kept."""
    rhetorical = wordlists.word_pattern(wordlists.RHETORICAL_QUESTIONS)
    quoted = quoted_spans(incoming.text)
    previous = None
    for sent in _split_at_marks(incoming):
        text = sent.text.strip()
        if previous is not None and text[:1].islower() and previous.text.rstrip()[-1:] not in ".!?":
            # "What do I need to do" | "so I don't lose access?": one question.
            sent = incoming[previous.start : sent.end]
        previous = sent
        if not text.endswith("?") or rhetorical.search(text) or _in_quotes(sent, quoted):
            continue
        for part in _parts(sent):
            words = _main_clause(_question_text(part))
            vague_request = _REQUEST.match(words) and "help" not in re.findall(r"\w+", words)
            # "Can I still see them?" asks about something named before it.
            closed = words.split(" ", 1)[0] in _YES_NO_START and not _REQUEST.match(words)
            if _polite_request(words):
                continue  # "Can someone please look at it?": asks for action, not an answer
            if _content_lemmas(part) or _WHEN.match(words) or vague_request or closed:
                yield part


def _polite_request(words: str) -> bool:
    """Whether ``words`` (a question's main clause, lower case) is a polite request
    for action ("can someone please look at it", "could you please fix it properly
    this time", "could you have a look", "could you check it when you get a
    chance"): the reply's tone and actions answer it, not a sentence. A request
    with a time ("...before Saturday?") or for information ("could you please send
    me the link") is a question."""
    courteous = bool(_WHEN_FREE.search(words))
    words = _WHEN_FREE.sub("", words)
    return bool(
        _REQUEST.match(words)
        and (courteous or _LOOK.match(words) or re.search(r"\bplease\b", words))
        and not _TIME.search(words)
        and not _INFO_REQUEST.match(words)
    )


#: "When you get a chance": a courtesy, no time ("could you look when you get a minute").
_WHEN_FREE = re.compile(
    r"\s*\b(?:when|if|whenever) you (?:get|have) (?:a|the) (?:chance|minute|moment|sec|second)\b"
)
#: "Could you have a look?": a request for help, not a question.
_LOOK = re.compile(
    r"(?:can|could|would) (?:you|someone|somebody|anyone) (?:have|take) a (?:quick )?look\b"
)


def _echoes(sentence: Span, asked: set[str]) -> bool:
    """Whether ``sentence`` has content words, all of them from the question."""
    own = _content_lemmas(sentence)
    return bool(own) and own <= asked


def _key_words(question: Span, subject: bool = False) -> set[str]:
    """The words a yes/no question turns on, widened: its main verb, past "need to"
    and "have to" ("does it *slow* my internet down?", "do we need to *tell* our
    patients?"), what "need" or "have" asks for ("do I need a *webcam*?"), the word a
    "be" asks about ("is it *safe* to *give*...", "is that a *mistake*") and, with
    ``subject``, the nouns of its subject ("are our patient *records* affected?")."""
    inside = range(question.start, question.end)
    head = question.root
    keys: set[str] = set()
    for _ in range(3):
        lemma = head.lemma_.lower()
        asks = {
            "think",
            "guess",
            "assume",
            "suppose",
            "reckon",
            "know",
            "wonder",
            "confirm",
            "tell",
        }
        deps = {"ccomp"} if lemma in asks else set()
        if lemma in {"be", "need", "have", "want", "get"}:
            deps |= {"xcomp", "acomp", "attr", "oprd"}
        if lemma == "be":
            deps.add("advmod")  # "is the VPN *down*?"
        nxt = [c for c in head.children if c.dep_ in deps and c.i in inside]
        if not nxt:
            break
        if lemma == "be":  # "is it alright *to give* her my password?"
            keys |= {c.lemma_.lower() for c in head.children if c.dep_ == "xcomp"}
        head = nxt[0]
    light = head.lemma_.lower() in _LIGHT_VERBS
    if head.is_alpha and not (light or head.pos_ in {"PRON", "DET", "AUX"}):
        keys |= {head.lemma_.lower(), head.lower_}
    wanted = {"attr", "acomp"} | ({"dobj"} if light else set())
    wanted |= {"nsubj", "nsubjpass"} if subject else set()
    for child in head.children:
        if child.dep_ in wanted and child.i in inside:
            # The noun and the words that qualify it, not a clause of its own.
            phrase = [child, *(c for c in child.children if c.dep_ in {"compound", "amod"})]
            keys |= {
                t.lemma_.lower()
                for t in phrase
                if t.pos_ in {"NOUN", "PROPN", "ADJ"} and not t.is_stop and len(t.text) > 2
            }
        if child.dep_ == "xcomp" and (head.pos_ == "ADJ" or head.tag_ == "VBN"):
            keys.add(child.lemma_.lower())  # "safe to *open*", "allowed to *show*"
    return _widen(keys - _LIGHT_VERBS)


#: Nouns that name no thing to hand over: "what's the *difference*", "any *news*".
_ABSTRACT = {
    "difference", "way", "point", "reason", "problem", "issue", "matter", "deal",
    "plan", "status", "latest", "news", "update", "word", "process", "idea", "thing",
}  # fmt: skip


def _object(question: Span) -> set[str]:
    """The thing a request for information names: "can you tell me the guest Wi-Fi
    *password*?", "can you send the rollback *steps*?", "what's the visitors'
    *password*?"."""
    out: set[str] = set()
    asked = {"dobj"} | ({"attr", "nsubj"} if question.root.lemma_ == "be" else set())
    for t in question:
        if t.dep_ in asked and t.pos_ in {"NOUN", "PROPN"} and t.head.i == question.root.i:
            # "the guest Wi-Fi password" is read as "guest", with "password" beside it.
            beside = [c for c in t.children if c.dep_ == "appos"]
            out.add((beside[0] if beside else t).lemma_.lower())
    return out - _ABSTRACT


def _said(sentence: Span) -> set[str]:
    """The words of ``sentence`` a question's words are looked for in: its content
    words and the lemmas of its other words, widened."""
    return _widen(_content_lemmas(sentence) | _plain_lemmas(sentence))


def _word_sets(question: Span) -> list[set[str]]:
    """Each content word of ``question``, widened (:func:`_widen`)."""
    return [_widen(_content_lemmas([t])) for t in question if _content_lemmas([t])]


def _shared(words: list[set[str]], said: set[str]) -> int:
    """How many of the question's ``words`` (:func:`_word_sets`) ``said`` takes up."""
    return sum(1 for word in words if word & said)


def _has_time(sentence: Span, future: bool) -> bool:
    """Whether ``sentence`` gives a time (a future or present one when ``future``: not
    "since Saturday")."""
    text = sentence.text
    return any(
        not (future and _PAST_TIME.search(text[max(0, m.start() - 12) : m.start()]))
        for m in _TIME.finditer(text)
    )


def _explains(sentence: Span, asked: set[str]) -> bool:
    """Whether ``sentence`` states something that may be a reason: a statement with
    words of its own, not an order, an apology, or the writer's own doing ("The HR
    system moved to a new platform last weekend", not "I've made a change")."""
    opening = _opening(sentence)
    return not (
        _is_instruction(sentence)
        or _echoes(sentence, asked)
        or re.match(
            r"(?:i'm sorry|i am sorry|sorry|apologies|i apologi[sz]e|if|please)\b", opening, re.I
        )
        or (re.match(_DOING.pattern, opening, re.I) and re.match(r"(?:i|we)\b", opening, re.I))
    )


def _may_answer(sentence: Span) -> bool:
    """Whether ``sentence`` may answer a question: not one that only restates it ("I
    understand...", "Thanks for letting us know...") and commits to nothing, only
    hedges (``data/answer_hedges.txt``: "can vary", "we'll be in touch") with no
    number, time or reason, or asks one back."""
    text = sentence.text
    restates = _RESTATING.search(_opening(sentence)) and not (
        _COMMITS.search(text) or _TURNED_DOWN.search(text)
    )
    hedge = wordlists.word_pattern(wordlists.ANSWER_HEDGES)
    hedges = hedge.search(text) and not (
        _REASON.search(text) or _has_time(sentence, True) or any(t.like_num for t in sentence)
    )
    return not (restates or hedges or text.rstrip().endswith("?"))


def _is_amount(token: Token) -> bool:
    """A number that can be an amount: "250", "£12", "two licences"; not the pronoun
    "one" ("approve one") nor an ordinal ("first")."""
    if any(ch.isdigit() for ch in token.text):
        return True
    return (
        token.like_num
        and token.dep_ == "nummod"
        and not token.lower_.endswith(("st", "nd", "rd", "th"))
    )


def _answer(
    question: Span,
    focus: set[str],
    reply: list[Span],
    free: list[Span],
    theirs: Sequence[Span] = (),
    said: dict[int, set[str]] | None = None,
    alone: bool = False,
) -> str:
    """What in ``reply`` (the writer's sentences that may answer: :func:`_may_answer`)
    answers ``question``, whose content words less the topic of the message are
    ``focus``: the kind of answer found ("a time", "a reason", "steps"...), or "" for
    none.

    The answer must be of the question's kind: taking up the question's words is not
    enough. ``free`` are the reply's sentences no question's words claim; a yes/no
    question takes the first one that answers it in other words. ``theirs`` are the
    sentences that take up another question's words and none of this one's, which
    answer that one.
    ``said`` maps each reply sentence's start to :func:`_said` of it (computed when
    not given). ``alone``: the customer asked only this question, so the reply's
    opening sentences are about it."""
    raw = _question_text(question)
    text = _main_clause(raw)
    answering = reply
    own = [s for s in answering if s not in theirs] if focus else answering
    said = said if said is not None else {s.start: _said(s) for s in reply}
    about = [s for s in own if focus & said[s.start]]
    asked_words = _content_lemmas(question)
    if _HOW_LONG.search(text):
        if any(_DURATION.search(s.text) or _has_time(s, True) for s in own):
            return "a duration"
        return "done" if any(_DONE.search(s.text) or _UNKNOWN.search(s.text) for s in own) else ""
    if _WHEN.match(text):
        if any(_has_time(s, True) or _DONE.search(s.text) or _UNKNOWN.search(s.text) for s in own):
            return "a time"
        return ""
    if _WHY.match(text):
        if any(_REASON.search(s.text) or _UNKNOWN.search(s.text) for s in own):
            return "a reason"
        explained = any(_explains(s, asked_words) for s in own if s in about or s in free)
        return "an account" if explained else ""
    if _HOW_TO.search(text):
        if any(
            _STEPS.search(s.text)
            or _is_instruction(s)
            or (_DOING.search(_opening(s)) and re.match(r"(?:i|we)\b", _opening(s), re.I))
            or _TURNED_DOWN.search(s.text)
            or _TELLS_TO_DO.search(s.text)
            for s in own
        ):
            return "steps"
        return ""
    where = re.match(r"where (?:do|can|could|should|would|will) (?:i|we|you|they|he|she)\b", text)
    if where and any(_LOCATED.search(s.text) or _is_instruction(s) for s in own):
        return "a place"  # "Where do I put my holiday?" - "It's under 'Time off'..."
    address = re.match(r"what(?:'s| is| will| would)\b", text) and re.search(
        r"\b(?:e-?mail|address)\b", text
    )
    if address and any(t.like_email for s in own for t in s):
        return "an address"  # "What will his address be?" - "It'll be josh@..."
    if _WHAT_IF.match(text):
        # "What happens if I don't do it?": what will follow ("you'll be asked...").
        # An account of what becomes of it ("Your mailbox is kept for 90 days").
        plain = _plain_lemmas(question) - {"happen"}
        if any(
            (not _is_instruction(s) and (plain - _LIGHT_VERBS) & said[s.start])
            or (_FOLLOWS.search(s.text) and plain & said[s.start])
            for s in own
        ):
            return "what follows"
        return ""
    if _WHAT_HAPPENED.match(text):
        # "What's going on?": any account; "Has something changed?", "How did that
        # happen?": one of what happened ("The tray was remapped when...").
        past = not text.startswith("what")
        return (
            "an account"
            if any(
                _content_lemmas(s) and not _is_instruction(s) and (not past or _tells_past(s))
                for s in own
            )
            else ""
        )
    if _WHAT_IS.match(text):
        return "a definition" if any(_DEFINES.search(_opening(s)) for s in own) else ""
    if _WHICH.match(text) and any(t.pos_ == "PROPN" for s in own for t in s):
        return "a name"
    if re.match(r"who\b", text) and any(
        t.like_email
        or (t.like_num and len(t.text) >= 4)
        or (t.pos_ == "PROPN" and s in about)
        or (t.lemma_.lower() in _WHO and t.pos_ == "NOUN" and t.dep_ == "nsubj")
        for s in own
        for t in s
    ):
        # "Who do I ask about parking?" - "That's Facilities: email...", "who is
        # coming to fix it?" - "An engineer from Ascom will visit tomorrow"
        return "a name"
    if _AMOUNT.search(text) and (
        any(_VALUE.search(_opening(s)) for s in free)
        or any(_is_amount(t) for s in own for t in s)
        or any(_MONEY.search(s.text) for s in answering)
    ):
        return "a number"
    if re.match(r"how (?:much|many)\b", text):
        # "How much storage do I get?" - "1 TB", "It's free", "unlimited".
        return "a number" if any(_NO_COST.search(s.text) for s in own) else ""
    info = _INFO_REQUEST.match(raw)
    if _OPEN.match(text) or info:
        # An open question is answered by a sentence that takes up its words and says
        # more than it ("Your mailbox is full even though..." only repeats it), or
        # that leads into a list ("She needs to bring two things:"); a request for
        # something named, by one that takes up its name ("tell me the *password*").
        names = bool(info or re.match(r"what(?:'s| is| are) the\b", text))
        wanted = _widen(_object(question)) & focus if names else set()
        if any(
            (not _echoes(s, asked_words) or s.text.rstrip().endswith(":"))
            and (not wanted or wanted & said[s.start] or _is_instruction(s))
            for s in about
        ):
            return "information"
        if info and any(_HANDED_OVER.search(s.text) or any(t.like_url for t in s) for s in own):
            return "information"  # "Here it is: https://...", "I've attached it"
        if not info:
            return ""
    keys = _key_words(question) or focus
    subjects = keys | _key_words(question, subject=True)
    asked = _plain_lemmas(question)
    timed = _TIME.search(text) or re.match(r"will\b", text)
    for s in own:
        opening = _opening(s)
        yes = _YES_OR_NO.match(opening) or (timed and _TIMED.match(opening) and _has_time(s, True))
        if yes and (s in about or s in free):
            # "Yes, ...", "For about 30 minutes on Saturday" (to "will it be down?")
            if s not in about:  # a yes in other words answers one question
                free.remove(s)
            return "a yes or no"
    deadline = _TIME.search(" ".join(text.split()[-3:])) and not _REQUEST.match(text)
    if deadline and any(_has_time(s, True) for s in own if s in about or s in free):
        return "a time"  # "Do I have to change it today?" - "...you have until Friday."
    if _REQUEST.match(text):
        if _TIME.search(text) and any(_has_time(s, True) and _FUTURE.search(s.text) for s in own):
            return "a time"  # "Can someone come today?" - "Marco should be with you by 11:30"
        keys = _key_words(question)
        # Done ("I've wiped the phone"), promised ("I'll come over"), promised for a
        # time ("the app will install itself within 15 minutes") or turned down; one
        # the customer can do is also answered by steps ("right-click the calendar").
        # A request that names something ("a Mac instead of a Windows laptop") is
        # answered only by a sentence that takes it up, "Done" or "I've logged it".
        wider = focus or _widen(asked)
        things = [t for t in question if t.pos_ in {"NOUN", "PROPN"} and not _TIME.match(t.text)]
        named = _widen(_content_lemmas(things)) & focus
        for s in answering:
            related = bool(wider & said[s.start])
            mentions = bool((wider | _widen(asked)) & said[s.start])
            opening = _opening(s)
            first = next((t for t in s if t.is_alpha), None)
            if (
                _BARE_DONE.match(opening)
                or (_DOING.search(opening) and _refers_back(s))
                or (
                    first is not None
                    and first.tag_ in {"VBD", "VBN", "NNP"}
                    and _stem(first.lower_) in wider
                )
            ):
                # "Done", "I've logged it", "Checked NPS: ..."
                return "done"
            if s not in own:
                continue
            refused = _TURNED_DOWN.search(s.text) or (
                mentions and (_REFUSES.search(s.text) or _NEGATIVE.search(s.text))
            )
            if refused and (mentions or s in free):
                return "turned down"
            if _DOING.search(opening) and (related or (s in free and not named)):
                return "done"
            if related and (
                _DONE.search(s.text) or (_has_time(s, True) and _FUTURE.search(s.text))
            ):
                return "done"  # "the app will install itself within 15 minutes"
            if (
                related
                and re.search(r"\b(?:new|now)\b", s.text, re.I)
                and any(t.like_num for t in s)
            ):
                return "done"  # "Your new PIN is 4821", "You now have 2 TB"
            if any(
                (t.tag_ in {"VBN", "VBD"} or t.lower_.endswith("ed"))
                and _widen({t.lemma_.lower()}) & keys
                for t in s
            ):
                return "done"  # "Your account is unlocked now", "was disabled this morning"
            if (
                _SELF_SERVICE.match(text)
                and related
                and (_is_instruction(s) or re.search(r"\byou can\b", s.text, re.I))
            ):
                return "steps"
            if _is_instruction(s) and keys & said[s.start]:
                return "steps"  # "Can you reset it?" - "Use the reset link on the login page"
        return ""
    if _NEED.match(text) and _ANY_ACTION.search(text):
        # "Do I need to do anything?": any instruction, or "you don't need to".
        if any(_is_instruction(s) or _TELLS_TO_DO.search(s.text) for s in own):
            return "what to do"
        return ""
    need = bool(_NEED.match(text))
    nouns = _widen(_content_lemmas([t for t in question if t.pos_ in {"NOUN", "PROPN"}])) & focus
    can = bool(re.match(r"(?:can|could|may) (?:i|we)\b", text))  # steps answer it
    # A yes/no question: a statement on the word it turns on, about the same thing
    # ("does it *slow* my internet down?" - "Teams does slow it a bit"), or a yes or
    # no in other words about what it asks ("No one got into your account", "Please
    # don't give her your password"); an order ("Open Settings...") answers only
    # "do I need to...?" and "can I...?".
    for s in own:
        if (
            " or " in text
            and focus & said[s.start]
            and (_CHOSEN.search(s.text) or _NEGATIVE.search(s.text))
        ):
            # "Is it my internet or my laptop?" - "It's your connection, not the laptop."
            return "one of its choices"
        ordered = _is_instruction(s)
        negative = bool(re.match(r"(?:please )?(?:don't|do not|never)\b", _opening(s), re.I))
        if ordered and not (need or can or negative):
            continue
        if keys & said[s.start] and (
            ordered
            or _YES_NO.search(s.text)
            or not nouns
            or nouns & said[s.start]
            or any(t.lower_ in {"it", "they", "them", "this", "that"} for t in s)
        ):
            # The word it turns on, about the same thing: "Teams does slow *it* a bit",
            # not "Work laptops come with Office installed" to "Can I install Spotify?".
            return "what to do" if ordered else "its words"
        if ordered and (need or can) and focus & said[s.start]:
            return "what to do"  # "Do I need to give the old phone back?" - "Bring it..."
        if need and _TELLS_TO_DO.search(s.text) and (s in free or focus & said[s.start]):
            return "what to do"  # "Is there something I need to turn on?" - "You need to..."
        if (_YES_NO.search(_opening(s)) or _TURNED_DOWN.search(s.text)) and subjects & said[
            s.start
        ]:
            return "a yes or no"
        if " or " in text and _YES_NO.match(_opening(s)) and focus & said[s.start]:
            return "one of its choices"  # "..., or can I do it at home?" - "You can do it at home."
        if not need and _NEGATIVE.search(s.text) and focus & said[s.start]:
            return "a no"  # "TLS 1.1 was dropped", "your records were not part of it"
        if _GOES_ON.search(text) and _CONTINUES.search(s.text) and asked_words & said[s.start]:
            # "Will it delete them from my phone?" - "your photos stay on your phone";
            # "does the old one still open the barrier?" - "The old card will keep working"
            return "what goes on"
        if _emphatic(s) and focus & said[s.start]:
            return "a yes"  # "Is it linked to the stock system?" - "It does talk to it"
    if (
        alone
        and not need
        and text.split(" ", 1)[0] in _YES_NO_START
        and any(
            _DIRECT.search(s.text)
            and not _is_instruction(s)
            and (
                (subjects | focus) & said[s.start]
                or _REFERS.match(_opening(s))
                or _same_subject(question, s)
            )
            for s in _lead(own)
        )
    ):
        # The reply opens on a plain fact with a no, an "only", a "still" or a "fine":
        # "Nothing has moved" to "Are they being sent somewhere else?", "The folder's
        # still there" to "Has it been deleted?".
        return "a direct answer"
    if not (keys or focus) and any(_YES_NO.search(_opening(s)) for s in own):
        return "a yes or no"  # "Was this really you?" - "We never ask for codes by text."
    if _CLAIM_CHECK.match(text):
        # "They say it tracks them at home. Is that true?" - "It only checks ... when
        # they clock in": a plain fact about what the sentence before it claims.
        claim = _claim(question)
        if any(claim & said[s.start] and _DIRECT.search(s.text) for s in own):
            return "a yes or no"
    phrasal = _phrasal_verbs(question)
    if (
        not (keys or focus)
        and phrasal
        and any(phrasal & _phrasal_verbs(s) and not _is_instruction(s) for s in own)
    ):
        return "its words"  # "Did they go out or not?" - "the notice went out by email"
    head = question.root
    if any(
        _VALUE.search(_opening(s)) and any(t.like_num for t in s)
        for s in own
        if s in about or s in free
    ):
        return "a value"  # "Is my mailbox nearly full?" - "It's at 98 of 100 GB."
    identity = head.lemma_ == "be" and any(
        c.dep_ == "attr" and c.pos_ in {"NOUN", "PRON"} for c in head.children
    )
    if identity and any(_REASON.search(s.text) for s in own):
        return "a reason"  # "Is that a mistake?", "Is it the computer?": a cause answers it
    for sent in free:
        # "No, you don't need to do anything" - but "you can zoom" does not answer
        # "is there a way to change the font?": a yes or no in other words shares a
        # word with the question.
        if (
            sent in own
            and _YES_NO.search(_opening(sent))
            and (asked - _LIGHT_VERBS) & _plain_lemmas(sent)
            and not (_is_instruction(sent) and not (need or can))
        ):
            free.remove(sent)
            return "a yes or no"
    return ""


#: A question whether what was just said is so: "Is that true?", "Is he right?".
_CLAIM_CHECK = re.compile(
    r"(?:is|was|are|were) (?:that|this|it|he|she|they) (?:really )?"
    r"(?:true|right|correct|accurate|the case|so)\b"
)


def _claim(question: Span) -> set[str]:
    """The content words of the customer's sentence before ``question`` (what "Is that
    true?" asks about), widened to their answer synonyms."""
    before = [s for s in question.doc.sents if s.end <= question.start]
    return _widen(_content_lemmas(before[-1])) if before else set()


def _phrasal_verbs(tokens: Span) -> set[tuple[str, str]]:
    """The phrasal verbs of ``tokens`` as (verb lemma, particle): ("go", "out") in
    "the notice went out" (the parser reads a question's particle as an adverb too:
    "Did they go out?")."""
    return {
        (t.head.lemma_.lower(), t.lower_)
        for t in tokens
        if t.dep_ in {"prt", "advmod"}
        and t.lower_ in _PARTICLES
        and t.head.pos_ in {"VERB", "AUX"}
        and 0 < t.i - t.head.i <= 3
    }


_PARTICLES = frozenset({"out", "in", "up", "down", "through", "back", "off", "on", "over", "away"})


def _tells_past(sentence: Span) -> bool:
    """Whether ``sentence`` tells of something done or that happened: a verb in the
    past ("was remapped", "hadn't been published", "sold") or "nothing has"."""
    return any(
        t.tag_ == "VBD"
        or (
            t.tag_ == "VBN"
            and any(
                c.dep_ in {"aux", "auxpass"} and c.lower_ not in {"be", "will"} for c in t.children
            )
            and not any(c.lower_ in {"will", "would", "can", "should", "may"} for c in t.children)
        )
        for t in sentence
    ) or bool(re.search(r"\bnothing (?:has|had)\b", sentence.text, re.I))


def _same_subject(question: Span, sentence: Span) -> bool:
    """Whether ``sentence`` is about the thing ``question`` asks about: the noun of the
    question's subject is the sentence's subject, or opens it ("Is the laptop dying?" -
    "The laptop's fine hardware-wise", which the parser may read as a possessive)."""

    def subject(span: Span) -> set[str]:
        return {
            t.lemma_.lower()
            for t in span
            if t.dep_ in {"nsubj", "nsubjpass"} and t.pos_ in {"NOUN", "PROPN"}
        }

    words = [t for t in sentence if not (t.is_space or t.is_punct)][:3]
    first = next((t.lemma_.lower() for t in words if t.pos_ in {"NOUN", "PROPN"}), None)
    opening = {first} if first is not None else set()
    return bool(subject(question) & (subject(sentence) | opening))


def _lead(sentences: Sequence[Span]) -> list[Span]:
    """The first two sentences of ``sentences`` that say something: four words or
    more, not a greeting ("Hi Tom,")."""
    out = []
    for s in sentences:
        words = [t for t in s if t.is_alpha]
        if len(words) >= 4 and not s.text.rstrip().endswith(","):
            out.append(s)
            if len(out) == 2:
                break
    return out


def _emphatic(sentence: Span) -> bool:
    """Whether ``sentence`` affirms with an emphatic "do" ("The card machine *does
    talk* to the booking system"), a yes in other words."""
    return any(
        t.lemma_ == "do"
        and t.tag_ in {"VBZ", "VBP", "VBD"}
        and t.i + 1 < sentence.end
        and t.doc[t.i + 1].tag_ == "VB"
        and _main_verb(t.doc[t.i + 1])
        and t.head.i == t.i + 1
        and t.i > sentence.start
        and t.doc[t.i - 1].pos_ in {"NOUN", "PROPN", "PRON"}
        for t in sentence
    )


def _main_verb(verb: Token) -> bool:
    """Whether ``verb`` heads a main clause: the sentence's root, or a clause before a
    dash or a semicolon the parser hung on the next one ("The old laptop does need to
    stay on - it takes an hour"), with no "if", "because" or "that" in front."""
    if verb.head.i == verb.i:
        return True
    return (
        verb.dep_ in {"ccomp", "parataxis"}
        and verb.head.i > verb.i
        and not any(c.dep_ == "mark" for c in verb.children)
    )


def asks_how_to(incoming: Doc) -> bool:
    """Whether the customer's message asks how to do something ("How do I stop a
    sharing link?"): the steps a reply gives are then what was asked for."""
    return any(_HOW_TO.search(_main_clause(_question_text(q))) for q in _questions(incoming))


def _refers_back(sentence: Span) -> bool:
    """Whether ``sentence`` does something to "it", "this" or "them": what the
    customer asked for ("I've logged it as ticket 48213")."""
    return any(t.dep_ == "dobj" and t.lower_ in {"it", "this", "that", "them"} for t in sentence)


@rule("T013", "unanswered-question", Category.TONE, Severity.WARNING)
def unanswered_question(ctx: Context) -> Iterator[Hit]:
    """A direct question from the customer that the reply does not address.

    What it does:
        Finds the customer's real questions (sentences ending in "?" of the message
        given with ``incoming=``, ``--reply-to``; two questions joined in one sentence,
        "Why does it do that, and will it affect my recordings?", are two; the first
        ``MAX_QUESTIONS``, 25, of a message) and reports
        each one the writer's own words (not quoted history) leave unanswered, quoting
        it. Rhetorical questions (``data/rhetorical_questions.txt``: "does anyone
        actually read these?"), questions quoted from a screen ("it says 'Do you want
        to continue?'") and vague ones ("Any ideas?", "Any tips?", "What am I doing
        wrong?", "Can you help?") are skipped, and so are polite requests for action ("Can
        someone please look at it?", unless they name a time): what the reply does
        answers them.

        A question is answered by a sentence that gives what its kind asks for;
        taking up the question's words is not enough ("Seeing a colleague's calendar
        is something lots of people ask about"). A sentence that only restates the
        question ("I understand...", "Whether...", "Thanks for letting us know...")
        or only hedges (``data/answer_hedges.txt``: "can vary", "depending on", "in
        some cases", "we'll be in touch", "in line with") answers nothing, and a
        sentence that takes up only another question's words answers that one (one
        that takes up words of both may answer both: "Use your email address as the
        username, not your student number"). Words match by lemma and
        by the related words of ``data/answer_synonyms.txt`` ("recovered" ~
        "restored", "real" ~ "fake", "safe" ~ "fine"). By kind:

        - when: a time to come ("on Friday", "by 3pm", "within the hour"), that it is
          done already, or "no date yet" ("since Saturday" is no answer); how long or
          how often: a duration, a frequency or such a time;
        - why, what's causing it: a reason ("because", "means", "set by", "which
          made") or an account of what happened ("The HR system moved to a new
          platform last weekend"), not the writer's fix ("I've made a change") or an
          apology; "has something changed?", "how did that happen?": an account of
          what happened;
        - how to, what should I do, is there a fix: steps or an order ("click", "Go
          to...", "you'll need to", "Yes - grab the link..."), a menu path ("under
          Payments > Refunds"), advice ("I'd recommend..."), or the request passed
          on;
        - what is it: a definition ("It's called...", "It means...", "is a...");
          what happens if or to: what will follow or become of it ("you'll be asked
          to...", "Your mailbox is kept for 90 days"); how much: a number or a sum
          ("£10 a month", "free"); which: a name; who: a name in a sentence about it,
          an e-mail address or a phone number; other open questions and requests for
          information ("Can you tell me the *password*?", "Can you send me the
          link?"): a sentence that takes up their words, and the thing named, and
          says more, or the thing itself ("Here it is: https://...");
        - a request ("Could you...?", "Is it possible to...?", "Can I get...?"):
          done or promised ("I've reset it", "Done", "Checked: ...", "Your account
          is unlocked now", "I'll come over"), for the thing it names ("a Mac", not
          "the laptop will be ready"), or turned down or passed on ("We won't replace
          a printer that...", "you'll need to contact the supplier": whether that is
          kind is for the tone rules); one the customer can carry out, also by steps;
          also an order that takes up what it asks for ("Use the reset link on the
          login page" to "Can you reset it?");
        - "do I need to...?", "should I...?": an order, "you just need to", "they
          need to" (to "do they need to...?"), "you don't need to" or "you won't
          need a cable"
          about it ("Bring the old phone to the IT desk"); "...do anything?": any;
        - another yes/no question: a sentence that starts with yes or no ("Yes,",
          "No,", "Honestly, no", "Of course", "I'm afraid", "It's not...", "You
          can, as long as...") or with its limits ("For about 30 minutes on Saturday"
          to "Will it be down?"); a time to "...today?"; a statement on the word
          the question turns on, about the same thing ("does it *slow* my internet
          down?", "is it *safe*?" - "It's fine", not "you can leave the VPN off"); a
          no in other words about what it asks ("TLS 1.1 was dropped", "nobody can
          open your email"); a value ("It's at 98 of 100 GB"); "is it X?" also by a
          cause ("It's not your laptop: the printer is out of toner"); the only
          question asked: a reply that opens on a plain fact about it, or about the
          thing the question's subject names, with a no, an "only", a "still" or a
          "fine" in it ("Nothing has moved", "That email didn't come from us", "The
          laptop's fine" to "Is the laptop dying?"); whether something goes on or is
          lost ("does it still...?", "will it delete...?"): that it goes on ("The old
          card will keep working", "your photos stay on your phone").

    Why it matters:
        A question left unanswered means another round of e-mails, and tells the
        customer their message was skimmed. Answer each one, even if the answer is
        "not yet".

    Example:
        - (to "Will I lose my files? When will the laptop be ready?") **Your laptop will
          be ready on Friday.**
        - (to "Is it my internet or my laptop?") **Please restart the router tonight.**
        - (to "How much does a licence cost?") **Your manager needs to approve one
          first.**
        - (to "Can I get a new headset? How long does it take?") **Yes, please fill
          in the equipment form.**
        - (to "Can you give Tom access to the Projects folder? And can he have edit
          rights or only view?") **I've given Tom access to the Projects folder.**
        - (to "Why can't my assistant accept meeting invites for me?") **I understand
          your assistant can't accept meeting invites for you.** I've passed this
          to the e-mail team.
        - (to "Why does my laptop keep restarting at night?") **Your laptop keeps
          restarting at night.**
        - (to "Is there a way to make the text bigger in the timesheet system?")
          **You can call us on 4410 at any time.**
        - (to "How long will it take to move our mailboxes?") **Mailbox moves can vary
          depending on their size.**
        - (to "Our broadband has been off since Saturday. When will it be back?")
          **I'm sorry you've been without broadband since Saturday; you may be charged
          if you book an engineer.**
        - (to "Why does my shared drive keep disconnecting?") **I've made a change
          that should stop it disconnecting.**
        - (to "How do I see my colleague's calendar?") **Seeing a colleague's calendar
          is something lots of people ask about.**
        - (to "What is a VPN?") **The VPN is used by many of our staff.**
        - (to "Can you tell me the guest Wi-Fi password?") **The guest Wi-Fi is for
          visitors only.**
        - (to "A new starter needs a laptop by the 10th. Can we get her a Mac instead
          of a Windows one?") **We've logged the request, and her laptop will be ready
          by the 10th.**
        - (to "We got a letter about a data breach at a supplier. Do we need to tell
          our patients?") **Your patient records were not part of the breach.**
        - (to "Is it safe to open the attachment?") **Attachments from outside are
          checked by our filter.**
        - (to "Teams keeps signing me out. Why does it do that, and will it affect my
          recordings?") **It happened because your saved sign-in was damaged.**
        - (to "Three things: 1) can you reset my PIN? 2) why does my phone ring
          twice?") **Your new PIN is 4821.**
        - (to "Mark leaves on Friday. What happens to his emails after he's gone?")
          **We'll disable his account at 5pm on Friday.**
        - (to "Can you recover the spreadsheet I overwrote this morning?")
          **Spreadsheets are saved automatically every few minutes.**
        - (to "Scans used to come to my email but now they don't. Has something
          changed?") **While we look into it, the file will be saved as a PDF.**
        - (to "The till adds VAT to takeaway sandwiches. Is that right, or is it set
          up wrong?") **The till applies whatever rates have been set, which you can
          see under Products.**
        - (to "Nobody got a video of the 2am ring. Could someone have hacked it?")
          **I've added a recording plan to your account, so future visits are
          recorded.**
        - (to "Why does the portal still show the old price when I changed it
          yesterday?") **Price changes can sometimes show differently on the portal,
          and there are a few things that can affect it.**

    Use instead:
        - (to "Will I lose my files? When will the laptop be ready?") Your laptop will
          be ready on Friday, and you will not lose any files: we copy them across
          first.
        - (to "Can I get a new headset? How long does it take?") Yes, please fill in
          the equipment form; the new one usually arrives within three days.

    Not reported:
        - (to "Can you unlock my account please?") Done, you're all set.
        - (to "Is it my internet or my laptop?") It's your connection, not the laptop.
        - (to "The printer keeps jamming. Can someone come today?") Marco is on his way
          and should be with you by 11:30.
        - (to "The drive still doesn't show up. What am I missing?") Connect with the
          VPN app first: the drive needs it.
        - (to "Is the office Wi-Fi down?") Yes, it went down ten minutes ago.
        - (to "I deleted a folder by mistake. Can it be recovered?") I've restored it
          for you.
        - (to "My laptop won't start. Any ideas?") Please hold the power button down
          for ten seconds.
        - (to "It STILL won't scan. Does anyone actually read these tickets?") I've
          fixed the scanner's settings and sent you a test scan.
        - (to "My connection keeps dropping, what do I do?") Please reconnect to the
          office network and restart the laptop.
        - (to "I got a text asking me to pay a parcel fee. Is it real?") It's a
          fake: couriers never ask for fees by text.
        - (to "I think this is phishing? Forwarding it to you.") You're right, it's
          phishing.
        - (to "Has my account been hacked?") No one got into your account: the
          sign-in was blocked.
        - (to "Will I lose my saved emails when you move me to the new mailbox?")
          All your saved emails are copied to the new mailbox before the switch.
        - (to "Why do I have to change my password so often?") The rule is set by
          our insurer, and we're reviewing it.
        - (to "My files all have strange names. What's happened?") Your laptop has
          a virus that renamed them.
        - (to "The red light is on. Do I need to do anything?") You don't need to
          do anything; we'll replace the drive on Thursday.
        - (to "Is it possible to get the old version back?") I've put last week's
          version back in the folder.
        - (to "Can you add the new rates to the till?") The till belongs to the
          supplier, so you'll need to contact them to change it.
        - (to "Why do my calls keep dropping?") The drops came from a faulty cable at
          the street cabinet, which the engineer replaced this morning.
        - (to "IT says I must set up something called MFA. What is it?") It's a
          second check when you sign in: you tap Approve on your phone.
        - (to "Why can't I sign in to the HR system any more?") The HR system moved to
          a new platform last weekend, and single sign-on isn't set up for it yet.
        - (to "Can you check the logs on your side?") Checked: the requests arrive
          but are rejected.
        - (to "Can you unlock my account?") Your account is unlocked now.
        - (to "Do I need a webcam for the training?") Your laptop's built-in camera is
          plenty.
        - (to "Is it alright to give her my password?") Please don't give her your
          password.
        - (to "Can I use my personal phone for Teams?") You can, as long as it has a
          passcode.
        - (to "IT says I must set something up. What is it and what happens if I
          don't do it?") It's called MFA. If it isn't set up by Friday, you'll be
          asked to do it when you next sign in.
        - (to "I can't get to the shared drive from home. Is there something I need
          to turn on?") From home you need to be on the VPN first.
        - (to "How much will the new licence cost?") It's £10 a month.
        - (to "My laptop won't print. Is it something on my laptop?") It's not your
          laptop: the printer is out of toner.
        - (to "The screen says 'Do you want to continue?' and then closes.") Please
          send me a screenshot.
        - (to "Will my codes move across to the new phone automatically?") They won't
          move on their own, so ring us when you have it.
        - (to "Is there any news on the email outage?") The outage was fixed at 11:40.
        - (to "Will the system be down during the upgrade?") For about 30 minutes on
          Saturday morning.
        - (to "Who do I ask about a parking permit?") That's Facilities: email
          facilities@example.org.
        - (to "What happens to my emails when I leave?") Your mailbox is kept for 90
          days after you leave; then it's deleted.
        - (to "Is the VPN down? I can't connect from home.") It's up and running on
          our side.
        - (to "Do I need to do anything before the office move?") Just pack your
          monitor cables in the crate on your desk.
        - (to "Can you send me the link to the expenses system?") Here it is:
          https://expenses.example.org
        - (to "Is it worth upgrading to the bigger broadband package?") Honestly, no:
          you use less than half of what you have now.
        - (to "Is it safe to use the hotel Wi-Fi for work?") Only with the VPN switched
          on.
        - (to "The printer won't print on A3 any more. Has something changed?") The
          A3 tray was remapped when the print server moved.
        - (to "The same seat was sold twice last night. How did that happen?") The
          website kept the seat in someone's basket while the box office sold it.
        - (to "The tablets keep losing signal and the app won't save. Is there a fix
          for this?") Turn on offline mode in the app's settings.
        - (to "The phones are fine but how do I listen to voicemail from my mobile?")
          Call 0300 555 0140 from your mobile, then enter your PIN.
        - (to "Do you know if the office will be open on the bank holiday?") It will
          be closed, but the helpdesk phone line stays open.
        - (to "The label printer stopped. Is it connected to the stock system?") It
          does talk to the stock system each time it prints a label.
        - (to "My photos are gone from the laptop! Have I lost them?") They're safe:
          the laptop copies them to OneDrive every night.
        - (to "It keeps asking me to sign in. What username do I use? Is it my staff
          number?") Use your full email address as the username, not your staff
          number.
        - (to "I paid for printing this morning. Where has my money gone?") Your £5 is
          safe: payments take up to an hour to show.
        - (to "The scanner stopped sending scans. Is it broken?") The scanner itself
          is working fine; its email password had changed.
        - (to "I'll share the drawings in OneDrive. Can the engineers open them without
          an account?") They won't need to sign up for anything.
        - (to "A member wants to see the camera recording. Are we allowed to show
          them?") Please don't show it to them directly: it has other people on it.
        - (to "A resident paid but got no e-mail. Should she pay again?") Please tell
          her not to pay again; the payment went through.
        - (to "My grandson wants a video call. What do I press?") Tap the small camera
          at the top of his chat.
        - (to "My laptop won't join the Wi-Fi. Can someone please look at it?") Remove
          the Wi-Fi from your saved networks and connect again.
        - (to "Where do I put my holiday in the rota app?") It's under 'Time off' on
          the main menu.
        - (to "Josh starts Monday. What will his address be?") It will be
          josh.reid@example.com.
        - (to "The app wants my location. Do I have to?") You do need to allow it for
          clocking in, but only while the app is open.
        - (to "Will the laptops have spellcheck turned off?") They have spellcheck
          disabled for the exams.
        - (to "The scans aren't in the shared folder. Are they being sent somewhere
          else now?") Hi Tom, sorry for the worry. Nothing has moved: the surgery's
          uploads stopped overnight and they are back now.
        - (to "How do I get the rehearsal calendar onto my phone?") Yes – grab the
          link from the calendar's sharing settings and add it to your phone's
          calendar.
        - (to "My Wi-Fi keeps dropping out. Any idea what's causing it?") Looks like
          the neighbours' networks are crowding the same channel.
        - (to "Will my emails come across? And do I need to keep the old laptop
          switched on while it copies?") Your emails stay with your provider, so they
          will all be there. The old laptop does need to stay on until the copying
          finishes – it takes an hour or two.
        - (to "Parents have stopped getting photo alerts. Do they need to delete the
          app?") They just need to switch on Photos in the app's settings.
        - (to "Is it safe to put my card details into Amazon?") Amazon protects card
          details carefully, so you can use it with confidence.
        - (to "Someone is sending spam from my account. How do I stop it?") I'd also
          recommend enabling the login code on your phone.
        - (to "I'm locked out of the booking system. Can you reset it?") Please use
          the reset link on the login page.
        - (to "The driver's phone battery is flat by lunchtime. Any tips?") A few
          things will help: lower the brightness and close the apps he isn't using.
        - (to "The music on the studio laptop keeps stuttering. Is the laptop
          dying?") The laptop itself is fine. The stutter comes from the weak Wi-Fi.
        - (to "Parents were charged twice for the trip. How do we refund them?")
          Refunds are made in the admin portal under Payments > Refunds.
        - (to "I want to print photos at the chemist's. Will it delete them from my
          phone? Do I need to bring a cable?") It only makes a copy to print from, so
          your photos stay on your phone exactly as they are. You won't need a cable.
        - (to "A family lost their barrier card. Does the old one still open the
          barrier?") The old card will keep working until you cancel it in the
          barrier program.
        - (to "Several parents never got the snow closure notice. Did they go out or
          not?") I've checked: the notice went out by email to every parent.
        - (to "Is it safe for confidential material?") It's suitable for
          confidential material: the link only works for that client.
        - (to "Some of my cleaners are worried the time clock tracks them at home. Is
          that true?") The app only checks a cleaner's location when they tap Clock
          In.
        - (to "The nurse-call panel is beeping. What is causing it, and who is coming
          to fix it?") A fault in the hallway unit is causing it. An engineer from
          Ascom will visit tomorrow between 10 and 12.
        - (to "The label printer prints half off the edge. Could you have a look when
          you get a chance?") When a new roll goes in, the printer needs to re-learn
          where labels start: turn it off, hold the feed button and turn it back on.
        - (to "The picture freezes on video calls. Is it my internet?") Your broadband
          is fine, but the router is in the back room, so the Wi-Fi is weak.
    """
    if ctx.incoming is None or not ctx.sentences:
        return
    reply = list(ctx.sentences)
    questions = list(itertools.islice(_questions(ctx.incoming), MAX_QUESTIONS))
    if not questions:
        return
    asked = [s for s in ctx.incoming.sents if not s.text.strip().endswith("?")]
    context = _widen(_content_lemmas([t for s in asked for t in s]))
    wanted = [_widen(_content_lemmas(q)) for q in questions]
    focus = [(w - context) or w for w in wanted]
    said = [_widen(_content_lemmas(s)) for s in reply]
    # A sentence answers the question whose words it takes up most.
    sets = [_word_sets(q) for q in questions]
    overlap = [[_shared(w, f & words) for w, f in zip(sets, focus, strict=True)] for words in said]
    free = [s for s, counts in zip(reply, overlap, strict=True) if not any(counts)]
    answering = [s for s in reply if _may_answer(s)]
    said_by_start = {s.start: _said(s) for s in answering}
    first = ctx.sentences[0]
    end = max(t.idx + len(t.text) for t in first if not t.is_space)
    most = [max(counts) for counts in overlap]
    for i, (question, own) in enumerate(zip(questions, focus, strict=True)):
        # A sentence about another question only, which answers that one; one that
        # takes up words of several may answer each ("Use your email address as the
        # username, not your student number").
        theirs = [
            s for s, counts, top in zip(reply, overlap, most, strict=True) if top and not counts[i]
        ]
        alone = len(questions) == 1
        if _answer(question, own, answering, free, theirs, said_by_start, alone):
            continue
        text = re.sub(r"^\d{1,2}[.)]\s*", "", " ".join(question.text.split()))
        yield Hit(
            first.start_char,
            end,
            f"The customer asked {quote(text)}, and the reply does not answer it",
        )
