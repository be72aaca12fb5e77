"""Whether a suggested replacement fits its place in a parsed sentence, and in what form.

An unsafe fix is applied by ``clarity fix --unsafe`` without a person reading the
sentence, so a swap must be shown to read before it is applied: a jargon term
(J001), an acronym spelled out (J002) or a wordy phrase (W001) replaced in place.
Each function here takes the parsed text, the span ``[start, end)`` and the
replacement in its dictionary form, and returns the replacement in the form the
sentence needs, or ``None`` when the swap cannot be shown to fit: the rule then
offers its suggestion for display only (a person rewords the sentence).

What is checked, conservatively (a good swap left for display costs little; a bad
one applied costs the reply):

* **never inside a name or a compound**: the span is joined to a neighbour by a
  hyphen, slash or dot ("processor-bound", "TCP/IP"), is a modifier in a noun
  compound ("SQL database", "5 GHz band"), its head ("sender domain", "5 GHz"), a
  possessive ("the ISP's node"), a quoted word or a word being defined ("is called
  two-factor authentication", "VPN (...)");
* **part of speech**: a noun is replaced only by a noun phrase (content words ending
  in a noun: not "how long we keep it", not "start up"); a verb by a verb, alone or
  with one particle;
* **number and articles**: a plural noun gets a plural replacement (inflected, or
  no swap); a singular noun with "a", "this" or as a subject keeps a singular one; a
  bare singular ("use Ethernet", "via WSUS") is not swapped for a count noun that
  would need an article; a replacement opening with its own determiner is not put
  after another one ("those your ... folders"); "a"/"an" is corrected by
  :mod:`clarity.fixes`;
* **verb form and frame**: the replacement verb takes the form of the verb it
  replaces (``VBD``, ``VBN``, ``VBG``, ``VBZ``) or no swap; a particle verb never
  lands before a pronoun object ("roll out it"); for wordy verbs the complements
  the verb has in the sentence (an object, a ``that`` clause, ``to`` + verb, a
  preposition such as ``with`` in "provide X with Y") must be a frame the
  replacement takes (``data/verb_frames.csv``; a verb not listed there is swapped
  only with a plain object or in the passive);
* **a repeated word**: a replacement whose head word is already in the sentence
  is not swapped in ("A VPN is a secure connection" -> a tautology);
* for wordy phrases that are not nouns or verbs: adverbs only where the
  replacement can stand (not between subject and verb: "you before had"),
  prepositions only before a noun and after a noun ("the issue concerning the
  system"), quantities ("a number of") only before a plural noun, and openers
  ("Going forward", a phrase dropped) only at the start of a sentence.
"""

from __future__ import annotations

import csv
import functools
import re
from typing import TYPE_CHECKING

from clarity.data import data_path
from clarity.inflect import INFLECTED_TAGS, forms_of

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

VERB_FRAMES_FILE = "verb_frames.csv"

#: Closed-class words: a noun-phrase replacement holds none of them.
_FUNCTION_WORDS_TEXT = """
    a an the this that these those my your our their his her its some any no every each
    either neither how what when where why who whom which whose whether if to of in on
    at by for with from into onto about as than across through over under up down out
    off again and or but nor not we you it they he she i me us them him is are was were
    be been being have has had do does did will would can could should may might must
    there here so very too just only also then
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())
#: Particles a phrasal verb may end with ("pass on", "find out").
PARTICLES = frozenset({"on", "out", "up", "off", "in", "down", "over", "back", "away"})
#: Determiners that want a singular noun after them.
_SINGULAR_DETERMINERS = frozenset({"a", "an", "one", "this", "that", "each", "every", "another"})
#: Dependency labels of a noun that modifies another word rather than heading a phrase.
_MODIFIER_DEPS = frozenset({"compound", "poss", "nmod", "amod", "npadvmod", "case"})
#: Left dependents a replaced noun may keep: its determiner, adjectives, numbers.
_LEFT_OK = frozenset({"det", "poss", "amod", "nummod", "advmod", "predet", "quantmod", "punct"})
_JOINERS = "-/\\_@&+"
_NOUN_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS"})
_VERB_TAGS = frozenset({"VB", "VBP", "VBZ", "VBD", "VBG", "VBN"})
#: Nouns that take no "a" and no plural ("a device software", "softwares").
_MASS_NOUNS_TEXT = """
    software hardware firmware malware spyware equipment information data storage access
    advice help feedback news traffic spam mail stuff knowledge research progress
    protection security support guidance bandwidth
