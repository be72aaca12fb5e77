"""Jargon: lexicon terms, unexplained acronyms and rare words (codes ``J``)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from clarity.data import data_path, read_lines
from clarity.inflect import forms_of, inflect_first, inflect_last
from clarity.lexicon import Term, is_acronym
from clarity.rules.base import Context, Hit, match_case, quote, rule
from clarity.spans import Intervals
from clarity.types import Applicability, Category, Edit, Fix, Severity

# "single sign-on (SSO)" and "SSO (single sign-on)"
_DEFINED_AFTER = re.compile(r"\(\s*([A-Z][A-Za-z0-9&]*[A-Z0-9][a-z]?)\s*\)")
# Starts only where a run of acronym characters starts (not after "&", which ``\b``
# allowed), so each run is scanned once: "A&A&A&..." was quadratic.
_DEFINED_BEFORE = re.compile(
    r"(?<![\w&])([A-Z0-9][A-Za-z0-9&]*[A-Z0-9]s?)\s*\(\s*([^()]{3,80}?)\s*\)"
)


def defined_acronyms(text: str) -> dict[str, int]:
    """Acronyms the text spells out, with the offset where the definition ends.

    Both orders count: ``single sign-on (SSO)`` and ``SSO (single sign-on)``. An
    acronym followed by a parenthesis counts when the parenthesis holds two or more
    words that are not an acronym themselves.
    """
    out: dict[str, int] = {}
    for m in _DEFINED_AFTER.finditer(text):
        acr = m.group(1)
        before = text[max(0, m.start() - 80) : m.start()].strip()
        if is_acronym(acr) and len(before.split()) >= 1:
            out.setdefault(acr, m.end())
    for m in _DEFINED_BEFORE.finditer(text):
        acr, inside = m.group(1), m.group(2)
        if is_acronym(acr) and len(inside.split()) >= 2 and not is_acronym(inside.split()[0]):
            out.setdefault(acr, m.end())
    return out


@functools.lru_cache(maxsize=1)
def product_names() -> tuple[str, ...]:
    """Product, brand and service names (``data/product_names.txt``), longest first."""
    return tuple(sorted(set(read_lines(data_path("product_names.txt"))), key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def _product_pattern() -> re.Pattern[str]:
    names = "|".join(re.escape(n) for n in product_names())
    return re.compile(rf"(?<![\w-])(?:{names})(?![\w-])")


#: A capitalised sentence-opening word this common ("Open", "Please") is not part of a
#: name that follows it ("Open Task Manager").
_NAME_OPENER_ZIPF = 4.5


Names = tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]


def name_spans(ctx: Context) -> Names:
    """Product and brand names (:func:`product_names`) and capitalised multi-word names
    ("Company Portal", "Sound Control Panel"): runs of two or more capitalised words,
    a common word opening the sentence left out."""
    products = tuple((m.start(), m.end()) for m in _product_pattern().finditer(ctx.text))
    runs: list[tuple[int, int]] = []
    for sent in ctx.sentences:
        run: list[int] = []
        for tok in [*sent, None]:
            if (
                tok is not None
                and tok.text[:1].isupper()
                and tok.text.isalnum()
                and tok.text != "I"
            ):
                if not run and tok.i == sent.start and _zipf(tok.lower_) >= _NAME_OPENER_ZIPF:
                    continue
                run.append(tok.i)
                continue
            if len(run) >= 2 and any(ctx.doc[i].text[1:].islower() for i in run):
                first, last = ctx.doc[run[0]], ctx.doc[run[-1]]
                runs.append((first.idx, last.idx + len(last.text)))
            run = []
    return products, tuple(runs)


def in_name(names: Names, start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies inside a product name or inside a capitalised
    multi-word name. A span that is a whole capitalised name (not a product) is not
    "in" it: the lexicon may list such a name ("Task Manager"); nor is a term that
    goes beyond a name ("Outlook profile")."""
    products, runs = names
    return any(s <= start and end <= e for s, e in products) or any(
        s <= start and end <= e and (s, e) != (start, end) for s, e in runs
    )


def incoming_terms(ctx: Context) -> set[str]:
    """Lexicon terms and words the customer's message uses (lower case): the reply
    may repeat them (the customer knows them, or at least used them first)."""
    if ctx.incoming is None:
        return set()
    out = {t.lower_ for t in ctx.incoming if not t.is_space}
    out |= {t.lemma_.lower() for t in ctx.incoming}
    for m in ctx.resources.terms(ctx.incoming):
        out.add(_term_key(m.entry))
    return out


