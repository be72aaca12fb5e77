"""Time of reading, checking and rewriting hostile drafts. Prints figures, asserts nothing.

    python benchmarks/bench_adversarial.py            # every shape, 120 s per step
    python benchmarks/bench_adversarial.py --quick    # the smaller shapes, 20 s per step

Each shape is written to a temporary file and read with ``clarity.sources`` (as the
command line reads it); the first draft read is then given to :func:`clarity.check` and
:func:`clarity.rewrite` (with ``max_chars`` raised to its ceiling, so that the engine's
own time shows rather than the size limit). Every step runs in a forked process, killed
after the time limit, so one slow step does not hold up the rest. Figures are seconds
per 10,000 characters: of the file for reading, of the draft for check and rewrite; a
step is also shown as ``refused`` (a clear InputError: the reader's answer to some
shapes), ``timeout`` or ``CRASH`` (a traceback: a bug).
"""

from __future__ import annotations

import argparse
import multiprocessing
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import clarity
from clarity import sources

SENTENCE = "Please restart the router and try again. "


def _nested_multiparts(depth: int) -> bytes:
    parts = b"".join(
        b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i)
        for i in range(depth)
    )
    return (
        b"From: a@example.com\r\nSubject: s\r\n" + parts + b"Content-Type: text/plain\r\n\r\nHi\r\n"
    )


def _mail(headers: bytes, body: bytes) -> bytes:
    return b"From: a@example.com\r\nSubject: s\r\n" + headers + b"\r\n" + body


def shapes(quick: bool) -> list[tuple[str, str, bytes]]:
    """``(name, file name, bytes)`` of each adversarial draft."""
    words = " ".join(f"word{i}" for i in range(20_000))
    out = [
        ("long word 100,000 chars", "w.txt", ("Please " + "a" * 100_000 + " thanks.").encode()),
        ("one line of 190,000 chars", "l.txt", (SENTENCE.rstrip(". ") + ", " + words).encode()),
        ("20,000 bare-CR lines", "cr.txt", ("Please restart it.\r" * 20_000).encode()),
        ("5,000 repeated sentences", "s.txt", (SENTENCE * 5_000).encode()),
        # Real replies, so every rule finds something in every paragraph: rules that
        # read ``Doc.text`` once per sentence or set sentence starts one at a time
        # were quadratic here (12.8 s for 200,000 characters, 9.4 s after the first).
        ("sample replies to 200,000 chars", "r.txt", _replies(200_000)),
        ("HTML <ol> of 8,000 items", "ol8k.html", _html_list(8_000)),
        ("HTML <div> nested 50,000", "div.html", b"<div>" * 50_000 + SENTENCE.encode()),
        ("HTML <blockquote> nested 2,000", "bq.html", b"<blockquote>" * 2_000 + b"old"),
        ("HTML <div> nested 800,000 (4 MB)", "div4m.html", b"<div>" * 800_000 + b"x"),
        (
            "eml Content-Type 489 KB",
            "ct.eml",
            _mail(b"Content-Type: text/plain; " + b"a=b; " * 97_800 + b"charset=utf-8\r\n", b"Hi"),
        ),
        (
            "eml Content-Type 60 KB, quoted ;",
            "ctq.eml",
            _mail(b'Content-Type: text/plain; a="' + b";" * 60_000 + b'"\r\n', SENTENCE.encode()),
        ),
        (
            "eml To: 200 KB of encoded words",
            "subj.eml",
            _mail(b"To: " + b"=?utf-8?q?caf=C3=A9?= C:\\x " * 8_000 + b"\r\n", SENTENCE.encode()),
        ),
        ("eml 1,000 nested multiparts", "mp.eml", _nested_multiparts(1_000)),
        (
            "eml 2,000 nested message/rfc822",
            "rfc.eml",
            _mail(b"Content-Type: message/rfc822\r\n" * 2_000, b"Hi"),
        ),
        ("jsonl deep line between good", "d.jsonl", _deep_jsonl()),
        ("json ticket nested 100,000", "t.json", b"[" * 100_000),
        ("csv 4 MB quoted field", "f.csv", _csv_big_field()),
        ("csv 100,000 columns", "c.csv", _csv_columns(100_000)),
        (
            "jsonl lone surrogate",
            "u.jsonl",
            b'{"body": "Hi \\ud800 there", "subject": "\\udc00"}\n',
        ),
    ]
    if not quick:
        out.insert(5, ("HTML <ol> of 100,000 items", "ol100k.html", _html_list(100_000)))
    return out