"""
MASS_NOUNS = frozenset(_MASS_NOUNS_TEXT.split())
_QUANTITY_WORDS = frozenset({"many", "some", "several", "most", "few", "a few", "all"})


#: Longest sentence (in tokens) a fit is judged in: a longer one is left to a person,
#: and every check stays bounded (no quadratic time on a 100,000-word "sentence").
MAX_SENTENCE_TOKENS = 160


def _sentence(doc: Doc, span: Span) -> tuple[int, int] | None:
    """Token bounds of the sentence around ``span``, or ``None`` when it is longer than
    :data:`MAX_SENTENCE_TOKENS` (looked for without walking further than that)."""
    lo = span.start
    while not doc[lo].is_sent_start and lo > 0:
        lo -= 1
        if span.start - lo > MAX_SENTENCE_TOKENS:
            return None
    hi = span.end
    while hi < len(doc) and not doc[hi].is_sent_start:
        hi += 1
        if hi - lo > MAX_SENTENCE_TOKENS:
            return None
    return (lo, hi) if hi - lo <= MAX_SENTENCE_TOKENS else None


def _span(doc: Doc, start: int, end: int) -> Span | None:
    """The tokens of ``[start, end)``, when it is whole tokens in a sentence of at most
    :data:`MAX_SENTENCE_TOKENS`."""
    span = doc.char_span(start, end)
    if span is None or not len(span) or _sentence(doc, span) is None:
        return None
    return span


def joined(text: str, start: int, end: int) -> bool:
    """Whether ``[start, end)`` is glued to a neighbour: a letter, digit or joiner
    right before or after it, or a dot or colon followed by one ("TCP/IP",
    "processor-bound", "example.com")."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    beyond = text[end + 1] if end + 1 < len(text) else " "
    before2 = text[start - 2] if start > 1 else " "
    if before.isalnum() or after.isalnum() or before in _JOINERS or after in _JOINERS:
        return True
    if after in ".:" and beyond.isalnum():
        return True
    return before in ".:" and before2.isalnum()


def _around(doc: Doc, span: Span) -> tuple[str, int]:
    """The text of ``span`` and two tokens either side, and the offset it starts at
    (``Doc.text`` joins every token of the text: too slow to call per finding)."""
    window = doc[max(0, span.start - 2) : min(len(doc), span.end + 2)]
    return window.text_with_ws, window.start_char


def _joined(doc: Doc, span: Span) -> bool:
    text, offset = _around(doc, span)
    return joined(text, span.start_char - offset, span.end_char - offset)


def _quoted_or_defined(doc: Doc, span: Span) -> bool:
    """A word in quotes, being named ("is called X", "known as X") or explained by a
    parenthesis after it: the sentence is about the word itself."""
    text, offset = _around(doc, span)
    start, end = span.start_char - offset, span.end_char - offset
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if before in "\"'‘“" or after in "\"'’”":
        return True
    prev = doc[span.start - 1] if span.start > 0 else None
    if prev is not None and prev.lower_ in ("called", "named", "as", "term", "word"):
        return True
    nxt = doc[span.end] if span.end < len(doc) else None
    return nxt is not None and (nxt.text == "(" or nxt.tag_ == "POS")


def _bounds(span: Span) -> tuple[int, int]:
    return _sentence(span.doc, span) or (span.start, span.end)


def _sentence_words(span: Span) -> set[str]:
    lo, hi = _bounds(span)
    doc = span.doc
    return {doc[i].lower_ for i in range(lo, hi) if not (span.start <= i < span.end)}


def _repeats(doc: Doc, span: Span, words: list[str]) -> bool:
    """Whether the replacement's last word is elsewhere in the sentence, or any of its
    words is next to the span ("the SQL database's database change record")."""
    if words[-1].lower() in _sentence_words(span):
        return True
    lo, hi = _bounds(span)
    near = doc[max(lo, span.start - 3) : span.start]
    after = doc[span.end : min(hi, span.end + 3)]
    close = {t.lower_ for t in near} | {t.lower_ for t in after}
    return any(w.lower() in close for w in words if w.lower() not in FUNCTION_WORDS)


def _stative_passive(tok: Token) -> bool:
    """A participle after a plain "is"/"are" ("Your laptop is encrypted"): a state,
    read as an adjective, where an action verb's participle changes the meaning."""
    if tok.tag_ != "VBN":
        return False
    aux = [c for c in tok.children if c.dep_ in ("aux", "auxpass", "agent")]
    return bool(aux) and all(
        c.dep_ == "auxpass" and c.lower_ in ("is", "are", "am", "'s", "'re") for c in aux
    )