def _term_key(term: Term) -> str:
    return "\x00" + term.term.lower()


def _singular(acr: str) -> str:
    return acr[:-1] if acr.endswith("s") and len(acr) > 2 and acr[:-1].isupper() else acr


def _defined_before(defs: dict[str, int], acr: str, offset: int) -> bool:
    end = defs.get(acr, defs.get(_singular(acr)))
    return end is not None and end <= offset + len(acr) + 100


def inflect_like_text(ctx: Context, start: int, end: int, written: str, plain: str) -> str:
    """Carry the text's inflection of an entry over to its plain alternative.

    A verb inflected in the text inflects the alternative's first word ("escalated"
    -> "passed on"); a plural noun, its last word ("end users" -> "users").
    """
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return plain
    words = written.lower().split()
    first, last = span[0], span[-1]
    if first.tag_ in {"VBD", "VBN", "VBG", "VBZ"} and first.lower_ != words[0]:
        return inflect_first(plain, first.tag_)
    if last.tag_ == "NNS" and last.lower_ != words[-1]:
        return inflect_last(plain, "NNS")
    return plain


@rule("J001", "jargon-term", Category.JARGON, Severity.WARNING)
def jargon_term(ctx: Context) -> Iterator[Hit]:
    """Technical term from the jargon lexicon.

    What it does:
        Finds terms from clarity's jargon lexicon (``data/jargon_lexicon.csv``, plus
        any ``extra_lexicons``): multi-word terms, inflected forms and spelling
        variants included. Capitalised acronyms match only as written, so ``IT``
        the department is found and ``it`` is not. For the ``technical`` audience,
        terms every IT colleague knows pass. An acronym the message spells out
        before using it is not reported. Nor is a term the customer used first in
        their message (the ``incoming`` text): the reply may repeat their word. (A
        hit carries no severity of its own, so such a term is skipped, not lowered
        to ``info``.) Product and brand names (``data/product_names.txt``: Outlook,
        Intune, Company Portal...) are not jargon, and no word inside one, or inside
        a capitalised multi-word name ("Sound Control Panel"), is reported; a whole
        name the lexicon lists ("Task Manager") still is.

        The fix swaps in the plain alternative (unsafe: check the meaning). Where the
        swap would not read, the term being a verb or an adjective, part of a compound
        ("SQL database") or a plural with a singular alternative, the fix is display
        only: reword the sentence by hand.

    Why it matters:
        A customer who does not know what "flush your DNS cache" means cannot follow
        the instructions, and may not ask. Each term comes with a plain alternative
        or a short explanation.

    Example:
        - Please **flush** your **DNS cache** and check the **latency** again.
        - We noticed high **latency** on your connection.
        - Your request was **escalated** to the network team.
        - Sign in with **SSO** to reach the portal.
        - Your **AD** account is locked, so we will unlock it.
        - Clear your **browser cookies**, then sign in again.

    Use instead:
        - Please clear your computer's saved list of website addresses and check
          whether the delay is still there.
        - Please restart your computer and try again.
        - Thanks for your patience while we sort this out.

    Not reported:
        - It will be fixed tomorrow, and it should work after that. I saw the ad.
        - Sign in with one login (SSO): after that, SSO opens every app.
        - (to "My VPN keeps dropping.") Your VPN should stay connected now.
        - Install it from Company Portal, then open Outlook and Microsoft Teams.
        - Your password reset link is in the email I sent to your inbox.
    """
    defs = defined_acronyms(ctx.text)
    accepted = {a.lower() for a in ctx.config.accept}
    names = name_spans(ctx)
    theirs = incoming_terms(ctx)
    for start, end, term in ctx.term_matches:
        written = ctx.text[start:end]
        at_start = ctx.starts_sentence(start)
        if ctx.config.audience_info.knows_technical_terms and term.technical:
            continue
        if _term_key(term) in theirs or written.lower() in theirs:
            continue  # the customer used it first
        if in_name(names, start, end):
            continue
        if term.term.lower() in accepted or written.lower() in accepted:
            continue
        if term.is_acronym and _defined_before(defs, written, start):
            continue
        expansion = ctx.resources.acronyms.get(term.term) if term.is_acronym else None
        what = f" ({expansion})" if expansion else ""
        plain = inflect_like_text(ctx, start, end, term.term, term.plain[0])
        message = f"{quote(written)}{what} is jargon a non-technical reader may not know"
        message += f"; say {quote(plain)}" if plain else ""
        if term.explanation:
            message += f" or explain it: {term.explanation}"
        fits = _replacement_fits(ctx, start, end, plain, term.plain[0] if term.plain else "")
        fix = Fix(
            edits=(Edit(start, end, match_case(written, plain, at_start)),),
            applicability=Applicability.UNSAFE if fits else Applicability.DISPLAY,
            message=f"Replace with {quote(plain)}" + ("" if fits else " (reword the sentence)"),
        )
        yield Hit(start, end, message, term.plain, fix)


