"""How long region detection takes on adversarial shapes, and whether it stays linear.

    python benchmarks/bench_regions.py

For each shape, times :func:`clarity.sources.regions.detect_regions` at 1x, 2x and 4x
its size and prints the seconds and the 4x/1x ratio (about 4 when linear, about 16
when quadratic).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from clarity.sources.regions import detect_regions

SHAPES: dict[str, Callable[[int], str]] = {
    "one long line (200k chars)": lambda k: "word " * 40_000 * k,
    "bare-CR lines (20k)": lambda k: "Hello there\r" * 20_000 * k,
    "'>' lines (10k)": lambda k: "> quoted line\n" * 10_000 * k,
    "sign-off lines (10k)": lambda k: "Thanks,\n" * 10_000 * k,
    "sign-offs and blanks (5k)": lambda k: "Regards,\n\n" * 5_000 * k,
    "dash delimiters (10k)": lambda k: "--\n" * 10_000 * k,
    "header lines (10k)": lambda k: "From: a\nTo: b\n" * 5_000 * k,
    "rule + From (5k)": lambda k: "-----\nFrom: a\n" * 5_000 * k,
    "attribution-like lines (10k)": lambda k: "Maria wrote:\n" * 10_000 * k,
    "device lines (10k)": lambda k: "Sent from my iPhone\n" * 10_000 * k,
    "one long word (100k)": lambda k: "a" * 100_000 * k,
    "frame with many '(' (100k)": lambda k: "Done.\n\n   at a" + "(" * 100_000 * k,
    "sign-off then spaces (100k)": lambda k: "Done.\n\nThanks" + " " * 100_000 * k + "x",
    "backticks (100k)": lambda k: "`" * 100_000 * k,
    "indented after paragraphs": lambda k: "word\n" * 20_000 * k + "\n    x\n> q\n" * 3_000 * k,
}


def seconds(text: str) -> float:
    started = time.perf_counter()
    detect_regions(text)
    return time.perf_counter() - started


def main() -> None:
    detect_regions("Hi,\n\nwarm up the patterns.\n\nThanks,\nSam")
    print(f"{'shape':32} {'1x':>7} {'2x':>7} {'4x':>7} {'4x/1x':>6}")
    for name, make in SHAPES.items():
        times = [seconds(make(k)) for k in (1, 2, 4)]
        ratio = times[2] / max(times[0], 1e-9)
        cells = " ".join(f"{t:6.2f}s" for t in times)
        print(f"{name:32} {cells} {ratio:6.1f}", flush=True)


if __name__ == "__main__":
    main()
