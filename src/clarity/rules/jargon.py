"""Jargon: lexicon terms, unexplained acronyms and rare words (codes ``J``)."""

from __future__ import annotations

import dataclasses
import functools
import gzip
import itertools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from clarity.data import data_path, read_lines
from clarity.fit import MASS_NOUNS, fit_acronym, fit_term
from clarity.inflect import inflect_first, inflect_last
from clarity.lexicon import Term, display_only_acronyms, is_acronym, jargon_senses
from clarity.rules.base import Context, Hit, match_case, per_context, quote, rule
from clarity.spans import Intervals
from clarity.tokens import doc_tokens
from clarity.types import Applicability, Category, Edit, Fix, Severity
from clarity.wordfreqs import zipf_en

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

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


@per_context
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
                if not run and tok.i == sent.start and zipf_en(tok.lower_) >= _NAME_OPENER_ZIPF:
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


@per_context
def incoming_terms(ctx: Context) -> set[str]:
    """Lexicon terms and words the customer's message uses (lower case): the reply
    may repeat them (the customer knows them, or at least used them first)."""
    if ctx.incoming is None:
        return set()
    out = {t.lower_ for t in ctx.incoming if not t.is_space}
    out |= {t.lemma_.lower() for t in ctx.incoming}
    out |= {_stem_key(t.text) for t in ctx.incoming if len(t.text) >= _STEM}
    for m in ctx.resources.terms(ctx.incoming):
        out.add(_term_key(m.entry))
    return out


@per_context
def incoming_joined(ctx: Context) -> frozenset[str]:
    """Each two neighbouring words of the customer's message written as one ("blue
    screen" gives ``bluescreen``): the reply's "bluescreening" is their word."""
    if ctx.incoming is None:
        return frozenset()
    words = [t.lower_ for t in ctx.incoming if not t.is_space]
    return frozenset(
        a + b
        for a, b in itertools.pairwise(words)
        if a.isalpha() and b.isalpha() and len(a + b) >= 6
    )


#: Endings that make another word of the customer's: "fobs" of "fob", "billable" of
#: "bill", "bluescreening" of "blue screen".
_THEIR_ENDINGS = ("s", "es", "ed", "ing", "er", "able")


def their_word(theirs: set[str], joined: frozenset[str], lower: str) -> bool:
    """Whether ``lower`` is a word of the customer's with an ending, or two of their
    words written as one (:func:`incoming_joined`)."""
    for ending in _THEIR_ENDINGS:
        if lower.endswith(ending) and len(lower) - len(ending) >= 3:
            base = lower[: -len(ending)]
            if base in theirs or base in joined or base + "e" in theirs:
                return True
    return lower in joined


def _term_key(term: Term) -> str:
    return "\x00" + term.term.lower()


#: Words of this length or more that share their first this many letters are one
#: family: the customer's "authentication" makes the reply's "authenticate" theirs.
_STEM = 8


def _stem_key(word: str) -> str:
    return "\x01" + word.lower()[:_STEM]


def used_first(theirs: set[str], written: str) -> bool:
    """Whether the customer's message (``theirs``: :func:`incoming_terms`) has
    ``written``, or a word of its family (the same first eight letters)."""
    low = written.lower()
    return low in theirs or (len(low) >= _STEM and " " not in low and _stem_key(low) in theirs)


_CAPITALISED_RUN = re.compile(r"\b[A-Z][a-z]+(?:[ -]+(?:[A-Z][a-z]+|of|and|for|&))+\b")


def initialisms(*texts: str) -> set[str]:
    """The initials of the capitalised names in ``texts`` ("Times Tables Rock Stars"
    gives ``TTRS``, "Bank of England" ``BOE`` and ``BE``): an acronym the reader has
    seen in full."""
    out: set[str] = set()
    for text in texts:
        for m in _CAPITALISED_RUN.finditer(text):
            words = re.split(r"[ -]+", m.group())
            out.add("".join(w[0] for w in words).upper())
            out.add("".join(w[0] for w in words if w[0].isupper()))
    return out


def _singular(acr: str) -> str:
    return acr[:-1] if acr.endswith("s") and len(acr) > 2 and acr[:-1].isupper() else acr


def _defined_before(defs: dict[str, int], acr: str, offset: int) -> bool:
    end = defs.get(acr, defs.get(_singular(acr)))
    return end is not None and end <= offset + len(acr) + 100


def inflect_like_text(ctx: Context, start: int, end: int, written: str, plain: str) -> str:
    """Carry the text's inflection of an entry over to its plain alternative.

    A verb inflected in the text inflects the alternative's first word ("escalated"
    -> "passed on"); a plural noun, its last word ("end users" -> "users"), unless it
    is a mass noun ("printer drivers" -> "printer software").
    """
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return plain
    words = written.lower().split()
    first, last = span[0], span[-1]
    if first.tag_ in {"VBD", "VBN", "VBG", "VBZ"} and first.lower_ != words[0]:
        return inflect_first(plain, first.tag_)
    if last.tag_ == "NNS" and last.lower_ != words[-1]:
        if plain.rpartition(" ")[2].lower().split("-")[-1] in MASS_NOUNS:
            return plain  # "printer software", not "printer softwares"
        return inflect_last(plain, "NNS")
    return plain