#: Particles a phrasal verb may end with ("pass on", "find out").
_PARTICLES = frozenset({"on", "out", "up", "off", "in", "down", "over", "back", "away"})


def _is_verb_phrase(base: str) -> bool:
    """Whether ``base`` (an alternative in the lexicon's form) is a verb, alone or with a
    particle: "clear", "pass on"; not "saved copy"."""
    words = base.lower().split()
    if not words or len(words) > 2 or (len(words) == 2 and words[1] not in _PARTICLES):
        return False
    return any(tag.startswith("VB") for tag in forms_of(words[0]))


def _replacement_fits(ctx: Context, start: int, end: int, plain: str, base: str) -> bool:
    """Whether swapping the term at ``[start, end)`` for ``plain`` (``base`` before it
    was inflected like the text) leaves a sentence that still reads: a noun replaced on
    its own, not inside a compound ("SQL database", "sender domain"), a plural by a
    plural; a verb by a verb ("flush" -> "clear"). Anything else, an adjective or a
    participle ("encrypted"), a verb whose alternative is a phrase, is offered for
    display only: a person rewords the sentence."""
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    if span is None or not plain:
        return False
    doc = ctx.doc
    last = span[-1]
    if last.tag_ in ("VB", "VBP", "VBZ", "VBD", "VBG", "VBN") and len(span) == 1:
        return _is_verb_phrase(base)
    if last.tag_ not in ("NN", "NNS", "NNP", "NNPS"):
        return False
    nxt = doc[span.end] if span.end < len(doc) else None
    if nxt is not None and nxt.pos_ in ("NOUN", "PROPN", "NUM") and not nxt.is_punct:
        return False  # a modifier in a compound: "SQL database", "5 GHz band"
    prev = doc[span.start - 1] if span.start > 0 else None
    if prev is not None and prev.pos_ in ("NOUN", "PROPN") and prev.whitespace_:
        return False  # the head of a compound: "sender domain"
    plural = last.tag_ in ("NNS", "NNPS")
    return not plural or plain.split()[-1].lower().endswith("s")