def _is_plural_word(word: str) -> bool:
    forms = forms_of(word.lower()) if word.isalpha() else {}
    if forms:
        return "NN" not in forms and word.lower().endswith("s")
    w = word.lower()
    return w.endswith("s") and not w.endswith(("ss", "us", "is"))


def _pluralise(word: str) -> str | None:
    """The plural of a noun, or ``None`` for a noun that is (also) a mass noun ("data",
    "software", "history"): its plural often reads wrong."""
    w = word.lower()
    if w in MASS_NOUNS or w.split("-")[-1] in MASS_NOUNS:
        return None
    forms = forms_of(w) if w.isalpha() else {}
    if forms:
        plurals = forms.get("NNS", [])
        if w in plurals or not plurals:
            return None  # also uncountable ("history", "notice"): "sign-in histories"
        return plurals[0]
    if w.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if w.endswith("y") and len(w) > 1 and w[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _noun_capable(word: str) -> bool:
    w = word.lower()
    if w in FUNCTION_WORDS:
        return False
    if "-" in w:
        return True
    forms = forms_of(w) if w.isalpha() else {}
    return not forms or "NN" in forms or "NNS" in forms


def _noun_phrase_parts(replacement: str) -> tuple[list[str], list[str]] | None:
    """A noun-phrase replacement split at its head: ``saved list`` + ``of website
    addresses``; ``None`` when it is not a bare noun phrase."""
    words = replacement.split()
    lower = [w.lower().strip(",") for w in words]
    cut = lower.index("of") if "of" in lower else len(words)
    head, tail = words[:cut], words[cut:]
    if not head or any(w in FUNCTION_WORDS for w in lower[:cut]):
        return None
    if not _noun_capable(head[-1]):
        return None
    if tail:
        rest = lower[cut + 1 :]
        if rest and rest[0] in ("a", "an", "the"):
            rest = rest[1:]
        if not rest or any(w in FUNCTION_WORDS for w in rest) or not _noun_capable(rest[-1]):
            return None
    return head, tail


def noun_phrase(replacement: str) -> bool:
    """Whether ``replacement`` is a bare noun phrase: content words ending in a noun,
    perhaps with an ``of`` phrase ("sign-in details", "company's Microsoft 365
    account", "saved list of website addresses"; not "how long we keep it", "your
    Desktop folders", "start up", "check of who is affected")."""
    return _noun_phrase_parts(replacement) is not None


def _determiner(tok: Token) -> Token | None:
    """The determiner, possessive or number of ``tok``'s noun phrase (the first
    conjunct's, for "the loss and jitter")."""
    seen = 0
    while seen < 4:
        for child in tok.children:
            if child.dep_ in ("det", "poss", "nummod", "predet") and child.i < tok.i:
                return child
        if tok.dep_ != "conj" or tok.head is tok:
            return None
        tok = tok.head
        seen += 1
    return None


#: Dependency labels only a noun (phrase) takes.
_NOUN_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "compound"})


def _compound_neighbour(doc: Doc, span: Span) -> bool:
    """A noun next to the span that makes it part of a larger noun compound."""
    head = span.root
    if head.dep_ in _MODIFIER_DEPS and head.head.i >= span.end and head.head.pos_ != "VERB":
        return True
    nxt = doc[span.end] if span.end < len(doc) else None
    if (
        nxt is not None
        and not nxt.is_punct
        and (nxt.pos_ in ("NOUN", "PROPN", "NUM", "ADJ") or nxt.dep_ in _NOUN_DEPS)
    ):
        # "SQL database", "GHz band"; an adjective or a "verb" in a noun's place right
        # after a noun is most often a noun the tagger misread ("Your Kerberos token
        # had expired": token/JJ; "Your Kerberos token was issued": token/VBD, subject)
        return True
    prev = doc[span.start - 1] if span.start > 0 else None
    if prev is not None and prev.pos_ in ("NOUN", "PROPN", "NUM") and prev.whitespace_:
        return True  # "sender domain", "5 GHz"
    hyphen = prev is not None and "-" in (prev.text, doc[max(0, span.start - 2)].text)
    if hyphen and span.start > 1 and not doc[span.start - 2].whitespace_:
        return True  # "go-between server", "sign-in attempt"
    return any(
        c.i < span.start and c.dep_ not in _LEFT_OK and c.dep_ != "cc" for c in head.children
    )