#: Prefixes that make a new verb of a lexicon term ("re-provision", "unencrypted").
_TERM_PREFIXES = ("re", "de", "un", "pre", "auto", "dis")
#: A prefixed word this common ("return", "design") is a word of its own.
_PREFIXED_COMMON_ZIPF = 4.0
#: Particles of the lexicon's phrasal verbs ("roll back", "remote in").
_TERM_PARTICLES = frozenset({"on", "out", "up", "off", "in", "down", "over", "back", "away"})


def _stems(word: str) -> list[str]:
    """``word`` and what it may be without an inflection ending (``enrolled`` ->
    ``enroll``, ``enrol``...): candidates to look up, not a lemmatizer."""
    out = [word]
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            base = word[: -len(ending)]
            out += [base, base + "e"]
            if len(base) > 3 and base[-1] == base[-2]:
                out.append(base[:-1])
    return out


def loose_term_matches(ctx: Context) -> list[tuple[int, int, Term]]:
    """Lexicon terms in forms the phrase matcher does not list, not overlapping its
    matches: ``(start_char, end_char, term)``.

    * an inflection the shipped forms lack, found by the word's lemma ("syncing",
      "hostnames", "local admins", "remoted in") or, for a coined verb spaCy
      lemmatises badly, by its ending ("unmapped": "unmap");
    * a verb made of a term with a prefix ("re-provisioned", "unencrypted",
      "redeploy"), unless the whole word is common English;
    * a phrasal verb with its object between verb and particle ("rolled it back").

    Only case-insensitive entries (not acronyms) count. J001 offers no automatic swap
    for the last two: the sentence needs rewording.
    """
    doc, res = ctx.doc, ctx.resources
    taken = bytearray(len(doc))
    for start, end, _ in ctx.term_matches:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            taken[span.start : span.end] = b"\x01" * len(span)

    def lookup(key: str) -> Term | None:
        term = res.term_by_key.get(" ".join(key.split()))
        return term if term is not None and not term.exact_case else None

    out: list[tuple[int, int, Term]] = []
    dt = doc_tokens(doc)  # the tokens' strings as lists: no Token object per look
    for sent in ctx.sentences:
        a, m = sent.start, len(sent)
        lows = dt.lower[a : sent.end]
        lemmas = dt.lemma_lower[a : sent.end]
        spaces = [" " if after else "" for after in dt.space_after[a : sent.end]]
        alpha = dt.is_alpha[a : sent.end]
        for i in range(m):
            if taken[a + i] or not alpha[i]:
                continue
            found: tuple[int, Term] | None = None
            # 1. inflections by lemma: the last word (and the first) of a 1-4 word term
            first_differs = lemmas[i] != lows[i]
            for n in (4, 3, 2, 1):
                if i + n > m:
                    continue
                last_j = i + n - 1
                last_differs = lemmas[last_j] != lows[last_j]
                if not (first_differs or last_differs) or any(taken[a + i : a + i + n]):
                    continue  # no other form to look up, or a term is there already
                words = [lows[j] + spaces[j] for j in range(i, i + n)]
                variants = []
                if last_differs:
                    variants.append([*words[:-1], lemmas[last_j]])
                if first_differs:
                    variants.append([lemmas[i] + spaces[i], *words[1:]])
                for v in variants:
                    term = lookup("".join(v))
                    if term is not None:
                        found = (n, term)
                        break
                if found is None and n == 1 and first_differs:
                    # a coined verb spaCy lemmatises badly: "remapped" -> "remappe"
                    for cand in _stems(lows[i])[1:]:
                        term = lookup(cand)
                        if term is not None and len(cand) >= 4 and term.technical:
                            found = (1, term)
                            break
                if found:
                    break
            # 2. a prefix on a term: "re-provisioned", "unencrypted"
            if (
                found is None
                and lows[i] in _TERM_PREFIXES
                and i + 2 < m
                and dt.orth[a + i + 1] == "-"
                and not spaces[i]
                and alpha[i + 2]
            ):
                for cand in dict.fromkeys([lemmas[i + 2], *_stems(lows[i + 2])]):
                    term = lookup(cand)
                    if term is not None and len(cand) >= 4 and term.technical:
                        found = (3, term)
                        break
            if found is None and lows[i].startswith(_TERM_PREFIXES):
                low = lows[i]
                for prefix in _TERM_PREFIXES:
                    rest = low[len(prefix) :]
                    if not low.startswith(prefix) or len(rest) < 4:
                        continue
                    if zipf_en(low) >= _PREFIXED_COMMON_ZIPF:
                        break
                    for cand in _stems(rest):
                        term = lookup(cand)
                        if term is not None and len(cand) >= 4 and term.technical:
                            found = (1, term)
                            break
                    if found:
                        break
            if found is not None:
                n, term = found
                last = a + i + n - 1
                taken[a + i : last + 1] = b"\x01" * n
                out.append((dt.idx[a + i], dt.idx[last] + len(dt.orth[last]), term))
                continue
            # 3. a phrasal verb split by its object: "rolled it back", "remote me in"
            if dt.pos[a + i] not in ("VERB", "AUX"):
                continue
            for j in range(i + 2, min(i + 5, m)):
                if dt.is_punct[a + j] or taken[a + j]:
                    break
                if lows[j] in _TERM_PARTICLES and dt.head[a + j] == a + i:
                    term = lookup(f"{lemmas[i]} {lows[j]}")
                    if term is not None:
                        taken[a + i : a + j + 1] = b"\x01" * (j + 1 - i)
                        out.append((dt.idx[a + i], dt.idx[a + j] + len(dt.orth[a + j]), term))
                    break
    return out