@rule("J002", "unexplained-acronym", Category.JARGON, Severity.WARNING)
def unexplained_acronym(ctx: Context) -> Iterator[Hit]:
    """Acronym that the message does not spell out.

    What it does:
        Finds acronyms (two or more capitals, such as ``MDM`` or ``VPNs``) that are
        not spelled out in the message at or before their first use, either as
        "mobile device management (MDM)" or "MDM (mobile device management)".
        Acronyms everyone knows (``data/common_acronyms.txt``: PDF, USB, OK...) and
        words in the ``accept`` list pass; so do acronyms in all-capital sentences,
        which the tone rules judge. Only the first use is reported, with the
        expansion when clarity knows it. Capitalised common words used for emphasis
        ("do NOT click") and ticket numbers ("INC0048213") are not acronyms. For the
        ``technical`` audience, acronyms pass (IT colleagues read them daily).
        Acronyms in the jargon lexicon are reported by J001 instead; acronyms the
        customer used first, product names ("HP LaserJet", "SAP") and, unless
        clarity knows an expansion, codes with digits ("FS02", "7QK4") are not
        reported.

    Why it matters:
        An unexplained acronym is a word the reader cannot look up in their head.
        Spelling it out once costs a few words and saves a reply asking what it
        means.

    Example:
        - Your order is in the **CRM** now.
        - We use MDM and **CASB** for this; CASB keeps it safe.
        - The **XQZ** tool will open when you sign in.

    Use instead:
        - Your order is in our customer records system (CRM), so the CRM has it.
        - CRM (customer relationship management) is where we keep orders.

    Not reported:
        - Please send the PDF to me by USB stick, OK?
        - Email support@example.com or visit https://example.com/HELP today.
        - THIS IS NOT WORKING AT ALL.
        - Please do NOT click the link in that message.
        - Your request INC0048213 is open.
        - (to "The CAD files will not open.") Which CAD program do you use?
        - Your licence key starts 7QK4 and the server is FS02. The SAP screen is fine.
    """
    if ctx.config.audience_info.knows_technical_terms:
        return
    defs = defined_acronyms(ctx.text)
    accepted = {a.lower() for a in ctx.config.accept}
    names = name_spans(ctx)
    theirs = incoming_terms(ctx)
    seen: set[str] = set()
    for sent in ctx.sentences:
        alpha = [t for t in sent if t.is_alpha]
        if alpha and sum(t.is_upper for t in alpha) > len(alpha) / 2 and len(alpha) > 2:
            continue  # a shouted sentence, not a sentence with acronyms
        for tok in sent:
            word = tok.text
            if not is_acronym(word) or tok.like_url or tok.like_email:
                continue
            key = _singular(word)
            if key in seen or sum(ch.isdigit() for ch in word) >= 3:
                continue  # ticket and order numbers (INC0048213) are not acronyms
            seen.add(key)
            start, end = tok.idx, tok.idx + len(word)
            if key in ctx.resources.common_acronyms or word.lower() in accepted:
                continue
            if key.lower() in accepted or ctx.resources.known_term(key) is not None:
                continue
            if ctx.in_term(start) or _defined_before(defs, word, start):
                continue
            if word.lower() in theirs or key.lower() in theirs or in_name(names, start, end):
                continue  # the customer's own word, or part of a product name
            expansion = ctx.resources.acronyms.get(key)
            if expansion is None and _zipf(word.lower()) >= EMPHASIS_ZIPF:
                continue  # "Please do NOT click": emphasis, which the tone rules judge
            if expansion is None and any(ch.isdigit() for ch in word):
                continue  # a code, key or device name ("FS02", "7QK4"), not an acronym
            if expansion:
                message = (
                    f"{quote(word)} is not spelled out; write {quote(f'{expansion} ({key})')}"
                    " the first time"
                )
                fix = Fix(
                    edits=(Edit(start, end, f"{expansion} ({word})"),),
                    applicability=Applicability.UNSAFE,
                    message="Spell the acronym out",
                )
                yield Hit(start, end, message, (expansion,), fix)
            else:
                message = (
                    f"{quote(word)} is not spelled out; say what it stands for the first time,"
                    " or use plain words"
                )
                yield Hit(start, end, message)


#: An all-capitals word this common in lower case ("NOT", "WE") is emphasis, not an
#: acronym, unless clarity knows it as one.
EMPHASIS_ZIPF = 4.0


@functools.lru_cache(maxsize=65536)
def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))


_BACKTICKS = re.compile(r"`[^`\n]+`")
_WORD = re.compile(r"\S+")
_FILE_EXTENSION = re.compile(r"\.(?:exe|dll|msi|bat|cmd|ps1|sh|py|ini|cfg|log)\b")


def code_spans(text: str) -> list[tuple[int, int]]:
    """Spans of text in backticks, file paths and file names, in linear time.

    A whitespace-delimited word is a path when it has a ``/`` or ``\\`` before its last
    character (all of it is skipped), and a file name up to its last ``.exe``, ``.log``
    ... extension. This replaces one regex, ``\\S*[/\\\\]\\S+|\\S+\\.(?:exe|...)\\b``,
    that re-scanned a long word from each of its characters: a 100,000-character
    word (a pasted key) took over two minutes.
    """
    spans = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)]
    for m in _WORD.finditer(text):
        word = m.group()
        slash = max(word.rfind("/", 0, len(word) - 1), word.rfind("\\", 0, len(word) - 1))
        if slash >= 0:
            spans.append((m.start(), m.end()))
            continue
        last = None
        for ext in _FILE_EXTENSION.finditer(word, 1):
            last = ext
        if last is not None:
            spans.append((m.start(), m.start() + last.end()))
    return spans


#: Languages a sentence in another language is looked for in (``wordfreq``'s lists).
OTHER_LANGUAGES = ("fr", "de", "es", "it", "nl", "pt", "pl", "sv")
#: A word leans to another language when its Zipf frequency there is this much higher.
_LEAN = 1.0


@functools.lru_cache(maxsize=65536)
def _leans_foreign(word: str) -> bool:
    from wordfreq import zipf_frequency

    other = max(zipf_frequency(word, lang) for lang in OTHER_LANGUAGES)
    return other >= 3.0 and other - _zipf(word) >= _LEAN


