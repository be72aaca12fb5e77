"""Rules that read the customer's message the draft replies to (codes ``T012``,
``T013``): acknowledge an upset customer, answer every question.

They run only when the message is given (``incoming=``, ``--reply-to``). The word
lists are ``data/tone_upset_words.txt`` and ``data/upset_weak_signs.txt`` (signs of
upset), ``data/empathy_phrases.txt`` (acknowledgement), ``data/tone_generic_lemmas.txt``,
``data/answer_synonyms.txt`` and ``data/rhetorical_questions.txt`` (questions and
answers).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from clarity import lexicon
from clarity.rules import wordlists
from clarity.rules.base import Context, Hit, quote, quoted_spans, rule
from clarity.types import Category, Severity

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


_STACKED_MARKS = re.compile(r"!{2,}|\?{2,}")
#: A close deadline: "in 20 minutes", "in an hour", "due Friday", "tonight".
_DEADLINE = re.compile(
    r"\bin (?:an|one|two|half an|a few|a couple of|\d+|five|ten|fifteen|twenty|thirty|"
    r"forty)[ -](?:minutes?|mins?|hours?)\b"
    r"|\bdue (?:in|by|today|tonight|tomorrow|this|first thing|on|"
    r"monday|tuesday|wednesday|thursday|friday)\b"
    r"|\btonight\b|\bby (?:today|tonight|tomorrow|the end of (?:the )?day|end of day|"
    r"noon|midday|lunchtime|\d{1,2}(?::\d\d)?\s?(?:am|pm))\b",
    re.I,
)

#: Just before a word: "not", "no", "never" or "n't", maybe one word between ("not too").
_NEGATED = re.compile(r"\b(?:not|no|never|n't)\s+(?:\w+\s+)?$", re.I)


def _shouted(token: Token) -> bool:
    """A word in capitals that is not an acronym: "NOW", "MY", "NOTHING", "HELP"."""
    text = token.text
    if not (token.is_alpha and text.isupper() and len(text) >= 2 and text != "I"):
        return False
    known = lexicon.acronym_expansions().keys() | lexicon.common_acronyms()
    if text in known or (text.endswith("S") and text[:-1] in known):
        return False
    return bool(token.is_stop) or (len(text) >= 4 and token.pos_ != "PROPN")


def upset_signs(incoming: Doc) -> tuple[int, int]:
    """The strong and the weak signs of upset in the customer's message.

    Strong: a word of ``data/tone_upset_words.txt`` (worried, ridiculous, third time,
    urgent, lost all...; not after "not": "not urgent"), "!!" or "??", a word in
    capitals (not in quotes: an error message 'NO SIGNAL'), a close deadline ("in an
    hour", "due Friday"). Weak: a word of ``data/upset_weak_signs.txt`` (again, still,
    twice...; each counted once) or a single "!", neither in a sentence of relief or
    thanks (``data/upset_relief_words.txt``: "Thanks, that worked!").
    """
    text = incoming.text
    words = wordlists.word_pattern(wordlists.UPSET_WORDS).finditer(text)
    strong = sum(1 for m in words if not _NEGATED.search(text[: m.start()]))
    strong += len(_STACKED_MARKS.findall(text)) + len(_DEADLINE.findall(text))
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
        found |= {sign.lower() for sign in weak_sign.findall(sent.text)}
        bang = bang or bool(re.search(r"(?<!!)!(?!!)", sent.text))
    return strong, len(found) + (1 if bang else 0)


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
        unacceptable; a repeated failure: third time, nobody has; stakes: urgent,
        deadline, lost all, in trouble; "!!" or "??"; a word in capitals; a close
        deadline: "in an hour", "due Friday") or two weak ones (again, still, twice,
        tomorrow, "please help", a single "!"): ``data/tone_upset_words.txt``,
        ``data/upset_weak_signs.txt``. Acknowledgement is an apology, understanding
        ("I understand", "that must be", "frustrating"), reassurance ("don't worry",
        "you did the right thing"), thanks for their patience or the urgency taken on
        ("right away", "before your meeting"): ``data/empathy_phrases.txt``.

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


def _widen(lemmas: set[str]) -> set[str]:
    """``lemmas`` with the words of ``data/answer_synonyms.txt`` related to them."""
    related = wordlists.related_words(wordlists.ANSWER_SYNONYMS)
    out = set(lemmas)
    for lemma in lemmas:
        out |= related.get(lemma, frozenset())
    return out


_YES_NO_START = {
    "am", "is", "are", "was", "were", "can", "could", "will", "would", "do", "does",
    "did", "should", "shall", "has", "have", "had", "may", "might", "must",
}  # fmt: skip
#: A question about when, how long or how often: answered only by a time.
_WHEN = re.compile(r"^(?:when|what time|how long|how often|how soon|by when)\b", re.I)
#: A time in the reply: "Friday", "in an hour", "by 3pm", "every 90 days", "tomorrow".
_TIME = re.compile(
    r"\b(?:today|tonight|tomorrow|yesterday|now|soon|asap|morning|afternoon|evening|"
    r"weekend|week|weeks|month|months|year|years|day|days|hour|hours|minute|minutes|"
    r"mins?|seconds?|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"january|february|march|april|may|june|july|august|september|october|"
    r"november|december|midday|lunchtime|noon|\d{1,2}(?::\d\d)?\s?(?:am|pm)|"
    r"\d{1,2}(?:st|nd|rd|th)|straight away|right away|immediately|never|always|"
    r"every|annually|daily|weekly|monthly)\b",
    re.I,
)
#: A question about why: answered by a reason.
_WHY = re.compile(r"^(?:why|how come|what (?:causes|caused|makes)|any idea why)\b", re.I)
_REASON = re.compile(
    r"\b(?:because|caused|cause|due to|means|meant|happens when|happen when|that's why|"
    r"this is why|which is why|the reason|so that|since|as (?:we|it|the|your|you)|"
    r"comes from|it's down to|is down to|was down to|(?:set|required|decided|needed) by|"
    r"for (?:security|safety|legal)(?: reasons)?|policy|to (?:protect|prevent|keep|stop)|"
    r"came from|come from|comes from|coming from|because of|the cause|was caused|"
    r"were caused|is caused|are caused)\b",
    re.I,
)
#: A reply sentence that starts by saying yes or no: "Yes, ...", "No, ...".
_YES_OR_NO = re.compile(
    r"^(?:yes|yeah|yep|no|nope|not|of course|sure|certainly|absolutely|definitely|"
    r"obviously not|not at all|no problem|unfortunately|i'm afraid|afraid not|sadly)\b",
    re.I,
)
#: A reply sentence that says yes or no: "Yes, ...", "No, you don't need...".
_YES_NO = re.compile(
    _YES_OR_NO.pattern
    + r"|\b(?:you can|you can't|you cannot|you don't|you do not|you won't|you will|"
    r"you'll|you need|you should|you shouldn't|it will|it won't|it can|it can't|"
    r"it isn't|it's not|it is not|there's no|there is no|no need|don't need|nobody|no one|"
    r"nothing|isn't|aren't|wasn't|weren't|won't|can't|cannot|doesn't|didn't|no longer|"
    r"(?:was|were|has been|have been|is being) (?:dropped|removed|retired|discontinued|"
    r"switched off|turned off|withdrawn))\b",
    re.I,
)
#: A reply sentence that does or promises what was asked: "I've reset it", "Done".
_DOING = re.compile(
    r"^(?:done|all done|sorted|all set)\b|\b(?:i've|i have|we've|we have|i'll|we'll|"
    r"i will|we will|i'd be happy|happy to|i can|we can)\b",
    re.I,
)
#: A request: "Can you reset it?", "Could someone look at it?".
_REQUEST = re.compile(
    r"^(?:(?:can|could|would|will) (?:you|someone|somebody|anyone|u)|please|"
    r"is it possible|is there (?:a|any) (?:way|chance)|(?:can|could) (?:it|this|that|they|"
    r"these|those|mine|my \w+|the \w+) be)\b",
    re.I,
)
#: A request turned down or passed on: "you'll need to contact the vendor", "We don't
#: support that". It is an answer (whether it is a kind one is for the tone rules).
_TURNED_DOWN = re.compile(
    r"\b(?:you(?:'ll| will)? (?:need|have) to (?:contact|call|ask|raise|speak)|please "
    r"(?:contact|call|ask|speak to)|(?:we|i) (?:don't|do not|can't|cannot|won't|are unable "
    r"to|aren't able to) (?:deal|support|help|do|change|fix|remove|recover|restore|allow)|"
    r"(?:isn't|is not|aren't|are not) something we|not (?:possible|something we)|"
    r"(?:take|raise) it (?:up )?with|(?:that|this|it)'s (?:a )?(?:decision|question) for|"
    r"(?:is|are) (?:a )?(?:decision|matter|question) for)\b",
    re.I,
)
#: A definition, which answers "what is it?": "It's called MFA", "It means...".
_DEFINES = re.compile(
    r"^(?:it's called|it is called|they're called|it means|that means|this means|it's a|"
    r"it is a|that's a|that is a|this is a|they're|they are)\b",
    re.I,
)
_WHAT_IS = re.compile(r"^what(?:'s| is| are)(?: it| this| that| they| these| those)\b", re.I)
#: A sentence that commits to something: not a mere restatement of the question.
_COMMITS = re.compile(
    r"\b(?:i've|i have|we've|we have|i'll|we'll|i will|we will|she'll|he'll|they'll|"
    r"she will|he will|they will)\b",
    re.I,
)
#: An open question: "Why...", "What...", "How...".
_OPEN = re.compile(r"^(?:why|what|what's|how|where|who|which|when)\b", re.I)
#: A question about how to do something: answered by steps.
_HOW_TO = re.compile(
    r"(?:^|[,;:] )(?:how (?:do|can|could|would|should|shall) (?:i|we|you|she|he|they)\b|how to\b"
    r"|what (?:do|can|could|should|shall|would) (?:i|we) (?:do|try)\b|what now\b"
    r"|what (?:\w+ )?(?:do|does|would) (?:you|they) need\b)",
    re.I,
)
_STEPS = re.compile(
    r"\b(?:need to|needs to|you can|click|tap|go to|open|choose|select|press|follow|"
    r"steps?|first|then|sign in|type)\b",
    re.I,
)
#: A question about which one: answered by a name ("Chrome or Edge").
_WHICH = re.compile(r"^which\b", re.I)
#: A sentence that gives a value: "It's 12 characters", "That's on the card".
_VALUE = re.compile(r"^(?:it's|it is|that's|that is|they're|they are|yours is)\b", re.I)
#: A question about an amount: answered by a number.
_AMOUNT = re.compile(r"\b(?:how much|how many|what's the|what is the|what are the)\b", re.I)
#: A reply sentence that restates the customer's words: "I understand your...",
#: "Whether ... will depend", "Thanks for flagging the licence".
_RESTATING = re.compile(
    r"^(?:i (?:understand|appreciate|realise|realize|hear|know|can see|see) (?:that|how|why|"
    r"what|your|you|the|this|it|there)\b|whether\b|you(?:'re| are) (?:asking|wondering)\b|"
    r"you asked\b|(?:many )?thanks?(?: you)?(?: so much| very much)? for (?:letting|flagging|"
    r"reporting|asking|getting|checking|raising|telling|contacting|reaching|your|the)\b)",
    re.I,
)
#: An honest "not known yet" to a why-question: "We don't know why yet".
_UNKNOWN = re.compile(
    r"\b(?:not sure|don't know|do not know|no idea|unclear|can't tell|cannot tell|"
    r"don't yet know|do not yet know)(?: yet)? (?:why|what)\b",
    re.I,
)
#: "What's happened?", "What's going on?": answered by any account of it.
_WHAT_HAPPENED = re.compile(
    r"^what(?:'s| has| is| will)? (?:happened|happening|happens|happen|going on)(?: now| next)?"
    r"\W*$",
    re.I,
)
#: A question about how long or how often: answered by a duration or a frequency.
_HOW_LONG = re.compile(r"^(?:how long|how often)\b", re.I)
_DURATION = re.compile(
    r"\b(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|thirty|few|"
    r"couple of|several)\s+(?:\w+\s+)?(?:seconds?|minutes?|mins?|hours?|days?|weeks?|"
    r"months?|years?)\b|\b(?:every|daily|weekly|monthly|yearly|annually|nightly|forever|"
    r"never|always|until|indefinitely|permanently|overnight)\b",
    re.I,
)
#: A time that is past ("since Saturday", "last week"): no answer to "when will...?".
_PAST_TIME = re.compile(r"\b(?:since|last|ago|earlier|yesterday)\b", re.I)
_GREETING = re.compile(r"^\W*(?:hi|hello|hey|dear|morning|afternoon)\b[^,.!\n]*[,.!]?\s*", re.I)


def _is_instruction(sentence: Span) -> bool:
    """Whether ``sentence`` tells the reader what to do: it starts (after "please")
    with a verb in its base form ("Restart the laptop.", "Please reconnect...")."""
    words = [t for t in sentence if not (t.is_punct or t.is_space)]
    if words and words[0].lower_ == "please":
        words = words[1:]
    return bool(words) and words[0].tag_ == "VB"


def _opening(sentence: Span) -> str:
    """The sentence's text without a greeting in front ("Hi Jo, yes..." -> "yes...")."""
    return _GREETING.sub("", sentence.text.strip(), count=1)


