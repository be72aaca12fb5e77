"""``report.html``: the audit's figures, aggregated from its Parquet files.

Aggregation reads one partition file at a time and only the columns it needs
(:class:`Totals`), so it costs the memory of one partition whatever the archive's
size. The charts are Vega-Lite specifications made with altair and rendered to SVG
by vl-convert, inlined in one HTML file: no script, no font and no request at view
time, so the file opens offline and can be mailed around.
"""

from __future__ import annotations

import heapq
import html
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clarity.audit.store import Store

__all__ = ["Totals", "aggregate", "write_report"]

_DRAFT_COLUMNS = [
    "row",
    "source",
    "ticket_id",
    "agent",
    "team",
    "created_at",
    "has_incoming",
    "words",
    "grade",
    "score",
    "politeness",
    "findings",
    "held",
    "held_by",
    "t012",
    "t013",
    "error",
]
_FINDING_COLUMNS = ["category", "code", "text", "suggestion", "source"]
#: Examples kept per table.
EXAMPLES = 5
#: Bad rows listed in the report.
BAD_LISTED = 100


@dataclass
class _Group:
    replies: int = 0
    words: int = 0
    findings: int = 0
    held: int = 0

    def add(self, replies: int, words: int, findings: int, held: int) -> None:
        self.replies += replies
        self.words += words
        self.findings += findings
        self.held += held

    @property
    def per_100(self) -> float:
        return 100.0 * self.findings / self.words if self.words else 0.0


@dataclass
class Totals:
    """Everything the report shows, summed over partitions."""

    replies: int = 0
    bad: int = 0
    words: int = 0
    findings: int = 0
    held: int = 0
    with_incoming: int = 0
    t012: int = 0
    t013: int = 0
    by_month: dict[str, _Group] = field(default_factory=lambda: defaultdict(_Group))
    by_team: dict[str, _Group] = field(default_factory=lambda: defaultdict(_Group))
    by_agent: dict[str, _Group] = field(default_factory=lambda: defaultdict(_Group))
    score_bins: Counter[int] = field(default_factory=Counter)
    grade_bins: Counter[int] = field(default_factory=Counter)
    politeness_bins: Counter[int] = field(default_factory=Counter)
    held_by: Counter[str] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)
    jargon: Counter[str] = field(default_factory=Counter)
    plain: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    jargon_example: dict[str, str] = field(default_factory=dict)
    bad_rows: list[tuple[str, str]] = field(default_factory=list)
    #: (sort key, source) of the lowest scores, the held replies, T012 / T013.
    lowest: list[tuple[float, str]] = field(default_factory=list)
    held_examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    reply_examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    texts: dict[str, dict[str, Any]] = field(default_factory=dict)


def _bin(value: float, width: float, top: int) -> int:
    return max(0, min(top, math.floor(value / width)))


def _months(created: Any) -> Any:
    """``YYYY-MM`` of each date: ISO 8601 text sliced (fast), anything else parsed."""
    import pandas as pd  # type: ignore[import-untyped]

    text = created.astype("string")
    iso = text.str.match(r"^\d{4}-\d{2}").fillna(False).astype(bool)
    months = text.str.slice(0, 7).where(iso)
    if (~iso & text.notna()).any():
        other = pd.to_datetime(text[~iso], errors="coerce", utc=True, format="mixed")
        months[~iso] = other.dt.strftime("%Y-%m")
    return months