def fit_noun(doc: Doc, span: Span, base: str) -> str | None:
    """``base`` in the form that replaces the noun ``span``, or ``None``."""
    head = span.root
    parts = _noun_phrase_parts(base)
    if _compound_neighbour(doc, span) or parts is None:
        return None
    words, tail = parts
    last = words[-1]
    plural_here = head.tag_ in ("NNS", "NNPS") or (
        len(head.text) > 2 and head.text.endswith("s") and head.text[:-1].isupper()
    )
    det = _determiner(head)
    if plural_here:
        if not _is_plural_word(last):
            plural = _pluralise(last)
            if plural is None:
                return None
            words[-1] = plural
    else:
        if _is_plural_word(last):
            # a singular term swapped for a plural: only as an object, after "the",
            # "your"... ("re-import the config" -> "the settings"), never a subject.
            if head.dep_ not in ("dobj", "pobj") or det is None:
                return None
            if det.lower_ in _SINGULAR_DETERMINERS or det.dep_ == "nummod":
                return None
        elif det is None:
            return None  # a bare singular: the replacement may need an article
        elif det.lower_ in _SINGULAR_DETERMINERS and last.lower().split("-")[-1] in MASS_NOUNS:
            return None  # "a driver" -> "a device software"
    if any(c.dep_ in ("relcl", "appos") for c in head.children) and head.dep_ == "nsubj":
        return None
    if _repeats(doc, span, words + tail[1:]):
        return None  # "A VPN is a secure connection" -> a tautology
    return " ".join(words + tail)


@functools.lru_cache(maxsize=1)
def _frames_table() -> tuple[dict[tuple[str, str], frozenset[str]], dict[str, frozenset[str]]]:
    frames: dict[tuple[str, str], set[str]] = {}
    preps: dict[str, set[str]] = {}
    path = data_path(VERB_FRAMES_FILE)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(line for line in fh if not line.startswith("#")):
            verb = row["verb"].strip().lower()
            key = (verb, row["replacement"].strip().lower())
            frames.setdefault(key, set()).update(
                " ".join(sorted(f.split())) for f in row["frames"].split("|") if f.strip()
            )
            preps.setdefault(verb, set()).update((row["preps"] or "").lower().split())
    return (
        {k: frozenset(v) for k, v in frames.items()},
        {k: frozenset(v) for k, v in preps.items()},
    )


def verb_frames() -> dict[tuple[str, str], frozenset[str]]:
    """``data/verb_frames.csv``: (verb, replacement) -> the frames the swap keeps."""
    return _frames_table()[0]


def _frame_preps(verb: str) -> frozenset[str]:
    """The prepositions that belong to ``verb``'s frames ("provide X with Y")."""
    return _frames_table()[1].get(verb, frozenset())


def frame_of(tok: Token, preps: frozenset[str] = frozenset()) -> str:
    """The complements of verb ``tok`` in its sentence, as a frame: ``obj``, ``pass``,
    ``that`` (a clause), ``to`` (``to`` + verb), ``ing``, ``obj2`` (a second object),
    ``pred``, ``prt`` and ``prep:X`` for the prepositions in ``preps``; ``none`` when
    it has none ("assess it and advise")."""
    parts: set[str] = set()
    for c in tok.children:
        dep = c.dep_
        if dep == "dobj":
            parts.add("obj")
            # "inform the team of the change": the parser may hang "of" on the object
            parts.update(
                f"prep:{g.lower_}" for g in c.children if g.dep_ == "prep" and g.lower_ in preps
            )
        elif dep == "dative":
            parts.add("obj2")
        elif dep in ("auxpass", "nsubjpass"):
            parts.add("pass")
        elif dep == "ccomp":
            parts.add("that")
        elif dep == "xcomp":
            parts.add("to" if any(a.lower_ == "to" for a in c.children) else "ing")
        elif dep in ("oprd", "acomp"):
            parts.add("pred")
        elif dep == "prt":
            parts.add("prt")
        elif dep in ("prep", "agent") and c.lower_ in preps:
            parts.add(f"prep:{c.lower_}")
        elif dep == "pcomp":
            parts.add("ing")
    return " ".join(sorted(parts)) or "none"


