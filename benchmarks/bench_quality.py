"""Quality of clarity's findings and of its pre-send gate, against hand-labelled replies.

    python benchmarks/bench_quality.py                       # the development set
    python benchmarks/bench_quality.py --set heldout         # figures only, never texts
    python benchmarks/bench_quality.py --set sample          # the script's own test data
    python benchmarks/bench_quality.py --set a.jsonl b.jsonl # any labelled files
    python benchmarks/bench_quality.py --save                # keep the figures for next time
    python benchmarks/bench_quality.py --json out.json --findings out.jsonl

The data sets live in ``benchmarks/quality/`` (``dev`` is ``dev_a.jsonl`` to
``dev_y.jsonl``, 1,640 replies; ``heldout`` is ``heldout.jsonl``; ``unseen`` is
``dev_z1.jsonl`` and ``dev_z2.jsonl``, written after the last round's changes, scored
but not yet read nor tuned on; ``sample`` is
``sample.jsonl``); their labels follow ``benchmarks/quality/GUIDE.md``. Every item is
checked with ``Checker.check(reply, incoming=customer)`` and judged by the gate
``clarity.presend(..., policy=Policy())`` (one checker per audience, reused).

How findings meet labels:

* ``J001``/``J002``/``J003`` against ``jargon``, ``W001`` against ``wordy``, and the tone
  rules on wording (``T001``-``T008``, ``T011``) against ``tone``: a finding is a true
  positive when its span overlaps an occurrence of a label of its family (every
  occurrence of the labelled string in the reply counts); a label is found when one
  of its occurrences overlaps a finding of its family, or a use of a term J001
  reported where it first appears ("used 3 times"): the reader was told about it.
* ``T012`` and ``T013`` are judged per item: ``T012`` against "upset and not
  acknowledged", ``T013`` against "has a question with ``answered`` false" (a second
  row counts per question: ``min(findings, unanswered questions)`` true positives).
* ``R004`` against ``"hard"`` in ``problems``; the other R and S rules and ``T009``/
  ``T010`` have no labels: their counts and the share of items with them are shown.

Every run prints what changed since ``benchmarks/quality/last_<set>.json`` (written by
``--save``). Texts of the held-out set are never printed nor written.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shlex
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
QUALITY = ROOT / "benchmarks" / "quality"
SETS: dict[str, tuple[str, ...]] = {
    "dev": tuple(f"dev_{x}.jsonl" for x in "abcdefghijklmnopqrstuvwxy"),
    "heldout": ("heldout.jsonl",),
    "unseen": ("dev_z1.jsonl", "dev_z2.jsonl"),
    "sample": ("sample.jsonl",),
}
PROBLEMS = ("jargon", "tone", "unacknowledged", "unanswered", "hard")
TONE_KINDS = ("blame", "condescending", "curt", "dismissive", "shouting", "minimizing")

#: Span families: the rule codes and the label field they are matched against.
SPAN_FAMILIES: dict[str, tuple[str, ...]] = {
    "jargon": ("J001", "J002", "J003"),
    "wordy": ("W001",),
    "tone": ("T001", "T002", "T003", "T004", "T005", "T006", "T007", "T008", "T011"),
}
FAMILY_OF: dict[str, str] = {code: fam for fam, codes in SPAN_FAMILIES.items() for code in codes}
#: Rules judged per item.
ITEM_RULES = ("T012", "T013")
#: Rules without span labels: counted; R004 is also compared with "hard".
UNLABELLED_PREFIXES = ("R", "S")
UNLABELLED_CODES = ("T009", "T010")


def family(code: str) -> str:
    """``jargon``, ``wordy``, ``tone`` (span families), ``T012``/``T013`` (per item) or
    ``unlabelled``."""
    if code in FAMILY_OF:
        return FAMILY_OF[code]
    if code in ITEM_RULES:
        return code
    return "unlabelled"


# --------------------------------------------------------------------------- data


@dataclass
class Item:
    """One labelled reply (the fields of GUIDE.md, with defaults for missing ones)."""

    id: str
    reply: str
    customer: str | None = None
    audience: str = "customer"
    fine_to_send: bool = True
    problems: list[str] = field(default_factory=list)
    jargon: list[str] = field(default_factory=list)
    wordy: list[str] = field(default_factory=list)
    tone: list[dict[str, str]] = field(default_factory=list)
    upset: bool | None = None
    acknowledged: bool | None = None
    questions: list[dict[str, Any]] = field(default_factory=list)
    subject: str | None = None
    source: str = ""

    @property
    def needs_ack(self) -> bool:
        """Upset and not acknowledged (what T012 should find)."""
        return self.upset is True and self.acknowledged is not True

    @property
    def unanswered(self) -> int:
        """Number of questions labelled ``answered: false`` (what T013 should find)."""
        return sum(1 for q in self.questions if q.get("answered") is False)

    @property
    def plain(self) -> bool:
        """Fine to send and no jargon labelled: jargon findings here are false alarms."""
        return self.fine_to_send and not self.jargon

    def labels(self, fam: str) -> list[str]:
        if fam == "jargon":
            return list(self.jargon)
        if fam == "wordy":
            return list(self.wordy)
        if fam == "tone":
            return [str(t.get("text", "")) for t in self.tone]
        raise ValueError(fam)


def item_from_dict(data: dict[str, Any], source: str = "") -> tuple[Item, list[str]]:
    """An :class:`Item` and the problems found in its labels (one line each, no texts)."""
    warnings: list[str] = []
    iid = str(data.get("id") or f"{source}:?")
    reply = data.get("reply")
    if not isinstance(reply, str):
        raise ValueError(f"{iid}: 'reply' must be a string")
    customer = data.get("customer")
    problems = [str(p) for p in data.get("problems") or []]
    tone = [
        t if isinstance(t, dict) else {"kind": "?", "text": str(t)} for t in data.get("tone") or []
    ]
    item = Item(
        id=iid,
        reply=reply,
        customer=customer if isinstance(customer, str) and customer.strip() else None,
        audience=str(data.get("audience") or "customer"),
        fine_to_send=bool(data.get("fine_to_send", not problems)),
        problems=problems,
        jargon=[str(x) for x in data.get("jargon") or []],
        wordy=[str(x) for x in data.get("wordy") or []],
        tone=tone,
        upset=data.get("upset"),
        acknowledged=data.get("acknowledged"),
        questions=[q for q in data.get("questions") or [] if isinstance(q, dict)],
        subject=data.get("subject") if isinstance(data.get("subject"), str) else None,
        source=source,
    )
    if item.fine_to_send != (not problems):
        warnings.append(f"{iid}: fine_to_send is {item.fine_to_send} but problems is {problems}")
    for p in problems:
        if p not in PROBLEMS:
            warnings.append(f"{iid}: unknown problem {p!r}")
    for t in tone:
        if t.get("kind") not in TONE_KINDS:
            warnings.append(f"{iid}: unknown tone kind {t.get('kind')!r}")
    for fam in SPAN_FAMILIES:
        for n, label in enumerate(item.labels(fam)):
            if not label.strip():
                warnings.append(f"{iid}: empty {fam} label #{n + 1}")
            elif not occurrences(reply, label):
                warnings.append(f"{iid}: {fam} label #{n + 1} is not in the reply")
    if item.upset is True and item.acknowledged is None:
        warnings.append(f"{iid}: upset but 'acknowledged' is null (counted as not acknowledged)")
    if item.customer is None and (item.questions or item.upset):
        warnings.append(f"{iid}: questions or upset without a customer message")
    if item.audience not in ("customer", "technical"):
        warnings.append(f"{iid}: audience {item.audience!r}")
    return item, warnings


def resolve_set(names: Sequence[str]) -> tuple[str, list[Path]]:
    """The set's name (for ``last_<name>.json``) and its files."""
    paths: list[Path] = []
    stems: list[str] = []
    for name in names:
        if name in SETS:
            paths += [QUALITY / f for f in SETS[name]]
            stems.append(name)
        else:
            path = Path(name)
            paths.append(path)
            stems.append(path.stem)
    return "+".join(stems), paths