def foreign_sentence(words: list[str]) -> bool:
    """Whether a sentence's words (lower case) are mostly another language's: four or
    more words, three in five of them commoner in a language of :data:`OTHER_LANGUAGES`
    than in English. A plain word-frequency test: no language-ID model is installed."""
    return len(words) >= 4 and sum(map(_leans_foreign, words)) >= 0.6 * len(words)


@functools.lru_cache(maxsize=1)
def plain_words() -> frozenset[str]:
    """Everyday words that word counts rate rare (``data/plain_words.txt``)."""
    return frozenset(w.lower() for w in read_lines(data_path("plain_words.txt")))


#: Prefixes that keep a common word plain ("unassigned", "unplug").
_PLAIN_PREFIXES = ("un",)
#: How common the rest of a prefixed word must be for the word to count as plain.
_PLAIN_STEM_ZIPF = 3.5


def _plain(lower: str, lemma: str) -> bool:
    if lower in plain_words() or lemma in plain_words():
        return True
    return any(
        w.startswith(p) and len(w) - len(p) >= 4 and _zipf(w[len(p) :]) >= _PLAIN_STEM_ZIPF
        for w in (lower, lemma)
        for p in _PLAIN_PREFIXES
    )


@rule("J003", "rare-word", Category.JARGON, Severity.INFO)
def rare_word(ctx: Context) -> Iterator[Hit]:
    """Rare word that many readers will not know.

    What it does:
        Finds words that are rare in everyday English (Zipf frequency below
        ``rare_word_zipf``, 2.5 by default, from the ``wordfreq`` package) and are
        not in the jargon lexicon. Never reported: names and other proper nouns,
        capitalised words in mid-sentence, acronyms, numbers, e-mail addresses,
        URLs, file paths and names, text in backticks, words with digits, and words
        in the ``accept`` list, everyday words that word counts rate rare
        (``data/plain_words.txt``: "inbox", "timesheet") and common words with an
        ``un``/``re``/``pre`` prefix ("unassigned"). Each word is reported once. A
        sentence in another language (most of its words commoner in French, German,
        Spanish... than in English) is reported once, as a whole, not word by word.

    Why it matters:
        Technical vocabulary grows faster than any list. A word most people never
        read ("idempotent", "failover", "hypervisor") is jargon to a customer even
        when clarity's lexicon does not know it.

    Example:
        - The failover was **idempotent**, so nothing changed.
        - Thanks for waiting. **Votre mot de passe a été réinitialisé ce matin.**
          Bonne journée à vous et à votre équipe.

    Use instead:
        - The backup system took over. Running it again changes nothing.

    Not reported:
        - Please call Anastasiya Wrzesniewski at the office.
        - Open C:\\Users\\maria\\AppData\\Roaming\\frobnicator.ini in Notepad.
        - Run `kubectl get pods` and send me what it prints.
        - Send it to xqzzyfrob@example.com when you can.
        - Thanks for your message, I will call you later today.
        - Your timesheet is in your inbox, in an unassigned folder.
    """
    threshold = ctx.config.rare_word_zipf
    accepted = {a.lower() for a in ctx.config.accept}
    skip = Intervals(code_spans(ctx.text))
    seen: set[str] = set()
    foreign_reported = False
    for sent in ctx.sentences:
        words = [t.lower_ for t in sent if t.is_alpha]
        if any(_zipf(w) < threshold for w in words) and foreign_sentence(words):
            if not foreign_reported:
                foreign_reported = True
                yield Hit(
                    sent.start_char,
                    sent.end_char,
                    f"{quote(sent.text)} looks like another language; write it in"
                    " English, or add a translation",
                )
            continue
        for tok in sent:
            word = tok.text
            if len(word) < 4 or not tok.is_alpha or tok.is_upper:
                continue
            if tok.pos_ == "PROPN" or tok.like_url or tok.like_email:
                continue
            if word[:1].isupper() and tok.i != sent.start:
                continue
            lower = word.lower()
            lemma = tok.lemma_.lower()
            if lower in seen or lemma in seen or lower in accepted or lemma in accepted:
                continue
            start, end = tok.idx, tok.idx + len(word)
            if skip.contains(start):
                continue
            if ctx.in_term(start):
                continue
            if max(_zipf(lower), _zipf(lemma)) >= threshold or _plain(lower, lemma):
                continue
            seen.update((lower, lemma))
            yield Hit(
                start,
                end,
                f"{quote(word)} is a rare word; many readers will not know it. "
                "Use a common word, or explain it",
            )
