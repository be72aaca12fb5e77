from __future__ import annotations

from collections.abc import Callable

import pytest

import clarity
from clarity.config import Config


@pytest.fixture(scope="session")
def checker() -> clarity.Checker:
    return clarity.Checker(Config())


@pytest.fixture(scope="session")
def tech_checker() -> clarity.Checker:
    return clarity.Checker(Config(audience="technical"))


@pytest.fixture(scope="session")
def findings(checker: clarity.Checker) -> Callable[..., list[clarity.Finding]]:
    """``findings(text, code=None)``: the default checker's findings, maybe one code's."""

    def run(text: str, code: str | None = None) -> list[clarity.Finding]:
        report = checker.check(text)
        return [f for f in report.findings if code is None or f.code == code]

    return run
