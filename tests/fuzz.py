"""Fuzz clarity with adversarial input and check the promises it makes.

    python -m tests.fuzz --minutes 10 --target all --seed 1

Targets (``--target``):

``check``
    ``Checker.check`` on adversarial drafts (see :mod:`tests.fuzz_strategies`), with
    regions detected by the engine or none (``regions=()``), with or without a subject.
``fix``
    ``Checker.fix`` (what ``clarity.rewrite`` and ``clarity fix`` do), safe and unsafe,
    with and without detected regions; every pass's edits are inspected.
``email``
    ``clarity.sources.read`` on generated ``.eml`` (and sniffed / HTML) files, then
    ``check`` on what it read.
``batch``
    ``clarity.sources.read`` on CSV, TSV, JSON Lines and JSON ticket files.

The promises checked (a broken one is a *problem*):

* nothing raises but :class:`clarity.errors.ClarityError` (any subclass);
* every finding: ``0 <= start <= end <= len(text)`` and ``finding.text ==
  text[start:end]``; findings sorted; none inside a region whose findings are ignored;
  every edit of a fix inside ``[finding.start, finding.end]``;
* regions sorted, non-empty, non-overlapping, inside the text, of a known kind, and
  (as :mod:`clarity.sources.regions` documents) never starting or ending with a line
  break;
* fixing: the text outside the applied edits is unchanged; no edit (touch-ups
  included) lands inside a region whose findings are ignored (greetings and sign-offs
  are the writer's own words: checked and fixed, as :mod:`clarity.fixes` says), and
  such a region's text is unchanged; the only edits a fix
  brings beyond its own are the two touch-ups of :mod:`clarity.fixes` (``a``/``an``
  right before a replaced word, on the same line; the capital of the letter right
  after a deletion); fixing twice changes nothing (when the first fix says it is
  complete: the pass limit can stop a chain of fixes that each allow the next);
* e-mail and batch readers: only ClarityError; every batch record comes back as a
  document or a ``BadRecord``; an e-mail's text has ``\\n`` line breaks only;
* time: no input under the size limit takes longer than 5 s (the slowest is reported;
  a slow input is saved, not shrunk).

A problem is shrunk by Hypothesis to a small input, saved under ``.fuzz-failures/``
(``repro.py`` holds it as a Python literal) and its path printed. Each distinct problem
(exception type and place, or broken promise) is shrunk once; later hits are counted.
Exit code: 0 when no problem was found, 1 otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import itertools
import re
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

import clarity
import clarity.fixes
from clarity.config import MAX_CHARS, Config
from clarity.errors import ClarityError
from clarity.fixes import AppliedFix, article_for
from clarity.sources import BadRecord
from clarity.sources.regions import KINDS as REGION_KINDS
from clarity.types import Edit, Region, Report

try:  # the one way in (clarity.sources.read); iter_documents before it
    from clarity.sources import read as read_source
except ImportError:  # pragma: no cover - older trees
    from clarity.sources import iter_documents as read_source  # type: ignore[attr-defined,no-redef]

try:  # python -m tests.fuzz
    from tests import fuzz_strategies as fs
except ImportError:  # imported by pytest as a top-level module (tests/ on sys.path)
    import fuzz_strategies as fs  # type: ignore[no-redef]

#: No input under the size limit may take longer than this (seconds).
SLOW_SECONDS = 5.0
#: An input still running after this long is abandoned (and saved as a hang).
HANG_SECONDS = 120
FAILURES = Path(".fuzz-failures")
SRC = str(Path(clarity.__file__).parent)


# --- problems ---------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """A broken promise. ``key`` names it (one per distinct bug); ``detail`` says more."""

    key: str
    detail: str


class _Hang(BaseException):
    """Raised by the alarm in an input that runs too long (BaseException: product code
    catching ``Exception`` must not swallow it)."""


def _where(exc: BaseException) -> str:
    """Where ``exc`` was raised: the innermost frame in clarity, else the innermost."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if f.filename.startswith(SRC)]
    frame = (ours or frames or [None])[-1]
    if frame is None:
        return "?"
    name = Path(frame.filename).name
    return f"{name}:{frame.lineno} in {frame.name}"


def crash(what: str, exc: BaseException) -> Problem:
    tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)[-6:])
    message = str(exc)[:300]
    return Problem(f"{what} raised {type(exc).__name__} at {_where(exc)}", f"{message}\n{tb}")