_LEAD = re.compile(
    r"^\W*(?:(?:and|also|so|but|then|or|ok|okay|oh|one more thing|another thing|"
    r"last thing|quick question|btw|by the way|p\.?s)\b\W*)*",
    re.I,
)


def _question_text(question: Span) -> str:
    """The question in lower case without "And", "Also," in front."""
    return _LEAD.sub("", " ".join(question.text.split())).lower()


def _questions(incoming: Doc) -> Iterator[Span]:
    """The customer's real questions: sentences ending in "?", less rhetorical ones
    (``data/rhetorical_questions.txt``) and vague ones with no content word ("Any
    ideas?", "What am I doing wrong?", "Can you help?"), which any helpful reply
    answers. Requests ("Could you have a look?") and questions about when are kept."""
    rhetorical = wordlists.word_pattern(wordlists.RHETORICAL_QUESTIONS)
    for sent in incoming.sents:
        text = sent.text.strip()
        if not text.endswith("?") or rhetorical.search(text):
            continue
        words = _question_text(sent)
        vague_request = _REQUEST.match(words) and "help" not in re.findall(r"\w+", words)
        if _content_lemmas(sent) or _WHEN.match(words) or vague_request:
            yield sent


def _echoes(sentence: Span, asked: set[str]) -> bool:
    """Whether ``sentence`` has content words, all of them from the question."""
    own = _content_lemmas(sentence)
    return bool(own) and own <= asked