# "This extra step is called two-factor authentication", "known as a VPN"
_NAMED_BEFORE = re.compile(
    r"\b(?:called|known as|named|termed)\s+(?:an?\s+|the\s+)?[\"'\u201c\u2018]?$", re.I
)
# "the VPN, which is the secure connection you use", "latency (the delay you notice)",
# "latency, that is, the delay", "latency means", "latency \u2014 the delay", "a static
# IP is one that never changes", "a VPN is a private connection that...", "PCI DSS is
# the card industry's security standard", "a hard reset (hold power for 10s)", "re-image
# it: back everything up, do a factory reset and..."
_EXPLAINED_AFTER = re.compile(
    r"^[\"'\u201d\u2019]?(?:"
    r"\s*,?\s*(?:which|that)\s+(?:is|are)\s+(?:a|an|the|what|how|where|when|your|our)\b"
    r"|\s*,?\s*which\s+(?:means|lets|allows|keeps|stops|checks|makes|turns|links)\b"
    r"|\s*\(\s*(?:a|an|the|your|our|i\.e\.|that is|meaning|which|what|how|where|this)\b"
    r"|\s*(?:\u2014|\u2013|\s-)\s*(?:a|an|the|that is|i\.e\.)\s"
    r"|\s*,\s*(?:i\.e\.|that is|meaning|in other words)[\s,]"
    r"|\s+(?:means|stands for|refers to|is when|is where|is what|is how)\s"
    r"|\s+(?:is|are)\s+(?:one|ones|an?\s+\w+(?:\s+\w+)?)\s+(?:that|which|where|who)\s"
    r"|\s+(?:is|are)\s+(?:the|an?)\s+(?:[\w'\u2019-]+\s+){1,4}"
    r"(?:standard|system|service|program|tool|setting|code|list|process|rule|name|box|device)s?\b"
    r"|\s*\(\s*(?:hold|press|tap|click|turn|switch|unplug|type|open|go to)\b"
    r"|(?:\s+(?:it|them|this))?\s*:\s+(?:back|hold|press|tap|click|turn|switch|unplug|type|open|go"
    r"|delete|wipe|reset|restart|remove|reinstall|save|copy|sign|log|install|set)\b"
    r")",
    re.I,
)