def _verb_form(first: str, tag: str) -> str | None:
    """``first`` (a verb's dictionary form) in the form of Penn ``tag``."""
    if tag not in INFLECTED_TAGS:
        return first
    forms = forms_of(first.lower())
    wanted = forms.get(tag) or (forms.get("VBD") if tag == "VBN" else None)
    return wanted[0] if wanted else None


def fit_verb(doc: Doc, span: Span, base: str, *, frames: bool) -> str | None:
    """``base`` (a verb, maybe with one particle) in the form that replaces the verb
    ``span``, or ``None``. With ``frames``, the verb's complements must be a frame the
    replacement takes (:func:`verb_frames`)."""
    head = span.root
    words = base.split()
    if not words or len(words) > 2 or (len(words) == 2 and words[1].lower() not in PARTICLES):
        return None
    if not any(tag.startswith("VB") for tag in forms_of(words[0].lower())):
        return None
    if head.dep_ in ("amod", "mark", "prep", "compound", "acomp", "advmod"):
        return None  # a participle as an adjective, "provided (that)"
    prev = doc[span.start - 1] if span.start > 0 else None
    if prev is not None and prev.lower_ == "as" and head.tag_ == "VBN":
        return None  # "as required", "as indicated"
    if _stative_passive(head):
        return None  # "is encrypted" -> "is scrambled"
    if len(words) == 2:
        obj = [c for c in head.children if c.dep_ in ("dobj", "dative")]
        if any(o.pos_ == "PRON" for o in obj) or any(c.dep_ == "prt" for c in head.children):
            return None  # "roll out it": the particle goes after a pronoun
    form = _verb_form(words[0], head.tag_)
    if form is None:
        return None
    if frames:
        verb = head.lemma_.lower()
        allowed = verb_frames().get((verb, " ".join(words).lower()))
        frame = frame_of(head, _frame_preps(verb))
        if allowed is None:
            allowed = frozenset({"obj", "pass"})
        if frame not in allowed:
            return None
    return " ".join([form, *words[1:]])


def fit_term(doc: Doc, start: int, end: int, base: str) -> str | None:
    """A jargon term's plain alternative ``base`` in the form that replaces
    ``[start, end)``, or ``None`` when it cannot be shown to fit."""
    span = _span(doc, start, end)
    if span is None or not base or _joined(doc, span):
        return None
    if _quoted_or_defined(doc, span):
        return None
    head = span.root
    if head.tag_ in _VERB_TAGS and head.pos_ in ("VERB", "AUX"):
        if len([t for t in span if t.is_alpha]) > 2:
            return None
        return fit_verb(
            doc, span, base, frames=(head.lemma_.lower(), base.lower()) in verb_frames()
        )
    if head.tag_ in _NOUN_TAGS:
        return None if _echoes_before(doc, span, base) else fit_noun(doc, span, base)
    return None


def _echoes_before(doc: Doc, span: Span, base: str) -> bool:
    """Whether a word of ``base`` repeats the stem of a word just before ``span`` or of
    the verb it depends on: "connect the VPN" would read "connect the secure
    *connection*"."""
    stems = {w.lower()[:5] for w in re.findall(r"[A-Za-z]{5,}", base)}
    before = list(doc[max(_bounds(span)[0], span.start - 3) : span.start])
    verb = span.root.head
    if verb.i < span.start or verb.i >= span.end:
        before.append(verb)
    return any(len(t.text) >= 5 and t.lower_[:5] in stems for t in before)


def fit_acronym(doc: Doc, start: int, end: int, expansion: str, written: str) -> str | None:
    """``expansion (ACR)`` in the form that replaces the acronym ``written`` at
    ``[start, end)``, or ``None``: not in a compound joined by a hyphen or slash, a
    possessive or a quoted word; a plural acronym gets a plural expansion."""
    span = _span(doc, start, end)
    if span is None or not expansion or _joined(doc, span):
        return None
    if _quoted_or_defined(doc, span):
        return None
    if any(
        c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < span.start for c in span.root.children
    ):
        return None  # "UK GDPR": a name with the acronym in it
    words = expansion.split()
    before = doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.lower_ in ("a", "an") and _is_plural_word(words[-1]):
        return None  # "as a CSV": not "as a comma-separated values (CSV)"
    plural_acronym = written.endswith("s") and written[:-1].isupper() and len(written) > 2
    if plural_acronym and not _is_plural_word(words[-1]):
        plural = _pluralise(words[-1])
        if plural is None:
            return None
        words[-1] = plural
    return f"{' '.join(words)} ({written})"