def _is_answered(
    question: Span,
    wanted: set[str],
    focus: set[str],
    reply: list[Span],
    free: list[Span],
    theirs: Sequence[Span] = (),
) -> bool:
    """Whether ``reply`` (the writer's sentences) answers ``question``, whose content
    words are ``wanted`` and, less the topic of the message, ``focus``. ``free`` are
    the reply's sentences no question's words claim; a yes/no question or a request
    takes the first one that answers its kind. ``theirs`` are the sentences that take up
    another question's words, which a yes or no in other words cannot answer."""
    text = _question_text(question)
    prose = " ".join(s.text for s in reply)
    if _HOW_LONG.match(text):
        return bool(_DURATION.search(prose))
    if _WHEN.match(text):
        return any(
            not _PAST_TIME.search(prose[max(0, m.start() - 12) : m.start()])
            for m in _TIME.finditer(prose)
        )
    # A sentence that only restates what was asked ("I understand your assistant
    # can't...", "Whether the tills work will depend...") answers nothing.
    answering = [
        s for s in reply if not (_RESTATING.search(_opening(s)) and not _COMMITS.search(s.text))
    ]
    words = text.split()
    if _OPEN.match(text):
        # To an open question, a sentence that only repeats its words ("Your mailbox
        # is full even though you only have a few hundred emails") is no answer.
        asked_words = _content_lemmas(question)
        answering = [s for s in answering if not _echoes(s, asked_words)]
    if _WHAT_IS.match(text) and any(_DEFINES.match(_opening(s)) for s in answering):
        return True
    if _WHAT_HAPPENED.match(text) and any(
        _content_lemmas(s) and not _is_instruction(s) for s in answering
    ):
        return True
    said = [_widen(_content_lemmas(s)) for s in answering]
    closed = bool(words) and words[0] in _YES_NO_START
    head = _content_lemmas([question.root])
    topic = focus
    if head and closed and not _REQUEST.match(text):
        # A yes/no question is about its verb: "does it slow my internet down?" is
        # not answered by a sentence that only mentions the internet, but is by one
        # that takes up two of its words ("saved emails ... copied to the new mailbox").
        focus = _widen(head)
        if any(len(topic & words) >= 2 for words in said):
            return True
    if any(focus & words for words in said):
        return True
    if closed and any(
        _YES_OR_NO.search(_opening(sent)) and wanted & words
        for sent, words in zip(answering, said, strict=True)
    ):
        # "Will my files be deleted?" - "No, your files stay where they are."
        return True
    if _WHY.match(text):
        return any(_REASON.search(s.text) or _UNKNOWN.search(s.text) for s in answering)
    if _HOW_TO.search(text):
        return bool(_STEPS.search(prose)) or any(_is_instruction(s) for s in reply)
    if _WHICH.match(text) and any(t.pos_ == "PROPN" for s in reply for t in s):
        return True
    if _AMOUNT.search(text):
        value = any(_VALUE.search(_opening(s)) for s in free)
        return value or any(t.like_num for s in reply for t in s)
    if not closed:
        return False
    request = bool(_REQUEST.match(text))
    asked = _plain_lemmas(question)
    if request and any(
        _TURNED_DOWN.search(s.text)
        or (wanted & words and (_DOING.search(_opening(s)) or _TIME.search(s.text)))
        for s, words in zip(answering, said, strict=True)
    ):
        # Done ("I've wiped the phone, so nobody can open your email"), promised for a
        # time ("the app will install itself within 15 minutes") or turned down.
        return True
    wider = _widen(asked)
    if any(
        (_YES_NO.search(_opening(s)) or _TURNED_DOWN.search(s.text)) and wider & words
        for s, words in zip(answering, said, strict=True)
        if s not in theirs
    ):
        # "Is it the computer?" - "It's not the PC."; "Do we have to report it?" -
        # "Whether it needs reporting is a decision for our data officer."
        return True
    for sent in free:
        opening = _opening(sent)
        if request and _DOING.search(opening):
            free.remove(sent)
            return True
        # "Yes, ...", or "No, you don't need to do anything" - but "you can zoom"
        # does not answer "is there a way to change the font?": a yes or no in other
        # words shares a word with the question.
        if _YES_OR_NO.match(opening) or (_YES_NO.search(opening) and asked & _plain_lemmas(sent)):
            free.remove(sent)
            return True
    return False