def is_private(paths: Iterable[Path], name: str = "") -> bool:
    """Whether texts must not be shown: the held-out set, however it is named."""
    return "heldout" in name or any("heldout" in p.name for p in paths)


def load(paths: Sequence[Path]) -> tuple[list[Item], list[str], str]:
    """The items of ``paths``, the label warnings, and a digest of the files' bytes."""
    items: list[Item] = []
    warnings: list[str] = []
    digest = hashlib.sha256()
    seen: set[str] = set()
    for path in paths:
        if not path.is_file():
            raise FileNotFoundError(f"{path} does not exist (yet)")
        raw = path.read_bytes()
        digest.update(raw)
        for n, line in enumerate(raw.decode("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            # A broken line (a file still being written) is skipped, loudly.
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                warnings.append(f"{path.name}:{n}: not JSON ({exc.msg}); skipped")
                continue
            if not isinstance(data, dict):
                warnings.append(f"{path.name}:{n}: not a JSON object; skipped")
                continue
            try:
                item, more = item_from_dict(data, f"{path.name}:{n}")
            except ValueError as exc:
                warnings.append(f"{path.name}:{n}: {exc}; skipped")
                continue
            if item.id in seen:
                warnings.append(f"{item.id}: duplicate id ({path.name}:{n})")
            seen.add(item.id)
            items.append(item)
            warnings += more
    return items, warnings, digest.hexdigest()[:12]


# ----------------------------------------------------------------------- matching


def occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    """Every ``[start, end)`` where ``needle`` occurs in ``text`` (overlapping ones too);
    case-insensitively when it never occurs as written."""
    if not needle:
        return []
    for hay, pin in ((text, needle), (text.lower(), needle.lower())):
        if len(hay) != len(text):  # lower() changed the length: offsets would not hold
            break
        out: list[tuple[int, int]] = []
        i = hay.find(pin)
        while i >= 0:
            out.append((i, i + len(pin)))
            i = hay.find(pin, i + 1)
        if out:
            return out
    return []


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """Whether ``[a_start, a_end)`` and ``[b_start, b_end)`` share a character."""
    return a_start < b_end and b_start < a_end


@dataclass
class FindingResult:
    """One finding and how it met the labels."""

    code: str
    severity: str
    start: int
    end: int
    text: str
    family: str
    #: True/False for labelled families and per-item rules; None when unlabelled.
    matched: bool | None
    #: Indices of the labels (of its family) it overlaps.
    labels: tuple[int, ...] = ()
    blocking: bool = False
    on_subject: bool = False


@dataclass
class ItemResult:
    """What clarity said of one item, next to its labels."""

    item: Item
    findings: list[FindingResult]
    #: Per span family: per label, the codes of the findings that overlap it.
    found_by: dict[str, list[list[str]]]
    allowed: bool | None = None
    reasons: tuple[str, ...] = ()
    blocking_codes: tuple[str, ...] = ()
    score: int | None = None

    def codes(self) -> Counter[str]:
        return Counter(f.code for f in self.findings)


def match_item(
    item: Item,
    findings: Sequence[Any],
    *,
    subject_findings: Sequence[Any] = (),
    blocking: Sequence[Any] = (),
) -> ItemResult:
    """Match ``findings`` (anything with ``code``, ``start``, ``end``, ``text`` and
    ``severity``; offsets into ``item.reply``) with the item's labels."""
    blocking_ids = {id(f) for f in blocking}
    occ = {
        fam: [occurrences(item.reply, label) for label in item.labels(fam)] for fam in SPAN_FAMILIES
    }
    found_by: dict[str, list[list[str]]] = {
        fam: [[] for _ in item.labels(fam)] for fam in SPAN_FAMILIES
    }
    out: list[FindingResult] = []
    # J001 reports a term once, where it first appears ("used 3 times"): a label at a
    # later use of that term is one the reader was told about.
    for f in findings:
        if str(f.code) == "J001" and "used " in str(f.message):
            again = occurrences(item.reply, str(f.text))
            for n, spans in enumerate(occ["jargon"]):
                if not found_by["jargon"][n] and any(
                    overlaps(a, b, s, e) for a, b in again for s, e in spans
                ):
                    found_by["jargon"][n].append("J001")
    for f, on_subject in [*((f, True) for f in subject_findings), *((f, False) for f in findings)]:
        code = str(f.code)
        fam = family(code)
        severity = getattr(f.severity, "value", f.severity)
        hit: list[int] = []
        matched: bool | None
        if on_subject:
            matched = None
        elif fam in SPAN_FAMILIES:
            for n, spans in enumerate(occ[fam]):
                if any(overlaps(f.start, f.end, s, e) for s, e in spans):
                    hit.append(n)
                    found_by[fam][n].append(code)
            matched = bool(hit)
        elif fam == "T012":
            matched = item.needs_ack
        elif fam == "T013":
            matched = item.unanswered > 0
        else:
            matched = None
        out.append(
            FindingResult(
                code=code,
                severity=str(severity),
                start=int(f.start),
                end=int(f.end),
                text=str(f.text),
                family=fam,
                matched=matched,
                labels=tuple(hit),
                blocking=id(f) in blocking_ids,
                on_subject=on_subject,
            )
        )
    return ItemResult(item=item, findings=out, found_by=found_by)


# ---------------------------------------------------------------------- figures


def ratio(num: float, den: float) -> float | None:
    return None if den == 0 else num / den


def _row(findings: int, tp: int, labels: int, found: int, **extra: Any) -> dict[str, Any]:
    return {
        "findings": findings,
        "tp": tp,
        "precision": ratio(tp, findings),
        "labels": labels,
        "found": found,
        "recall": ratio(found, labels),
        **extra,
    }


def _all_codes(results: Sequence[ItemResult]) -> list[str]:
    import clarity

    codes = {r.code for r in clarity.all_rules()}
    codes |= {f.code for r in results for f in r.findings}
    return sorted(codes)


def rule_figures(results: Sequence[ItemResult]) -> dict[str, dict[str, Any]]:
    """Per span family and per rule: findings, true positives, precision; labels,
    labels found, recall. ``T012``/``T013`` per item; ``T013/q`` per question."""
    rows: dict[str, dict[str, Any]] = {}
    for fam, codes in SPAN_FAMILIES.items():
        n_labels = sum(len(r.found_by[fam]) for r in results)
        fam_findings = [f for r in results for f in r.findings if f.family == fam]
        rows[fam] = _row(
            len(fam_findings),
            sum(1 for f in fam_findings if f.matched),
            n_labels,
            sum(1 for r in results for codes_ in r.found_by[fam] if codes_),
        )
        for code in codes:
            mine = [f for f in fam_findings if f.code == code]
            rows[code] = _row(
                len(mine),
                sum(1 for f in mine if f.matched),
                n_labels,
                sum(1 for r in results for codes_ in r.found_by[fam] if code in codes_),
            )
    # Tone labels per kind: how many any tone rule found.
    for kind in TONE_KINDS:
        labels = found = 0
        for r in results:
            for t, codes_ in zip(r.item.tone, r.found_by["tone"], strict=True):
                if t.get("kind") == kind:
                    labels += 1
                    found += bool(codes_)
        rows[f"tone:{kind}"] = _row(0, 0, labels, found)
    # Per item: T012 and T013.
    for code, want in (("T012", lambda i: i.needs_ack), ("T013", lambda i: i.unanswered > 0)):
        flagged = [r for r in results if r.codes()[code]]
        labelled = [r for r in results if want(r.item)]
        rows[code] = _row(
            len(flagged),
            sum(1 for r in flagged if want(r.item)),
            len(labelled),
            sum(1 for r in labelled if r.codes()[code]),
            unit="items",
            raw_findings=sum(r.codes()[code] for r in results),
        )
    pairs = [(r.codes()["T013"], r.item.unanswered) for r in results]
    tp_q = sum(min(n, u) for n, u in pairs)
    rows["T013/q"] = _row(
        sum(n for n, _ in pairs), tp_q, sum(u for _, u in pairs), tp_q, unit="questions"
    )
    # R004 against "hard" (per item).
    flagged = [r for r in results if r.codes()["R004"]]
    hard = [r for r in results if "hard" in r.item.problems]
    rows["R004"] = _row(
        len(flagged),
        sum(1 for r in flagged if "hard" in r.item.problems),
        len(hard),
        sum(1 for r in hard if r.codes()["R004"]),
        unit="items",
        raw_findings=sum(r.codes()["R004"] for r in results),
    )
    return rows


def unlabelled_figures(results: Sequence[ItemResult]) -> dict[str, dict[str, Any]]:
    """Rules without span labels: findings, items with them (all, fine, problem)."""
    n = len(results)
    fine = [r for r in results if r.item.fine_to_send]
    bad = [r for r in results if not r.item.fine_to_send]
    out: dict[str, dict[str, Any]] = {}
    for code in _all_codes(results):
        if family(code) != "unlabelled":
            continue
        with_it = [r for r in results if r.codes()[code]]
        out[code] = {
            "findings": sum(r.codes()[code] for r in results),
            "items": len(with_it),
            "share": ratio(len(with_it), n),
            "share_fine": ratio(sum(1 for r in fine if r.codes()[code]), len(fine)),
            "share_problem": ratio(sum(1 for r in bad if r.codes()[code]), len(bad)),
        }
    return out


def plain_jargon_figures(results: Sequence[ItemResult]) -> dict[str, Any]:
    """Jargon findings on plain replies (fine to send, no jargon labelled)."""
    plain = [r for r in results if r.item.plain]
    found = [f for r in plain for f in r.findings if f.family == "jargon"]
    with_any = [r for r in plain if any(f.family == "jargon" for f in r.findings)]
    blocked = [r for r in plain if any(f.family == "jargon" and f.blocking for f in r.findings)]
    return {
        "items": len(plain),
        "findings": len(found),
        "by_code": dict(sorted(Counter(f.code for f in found).items())),
        "items_with_jargon": len(with_any),
        "share_with_jargon": ratio(len(with_any), len(plain)),
        "items_held_by_jargon": len(blocked),
        "per_100_items": ratio(100 * len(found), len(plain)),
    }


def gate_figures(results: Sequence[ItemResult]) -> dict[str, Any]:
    """The gate: fine items passed, problem items held, and why."""
    fine = [r for r in results if r.item.fine_to_send]
    bad = [r for r in results if not r.item.fine_to_send]
    passed = [r for r in fine if r.allowed]
    held = [r for r in bad if not r.allowed]
    false_alarms = [r for r in fine if not r.allowed]
    by_problem = {}
    for p in PROBLEMS:
        having = [r for r in bad if p in r.item.problems]
        by_problem[p] = {
            "items": len(having),
            "held": sum(1 for r in having if not r.allowed),
            "held_share": ratio(sum(1 for r in having if not r.allowed), len(having)),
        }
    return {
        "fine_items": len(fine),
        "fine_passed": len(passed),
        "fine_passed_share": ratio(len(passed), len(fine)),
        "problem_items": len(bad),
        "problem_held": len(held),
        "problem_held_share": ratio(len(held), len(bad)),
        "accuracy": ratio(len(passed) + len(held), len(results)),
        "held_by_problem": by_problem,
        # Items (not findings) each code blocks, and the reason kinds.
        "false_alarm_codes": _count_items(r.blocking_codes for r in false_alarms),
        "false_alarm_reasons": _count_items(r.reasons for r in false_alarms),
        "held_codes": _count_items(r.blocking_codes for r in held),
        "missed_problems": _count_items(r.item.problems for r in bad if r.allowed),
    }


def _count_items(groups: Iterable[Iterable[str]]) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for g in groups:
        counts.update(set(g))
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def score_figures(results: Sequence[ItemResult]) -> dict[str, Any]:
    """Mean clarity score of fine items, and of items with each problem."""

    def mean(group: list[ItemResult]) -> dict[str, Any]:
        scores = [r.score for r in group if r.score is not None]
        return {"items": len(scores), "mean": ratio(sum(scores), len(scores))}

    out = {"fine": mean([r for r in results if r.item.fine_to_send])}
    for p in PROBLEMS:
        out[p] = mean([r for r in results if p in r.item.problems])
    f = out["fine"]["mean"]
    for p in ("tone", "jargon"):
        m = out[p]["mean"]
        out[f"fine_above_{p}"] = None if f is None or m is None else f > m
    return out


def figures(results: Sequence[ItemResult]) -> dict[str, Any]:
    """Every figure of a run (no texts)."""
    return {
        "items": len(results),
        "rules": rule_figures(results),
        "unlabelled": unlabelled_figures(results),
        "plain_jargon": plain_jargon_figures(results),
        "gate": gate_figures(results),
        "scores": score_figures(results),
    }


def item_figures(r: ItemResult) -> dict[str, Any]:
    """One item's figures for ``--json`` (ids and codes, no texts)."""
    return {
        "id": r.item.id,
        "audience": r.item.audience,
        "fine_to_send": r.item.fine_to_send,
        "problems": r.item.problems,
        "allowed": r.allowed,
        "reasons": list(r.reasons),
        "blocking": list(r.blocking_codes),
        "score": r.score,
        "codes": dict(sorted(r.codes().items())),
        "false_positives": sorted(f.code for f in r.findings if f.matched is False),
        "missed": {fam: sum(1 for codes in r.found_by[fam] if not codes) for fam in SPAN_FAMILIES},
    }


def headline(figs: dict[str, Any]) -> dict[str, float]:
    """The figures compared between runs (shares in [0, 1])."""
    out: dict[str, float] = {}
    for key, row in figs["rules"].items():
        for what in ("precision", "recall"):
            if row.get(what) is not None and (what == "recall" or row["findings"]):
                out[f"{key} {what}"] = row[what]
    gate = figs["gate"]
    for key in ("fine_passed_share", "problem_held_share", "accuracy"):
        if gate[key] is not None:
            out[f"gate {key}"] = gate[key]
    for p, row in gate["held_by_problem"].items():
        if row["held_share"] is not None:
            out[f"gate held {p}"] = row["held_share"]
    share = figs["plain_jargon"]["share_with_jargon"]
    if share is not None:
        out["plain replies with jargon findings"] = share
    return out


def changes(now: dict[str, Any], before: dict[str, Any]) -> list[str]:
    """Lines of what changed, in points (percentage points)."""
    a, b = headline(before), headline(now)
    lines = []
    for key in sorted(set(a) | set(b)):
        if key not in a:
            lines.append(f"  {key:<40} {_pct(b[key]):>7}  (new)")
        elif key not in b:
            lines.append(f"  {key:<40} {'-':>7}  (was {_pct(a[key])})")
        elif abs(b[key] - a[key]) >= 0.0005:
            lines.append(f"  {key:<40} {_pct(b[key]):>7}  {100 * (b[key] - a[key]):+.1f} pts")
    return lines


# ------------------------------------------------------------------------ render


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def _num(x: float | None, fmt: str = ".1f") -> str:
    return "-" if x is None else format(x, fmt)


TABLE_HEAD = (
    f"{'rule':<24}{'findings':>9}{'TP':>6}{'precision':>11}   {'labels':>7}{'found':>7}"
    f"{'recall':>9}"
)


def _table_line(name: str, row: dict[str, Any], labels_only: bool = False) -> str:
    left = (
        f"{'':>26}"
        if labels_only
        else f"{row['findings']:>9}{row['tp']:>6}{_pct(row['precision']):>11}"
    )
    return f"{name:<24}{left}   {row['labels']:>7}{row['found']:>7}{_pct(row['recall']):>9}"


def render(figs: dict[str, Any]) -> list[str]:
    rules = figs["rules"]
    lines = ["", "== Findings against labels (span overlap) ==", TABLE_HEAD]
    for fam, codes in SPAN_FAMILIES.items():
        lines.append(_table_line(fam, rules[fam]))
        lines += [_table_line(f"  {c}", rules[c]) for c in codes]
        if fam == "tone":
            lines += [
                _table_line(f"  labels: {k}", rules[f"tone:{k}"], labels_only=True)
                for k in TONE_KINDS
                if rules[f"tone:{k}"]["labels"]
            ]
    lines += [
        "per item:",
        _table_line("T012 (items)", rules["T012"]),
        _table_line("T013 (items)", rules["T013"]),
        _table_line("T013 (questions)", rules["T013/q"]),
        _table_line("R004 vs hard (items)", rules["R004"]),
        "  T012: upset and not acknowledged; T013: a question with answered false;",
        "  per question, TP = min(T013 findings, unanswered questions) per item.",
        "",
        "== Jargon findings on plain replies (fine to send, no jargon labelled) ==",
    ]
    pj = figs["plain_jargon"]
    by_code = ", ".join(f"{k} {v}" for k, v in pj["by_code"].items()) or "none"
    lines += [
        f"plain items {pj['items']}; with a jargon finding {pj['items_with_jargon']} "
        f"({_pct(pj['share_with_jargon'])}); held by jargon {pj['items_held_by_jargon']}",
        f"jargon findings {pj['findings']} ({_num(pj['per_100_items'])} per 100 items): {by_code}",
        "",
        "== Rules without span labels ==",
        f"{'rule':<8}{'findings':>9}{'items':>7}{'share':>9}{'fine':>9}{'problem':>9}",
    ]
    for code, row in figs["unlabelled"].items():
        lines.append(
            f"{code:<8}{row['findings']:>9}{row['items']:>7}{_pct(row['share']):>9}"
            f"{_pct(row['share_fine']):>9}{_pct(row['share_problem']):>9}"
        )
    g = figs["gate"]
    lines += [
        "",
        "== Pre-send gate (Policy()) ==",
        f"fine items passed   {g['fine_passed']:>4} / {g['fine_items']:<4} "
        f"{_pct(g['fine_passed_share']):>7}",
        f"problem items held  {g['problem_held']:>4} / {g['problem_items']:<4} "
        f"{_pct(g['problem_held_share']):>7}",
        f"accuracy            {_pct(g['accuracy']):>18}",
        "held, by problem:   "
        + ", ".join(f"{p} {row['held']}/{row['items']}" for p, row in g["held_by_problem"].items()),
        "false alarms (fine items held), items per blocking code: "
        + (", ".join(f"{k} {v}" for k, v in g["false_alarm_codes"].items()) or "none"),
        "  per reason: "
        + (", ".join(f"{k} {v}" for k, v in g["false_alarm_reasons"].items()) or "none"),
        "problem items held, items per blocking code: "
        + (", ".join(f"{k} {v}" for k, v in g["held_codes"].items()) or "none"),
        "problem items passed, per problem: "
        + (", ".join(f"{k} {v}" for k, v in g["missed_problems"].items()) or "none"),
        "",
        "== Score ranking (mean clarity score) ==",
    ]
    s = figs["scores"]
    for key in ("fine", *PROBLEMS):
        lines.append(f"{key:<16}{_num(s[key]['mean']):>7}   ({s[key]['items']} items)")
    for p in ("tone", "jargon"):
        verdict = {True: "yes", False: "NO", None: "-"}[s[f"fine_above_{p}"]]
        lines.append(f"fine above {p}: {verdict}")
    return lines


def render_texts(results: Sequence[ItemResult], top: int = 12) -> list[str]:
    """The commonest unmatched findings and missed labels (never for the held-out set)."""
    fp: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    for r in results:
        for f in r.findings:
            if f.matched is False and f.family in SPAN_FAMILIES:
                fp[f"{f.code} {' '.join(f.text.split())[:40]!r}"] += 1
        for fam in SPAN_FAMILIES:
            for label, codes in zip(r.item.labels(fam), r.found_by[fam], strict=True):
                if not codes:
                    missed[f"{fam} {label[:40]!r}"] += 1
    lines = ["", f"== Commonest unmatched findings (top {top}) =="]
    lines += [f"{n:>4}  {k}" for k, n in sorted(fp.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
    lines += ["", f"== Commonest missed labels (top {top}) =="]
    lines += [
        f"{n:>4}  {k}" for k, n in sorted(missed.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    ]
    return lines


# --------------------------------------------------------------------------- run


class Runner:
    """clarity over items: one checker per audience, reused; the default policy."""

    def __init__(self) -> None:
        import clarity

        self._clarity = clarity
        self._checkers: dict[str, Any] = {}
        self.policy = clarity.Policy()

    def checker(self, audience: str) -> Any:
        if audience not in self._clarity.AUDIENCES:  # warned about when loading
            audience = "customer"
        if audience not in self._checkers:
            c = self._clarity.Checker()
            if c.config.audience != audience:
                c = self._clarity.Checker(audience=audience)
            self._checkers[audience] = c
        return self._checkers[audience]

    def run(self, item: Item) -> ItemResult:
        checker = self.checker(item.audience)
        report = checker.check(item.reply, incoming=item.customer, subject=item.subject)
        verdict = self._clarity.presend(
            item.reply,
            incoming=item.customer,
            subject=item.subject,
            checker=checker,
            policy=self.policy,
        )
        # The gate's report should be the same findings; use its objects to mark the
        # blocking ones, after making sure they agree.
        same = [(f.code, f.start, f.end) for f in report.findings] == [
            (f.code, f.start, f.end) for f in verdict.report.findings
        ]
        if not same:
            print(f"warning: {item.id}: check and presend disagree", file=sys.stderr)
        result = match_item(
            item,
            verdict.report.findings if same else report.findings,
            subject_findings=verdict.report.subject_findings if same else report.subject_findings,
            blocking=verdict.blocking,
        )
        result.allowed = bool(verdict.allowed)
        result.reasons = tuple(dict.fromkeys(x.kind for x in verdict.reasons))
        result.blocking_codes = tuple(dict.fromkeys(f.code for f in verdict.blocking))
        result.score = int(report.score)
        return result


def findings_records(results: Sequence[ItemResult]) -> Iterable[dict[str, Any]]:
    """One JSON object per finding, for judging by hand (``--findings``)."""
    for r in results:
        for f in r.findings:
            labels = r.item.labels(f.family) if f.family in SPAN_FAMILIES else []
            yield {
                "id": r.item.id,
                "code": f.code,
                "severity": f.severity,
                "start": f.start,
                "end": f.end,
                "text": f.text,
                "on_subject": f.on_subject,
                "family": f.family,
                "matched": f.matched,
                "labels": [labels[n] for n in f.labels],
                "blocking": f.blocking,
                "allowed": r.allowed,
                "fine_to_send": r.item.fine_to_send,
            }


def _clean(x: Any) -> Any:
    """Floats rounded (stable JSON)."""
    if isinstance(x, float):
        return round(x, 6)
    if isinstance(x, dict):
        return {k: _clean(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_clean(v) for v in x]
    return x


def main(argv: Sequence[str] | None = None) -> int:
    import clarity

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--set",
        nargs="+",
        default=["dev"],
        metavar="SET",
        help="dev, heldout, sample, or .jsonl files (default: dev)",
    )
    parser.add_argument("--json", metavar="OUT", help="write every figure to OUT")
    parser.add_argument("--findings", metavar="OUT", help="write every finding to OUT (.jsonl)")
    parser.add_argument(
        "--save", action="store_true", help="write the figures to quality/last_<set>.json"
    )
    args = parser.parse_args(argv)
    shown = list(sys.argv[1:] if argv is None else argv)
    print("$ " + shlex.join(["python", "benchmarks/bench_quality.py", *shown]))
    print(f"clarity {clarity.__version__}")

    name, paths = resolve_set(args.set)
    private = is_private(paths, name)
    if args.findings and private:
        print("error: --findings is refused for the held-out set (it holds texts)")
        return 2
    try:
        items, warnings, digest = load(paths)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}")
        return 2
    files = ", ".join(p.name if p.parent == QUALITY else str(p) for p in paths)
    print(f"set {name}: {files}: {len(items)} items (data {digest})")
    if not items:
        print("error: no items")
        return 2
    for w in warnings[:20]:
        print(f"label warning: {w}")
    if len(warnings) > 20:
        print(f"... and {len(warnings) - 20} more label warnings")

    runner = Runner()
    started = time.perf_counter()
    results = []
    for item in items:
        try:
            results.append(runner.run(item))
        except clarity.ClarityError as exc:  # e.g. a reply over max_chars: left out, loudly
            print(f"error: {item.id}: {type(exc).__name__}; item left out")
    if not results:
        return 2
    sys.stdout.flush()
    print(f"checked in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)

    figs = figures(results)
    for line in render(figs):
        print(line)
    if not private:
        for line in render_texts(results):
            print(line)

    last = QUALITY / f"last_{name}.json"
    print("")
    if last.is_file():
        before = json.loads(last.read_text(encoding="utf-8"))
        note = "" if before.get("data") == digest else " (the data changed since)"
        print(f"== Changes since {last.name}{note} ==")
        lines = changes(figs, before.get("figures", before))
        print("\n".join(lines) if lines else "  no change")
    else:
        print(f"== No {last.name} to compare with (run with --save) ==")

    payload = _clean(
        {
            "clarity": clarity.__version__,
            "set": name,
            "files": [p.name for p in paths],
            "data": digest,
            "policy": clarity.Policy().to_dict(),
            "figures": figs,
        }
    )
    if args.save:
        last.write_text(json.dumps(payload, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"saved {last.relative_to(ROOT)}")
    if args.json:
        full = {**payload, "items": [item_figures(r) for r in results], "warnings": warnings}
        if private:  # label warnings name no texts, but keep the held-out file lean
            full["warnings"] = len(warnings)
        Path(args.json).write_text(
            json.dumps(_clean(full), indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
        print(f"wrote {args.json}")
    if args.findings:
        with open(args.findings, "w", encoding="utf-8") as out:
            for rec in findings_records(results):
                out.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")
        print(f"wrote {args.findings}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