def _starts_sentence(doc: Doc, span: Span) -> bool:
    first = span[0]
    if first.is_sent_start:
        return True
    before = [t for t in doc[_bounds(span)[0] : span.start] if not t.is_punct]
    return not before


def _fit_adverb(doc: Doc, span: Span, base: str) -> str | None:
    head = span.root
    if head.head.pos_ == "NUM" or head.head.like_num or any(c.like_num for c in head.head.children):
        return base  # "approximately 20 minutes"
    if _starts_sentence(doc, span):
        return base
    verb = head.head
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "expl")]
    if subjects and all(span.start < s.i for s in subjects):
        return base  # before the clause's subject
    nxt = doc[span.end] if span.end < len(doc) else None
    if (nxt is None or (nxt.is_punct and nxt.text in ".!?;,")) and span.start > verb.i:
        return base  # at the end of its clause
    return None


#: Prepositions that introduce a topic: as a sentence's opener in place of a phrase
#: ("With regard to refunds, these are..." -> "About refunds, these are...") they read
#: badly, so there the phrase's fix is shown, not applied.
TOPIC_PREPOSITIONS = frozenset({"about", "on", "concerning"})


def _fit_preposition(doc: Doc, span: Span, base: str) -> str | None:
    plain_preposition = len(base.split()) <= 2 and all(
        w.lower() in FUNCTION_WORDS for w in base.split()
    )
    if not plain_preposition and not _starts_sentence(doc, span):
        return None
    last = span[-1]
    objs = [c for c in last.children if c.dep_ == "pobj"]
    if len(objs) != 1 or objs[0].pos_ not in ("NOUN", "PROPN"):
        return None  # "about accessing", "about it"
    if _starts_sentence(doc, span):
        return None if base.lower() in TOPIC_PREPOSITIONS else base
    attached = span.root.head
    return base if attached.pos_ in ("NOUN", "PROPN") and attached.i < span.start else None


#: Replacements that are determiners themselves: never after another one.
_DETERMINERS = frozenset({"this", "these", "that", "those", "the", "a", "an"})


def fit_phrase(doc: Doc, start: int, end: int, base: str) -> str | None:
    """A wordy phrase's replacement ``base`` ("" to drop it) in the form that replaces
    ``[start, end)``, or ``None`` when it cannot be shown to fit."""
    span = _span(doc, start, end)
    if span is None:
        return None
    if _joined(doc, span) or _quoted_or_defined(doc, span):
        return None
    words = [t for t in span if not t.is_punct]
    if not base:
        return "" if _starts_sentence(doc, span) else None
    head = span.root
    if len(words) == 1:
        tok = words[0]
        if tok.pos_ in ("VERB", "AUX") and tok.tag_ in _VERB_TAGS:
            return fit_verb(doc, span, base, frames=True)
        if tok.tag_ in _NOUN_TAGS:
            return fit_noun(doc, span, base)
        if tok.pos_ == "ADV":
            return _fit_adverb(doc, span, base)
        if tok.pos_ == "ADJ" and len(base.split()) == 1:
            if tok.dep_ == "amod":
                det = _determiner(tok.head)
                if det is not None and base.lower() in _DETERMINERS:
                    return None  # "the aforementioned change" -> "the this change"
                an = det is not None and det.lower_ in ("a", "an")
                if an and "JJ" not in forms_of(base.lower()):
                    return None  # "an additional licence" -> "a more licence"
            return base if tok.dep_ in ("amod", "acomp") else None
        if tok.pos_ in ("ADP", "SCONJ") or tok.dep_ == "prep":
            return _fit_preposition(doc, span, base)
        return None
    if span[-1].lower_ == "of" and base.lower() in _QUANTITY_WORDS:
        # "a large number of users" -> "many users"; before a determiner or a
        # pronoun the "of" stays: "many of our users", "several of them".
        objs = [c for c in span[-1].children if c.dep_ == "pobj"]
        if len(objs) != 1:
            return None
        obj = objs[0]
        if obj.lower_ in {"them", "us", "you"}:
            return f"{base} of"
        if obj.tag_ != "NNS":
            return None
        return f"{base} of" if any(c.dep_ in ("det", "poss") for c in obj.children) else base
    if head.dep_ == "prep" or span[0].pos_ == "ADP":
        return _fit_preposition(doc, span, base)
    if _starts_sentence(doc, span) and span.end < len(doc) and doc[span.end].is_punct:
        return base  # an opener: "Going forward," -> "From now on,"
    return None
