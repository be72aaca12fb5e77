"""The one check engine: parse, run the rules, stamp, filter, sort, score.

Every front end (the Python API, the CLI, the pre-send hook, the HTTP service)
calls :class:`Checker`; none re-implements a rule or a threshold.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from clarity import readability, resources
from clarity.config import Config, load_config
from clarity.draft import Draft, clean_text, surrogate_notice
from clarity.errors import InputError
from clarity.nlp import doc_text, load_pipeline
from clarity.rules import Context, Hit, Rule, all_rules
from clarity.rules.calibrate import calibrate
from clarity.tokens import doc_tokens
from clarity.types import (
    PURPOSES,
    Edit,
    Finding,
    Readability,
    Region,
    Report,
    SentenceScore,
    Severity,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

#: Points taken from the findings part of the score per finding, per 100 words.
SEVERITY_PENALTY = {Severity.ERROR: 15.0, Severity.WARNING: 5.0, Severity.INFO: 1.0}
#: How many times its severity's points a finding of a category (by its value)
#: costs (1 when not listed). Tone findings weigh most: a rude or blaming sentence
#: hurts the customer more than a long one, so a rude reply scores clearly below a
#: polite one.
CATEGORY_WEIGHT: dict[str, float] = {"tone": 3.0}
#: Points taken from the readability part of the score per grade above the target.
GRADE_PENALTY = 12.5


def score(findings: Sequence[Finding], words: int, grade: float, target: float) -> int:
    """The overall score, 0 (hard going) to 100 (nothing to say).

    The mean of two parts, each 0-100:

    * **findings**: 100 minus, per 100 words of the writer's own text (at least
      100), 15 points per error, 5 per warning and 1 per info finding, each times
      its category's weight: 3 for tone findings, 1 for the others (so a tone
      warning costs 15 points, a jargon warning 5);
    * **readability**: 100 minus 12.5 points per grade level above the audience's
      target grade (so 8 grades above the target scores 0).
    """
    per = max(words, 100) / 100
    penalty = (
        sum(
            SEVERITY_PENALTY[f.severity] * CATEGORY_WEIGHT.get(f.category.value, 1.0)
            for f in findings
        )
        / per
    )
    findings_part = max(0.0, 100.0 - penalty)
    readability_part = max(0.0, 100.0 - GRADE_PENALTY * max(0.0, grade - target))
    return round((findings_part + readability_part) / 2)


_NOT_NEWLINE = re.compile(r"[^\n]")


#: A run of punctuation long enough to be a rule or a pasted blob ("=====...", "!?!?...").
#: spaCy's tokenizer strips suffixes one character at a time, each time searching the
#: rest of the token: time that grows with the square of the run's length.
_PUNCT_RUN = re.compile(r"(?:[^\w\s]|_){16,}")
#: How much of such a run the pipeline still sees ("!!!!" is shouting; more adds nothing).
_RUN_KEPT = 4


def _calm_run(m: re.Match[str]) -> str:
    run = m.group()
    return run[:_RUN_KEPT] + " " * (len(run) - _RUN_KEPT)


def unread_blanked(text: str, regions: Sequence[Region]) -> str:
    """``text`` as the pipeline parses it: the regions nothing reads (quoted history,
    signatures, code: those every purpose ignores) turned into spaces, line breaks kept,
    and long runs of punctuation cut to their first few characters.

    The same length as ``text``, so every offset still indexes ``text``; quoted history
    (often half an e-mail) costs nothing, and a line of 100,000 "=" parses in linear
    time.
    """
    unread = [r for r in regions if all(r.ignored_by(p) for p in PURPOSES)]
    blanked = _blank(text, unread) if unread else text
    return _PUNCT_RUN.sub(_calm_run, blanked)


class Checker:
    """A reusable checker: the pipeline and matchers are built once.

    >>> checker = Checker(load_config(audience="customer"))   # doctest: +SKIP
    >>> report = checker.check("Please flush your DNS cache.")  # doctest: +SKIP
    """

    def __init__(self, config: Config | None = None, **overrides: Any) -> None:
        base = config if config is not None else Config()
        self.config = base.replace(**overrides) if overrides else base
        self._rules = [r for r in all_rules() if self.config.is_enabled(r.code, r.opt_in)]

    @property
    def nlp(self) -> Language:
        return load_pipeline(self.config.model)

    @property
    def rules(self) -> list[Rule]:
        return list(self._rules)

    def _validate(self, text: Any, what: str = "text") -> tuple[str, list[str]]:
        """``text`` made safe to check, and notices of what was changed on the way."""
        if not isinstance(text, str):
            raise InputError(f"expected {what} (str), got {type(text).__name__}")
        if len(text) > self.config.max_chars:
            raise InputError(
                f"{what} is {len(text):,} characters; the limit is {self.config.max_chars:,} "
                "(set max_chars to raise it)"
            )
        if "\x00" in text:
            raise InputError(f"{what} contains NUL characters; is it a binary file?")
        text, replaced = clean_text(text)
        return text, [surrogate_notice(replaced, what)] if replaced else []

    def _regions_for(self, text: str, regions: Sequence[Region] | None) -> tuple[Region, ...]:
        """``regions`` checked against ``text``, or detected when ``None``."""
        if regions is None:
            from clarity.sources import find_regions

            return find_regions(text)
        out = tuple(regions)
        for r in out:
            if not 0 <= r.start <= r.end <= len(text):
                raise InputError(
                    f"region {r.start}-{r.end} ({r.kind}) is outside the text (0-{len(text)})"
                )
        return out

    def _incoming_doc(self, incoming: str | None) -> Doc | None:
        """The customer's message, parsed: their quoted history and signature left out
        (they are not what the customer asks now)."""
        if incoming is None or not incoming.strip():
            return None
        text, _ = self._validate(incoming, "incoming")
        from clarity.sources import find_regions

        skipped = [r for r in find_regions(text) if r.ignored_by("findings")]
        return self.nlp(_PUNCT_RUN.sub(_calm_run, _blank(text, skipped)))

    def check_draft(self, draft: Draft) -> Report:
        """Check a :class:`~clarity.draft.Draft` (what :func:`clarity.sources.read`
        gives): its text, subject, regions (detected when ``None``) and the customer's
        message it replies to. Notices of the reader are kept in the report."""
        report = self.check(
            draft.text,
            regions=draft.regions,
            source=draft.source,
            subject=draft.subject,
            incoming=draft.incoming,
        )
        return draft.noted(report)

    def check(
        self,
        text: str,
        *,
        regions: Sequence[Region] | None = None,
        source: str | None = None,
        subject: str | None = None,
        incoming: str | None = None,
    ) -> Report:
        """Check one text.

        ``regions`` are spans to ignore (quoted history, signatures, code); ``None``
        (the default) detects them as every face does, ``()`` ignores nothing.
        ``subject`` is the message's subject line, checked by the ``S`` rules;
        ``incoming`` is the customer's message it replies to, which the tone rules
        read (an upset customer needs acknowledging, their questions answering)."""
        text, notices = self._validate(text)
        if subject is not None:
            subject, more = self._validate(subject, "subject")
            notices += more
        found = self._regions_for(text, regions)
        if not text.strip():
            report = self._empty(text, found, source, subject)
        else:
            incoming_doc = self._incoming_doc(incoming)
            doc = self.nlp(unread_blanked(text, found))
            report = self._report(text, doc, found, source, subject, incoming_doc)
        return _with_notices(report, notices)

    def check_many(
        self, texts: Iterable[str | Draft], *, batch_size: int = 32, n_process: int = 1
    ) -> Iterator[Report]:
        """Check many texts or drafts, streamed through ``nlp.pipe``; yields reports in
        order, each as :meth:`check_draft` would give it (regions detected when not
        given, the subject and the customer's message read).

        With ``n_process`` > 1, batches of ``batch_size`` drafts are checked whole
        (parse, rules and tone) in that many worker processes, each with its own
        pipeline: spaCy's own ``n_process`` would parse in the workers but leave the
        rules to this process, which then limits the speed-up."""
        if n_process > 1:
            yield from _check_in_processes(self.config, texts, batch_size, n_process)
            return
        nlp = self.nlp

        def prepared() -> Iterator[tuple[str, tuple[Any, ...]]]:
            for item in texts:
                draft = item if isinstance(item, Draft) else Draft(item)
                text, notices = self._validate(draft.text)
                subject = draft.subject
                if subject is not None:
                    subject, more = self._validate(subject, "subject")
                    notices += more
                regions = self._regions_for(text, draft.regions)
                yield unread_blanked(text, regions), (text, regions, subject, draft, notices)

        for doc, (text, regions, subject, draft, notices) in nlp.pipe(
            prepared(), batch_size=batch_size, as_tuples=True
        ):
            if not text.strip():
                report = self._empty(text, regions, draft.source, subject)
            else:
                incoming = self._incoming_doc(draft.incoming)
                report = self._report(text, doc, regions, draft.source, subject, incoming)
            yield draft.noted(_with_notices(report, notices))

    def fix(
        self,
        text: str,
        *,
        unsafe: bool = False,
        regions: Sequence[Region] | None = None,
        max_passes: int = 4,
        report: Report | None = None,
        subject: str | None = None,
        incoming: str | None = None,
    ) -> FixResult:
        """Check ``text``, apply its fixes, and repeat until nothing changes.

        Safe fixes only, unless ``unsafe``; display-only fixes are never applied.
        ``regions`` (detected once, on ``text``, when ``None``) are never edited and
        move with the edits before them, so fixing the result again changes nothing.
        ``report``, when given, is the report of ``text`` (saves the first check).
        Returns the rewritten text, the findings whose fixes were applied, and the
        report of the final text (what remains to do by hand). A pass can make fixes
        possible that were not before (an edit changes how its neighbours are read);
        when ``max_passes`` passes all changed the text and fixes are still left to
        apply, ``complete`` is false, and fixing the result again goes on.
        """
        from clarity.fixes import apply_fixes

        text, _ = self._validate(text)
        regions = self._regions_for(text, regions if report is None else report.regions)
        current = text
        applied: list[Finding] = []
        if report is None or report.text != text:
            report = self.check(current, regions=regions, subject=subject, incoming=incoming)
        complete = True
        for _ in range(max_passes):
            new, chosen = apply_fixes(current, report.findings, unsafe=unsafe, regions=regions)
            if not chosen or new == current:
                break
            applied.extend(c.finding for c in chosen)
            if regions:
                # Regions move with the edits before them; the fix engine never edits
                # inside one, so shifting by the length change before each is exact.
                regions = _shift_regions(regions, [e for c in chosen for e in c.edits])
            current = new
            report = self.check(current, regions=regions, subject=subject, incoming=incoming)
        else:  # every pass changed the text: is there more to do?
            new, chosen = apply_fixes(current, report.findings, unsafe=unsafe, regions=regions)
            complete = not chosen or new == current
        return FixResult(
            original=text, text=current, applied=tuple(applied), report=report, complete=complete
        )

    def _empty(
        self, text: str, regions: Sequence[Region], source: str | None, subject: str | None = None
    ) -> Report:
        on_subject: list[Finding] = []
        if subject is not None:
            ctx = Context(
                text=text,
                doc=self.nlp.make_doc(text),
                config=self.config,
                resources=resources.build(self.nlp, self.config.extra_lexicons),
                sentences=[],
                sentence_scores=[],
                regions=tuple(regions),
                subject=subject,
            )
            on_subject = self._subject_findings(ctx)
        return Report(
            text=text,
            findings=(),
            readability=readability.measure("", ()),
            score=score(on_subject, 0, 0.0, self.config.effective_target_grade),
            audience=self.config.audience,
            regions=tuple(regions),
            source=source,
            subject=subject,
            subject_findings=tuple(on_subject),
        )

    def _subject_findings(self, ctx: Context) -> list[Finding]:
        """Findings of the subject rules; their offsets index ``ctx.subject``."""
        if ctx.subject is None:
            return []
        out = [
            self._stamp(rule, hit, ctx.subject)
            for rule in self._rules
            if rule.target == "subject"
            for hit in rule.func(ctx)
        ]
        return sorted(out, key=lambda f: (f.start, f.end, f.code))

    def _sentences(
        self, doc: Doc, regions: Sequence[Region], purpose: str = "readability"
    ) -> list[Span]:
        """The sentences of ``doc`` that ``purpose`` reads (not inside a region it skips)."""
        out = []
        text = doc_text(doc)
        words = doc_tokens(doc).counted
        for sent in doc.sents:
            if not any(words[sent.start : sent.end]):
                continue
            # Compare without the line breaks a sentence carries: regions end before them.
            said = text[sent.start_char : sent.end_char]  # sent.text, without a Token loop
            start = sent.start_char + len(said) - len(said.lstrip())
            end = sent.start_char + len(said.rstrip())
            if any(start >= r.start and end <= r.end for r in regions if r.ignored_by(purpose)):
                continue
            out.append(sent)
        return out

    def _report(
        self,
        text: str,
        doc: Doc,
        regions: Sequence[Region],
        source: str | None,
        subject: str | None = None,
        incoming: Doc | None = None,
    ) -> Report:
        # Imported here: the tone model loads numpy and spaCy, which `clarity --version`
        # and the thin client (`clarity check --server`) must not pay for.
        from clarity.tone.report import tone_report

        sentences = self._sentences(doc, regions)
        scores: list[SentenceScore] = []
        toks = doc_tokens(doc)
        is_word = toks.counted
        for s in sentences:
            span = range(s.start, s.end)
            last = max(toks.idx[i] + len(toks.orth[i]) for i in span if not toks.is_space[i])
            words = [toks.orth[i] for i in span if is_word[i]]
            scores.append(readability.sentence_score(s.start_char, last, words))
        text_of_doc = toks.text
        prose = " ".join(text_of_doc[s.start_char : s.end_char].strip() for s in sentences)
        measured: Readability = readability.measure(prose, scores)
        ctx = Context(
            text=text,
            doc=doc,
            config=self.config,
            resources=resources.build(self.nlp, self.config.extra_lexicons),
            sentences=sentences,
            sentence_scores=scores,
            regions=tuple(regions),
            grade=measured.grade,
            words=measured.words,
            subject=subject,
            tone_sentences=self._sentences(doc, regions, "tone"),
            incoming=incoming,
        )
        findings: list[Finding] = []
        for rule in sorted(self._rules, key=lambda r: r.late):
            if rule.target != "text":
                continue
            for hit in rule.func(ctx):
                if ctx.in_region(hit.start, hit.end):
                    continue
                findings.append(self._stamp(rule, hit, text))
        findings = calibrate(findings, self.config)
        findings.sort(key=lambda f: (f.start, f.end, f.code))
        on_subject = self._subject_findings(ctx)
        return Report(
            text=text,
            findings=tuple(findings),
            readability=measured,
            score=score(
                [*on_subject, *findings],
                measured.words,
                measured.grade,
                self.config.effective_target_grade,
            ),
            audience=self.config.audience,
            regions=tuple(regions),
            source=source,
            subject=subject,
            subject_findings=tuple(on_subject),
            tone=tone_report(text, ctx.tone_sentences, ctx.tone_scores),
        )

    def _stamp(self, rule: Rule, hit: Hit, text: str) -> Finding:
        return Finding(
            code=rule.code,
            rule=rule.name,
            category=rule.category,
            severity=self.config.severity_for(rule.code, rule.severity),
            start=hit.start,
            end=hit.end,
            text=text[hit.start : hit.end],
            message=hit.message,
            suggestions=hit.suggestions,
            fix=hit.fix,
        )


@dataclass(frozen=True)
class FixResult:
    """What :meth:`Checker.fix` did."""

    original: str
    text: str
    applied: tuple[Finding, ...]
    report: Report
    #: False when the pass limit stopped the fixing with fixes still to apply.
    complete: bool = True

    @property
    def changed(self) -> bool:
        return self.text != self.original


#: The checker of a worker process of :meth:`Checker.check_many` (one per process).
_WORKER_CHECKER: list[Checker] = []


def _start_worker(config: Config) -> None:
    _WORKER_CHECKER.append(Checker(config))


def _check_batch(batch: list[str | Draft]) -> list[Report]:
    return list(_WORKER_CHECKER[0].check_many(batch, batch_size=len(batch)))


def _check_in_processes(
    config: Config, texts: Iterable[str | Draft], batch_size: int, n_process: int
) -> Iterator[Report]:
    """:meth:`Checker.check_many` in ``n_process`` worker processes, in order, keeping
    at most two batches per worker in flight (a stream of millions stays small)."""
    import itertools
    import multiprocessing
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    items = iter(texts)
    pending: deque[Future[list[Report]]] = deque()
    # The platform's default start method, as spaCy's nlp.pipe(n_process=...) uses:
    # on Linux a fork, which shares a pipeline this process has loaded already.
    context = multiprocessing.get_context()
    with ProcessPoolExecutor(n_process, context, _start_worker, (config,)) as pool:
        while True:
            while len(pending) < 2 * n_process:
                batch = list(itertools.islice(items, max(1, batch_size)))
                if not batch:
                    break
                pending.append(pool.submit(_check_batch, batch))
            if not pending:
                return
            yield from pending.popleft().result()


def _with_notices(report: Report, notices: Sequence[str]) -> Report:
    """``report`` with ``notices`` (what was changed on the way in) in ``extra``."""
    if not notices:
        return report
    return dataclasses.replace(report, extra={**report.extra, "notices": list(notices)})


def _shift_regions(regions: Sequence[Region], edits: Sequence[Edit]) -> tuple[Region, ...]:
    """``regions`` moved by the length changes of the ``edits`` before them (linear:
    both sorted, one pass)."""
    ordered = sorted(edits, key=lambda e: e.end)
    ends = [e.end for e in ordered]
    deltas = [0]
    for e in ordered:
        deltas.append(deltas[-1] + len(e.replacement) - (e.end - e.start))
    out = []
    for r in regions:
        delta_start = deltas[bisect.bisect_right(ends, r.start)]
        delta_end = deltas[bisect.bisect_right(ends, r.end)]
        out.append(Region(r.start + delta_start, r.end + delta_end, r.kind))
    return tuple(out)


def _blank(text: str, regions: Sequence[Region]) -> str:
    """``text`` with ``regions`` turned into spaces, line breaks kept."""
    out = []
    pos = 0
    for r in sorted(regions, key=lambda r: r.start):
        start = max(pos, r.start)
        if r.end <= start:
            continue
        out.append(text[pos:start])
        out.append(_NOT_NEWLINE.sub(" ", text[start : r.end]))
        pos = r.end
    out.append(text[pos:])
    return "".join(out)


def check(
    text: str, *, config: Config | None = None, incoming: str | None = None, **options: Any
) -> Report:
    """Check ``text`` and return a :class:`~clarity.types.Report`.

    ``incoming`` is the customer's message that ``text`` replies to: the tone rules
    then check that an upset customer is acknowledged and their questions answered.

    ``options`` are settings (``audience="technical"``, ``accept=["SharePoint"]``,
    ``ignore=["R003"]``...) applied over ``config`` (default: the configuration
    found from the current folder). The pipeline and matchers are cached, so
    repeated calls are cheap; :class:`Checker` avoids re-reading the configuration.
    """
    base = config if config is not None else load_config()
    return Checker(base.replace(**options) if options else base).check(text, incoming=incoming)


def rewrite(
    text: str, *, unsafe: bool = False, config: Config | None = None, **options: Any
) -> str:
    """``text`` with clarity's fixes applied: safe ones, and unsafe ones on request.

    Text outside the edited spans is unchanged, byte for byte. ``options`` are
    settings, as for :func:`check`.
    """
    base = config if config is not None else load_config()
    checker = Checker(base.replace(**options) if options else base)
    return checker.fix(text, unsafe=unsafe).text