@dataclass
class Stats:
    """What a run saw."""

    inputs: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)  # ClarityError, by type
    problems: Counter[str] = field(default_factory=Counter)
    slowest: dict[str, tuple[float, int]] = field(default_factory=dict)  # target: (s, size)
    saved: dict[str, Path] = field(default_factory=dict)
    slow_inputs: list[tuple[str, float, Path]] = field(default_factory=list)

    def timed(self, target: str, seconds: float, size: int) -> None:
        if seconds > self.slowest.get(target, (0.0, 0))[0]:
            self.slowest[target] = (seconds, size)


STATS = Stats()


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Raise :class:`_Hang` after ``seconds`` (main thread only; no-op elsewhere)."""

    def on_alarm(signum: int, frame: Any) -> None:
        raise _Hang

    try:
        old = signal.signal(signal.SIGALRM, on_alarm)
    except (ValueError, AttributeError):  # not the main thread, or no SIGALRM
        yield
        return
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


# --- invariants ---------------------------------------------------------------------


def region_problems(text: str, regions: Sequence[Region], what: str) -> list[Problem]:
    """Regions sorted, non-empty, non-overlapping, inside ``text``, of known kinds, and
    neither starting nor ending with a line break."""
    out = []
    last_end = 0
    for r in regions:
        if not 0 <= r.start < r.end <= len(text):
            out.append(Problem(f"{what}: region outside the text or empty", repr(r)))
        elif r.start < last_end:
            out.append(Problem(f"{what}: regions unsorted or overlapping", repr(r)))
        elif text[r.start] == "\n" or text[r.end - 1] == "\n":
            out.append(Problem(f"{what}: region starts or ends with a line break", repr(r)))
        elif text[r.start] == "\r" or text[r.end - 1] == "\r":
            out.append(Problem(f"{what}: region starts or ends with a bare CR", repr(r)))
        if r.kind not in REGION_KINDS:
            out.append(Problem(f"{what}: region of unknown kind {r.kind!r}", repr(r)))
        last_end = max(last_end, r.end)
    return out


def report_problems(
    text: str, report: Report, regions: Sequence[Region], subject: str | None = None
) -> list[Problem]:
    """Offsets of findings, fixes and sentence scores; ordering; regions respected."""
    out = []
    if report.text != text:
        out.append(Problem("report.text is not the text checked", ""))
    prev: tuple[int, int, str] = (-1, -1, "")
    ignored = [r for r in regions if r.ignored_by("findings")]
    for f in report.findings:
        if not 0 <= f.start <= f.end <= len(text):
            out.append(Problem(f"finding offsets outside the text ({f.code})", repr(f)))
            continue
        if f.text != text[f.start : f.end]:
            out.append(Problem(f"finding.text != text[start:end] ({f.code})", repr(f)))
        key = (f.start, f.end, f.code)
        if key < prev:
            out.append(Problem("findings not sorted by (start, end, code)", repr(f)))
        prev = key
        if any(f.start < r.end and r.start < f.end for r in ignored):
            out.append(Problem(f"finding inside an ignored region ({f.code})", repr(f)))
        if f.fix is not None:
            for e in f.fix.edits:
                if not f.start <= e.start <= e.end <= f.end:
                    out.append(
                        Problem(f"fix edit outside its finding ({f.code})", f"{e!r} of {f!r}")
                    )
            ordered = sorted(f.fix.edits, key=lambda e: (e.start, e.end))
            if any(a.end > b.start for a, b in itertools.pairwise(ordered)):
                out.append(Problem(f"edits of one fix overlap ({f.code})", repr(f.fix)))
    for s in report.readability.sentence_scores:
        if not 0 <= s.start <= s.end <= len(text):
            out.append(Problem("sentence score outside the text", repr(s)))
    if not 0 <= report.score <= 100:
        out.append(Problem("score outside 0-100", repr(report.score)))
    for f in report.subject_findings:
        if subject is None or not 0 <= f.start <= f.end <= len(subject):
            out.append(Problem(f"subject finding outside the subject ({f.code})", repr(f)))
        elif f.text != subject[f.start : f.end]:
            out.append(Problem(f"subject finding.text != subject[start:end] ({f.code})", repr(f)))
    return out


def _in_any(edit: Edit, regions: Sequence[Region]) -> bool:
    """As :func:`clarity.fixes._in_region`: overlapping, or an insertion inside."""
    return any(edit.start < r.end and r.start < max(edit.end, edit.start + 1) for r in regions)


_ARTICLES = {"a", "an", "A", "An"}


def touch_up_problem(text: str, x: Edit, own: Sequence[Edit]) -> str | None:
    """Why ``x`` is not one of the touch-ups :mod:`clarity.fixes` documents for the
    edits ``own`` of a fix (``None`` when it is one)."""
    for e in own:
        if e.replacement and text[x.start : x.end] in _ARTICLES and x.end <= e.start:
            gap = text[x.end : e.start]
            word = e.replacement.split()[0] if e.replacement.split() else ""
            wanted = article_for(word)
            wanted = wanted.capitalize() if text[x.start].isupper() else wanted
            if gap and not gap.strip() and x.replacement == wanted:
                if "\n" in gap or "\r" in gap:
                    return "article touch-up across a line break"
                if x.start > 0 and (text[x.start - 1].isalnum() or text[x.start - 1] == "_"):
                    return "article touch-up inside a word"
                return None
        if (
            not e.replacement
            and x.start == e.end
            and x.end == e.end + 1
            and text[x.start].islower()
            and x.replacement == text[x.start].upper()
        ):
            return None
    return "edit beyond the fix that is not a documented touch-up"


def _apply(text: str, edits: Sequence[Edit]) -> str:
    """An independent applier: text between edits copied as is."""
    out, pos = [], 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        out.append(text[pos : e.start] + e.replacement)
        pos = e.end
    return "".join(out) + text[pos:]


def _shift(pos: int, edits: Sequence[Edit]) -> int:
    return pos + sum(len(e.replacement) - (e.end - e.start) for e in edits if e.end <= pos)


@dataclass
class _Pass:
    text: str
    regions: tuple[Region, ...]
    new: str
    chosen: list[AppliedFix]


@contextlib.contextmanager
def recording_passes() -> Iterator[list[_Pass]]:
    """Record every pass of :meth:`Checker.fix` (it calls ``clarity.fixes.apply_fixes``)."""
    passes: list[_Pass] = []
    original = clarity.fixes.apply_fixes

    def spy(text: str, findings: Any, *, unsafe: bool = False, regions: Any = ()) -> Any:
        new, chosen = original(text, findings, unsafe=unsafe, regions=regions)
        passes.append(_Pass(text, tuple(regions), new, list(chosen)))
        return new, chosen

    clarity.fixes.apply_fixes = spy  # type: ignore[assignment]
    try:
        yield passes
    finally:
        clarity.fixes.apply_fixes = original  # type: ignore[assignment]


def pass_problems(p: _Pass) -> list[Problem]:
    out = []
    edits = [e for c in p.chosen for e in c.edits]
    for c in p.chosen:
        assert c.finding.fix is not None
        own = list(c.finding.fix.edits)
        for x in c.edits:
            if not 0 <= x.start <= x.end <= len(p.text):
                out.append(Problem("applied edit outside the text", repr(x)))
                continue
            if _in_any(x, [r for r in p.regions if r.ignored_by("findings")]):
                which = "fix edit" if x in own else "touch-up edit"
                out.append(Problem(f"{which} inside a region", f"{x!r} in {p.regions!r}"))
            if x not in own:
                why = touch_up_problem(p.text, x, own)
                if why is not None:
                    out.append(Problem(why, f"{x!r} for {c.finding.code} {own!r}"))
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    if any(a.end > b.start or a == b for a, b in itertools.pairwise(ordered)):
        out.append(Problem("applied edits overlap", repr(ordered)))
    elif p.new != _apply(p.text, edits):
        out.append(Problem("text outside the applied edits changed", repr(edits)))
    for r in p.regions:
        if not r.ignored_by("findings"):
            continue  # a greeting or sign-off: the writer's own words, checked and fixed
        start, end = _shift(r.start, edits), _shift(r.end, edits)
        if p.text[r.start : r.end] != p.new[start:end]:
            out.append(Problem("region text changed by fixing", repr(r)))
    return out


# --- targets ------------------------------------------------------------------------

_CHECKER: clarity.Checker | None = None


def checker() -> clarity.Checker:
    global _CHECKER
    if _CHECKER is None:
        _CHECKER = clarity.Checker(Config())
    return _CHECKER


def _refused(exc: ClarityError) -> None:
    STATS.refused[type(exc).__name__] += 1


def cleaned(text: str) -> str:
    """``text`` as clarity checks it: lone surrogates replaced by U+FFFD (same length)."""
    return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)


def _check_text(
    text: str, regions: Sequence[Region] | None, subject: str | None, what: str
) -> list[Problem]:
    """Check ``text`` (``regions=None``: the engine detects them) and its promises."""
    try:
        report = checker().check(text, regions=regions, subject=subject)
    except ClarityError as exc:
        _refused(exc)
        return []
    except _Hang:
        raise
    except Exception as exc:
        return [crash(what, exc)]
    if report.text != cleaned(text):
        return [Problem(f"{what}: report.text is not the text checked", repr(report.text[:200]))]
    problems = region_problems(report.text, report.regions, f"{what} regions")
    if regions is not None and tuple(report.regions) != tuple(regions):
        problems.append(Problem(f"{what}: report.regions are not the regions given", ""))
    clean_subject = cleaned(subject) if subject is not None else None
    return problems + report_problems(report.text, report, report.regions, clean_subject)


def run_check(value: tuple[str, bool, str | None]) -> list[Problem]:
    text, with_regions, subject = value
    return _check_text(text, None if with_regions else (), subject, "check")


def run_fix(value: tuple[str, bool, bool]) -> list[Problem]:
    """``Checker.fix`` (``clarity.rewrite``): regions detected (``None``) or none (``()``)."""
    text, unsafe, with_regions = value
    ck = checker()
    regions: tuple[Region, ...] | None = None if with_regions else ()
    try:
        with recording_passes() as passes:
            result = ck.fix(text, unsafe=unsafe, regions=regions)
    except ClarityError as exc:
        _refused(exc)
        return []
    except _Hang:
        raise
    except Exception as exc:
        return [crash("fix", exc)]
    out: list[Problem] = []
    for p in passes:
        out.extend(pass_problems(p))
    # An incomplete fix ran one more pass to learn that more was left: not applied.
    applied = passes if result.complete else passes[:-1]
    changing = [p for p in applied if p.chosen and p.new != p.text]
    expected = changing[-1].new if changing else cleaned(text)
    if result.text != expected:
        out.append(Problem("fix result is not its last pass's text", ""))
    out.extend(report_problems(result.text, result.report, result.report.regions))
    if out:
        return out
    mode = "regions detected" if with_regions else "regions=()"
    try:
        again = ck.fix(result.text, unsafe=unsafe, regions=regions).text
    except ClarityError as exc:
        return [Problem(f"fixed text refused on a second fix ({type(exc).__name__})", str(exc))]
    except _Hang:
        raise
    except Exception as exc:
        return [crash("second fix", exc)]
    if again != result.text and result.complete:
        out.append(
            Problem(
                f"fixing twice changes the text ({'unsafe' if unsafe else 'safe'}, {mode})",
                f"once: {result.text!r}\ntwice: {again!r}",
            )
        )
    return out


_TMP = tempfile.TemporaryDirectory(prefix="clarity-fuzz-")


def _documents(data: bytes, name: str, what: str) -> tuple[list[Any], list[Problem]]:
    path = Path(_TMP.name) / name
    path.write_bytes(data)
    try:
        return list(read_source(str(path))), []
    except ClarityError as exc:
        _refused(exc)
        return [], []
    except _Hang:
        raise
    except Exception as exc:
        return [], [crash(what, exc)]


def _document_problems(doc: Any, what: str) -> list[Problem]:
    out = []
    if doc.regions is not None:
        out.extend(region_problems(doc.text, doc.regions, what))
    if doc.meta.get("kind") == "eml" and "\r" in doc.text:
        out.append(Problem(f"{what}: e-mail text keeps a carriage return", ""))
    if not out and len(doc.text) <= MAX_CHARS:
        out.extend(_check_text(doc.text, doc.regions, doc.subject, f"check of {what}"))
    return out


def run_email(mail: fs.Mail) -> list[Problem]:
    docs, out = _documents(mail.data, mail.name, f"read({Path(mail.name).suffix or 'sniffed'})")
    for doc in docs:
        if isinstance(doc, BadRecord):
            continue
        out.extend(_document_problems(doc, "e-mail draft"))
    return out


def run_batch(batch: fs.Batch) -> list[Problem]:
    docs, out = _documents(batch.data, batch.name, f"read({Path(batch.name).suffix})")
    if out:
        return out
    if docs and len(docs) != batch.records:
        bad = sum(isinstance(d, BadRecord) for d in docs)
        out.append(
            Problem(
                f"batch {Path(batch.name).suffix}: records lost or invented",
                f"{batch.records} records, {len(docs) - bad} drafts + {bad} bad records",
            )
        )
    for doc in docs:
        if not isinstance(doc, BadRecord):
            out.extend(_document_problems(doc, "batch draft"))
    return out


@dataclass(frozen=True)
class Target:
    name: str
    strategy: st.SearchStrategy[Any]
    run: Callable[[Any], list[Problem]]


TARGETS = {
    "check": Target(
        "check", st.tuples(fs.drafts(), st.booleans(), st.none() | fs.sentences()), run_check
    ),
    "fix": Target("fix", st.tuples(fs.drafts(), st.booleans(), st.booleans()), run_fix),
    "email": Target("email", fs.emails(), run_email),
    "batch": Target("batch", fs.batches, run_batch),
}


def _size(value: Any) -> int:
    if isinstance(value, tuple):
        return len(value[0])
    return len(value.data)


def evaluate(target: Target, value: Any) -> list[Problem]:
    """Run ``target`` on ``value``: its problems; slow and hanging inputs are saved."""
    STATS.inputs[target.name] += 1
    start = time.perf_counter()
    try:
        with time_limit(HANG_SECONDS):
            problems = target.run(value)
    except _Hang:
        path = save(target.name, f"hang over {HANG_SECONDS} s", value, "")
        STATS.slow_inputs.append((target.name, float(HANG_SECONDS), path))
        return []
    seconds = time.perf_counter() - start
    STATS.timed(target.name, seconds, _size(value))
    if seconds > SLOW_SECONDS and _size(value) <= MAX_CHARS:
        path = save(target.name, f"slow {seconds:.1f} s", value, "")
        STATS.slow_inputs.append((target.name, seconds, path))
    for p in problems:
        STATS.problems[f"{target.name}: {p.key}"] += 1
    return problems


# --- saving -------------------------------------------------------------------------


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:60]


def save(target: str, key: str, value: Any, detail: str) -> Path:
    """Save ``value`` under ``.fuzz-failures/<target>/``; return the folder."""
    digest = hashlib.sha1(repr(value).encode("utf-8", "surrogatepass")).hexdigest()[:8]
    folder = FAILURES / target / f"{_slug(key)}-{digest}"
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(value, tuple):
        text = value[0]
        (folder / "input.txt").write_bytes(text.encode("utf-8", "surrogatepass"))
        call = {
            "check": "clarity.Checker().check(text{regions}, subject=args[2])",
            "fix": "clarity.Checker().fix(text, unsafe=args[1]{regions})",
        }[target]
        with_regions = value[1] if target == "check" else value[2]
        regions = "" if with_regions else ", regions=()"
        code = (
            f"import clarity\n\nargs = {value!r}\ntext = args[0]\n{call.format(regions=regions)}\n"
        )
    else:
        (folder / value.name).write_bytes(value.data)
        code = (
            "import pathlib, tempfile\nfrom clarity.sources import read\n\n"
            f"data = {value.data!r}\n"
            f"path = pathlib.Path(tempfile.mkdtemp()) / {value.name!r}\n"
            "path.write_bytes(data)\nprint(list(read(str(path))))\n"
        )
    header = f"# {target}: {key}\n" + "".join(f"# {line}\n" for line in detail.splitlines())
    (folder / "repro.py").write_text(header + code, encoding="utf-8")
    return folder


# --- the run ------------------------------------------------------------------------


class FuzzProblem(AssertionError):
    """Raised inside Hypothesis for a new problem; one subclass per problem key, so that
    Hypothesis shrinks each distinct problem on its own."""


_CLASSES: dict[str, type[FuzzProblem]] = {}


def _exception_for(key: str) -> type[FuzzProblem]:
    if key not in _CLASSES:
        _CLASSES[key] = type(f"FuzzProblem_{len(_CLASSES)}", (FuzzProblem,), {})
    return _CLASSES[key]


@dataclass
class Found:
    target: str
    problem: Problem
    value: Any
    path: Path | None = None


def _property(
    target: Target, found: dict[str, Found], latest: dict[str, tuple[Any, Problem]], seed: int
) -> Callable[[], None]:
    """One round: a Hypothesis test of ``target`` that raises on problems not yet found
    (the last failing input of each is left in ``latest``: after shrinking, the
    smallest, which Hypothesis replays last)."""

    @settings(
        max_examples=20,
        deadline=None,
        database=None,
        report_multiple_bugs=True,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate, Phase.shrink],
        verbosity=Verbosity.quiet,
    )
    @hypothesis_seed(seed)
    @given(target.strategy)
    def prop(value: Any) -> None:
        new = [p for p in evaluate(target, value) if f"{target.name}: {p.key}" not in found]
        if new:
            latest[new[0].key] = (value, new[0])
            raise _exception_for(new[0].key)(new[0].key)

    return prop  # type: ignore[no-any-return]


def fuzz_target(target: Target, seconds: float, seed: int, found: dict[str, Found]) -> None:
    """Fuzz ``target`` for about ``seconds``; new problems are shrunk, saved and added to
    ``found`` (keyed by problem key)."""
    deadline = time.monotonic() + seconds
    last_print = 0.0
    rounds = 0
    while time.monotonic() < deadline:
        latest: dict[str, tuple[Any, Problem]] = {}
        prop = _property(target, found, latest, seed * 100_003 + rounds)

        try:
            prop()
        except KeyboardInterrupt:
            raise
        except BaseException:
            pass  # the problems are in ``latest``
        for key, (value, problem) in latest.items():
            full = f"{target.name}: {key}"
            if full in found:
                continue
            path = save(target.name, key, value, problem.detail)
            found[full] = Found(target.name, problem, value, path)
            print(f"  NEW [{target.name}] {key}\n      saved: {path}", flush=True)
        rounds += 1
        now = time.monotonic()
        if now - last_print > 30:
            last_print = now
            slow = STATS.slowest.get(target.name, (0.0, 0))
            print(
                f"  [{target.name}] {max(0.0, deadline - now) / 60:.1f} min left, "
                f"{STATS.inputs[target.name]} inputs, "
                f"{sum(1 for f in found.values() if f.target == target.name)} distinct problems, "
                f"slowest {slow[0]:.2f} s ({slow[1]:,} chars/bytes)",
                flush=True,
            )


def summary(found: dict[str, Found]) -> str:
    lines = ["", "=== clarity fuzz summary ==="]
    for name, n in sorted(STATS.inputs.items()):
        slow = STATS.slowest.get(name, (0.0, 0))
        lines.append(
            f"{name:>6}: {n} inputs (shrinking included); slowest {slow[0]:.2f} s "
            f"on {slow[1]:,} chars/bytes"
        )
    if STATS.refused:
        lines.append(
            "refused with ClarityError: "
            + ", ".join(f"{k} {v}" for k, v in STATS.refused.most_common())
        )
    lines.append(f"distinct problems: {len(found)}")
    for full, f in sorted(found.items()):
        lines.append(f"  - {full}  (hits: {STATS.problems.get(full, 0)})\n      {f.path}")
    for name, seconds, path in STATS.slow_inputs:
        lines.append(f"  - {name}: input over {SLOW_SECONDS:g} s ({seconds:.1f} s)\n      {path}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.fuzz", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--minutes", type=float, default=1.0, help="per target (default 1)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--target", choices=[*TARGETS, "all"], default="all")
    parser.add_argument("--out", type=Path, default=None, help="default: .fuzz-failures")
    args = parser.parse_args(argv)
    if args.out is not None:
        global FAILURES
        FAILURES = args.out
    names = list(TARGETS) if args.target == "all" else [args.target]
    found: dict[str, Found] = {}
    print(
        f"clarity {clarity.__version__}: fuzzing {', '.join(names)}, "
        f"{args.minutes:g} min each, seed {args.seed}",
        flush=True,
    )
    checker().check("Warm up the pipeline.")
    try:
        for name in names:
            print(f"[{name}]", flush=True)
            fuzz_target(TARGETS[name], args.minutes * 60, args.seed, found)
    except KeyboardInterrupt:
        # Stopped early (Ctrl-C): what was run and found so far is still reported.
        print("\n(interrupted)", flush=True)
        print(summary(found), flush=True)
        return 130
    print(summary(found), flush=True)
    return 1 if found or STATS.slow_inputs else 0


if __name__ == "__main__":
    sys.exit(main())
