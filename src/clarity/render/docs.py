"""The rules reference (``docs/rules.md``), generated from the rules' docstrings."""

from __future__ import annotations

import re

from clarity.rules import all_rules

_SECTION = re.compile(r"^(What it does|Why it matters|Example|Use instead):\s*$", re.M)


def rules_markdown() -> str:
    """Markdown for every registered rule, in code order."""
    out = [
        "# Rules\n",
        "Generated from the rules' docstrings by `clarity rules --format markdown`;"
        " do not edit by hand (a test compares them).\n",
        "| code | name | category | default severity | what it does |",
        "| --- | --- | --- | --- | --- |",
    ]
    rules = all_rules()
    for r in rules:
        out.append(
            f"| [{r.code}](#{r.code.lower()}-{r.name}) | `{r.name}` | {r.category.value} "
            f"| {r.severity.value} | {r.summary} |"
        )
    out.append("")
    for r in rules:
        out.append(f"## {r.code} {r.name}\n")
        out.append(f"Category `{r.category.value}`, default severity `{r.severity.value}`.\n")
        doc = r.doc
        title, _, body = doc.partition("\n")
        out.append(f"*{title.strip()}*\n")
        pieces = _SECTION.split(body.strip())
        for heading, text in zip(pieces[1::2], pieces[2::2], strict=True):
            text = "\n".join(
                line[4:] if line.startswith("    ") else line for line in text.split("\n")
            )
            text = text.strip()
            out.append(f"**{heading}**\n")
            if heading in {"Example", "Use instead"}:
                out.append("\n".join("> " + line for line in text.split("\n")) + "\n")
            else:
                out.append(text + "\n")
    return "\n".join(out)