@rule("T013", "unanswered-question", Category.TONE, Severity.WARNING)
def unanswered_question(ctx: Context) -> Iterator[Hit]:
    """A direct question from the customer that the reply does not address.

    What it does:
        Finds the customer's real questions (sentences ending in "?" of the message
        given with ``incoming=``, ``--reply-to``) and reports each one the writer's
        own words (not quoted history) leave unanswered, quoting it. Rhetorical
        questions (``data/rhetorical_questions.txt``: "does anyone actually read
        these?") and vague ones with no content word ("Any ideas?", "What am I doing
        wrong?", "Can you help?") are skipped. A question counts as answered when:

        - it asks when, how long or how often, and the reply gives a time ("on
          Friday", "within an hour", "every 90 days"), whatever its words;
        - the reply shares its own content words (by lemma, with the related words of
          ``data/answer_synonyms.txt``: "recovered" ~ "restored", "real" ~ "fake"),
          words the customer used outside their questions (the topic) not counting;
          for a yes/no question, the word that carries it ("does it *slow* my
          internet down?") or two of its other words;
        - else by its kind: a why-question by a reason ("because", "means", "set
          by", "for security") or an honest "we don't know why yet", a how-to
          question by steps ("click", "you need to"), "what's happened?" by any
          account of it, an amount by a number, a yes/no question by a sentence no
          other question claims that starts with yes or no ("Yes, ...", "No, ...")
          or says it in other words ("you don't need to", "it won't", "nobody")
          with a word of the question, a request ("Could you...?", "Is it possible
          to...?") by one that does or promises it ("I've reset it", "Done", "I'll
          come over") or turns it down or passes it on ("you'll need to contact the
          supplier": whether that is kind is for the tone rules), and "what is it?"
          by a definition ("It's called...", "It means...").

        A sentence that only restates the question does not answer it: one that
        opens "I understand...", "Whether...", "Thanks for letting us know..." and
        commits to nothing ("I'll...", "she'll call you"), and,
        for an open question (why, what, how...), one whose content words all come
        from the question ("Your mailbox is full even though...").

    Why it matters:
        A question left unanswered means another round of e-mails, and tells the
        customer their message was skimmed. Answer each one, even if the answer is
        "not yet".

    Example:
        - (to "Will I lose my files? When will the laptop be ready?") **Your laptop will
          be ready on Friday.**
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

    Use instead:
        - (to "Will I lose my files? When will the laptop be ready?") Your laptop will
          be ready on Friday, and you will not lose any files: we copy them across
          first.
        - (to "Can I get a new headset? How long does it take?") Yes, please fill in
          the equipment form; the new one usually arrives within three days.

    Not reported:
        - (to "Can you unlock my account please?") Done, you're all set.
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
    """
    if ctx.incoming is None or not ctx.sentences:
        return
    reply = list(ctx.sentences)
    questions = list(_questions(ctx.incoming))
    if not questions:
        return
    asked = [s for s in ctx.incoming.sents if not s.text.strip().endswith("?")]
    context = _content_lemmas([t for s in asked for t in s])
    wanted = [_widen(_content_lemmas(q)) for q in questions]
    focus = [(w - _widen(context)) or w for w in wanted]
    claimed = [s for s in reply if any(f & _widen(_content_lemmas(s)) for f in focus)]
    free = [s for s in reply if s not in claimed]
    first = ctx.sentences[0]
    end = max(t.idx + len(t.text) for t in first if not t.is_space)
    claims = [[s for s in reply if f & _widen(_content_lemmas(s))] for f in focus]
    for i, (question, want, own) in enumerate(zip(questions, wanted, focus, strict=True)):
        theirs = [s for j, c in enumerate(claims) if j != i for s in c if s not in claims[i]]
        if _is_answered(question, want, own, reply, free, theirs):
            continue
        text = " ".join(question.text.split())
        yield Hit(
            first.start_char,
            end,
            f"The customer asked {quote(text)}, and the reply does not answer it",
        )