def _replies(chars: int) -> bytes:
    """The sample drafts of ``benchmarks/data`` one after another, to ``chars``."""
    drafts = sorted((Path(__file__).parent / "data").glob("draft_*.txt"))
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in drafts)
    return (text * (chars // len(text) + 1))[:chars].encode()


def _html_list(items: int) -> bytes:
    return ("<ol>" + "<li>Open the app</li>" * items + "</ol>").encode()


def _deep_jsonl() -> bytes:
    good = b'{"body": "' + SENTENCE.encode() + b'"}\n'
    return good + b"[" * 100_000 + b"\n" + good


def _csv_big_field() -> bytes:
    field = ("x, y z\n" * 600_000)[:4_000_000]
    return ('id,body\n1,"' + field + '"\n2,' + SENTENCE + "\n").encode()


def _csv_columns(count: int) -> bytes:
    header = ",".join(["body", *(f"c{i}" for i in range(count))])
    return (header + "\n" + ",".join([SENTENCE, *("x" * count)]) + "\n").encode()


def run_step(fn: Callable[[], Any], timeout: float) -> tuple[str, float | None, Any]:
    """``(status, seconds, result)`` of ``fn()`` in a forked process."""
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def child() -> None:
        start = time.perf_counter()
        try:
            result = fn()
            status = "ok"
        except clarity.ClarityError as exc:
            result, status = None, "refused: " + str(exc).splitlines()[0][:70]
        except BaseException as exc:  # a traceback: what this benchmark reports
            result, status = None, f"CRASH {type(exc).__name__}: {str(exc)[:60]}"
        send.send((status, time.perf_counter() - start, result))

    process = ctx.Process(target=child)
    process.start()
    if receive.poll(timeout):
        status, seconds, result = receive.recv()
        process.join()
        return status, seconds, result
    process.kill()
    process.join()
    return "timeout", None, None


def read_first(path: Path) -> tuple[str, int, int]:
    """The text of the first draft read from ``path``, the drafts and the bad records."""
    reader = getattr(sources, "iter_documents", None) or sources.read  # type: ignore[attr-defined]
    first = None
    drafts = bad = 0
    for item in reader(str(path)):
        if isinstance(item, sources.BadRecord):
            bad += 1
        else:
            drafts += 1
            first = item.text if first is None else first
    if first is None:
        raise clarity.InputError(f"no draft read ({bad} bad records)")
    return first, drafts, bad


def per_10k(status: str, seconds: float | None, chars: int) -> str:
    """``seconds`` per 10,000 of ``chars``, or what happened instead."""
    if status != "ok" or seconds is None:
        return status.split(":")[0]
    return f"{seconds / max(chars, 1) * 10_000:.4f}"


def both(status: str, seconds: float | None, chars: int) -> str:
    """Seconds, and seconds per 10,000 characters (meaningless for tiny drafts)."""
    if status != "ok" or seconds is None:
        return status.split(":")[0]
    return f"{seconds:.2f} ({per_10k(status, seconds, chars)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    timeout = 20.0 if args.quick else 120.0
    config = clarity.Config().replace(max_chars=1_000_000)
    clarity.check(SENTENCE, config=config)  # load the pipeline before forking
    print(f"each step is stopped after {timeout:.0f} s (timeout)")
    print("read: seconds (per 10k bytes); check, rewrite: seconds (per 10k chars of the draft)")
    print(
        f"{'shape':34} {'bytes':>9} {'read':>17} {'chars':>9} {'check':>17} {'rewrite':>17}  note"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for name, filename, data in shapes(args.quick):
            path = Path(tmp) / filename
            path.write_bytes(data)
            status, seconds, result = run_step(lambda p=path: read_first(p), timeout)
            read_s = f"{seconds:.2f} ({per_10k('ok', seconds, len(data))})" if seconds else "-"
            line = f"{name:34} {len(data):>9,} {read_s:>17}"
            if status != "ok":
                print(f"{line} {'-':>9} {'-':>17} {'-':>17}  {status}", flush=True)
                continue
            text, drafts, bad = result
            note = f"{drafts} draft(s), {bad} bad record(s)"
            cells = []
            for step in (clarity.check, clarity.rewrite):
                s_status, s_seconds, _ = run_step(
                    lambda f=step, t=text: f(t, config=config), timeout
                )
                cells.append(both(s_status, s_seconds, len(text)))
                if s_status.startswith(("refused", "CRASH")):
                    note += f"; {step.__name__} {s_status}"
            print(f"{line} {len(text):>9,} {cells[0]:>17} {cells[1]:>17}  {note}", flush=True)


if __name__ == "__main__":
    main()
