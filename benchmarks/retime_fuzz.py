"""Time again, in one warm process, the slow inputs a fuzz run saved.

A fuzz run on a shared machine saves every input that took over 5 s as it ran
(``.fuzz-failures/<target>/slow-*/repro.py``); most were slow because the machine was
busy. This runs each again with the current engine and prints its time and the
slowest::

    python benchmarks/retime_fuzz.py .fuzz-failures/check .fuzz-failures/fix
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import clarity


def _arguments(repro: Path) -> tuple[Any, ...]:
    """The ``args`` tuple a saved ``repro.py`` holds (its code before the call)."""
    source = repro.read_text(encoding="utf-8").split("text = args[0]", 1)[0]
    namespace: dict[str, Any] = {}
    exec(compile(source, str(repro), "exec"), namespace)  # the fuzzer's own file
    return tuple(namespace["args"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path, help=".fuzz-failures/<target>")
    args = parser.parse_args()
    checker = clarity.Checker()
    checker.fix("Warm up the pipeline.")
    worst: dict[str, tuple[float, str]] = {}
    for folder in args.folders:
        target = folder.name
        for case in sorted(folder.glob("slow-*")):
            values = _arguments(case / "repro.py")
            start = time.perf_counter()
            if target == "fix":
                text, unsafe, with_regions = values
                checker.fix(text, unsafe=unsafe, regions=None if with_regions else ())
            else:
                checker.check(values[0], regions=(), subject=values[2])
            seconds = time.perf_counter() - start
            print(f"{target:>5}  {seconds:6.2f} s  {case.name}")
            if seconds > worst.get(target, (0.0, ""))[0]:
                worst[target] = (seconds, case.name)
    for target, (seconds, name) in worst.items():
        print(f"slowest {target}: {seconds:.2f} s ({name})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