def aggregate(store: Store) -> Totals:
    """The totals of the finished partitions of ``store``."""
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    t = Totals()
    wanted: set[str] = set()
    for path in store.parts("drafts"):
        df = pq.read_table(path, columns=_DRAFT_COLUMNS).to_pandas()
        bad = df[df["error"].notna()]
        t.bad += len(bad)
        for source, error in zip(bad["source"], bad["error"], strict=True):
            if len(t.bad_rows) < BAD_LISTED:
                t.bad_rows.append((str(source), str(error)))
        ok = df[df["error"].isna()].copy()
        if ok.empty:
            continue
        ok["held"] = ok["held"].astype(bool)
        t.replies += len(ok)
        t.words += int(ok["words"].sum())
        t.findings += int(ok["findings"].sum())
        t.held += int(ok["held"].sum())
        ok["month"] = _months(ok["created_at"])
        for key, target in (("month", t.by_month), ("team", t.by_team), ("agent", t.by_agent)):
            grouped = ok.dropna(subset=[key]).groupby(key)
            sums = grouped[["words", "findings", "held"]].sum()
            sums["n"] = grouped.size()
            for name, n, words, found, held in zip(
                sums.index, sums["n"], sums["words"], sums["findings"], sums["held"], strict=True
            ):
                target[str(name)].add(int(n), int(words), int(found), int(held))
        for bins, column, width, last in (
            (t.score_bins, "score", 5.0, 19),
            (t.grade_bins, "grade", 1.0, 20),
            (t.politeness_bins, "politeness", 0.05, 19),
        ):
            values = (ok[column].dropna().astype(float) // width).clip(0, last).astype(int)
            bins.update({int(k): int(v) for k, v in values.value_counts().items()})
        for reasons, source in zip(
            ok.loc[ok["held"], "held_by"], ok.loc[ok["held"], "source"], strict=True
        ):
            for reason in str(reasons).split(","):
                if reason:
                    t.held_by[reason] += 1
                    if len(t.held_examples[reason]) < EXAMPLES:
                        t.held_examples[reason].append(str(source))
                        wanted.add(str(source))
        incoming = ok[ok["has_incoming"].astype(bool)]
        t.with_incoming += len(incoming)
        for code in ("t012", "t013"):
            hit = incoming[incoming[code].astype(bool)]
            setattr(t, code, getattr(t, code) + len(hit))
            for source in hit["source"][: EXAMPLES - len(t.reply_examples[code])]:
                t.reply_examples[code].append(str(source))
                wanted.add(str(source))
        for score, source in zip(ok["score"], ok["source"], strict=True):
            item = (-float(score), str(source))
            if len(t.lowest) < EXAMPLES:
                heapq.heappush(t.lowest, item)
            elif item > t.lowest[0]:
                heapq.heapreplace(t.lowest, item)
    wanted.update(s for _, s in t.lowest)
    for path in store.parts("findings"):
        df = pq.read_table(path, columns=_FINDING_COLUMNS).to_pandas()
        t.codes.update(df["code"].value_counts().to_dict())
        jargon = df[df["category"] == "jargon"]
        terms = jargon["text"].str.lower().str.split().str.join(" ")
        t.jargon.update(terms.value_counts().to_dict())
        for term, plain, source in zip(terms, jargon["suggestion"], jargon["source"], strict=True):
            if isinstance(plain, str):
                t.plain[term][plain] += 1
            t.jargon_example.setdefault(term, str(source))
    top = [term for term, _ in t.jargon.most_common(20)]
    wanted.update(t.jargon_example[term] for term in top if term in t.jargon_example)
    # The texts of the examples: read back, one partition file at a time.
    for path in store.parts("drafts"):
        if len(t.texts) >= len(wanted):
            break
        df = pq.read_table(
            path, columns=["source", "ticket_id", "agent", "team", "score", "text"]
        ).to_pandas()
        df = df[df["source"].isin(wanted)]
        for record in df.to_dict("records"):
            t.texts[str(record["source"])] = record
    return t


# --- charts -----------------------------------------------------------------------


def _svg(chart: Any) -> str:
    import vl_convert as vlc

    svg: str = vlc.vegalite_to_svg(chart.to_dict())
    return svg


def _bar(
    rows: list[dict[str, Any]],
    x: str,
    y: str,
    title: str,
    x_title: str,
    y_title: str,
    sort: bool = True,
) -> str:
    import altair as alt
    import pandas as pd

    data = pd.DataFrame(rows if rows else [{x: "(none)", y: 0}])
    chart = (
        alt.Chart(data, title=title)
        .mark_bar(color="#3b6ea8")
        .encode(
            x=alt.X(f"{x}:Q", title=x_title),
            y=alt.Y(f"{y}:N", title=y_title, sort="-x" if sort else None),
            tooltip=list(data.columns),
        )
        .properties(width=520, height=max(60, 18 * len(data)))
    )
    return _svg(chart)


def _histogram(bins: Counter[int], width: float, title: str, x_title: str) -> str:
    import altair as alt
    import pandas as pd

    rows = [{"from": round(b * width, 2), "replies": n} for b, n in sorted(bins.items())]
    data = pd.DataFrame(rows if rows else [{"from": 0.0, "replies": 0}])
    chart = (
        alt.Chart(data, title=title)
        .mark_bar(color="#5b8f4e")
        .encode(
            x=alt.X("from:Q", title=x_title, bin=alt.Bin(binned=True, step=width)),
            x2="to:Q",
            y=alt.Y("replies:Q", title="replies"),
        )
        .transform_calculate(to=f"datum['from'] + {width}")
        .properties(width=300, height=180)
    )
    return _svg(chart)


def _over_time(by_month: dict[str, _Group]) -> str:
    import altair as alt
    import pandas as pd

    rows = [
        {"month": m, "per 100 words": round(g.per_100, 2), "replies": g.replies}
        for m, g in sorted(by_month.items())
    ]
    data = pd.DataFrame(
        rows if rows else [{"month": "(no dates)", "per 100 words": 0.0, "replies": 0}]
    )
    chart = (
        alt.Chart(data, title="Findings per 100 words, by month")
        .mark_line(point=True, color="#a8493b")
        .encode(
            x=alt.X("month:O", title="month sent"),
            y=alt.Y("per 100 words:Q", title="findings per 100 words"),
            tooltip=["month", "per 100 words", "replies"],
        )
        .properties(width=620, height=220)
    )
    return _svg(chart)


# --- HTML -------------------------------------------------------------------------

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;
max-width:70rem;padding:0 1rem;color:#222}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2.2rem;border-bottom:1px solid #ddd}
.kpis{display:flex;flex-wrap:wrap;gap:1rem}.kpi{background:#f4f6f8;padding:.6rem 1rem;
border-radius:6px}.kpi b{display:block;font-size:1.3rem}
figure.chart{margin:1rem 0}figure.chart svg{max-width:100%;height:auto}
.grid{display:flex;flex-wrap:wrap;gap:1rem}
table{border-collapse:collapse;margin:.6rem 0}td,th{border:1px solid #ddd;padding:.25rem .5rem;
text-align:left;vertical-align:top}th{background:#f4f6f8}
details{margin:.3rem 0 1rem}summary{cursor:pointer;color:#3b6ea8}
pre{white-space:pre-wrap;background:#fafafa;border:1px solid #eee;padding:.5rem;margin:.3rem 0}
.muted{color:#666}
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _anchor(source: str) -> str:
    return "reply-" + "".join(c if c.isalnum() else "-" for c in source)[-80:]


def _link(source: str, t: Totals) -> str:
    if source in t.texts:
        return f'<a href="#{_anchor(source)}">{_e(source)}</a>'
    return _e(source)


def _table(head: list[str], rows: list[list[str]], fold: bool = True) -> str:
    """A table; ``fold``: behind a "the figures and examples" toggle under its chart."""
    if not rows:
        return '<p class="muted">None.</p>'
    out = ["<table><tr>", *(f"<th>{_e(h)}</th>" for h in head), "</tr>"]
    for row in rows:
        out.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>")
    out.append("</table>")
    if fold:
        return (
            "<details><summary>The figures and example replies</summary>"
            + "".join(out)
            + ("</details>")
        )
    return "".join(out)


def _figure(name: str, svg: str) -> str:
    return f'<figure class="chart" id="chart-{name}">{svg}</figure>'


def _groups(target: dict[str, _Group], limit: int = 20) -> list[tuple[str, _Group]]:
    return sorted(target.items(), key=lambda kv: (-kv[1].per_100, kv[0]))[:limit]


def _plain_label(term: str, t: Totals) -> str:
    """``term → its most suggested plain alternative`` (the term alone without one)."""
    plain = t.plain.get(term)
    return f"{term} → {plain.most_common(1)[0][0]}" if plain else term


def _pct(n: int, d: int) -> str:
    return f"{100.0 * n / d:.1f}%" if d else "n/a"


def render(t: Totals) -> str:
    """The report's HTML."""
    parts: list[str] = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        "<title>clarity audit</title><style>",
        _CSS,
        "</style></head><body><h1>clarity audit</h1><div class='kpis'>",
    ]
    per_100 = 100.0 * t.findings / t.words if t.words else 0.0
    for label, value in (
        ("replies checked", f"{t.replies:,}"),
        ("bad rows", f"{t.bad:,}"),
        ("words", f"{t.words:,}"),
        ("findings", f"{t.findings:,}"),
        ("per 100 words", f"{per_100:.2f}"),
        ("held by the gate", _pct(t.held, t.replies)),
    ):
        parts.append(f"<div class='kpi'>{_e(label)}<b>{_e(value)}</b></div>")
    parts.append("</div>")

    parts.append("<h2 id='time'>Over time</h2>")
    parts.append(_figure("time", _over_time(t.by_month)))
    parts.append(
        _table(
            ["month", "replies", "findings per 100 words", "held"],
            [
                [_e(m), f"{g.replies:,}", f"{g.per_100:.2f}", _pct(g.held, g.replies)]
                for m, g in sorted(t.by_month.items())
            ],
        )
    )
    for key, target, title in (
        ("team", t.by_team, "By team"),
        ("agent", t.by_agent, "By agent (the 20 with most findings per 100 words)"),
    ):
        rows = [{key: k, "per 100 words": round(g.per_100, 2)} for k, g in _groups(target)]
        parts.append(f"<h2 id='{key}'>{_e(title)}</h2>")
        parts.append(
            _figure(key, _bar(rows, "per 100 words", key, title, "findings per 100 words", key))
        )
        parts.append(
            _table(
                [key, "replies", "findings per 100 words", "held"],
                [
                    [_e(k), f"{g.replies:,}", f"{g.per_100:.2f}", _pct(g.held, g.replies)]
                    for k, g in _groups(target)
                ],
            )
        )

    top = t.jargon.most_common(20)
    parts.append("<h2 id='jargon'>The 20 most frequent jargon terms</h2>")
    rows_j = [{"term": _plain_label(term, t), "findings": n} for term, n in top]
    parts.append(
        _figure(
            "jargon",
            _bar(
                rows_j, "findings", "term", "Jargon terms", "findings", "term → plain alternative"
            ),
        )
    )
    parts.append(
        _table(
            ["term", "findings", "plain alternative", "example"],
            [
                [
                    _e(term),
                    f"{n:,}",
                    _e(t.plain[term].most_common(1)[0][0]) if t.plain.get(term) else "",
                    _link(t.jargon_example.get(term, ""), t),
                ]
                for term, n in top
            ],
        )
    )

    parts.append("<h2 id='distributions'>Score, grade and politeness</h2><div class='grid'>")
    parts.append(_figure("score", _histogram(t.score_bins, 5, "Score", "score (0-100)")))
    parts.append(_figure("grade", _histogram(t.grade_bins, 1, "Grade", "reading grade")))
    parts.append(
        _figure("politeness", _histogram(t.politeness_bins, 0.05, "Politeness", "P(polite)"))
    )
    parts.append("</div>")
    parts.append(
        _table(
            ["lowest-scored replies", "score"],
            [[_link(s, t), f"{-k:.0f}"] for k, s in sorted(t.lowest, reverse=True)],
        )
    )

    parts.append("<h2 id='gate'>Held by the pre-send gate, and why</h2>")
    parts.append(f"<p>{_pct(t.held, t.replies)} of the replies would be held.</p>")
    rows_g = [{"reason": r, "replies": n} for r, n in t.held_by.most_common()]
    parts.append(
        _figure(
            "gate",
            _bar(rows_g, "replies", "reason", "Why replies are held", "replies held", "reason"),
        )
    )
    parts.append(
        _table(
            ["reason", "replies", "examples"],
            [
                [_e(r), f"{n:,}", ", ".join(_link(s, t) for s in t.held_examples[r])]
                for r, n in t.held_by.most_common()
            ],
        )
    )

    if t.with_incoming:
        parts.append("<h2 id='reply'>Answering the customer (T012, T013)</h2>")
        parts.append(f"<p>Of {t.with_incoming:,} replies given with the customer's message.</p>")
        rows_t = [
            {
                "rule": "T012 upset customer not acknowledged",
                "share %": 100 * t.t012 / t.with_incoming,
            },
            {"rule": "T013 question left unanswered", "share %": 100 * t.t013 / t.with_incoming},
        ]
        parts.append(
            _figure(
                "reply",
                _bar(
                    rows_t,
                    "share %",
                    "rule",
                    "T012 / T013 rates",
                    "% of replies",
                    "rule",
                    sort=False,
                ),
            )
        )
        parts.append(
            _table(
                ["rule", "replies", "share", "examples"],
                [
                    [
                        code.upper(),
                        f"{n:,}",
                        _pct(n, t.with_incoming),
                        ", ".join(_link(s, t) for s in t.reply_examples[code]),
                    ]
                    for code, n in (("t012", t.t012), ("t013", t.t013))
                ],
            )
        )

    parts.append("<h2 id='codes'>Findings by rule</h2>")
    parts.append(
        _table(
            ["code", "findings"], [[_e(c), f"{n:,}"] for c, n in t.codes.most_common()], fold=False
        )
    )

    parts.append("<h2 id='bad'>Bad rows</h2>")
    parts.append(
        f"<p>{t.bad:,} rows could not be checked"
        + (f" (the first {BAD_LISTED} listed)" if t.bad > BAD_LISTED else "")
        + ".</p>"
    )
    parts.append(_table(["row", "why"], [[_e(s), _e(w)] for s, w in t.bad_rows], fold=False))

    parts.append("<h2 id='examples'>Example replies</h2>")
    for source, record in t.texts.items():
        meta = " · ".join(
            f"{k} {record[k]}"
            for k in ("ticket_id", "agent", "team", "score")
            if record.get(k) is not None
        )
        parts.append(
            f"<div id='{_anchor(source)}'><b>{_e(source)}</b> <span class='muted'>{_e(meta)}"
            f"</span><pre>{_e(record.get('text') or '')}</pre></div>"
        )
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(store: Store, path: Path) -> Path:
    """Aggregate ``store`` and write ``report.html`` to ``path`` (atomically)."""
    text = render(aggregate(store))
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path