def explained_here(text: str, start: int, end: int) -> bool:
    """Whether the sentence explains the term at ``[start, end)`` where it uses it:
    "this step is called **two-factor authentication**", "the **VPN**, which is the
    secure connection you use", "**latency** (the delay you notice)", "**latency**,
    that is, the delay", "**latency** means...", "a **static IP** is one that never
    changes". A term the reply explains is not jargon."""
    line_start = max(text.rfind(".", 0, start), text.rfind("\n", 0, start)) + 1
    return bool(
        _NAMED_BEFORE.search(text[line_start:start]) or _EXPLAINED_AFTER.match(text[end : end + 80])
    )


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
        name the lexicon lists ("Task Manager") still is. Forms the lexicon does not
        spell out count too: an inflection found by the word's lemma ("syncing",
        "hostnames"), a term with a prefix ("re-provisioned", "unencrypted") and a
        phrasal verb split by its object ("rolled it back"); these need rewording by
        hand, and so does a term whose plain words hold a lexicon term themselves
        ("virtual machine host" for "hypervisor": swapped in, it would be jargon).
        A term in quotation marks, a menu path or a control's name (a label as the
        screen shows it: "Sync this iPhone", "Maintenance > Clean printheads", "tick
        Encrypt"), in a setting or code ("p=quarantine"), the printed label of a
        control ("the WPS button") or a phrasal verb read as its noun ("the remote in
        the drawer") is not reported either.
        A term the sentence explains where it uses it is not reported ("this step is
        called two-factor authentication", "the VPN, which is the secure
        connection you use", "latency (the delay you notice)", "PCI DSS is the card
        industry's security standard", "a hard reset (hold power for 10 seconds)").
        A term is reported once, where the message first uses it (in any of its
        forms: "cache", "cached"; its last word alone after it, "the gateway" after
        "the payment gateway", is a use of it too); the message says how often it is
        used, and each pass of ``clarity fix`` swaps one use.

        The fix swaps in the plain alternative (unsafe: check the meaning), in the
        form the sentence needs (a plural for a plural, a verb's tense). Where the swap
        cannot be shown to fit (:mod:`clarity.fit`: part of a compound, "SQL
        database"; a noun replaced by a clause; a bare singular that would need an
        article; a particle verb before a pronoun), the fix is display only: reword
        the sentence by hand.

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
        - Outlook had stopped **syncing**, so I checked the **hostnames**.
        - I **re-provisioned** your laptop and your files are **unencrypted** now.
        - The new version failed, so I **rolled it back**.
        - The **shared mailbox** needs **FullAccess** for you, and **Task Manager** shows it.
        - After the move you may need to **re-auth** once.
        - The **cache** was full, so I emptied the cache and the cached pages.
        - Restart the **payment gateway**; if the gateway still fails, call us.
        - It's **channel congestion** on **2.4GHz**, so I lowered the **TX power**.
        - Existing sessions will be **invalidated**, and the printers need **re-mapping**.

    Use instead:
        - Please clear your computer's saved list of website addresses and check
          whether the delay is still there.
        - Please restart your computer and try again.
        - Thanks for your patience while we sort this out.

    Not reported:
        - It will be fixed tomorrow, and it should work after that. I saw the ad.
        - Sign in with one login (SSO): after that, SSO opens every app.
        - (to "My VPN keeps dropping.") Your VPN should stay connected now.
        - (to "It says authentication failed.") You can authenticate again now.
        - Install it from Company Portal, then open Outlook and Microsoft Teams.
        - Your password reset link is in the email I sent to your inbox.
        - This extra step is called two-factor authentication, and it keeps thieves out.
        - The VPN, which is the secure connection you use from home, is back.
        - Please return the laptop; we will redesign the form and unpack the boxes.
        - Please roll up the cable and put it back in the box.
        - In Settings, switch on "Sync this iPhone", then set the policy to p=quarantine.
        - Switch it on with the remote in the drawer.
        - On the plotter's screen, go to Maintenance > Clean printheads.
        - Write the e-mail, tick Encrypt and press Send.
        - PCI DSS is the card industry's security standard.
        - Do a hard reset (hold power and shutter for 10 seconds).
        - I'd re-image it: back everything up, reset it and set it up again.
    """
    defs = defined_acronyms(ctx.text)
    accepted = {a.lower() for a in ctx.config.accept}
    names = name_spans(ctx)
    theirs = incoming_terms(ctx)
    extra = ctx.loose_term_matches
    loose = {(s, e) for s, e, _ in extra}
    spans = code_spans_of(ctx)
    code = Intervals(spans)
    whole = set(spans)
    quoted = ctx.quoted
    reported_to = -1  # the end of the last reported term: no term inside another
    hits: list[Hit] = []
    first: dict[str, int] = {}  # a term's key -> its first hit in ``hits``
    heads: dict[str, str] = {}  # the last word of a reported term of words -> its key
    times: list[int] = []  # how often each hit's term is used
    for start, end, term in sorted([*ctx.term_matches, *extra], key=lambda m: (m[0], -m[1])):
        if start < reported_to:
            continue  # "auth" inside "re-auth"
        written = ctx.text[start:end]
        at_start = ctx.starts_sentence(start)
        if ctx.config.audience_info.knows_technical_terms and term.technical:
            continue
        if _term_key(term) in theirs or used_first(theirs, written):
            continue  # the customer used it first
        if explained_here(ctx.text, start, end):
            continue
        # inside code ("p=quarantine"), unless the term is the whole word ("TCP/IP")
        # or reaches past it ("I/O port")
        in_code = code.contains(start) and code.contains(end - 1) and (start, end) not in whole
        if in_name(names, start, end) or in_code or quoted.contains(start):
            continue  # a name, code ("p=quarantine") or a label as the screen shows it
        if _noun_not_verb(ctx, start, term) or _control_label(ctx, start, end, term):
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
        fitted = fit_term(ctx.doc, start, end, term.plain[0] if term.plain else "")
        if fitted is not None and _writes_jargon(ctx, fitted):
            fitted = None  # "processor" for "CPU" would be reported (and swapped) in turn
        fits = fitted is not None
        fix = Fix(
            edits=(Edit(start, end, match_case(written, fitted or plain, at_start, term.term)),),
            applicability=Applicability.UNSAFE if fits else Applicability.DISPLAY,
            message=f"Replace with {quote(fitted or plain)}"
            + ("" if fits else " (reword the sentence)"),
        )
        # "re-provisioned", "rolled it back" (a loose match), "domain" (the sense
        # decides the plain word): reword by hand
        if (start, end) in loose or not term.swappable:
            fix = Fix(fix.edits, Applicability.DISPLAY, f"Reword with {quote(plain)}")
        reported_to = end
        key = _term_key(term)
        if key not in first and key[1:] in heads:
            key = heads[key[1:]]  # "the gateway" after "the payment gateway": that term again
        if key in first:  # used again: reported once, where it first appears
            times[first[key]] += 1
            continue
        if " " in key:
            heads.setdefault(key.rsplit(" ", 1)[1], key)
        first[key] = len(hits)
        times.append(1)
        hits.append(Hit(start, end, message, term.plain, fix))
    for hit, n in zip(hits, times, strict=True):
        if n > 1:
            said = f" (used {n} times; shown where it first appears)"
            hit = dataclasses.replace(hit, message=hit.message + said)
        yield hit


_WORDS = re.compile(r"\w+|[^\w\s]")
_PARTICLES = frozenset({"in", "into", "out", "up", "on", "off", "back", "down", "over"})


def _noun_not_verb(ctx: Context, start: int, term: Term) -> bool:
    """Whether a phrasal-verb term ("remote in") is its first word used as a noun
    after a determiner, its particle a preposition with a noun of its own: "the
    remote in the drawer" is a remote control ("the roll back" is still a rollback)."""
    words = term.term.split()
    if len(words) < 2 or words[-1].lower() not in _PARTICLES:
        return False
    at = ctx.doc.char_span(start, start + len(words[0]), alignment_mode="expand")
    if at is None or at.start == 0 or at.end >= len(ctx.doc):
        return False
    if ctx.doc[at.start - 1].tag_ not in {"DT", "PRP$", "POS"}:
        return False
    particle = ctx.doc[at.end]
    return particle.dep_ == "prep" and any(
        c.dep_ == "pobj" and c.tag_.startswith("NN") for c in particle.children
    )


def _control_label(ctx: Context, start: int, end: int, term: Term) -> bool:
    """Whether an acronym term is the printed label of a control ("the WPS button")."""
    if not term.is_acronym:
        return False
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    return span is not None and span.end < len(ctx.doc) and _labels_a_control(span[-1])


def _writes_jargon(ctx: Context, replacement: str) -> bool:
    """Whether ``replacement`` holds a lexicon term itself ("virtual machine host"
    for "hypervisor"): swapping it in would only move the jargon, and the next pass
    of ``clarity fix`` would rewrite the replacement. Such a fix is shown, not applied."""
    from spacy.tokens import Doc

    words = _WORDS.findall(replacement)
    return bool(words) and bool(ctx.resources.terms(Doc(ctx.doc.vocab, words=words)))


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
        reported; nor is the label printed on a control ("the WPS button") or the
        initials of a name written in full in the message or the customer's ("Times
        Tables Rock Stars", then "TTRS").

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
        - Join the XQZ-Students network, then print to the PRN-2 printer.
        - Press the WPS button on the back of the router.
        - (to "My son can't get into Times Tables Rock Stars.") His TTRS account is
          working again.
        - On Tuesday we're replacing the box that records the CCTV cameras.
        - Put the SD card back in the camera.
    """
    if ctx.config.audience_info.knows_technical_terms:
        return
    defs = defined_acronyms(ctx.text)
    accepted = {a.lower() for a in ctx.config.accept}
    names = name_spans(ctx)
    theirs = incoming_terms(ctx)
    spelled_out = initialisms(ctx.text, ctx.incoming.text if ctx.incoming is not None else "")
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
            if key in spelled_out:
                continue  # "Times Tables Rock Stars" written in full: "TTRS" is its initials
            if _labels_a_control(tok):
                continue  # "press the WPS button": the label the reader looks for
            expansion = ctx.resources.acronyms.get(key)
            if expansion is None and zipf_en(word.lower()) >= EMPHASIS_ZIPF:
                continue  # "Please do NOT click": emphasis, which the tone rules judge
            if expansion is None and any(ch.isdigit() for ch in word):
                continue  # a code, key or device name ("FS02", "7QK4"), not an acronym
            if expansion is None and _hyphen_name(ctx.text, start, end):
                continue  # part of a name joined by a hyphen: the "EDU-Students" network
            if expansion:
                message = (
                    f"{quote(word)} is not spelled out; write {quote(f'{expansion} ({key})')}"
                    " the first time"
                )
                spelled = None
                if key not in display_only_acronyms():  # "a different IP" (address)
                    spelled = fit_acronym(ctx.doc, start, end, expansion, word)
                fix = Fix(
                    edits=(Edit(start, end, spelled or f"{expansion} ({word})"),),
                    applicability=Applicability.UNSAFE if spelled else Applicability.DISPLAY,
                    message="Spell the acronym out",
                )
                yield Hit(start, end, message, (expansion,), fix)
            else:
                message = (
                    f"{quote(word)} is not spelled out; say what it stands for the first time,"
                    " or use plain words"
                )
                yield Hit(start, end, message)


#: Things a label is printed on: "the WPS button", "the HDMI port".
_CONTROLS = frozenset({"button", "key", "switch", "light", "port", "socket", "sticker", "label"})


def _labels_a_control(tok: Token) -> bool:
    """Whether the acronym ``tok`` names a control by its printed label ("press the
    **WPS** button", "the **AV** cupboard" is not one)."""
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    return nxt is not None and nxt.lower_ in _CONTROLS


def _verb_misread(tok: Token) -> bool:
    """Whether ``tok``, tagged a noun, is a verb after a plural subject: "voice
    packets **queue** behind bulk traffic", "records **queue** locally"."""
    if tok.i == 0 or tok.i + 1 >= len(tok.doc) or tok.tag_ != "NN":
        return False
    prev, nxt = tok.doc[tok.i - 1], tok.doc[tok.i + 1]
    return prev.tag_ == "NNS" and (
        nxt.tag_ == "RB" or (nxt.tag_ in {"IN", "RP"} and nxt.lower_ not in {"of", "for"})
    )


def _hyphen_name(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is joined by a hyphen to a capitalised word or a
    number: part of a name ("EDU-Students", "HR-Printer-2"), not an acronym alone."""
    after = text[end : end + 2]
    before = text[max(0, start - 2) : start]
    return (len(after) == 2 and after[0] == "-" and (after[1].isupper() or after[1].isdigit())) or (
        len(before) == 2 and before[1] == "-" and (before[0].isupper() or before[0].isdigit())
    )


#: An all-capitals word this common in lower case ("NOT", "WE") is emphasis, not an
#: acronym, unless clarity knows it as one.
EMPHASIS_ZIPF = 4.0


_BACKTICKS = re.compile(r"`[^`\n]+`")
_WORD = re.compile(r"\S+")
_FILE_EXTENSION = re.compile(r"\.(?:exe|dll|msi|bat|cmd|ps1|sh|py|ini|cfg|log)\b")


def code_spans(text: str) -> list[tuple[int, int]]:
    """Spans of text in backticks, file paths, settings ("p=quarantine") and file
    names, in linear time.

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
        if slash >= 0 or 0 < word.find("=") < len(word) - 1:  # a path, or "p=quarantine"
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
#: A word leans to another language when its Zipf frequency there is at least this...
FOREIGN_MIN_ZIPF = 3.0
#: ... and this much higher than in English.
FOREIGN_LEAN = 1.0
#: Those words, listed by ``python -m clarity.datagen --write`` (gzip, one a line).
FOREIGN_WORDS_FILE = "foreign_words.txt.gz"


@per_context
def code_spans_of(ctx: Context) -> list[tuple[int, int]]:
    """:func:`code_spans` of the context's text (found once for every rule)."""
    return code_spans(ctx.text)


@functools.lru_cache(maxsize=1)
def foreign_words() -> frozenset[str]:
    """The words that lean to another language (:data:`FOREIGN_WORDS_FILE`)."""
    with gzip.open(data_path(FOREIGN_WORDS_FILE), "rt", encoding="utf-8") as fh:
        return frozenset(fh.read().split())


def foreign_sentence(words: list[str]) -> bool:
    """Whether a sentence's words (lower case) are mostly another language's: four or
    more words, three in five of them commoner in a language of :data:`OTHER_LANGUAGES`
    than in English. A plain word-frequency test: no language-ID model is installed."""
    if len(words) < 4:
        return False
    leaning = foreign_words()
    return sum(w in leaning for w in words) >= 0.6 * len(words)


@functools.lru_cache(maxsize=1)
def plain_words() -> frozenset[str]:
    """Everyday words that word counts rate rare (``data/plain_words.txt``)."""
    return frozenset(w.lower() for w in read_lines(data_path("plain_words.txt")))


#: Prefixes that keep a common word plain ("unassigned", "unplug").
_PLAIN_PREFIXES = ("un", "re", "pre")
#: How common the rest of a prefixed word must be for the word to count as plain.
_PLAIN_STEM_ZIPF = 3.5


#: A word of a very common word and "-ly" is plain ("termly" of "term").
_PLAIN_LY_ZIPF = 4.5


def _plain(lower: str, lemma: str) -> bool:
    if lower in plain_words() or lemma in plain_words():
        return True
    if lower.endswith("ly") and len(lower) >= 6 and zipf_en(lower[:-2]) >= _PLAIN_LY_ZIPF:
        return True
    forms = {lower, lemma}
    forms |= {lower[: -len(e)] for e in ("ed", "ing", "s") if lower.endswith(e)}
    return any(
        w.startswith(p) and len(w) - len(p) >= 4 and zipf_en(w[len(p) :]) >= _PLAIN_STEM_ZIPF
        for w in forms
        for p in _PLAIN_PREFIXES
    )


def _language(words: list[str]) -> str:
    """The language of :data:`OTHER_LANGUAGES` whose word counts rate ``words`` highest."""
    from wordfreq import zipf_frequency

    return max(OTHER_LANGUAGES, key=lambda lang: sum(zipf_frequency(w, lang) for w in words))


#: A customer's word shows they write ``lang`` when it is this much commoner there.
_CUSTOMER_LEAN = 1.5


def _customer_writes(ctx: Context, lang: str) -> bool:
    """Whether the customer's message has a word of ``lang`` ("Hola", "Merci"): a reply
    may answer them partly in their language."""
    if ctx.incoming is None:
        return False
    from wordfreq import zipf_frequency

    for tok in ctx.incoming:
        if tok.is_alpha and len(tok.text) >= 3:
            there = zipf_frequency(tok.lower_, lang)
            if there >= 4.0 and there - zipf_en(tok.lower_) >= _CUSTOMER_LEAN:
                return True
    return False


# Shapes of technical names and codes: "%temp%", "0x80070005", "550 5.7.1", "error
# 1603". Not CamelCase: in replies to customers it is mostly the name of a product
# they use ("OpenTable", "CareDocs"), which is no jargon.
_TECH_SHAPE = re.compile(
    r"(?<![\w%@./\\-])(?:"
    r"%[A-Za-z_][A-Za-z0-9_]*%"
    r"|0x[0-9A-Fa-f]{4,}"
    r"|[245]\d\d[ -][245]\.\d{1,2}\.\d{1,3}"
    r"|(?i:error(?: code)?)\s+\d{3,}"
    r")(?![\w%@\\/-]|\.\w)"
)


def _jargon_near(ctx: Context, sent: Span, terms: Intervals) -> bool:
    """Whether ``sent`` has other jargon: a lexicon term or an acronym not everyone
    knows."""
    return terms.overlaps(sent.start_char, sent.end_char) or any(
        is_acronym(t.text) and t.text not in ctx.resources.common_acronyms for t in sent
    )


def _guess_hit(text: str, start: int, end: int, what: str) -> Hit:
    return Hit(start, end, f"{quote(text[start:end])} {what}; use plain words, or explain it")


def _technical_guesses(
    ctx: Context, accepted: set[str], skip: Intervals, loose: Intervals, seen: set[str]
) -> Iterator[Hit]:
    """J003's guesses beyond the lexicon: words meant in their technical sense
    (``data/jargon_senses.csv``) and technical names and codes by their shape."""
    names = name_spans(ctx)
    theirs = incoming_terms(ctx)
    incoming_text = ctx.incoming.text.lower() if ctx.incoming is not None else ""
    senses = jargon_senses()
    terms = Intervals((s, e) for s, e, _ in ctx.term_matches)
    # The words of the message's lexicon terms: "queue" after "print queue" is that
    # term again ("the colour release queue"), which J001 reports once.
    in_terms = {w for s, e, _ in ctx.term_matches for w in _WORDS.findall(ctx.text[s:e].lower())}
    quoted = ctx.quoted
    toks = doc_tokens(ctx.doc)
    for sent in ctx.sentences:
        # Only the words with a technical sense are read as tokens.
        candidates = [
            i
            for i in range(sent.start, sent.end)
            if toks.lemma_lower[i] in senses or toks.lower[i] in senses
        ]
        lemmas: set[str] = set()
        jargon_near = False
        if candidates:
            lemmas = {t.lemma_.lower() for t in sent} | {t.lower_ for t in sent}
            jargon_near = _jargon_near(ctx, sent, terms)
        for tok in (ctx.doc[i] for i in candidates):
            sense = senses.get(tok.lemma_.lower()) or senses.get(tok.lower_)
            if sense is None or (sense.pos and tok.pos_ not in sense.pos):
                continue
            if "VERB" not in sense.pos and _verb_misread(tok):
                continue  # "packets queue behind bulk traffic": the everyday verb
            if _labels_a_control(tok):
                continue  # "tap the share button": the label the reader looks for
            start, end = tok.idx, tok.idx + len(tok.text)
            if terms.contains(start) or loose.contains(start) or skip.contains(start):
                continue
            if in_name(names, start, end) or (tok.text[:1].isupper() and tok.i != sent.start):
                continue
            if {tok.lower_, tok.lemma_.lower(), sense.word} & (theirs | accepted | seen | in_terms):
                continue
            prev = tok.nbor(-1).lower_ if tok.i > sent.start else ""
            if sense.unless & lemmas or f"<{prev}" in sense.unless:
                continue
            before = {t.lower_ for t in sent[max(0, tok.i - sent.start - 4) : tok.i - sent.start]}
            if "like" in before or quoted.contains(start):
                continue  # a comparison ("a bit like a private tunnel"), a quoted label
            window = sent[max(0, tok.i - sent.start - 3) : tok.i - sent.start + 4]
            near = {w for t in window if t.i != tok.i for w in (t.lower_, t.lemma_.lower())}
            technical = (
                (not sense.near and not sense.sentence)
                or bool(sense.near & near)
                or bool(sense.sentence & lemmas)
                or ("@jargon" in sense.sentence and jargon_near)
            )
            if not technical:
                continue
            seen.add(sense.word)
            plain = " or ".join(quote(p) for p in sense.plain)
            message = f"{quote(tok.text)} is meant in its technical sense here; say {plain}"
            if sense.explanation:
                message += f" or explain it: {sense.explanation}"
            yield Hit(start, end, message, sense.plain)
        for m in _TECH_SHAPE.finditer(ctx.text, sent.start_char, sent.end_char):
            start, end = m.start(), m.end()
            found = m.group().lower()
            if found in seen or found in accepted or found in incoming_text:
                continue
            if skip.contains(start) or terms.contains(start) or in_name(names, start, end):
                continue
            if ctx.starts_sentence(start) and zipf_en(found) >= _NAME_OPENER_ZIPF:
                continue
            seen.add(found)
            yield _guess_hit(ctx.text, start, end, "looks like a technical name or code")


@rule("J003", "rare-word", Category.JARGON, Severity.INFO)
def rare_word(ctx: Context) -> Iterator[Hit]:
    """Rare word, or a word or name that looks technical, that many readers will not know.

    What it does:
        Finds words that are rare in everyday English (Zipf frequency below
        ``rare_word_zipf``, 2.5 by default, from the ``wordfreq`` package) and are
        not in the jargon lexicon, in a sentence with other jargon (a lexicon term or
        an acronym not everyone knows): a rare word among plain words is mostly the
        reader's own trade or a guessable word ("the taproom till", "a stocktake").
        Never reported: names and other proper nouns,
        capitalised words in mid-sentence, acronyms, numbers, e-mail addresses,
        URLs, file paths and names, text in backticks, words with digits, and words
        in the ``accept`` list, everyday words that word counts rate rare
        (``data/plain_words.txt``: "inbox", "timesheet"), common words with an
        ``un``/``re``/``pre`` prefix ("unassigned", "unticked") or a very common
        word with ``-ly`` ("termly"), and the customer's own words with an ending
        ("billable" after "I bill", "fobs" after "fob") or written as one
        ("bluescreening" after "blue screen"). Each word is reported once. A
        sentence in another language (most of its words commoner in French, German,
        Spanish... than in English) is reported once, as a whole, not word by word,
        unless the customer wrote in that language too ("Hola, ...").

        For the ``technical`` audience only a sentence in another language is
        reported: IT colleagues know the rare names of their tools ("repadmin").
        Beyond rare words it reports, as guesses for a ``customer`` audience, words
        that look technical where clarity's lexicon does not know them:

        * everyday words meant in their technical sense (``data/jargon_senses.csv``:
          "client", "profile", "seat", "stale", "push"...), shown by the words near
          them or in the sentence ("your **client** is still on the old VPN profile",
          "a **seat** on our licence"); not in their everyday sense ("your client's
          invoice", "your profile picture", "for instance", "records queue
          locally"), in a comparison ("a bit like a tunnel"), on a control's label
          ("the share button") or in quotation marks (a label on screen);
        * codes by their shape: ``%variables%``, error and status codes
          ("0x80070005", "550 5.7.1", "error 1603"), unless the customer wrote them
          first. Not CamelCase words: in a reply to a customer they are mostly the
          names of products ("OpenTable", "CareDocs"), which are no jargon.

    Why it matters:
        Technical vocabulary grows faster than any list. A word most people never
        read ("idempotent", "failover", "hypervisor") is jargon to a customer even
        when clarity's lexicon does not know it.

    Example:
        - The failover was **idempotent**, so nothing changed.
        - Thanks for waiting. **Votre mot de passe a été réinitialisé ce matin.**
          Bonne journée à vous et à votre équipe.
        - Your VPN keeps failing because your **client** is still on the old **profile**.
        - I've reassigned you a **seat** on our licence agreement.
        - The cause is a **stale** record, and the log is in **%userprofile%**.
        - The mailbox shows a **550 5.7.1** rejection.
        - The card batch did not **settle**, so we **rotated** its keys.

    Use instead:
        - The backup system took over. Running it again changes nothing.

    Not reported:
        - Please call Anastasiya Wrzesniewski at the office.
        - Open C:\\Users\\maria\\AppData\\Roaming\\frobnicator.ini in Notepad.
        - Run `kubectl get pods` and send me what it prints.
        - Send it to xqzzyfrob@example.com when you can.
        - Thanks for your message, I will call you later today.
        - Your timesheet is in your inbox, in an unassigned folder.
        - I'll call your client tomorrow about the invoice they sent.
        - Update your profile picture, for instance with a photo from your phone.
        - Please book a seat in the quiet room and push the door firmly.
        - The VPN works a bit like a private tunnel through the internet.
        - In Settings, tick 'Cached images and files' and click Clear.
        - Ask Jo McDonald, or look it up on YouTube or in your LinkedIn inbox.
        - The carers' tablets now open CareDocs, and bookings sync to OpenTable.
        - Version 2.4.1 of the app fixes the crash.
        - (to "Hola, the printer is jammed.") Turn it off and on. Si el problema
          continúa, llámeme al 2045.
        - (to "Outlook says error 0x80070005.") Error 0x80070005 means the file is locked.
        - (to "When will Visio be installed?") Visio requests go through the form.
        - Open the photo in the HP app, tap the share button and choose Print.
        - Expect sync to be down; records queue locally until the DB is back.
        - The new battery should settle down in a few days; we rotate the staff rota.
        - The extender is weatherproof, and the phone will be couriered to the depot.
        - The taproom till needs a new receipt roll before Friday's stocktake.
        - (to "It's stuck on a blue screen.") It's bluescreening on startup.
        - (to "I bill by the hour.") Which hours are billable?
        - The option was unticked by the update, and the termly report is ready.
    """
    threshold = ctx.config.rare_word_zipf
    accepted = {a.lower() for a in ctx.config.accept}
    theirs = incoming_terms(ctx)
    joined = incoming_joined(ctx)
    skip = Intervals(code_spans_of(ctx))
    seen: set[str] = set()
    foreign_reported = False
    loose = Intervals((s, e) for s, e, _ in ctx.loose_term_matches)
    guesses = not ctx.config.audience_info.knows_technical_terms
    terms = Intervals((s, e) for s, e, _ in ctx.term_matches)
    if guesses:
        yield from _technical_guesses(ctx, accepted, skip, loose, seen)
    toks = doc_tokens(ctx.doc)
    for sent in ctx.sentences:
        span = range(sent.start, sent.end)
        words = [toks.lower[i] for i in span if toks.is_alpha[i]]
        rare = any(zipf_en(w) < threshold for w in words)
        if rare and foreign_sentence(words):
            if _customer_writes(ctx, _language(words)):
                continue  # the customer wrote in that language too ("Hola, ...")
            if not foreign_reported:
                foreign_reported = True
                yield Hit(
                    sent.start_char,
                    sent.end_char,
                    f"{quote(sent.text)} looks like another language; write it in"
                    " English, or add a translation",
                )
            continue
        if not guesses:
            continue  # IT colleagues know the rare names of their tools ("repadmin")
        if not rare or not _jargon_near(ctx, sent, terms):
            # A rare word among plain words is mostly the reader's own trade or a
            # guessable word ("taproom", "stocktake", "mislaid"): readers judged 4 of
            # 25 such findings right, against 13 of 28 beside other jargon.
            continue
        for i in span:  # the token's attributes from the lists: most words stop early
            word = toks.orth[i]
            if len(word) < 4 or not toks.is_alpha[i] or word.isupper():
                continue
            if toks.pos[i] == "PROPN" or (word[:1].isupper() and i != sent.start):
                continue
            lower = word.lower()
            lemma = toks.lemma_lower[i]
            if lower in seen or lemma in seen or lower in accepted or lemma in accepted:
                continue
            start, end = toks.idx[i], toks.idx[i] + len(word)
            if skip.contains(start):
                continue
            if ctx.in_term(start) or loose.contains(start):
                continue
            if max(zipf_en(lower), zipf_en(lemma)) >= threshold or _plain(lower, lemma):
                continue
            tok = ctx.doc[i]
            if tok.like_url or tok.like_email:
                continue
            if used_first(theirs, lower) or lemma in theirs or their_word(theirs, joined, lower):
                continue  # the customer's own word ("Visio", "smartcard", "fobs" of "fob")
            seen.update((lower, lemma))
            yield Hit(
                start,
                end,
                f"{quote(word)} is a rare word; many readers will not know it. "
                "Use a common word, or explain it",
            )
