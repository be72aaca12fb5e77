"""The rules reference (``docs/rules.md``), generated from the rules' docstrings.

The sections are parsed by :func:`clarity.rules.base.doc_sections`, the same parser
that gives the tests their examples, so the examples shown here are the ones tested.
Each example is a block quote; ``**...**`` (what the rule reports) renders as bold,
and the customer's message a reply answers, ``(to "...")``, as italics.
"""

from __future__ import annotations

import re

from clarity.rules import all_rules
from clarity.rules.base import EXAMPLE_SECTIONS, doc_sections, example_items

_INCOMING = re.compile(r'^\(to ".+?"\)', re.S)


def rules_markdown() -> str:
    """Markdown for every registered rule, in code order."""
    out = [
        "# Rules\n",
        "Generated from the rules' docstrings by `clarity rules --format markdown`;"
        " do not edit by hand (a test compares them). The examples are the rules'"
        " tests: each **Example** must be reported exactly where it is in bold, and"
        " nothing under **Use instead** or **Not reported** may be reported.\n",
        "| code | name | category | default severity | what it does |",
        "| --- | --- | --- | --- | --- |",
    ]
    rules = all_rules()
    for r in rules:
        out.append(
            f"| [{r.code}](#{r.code.lower()}-{r.name}) | `{r.name}` | {r.category.value} "
            f"| {r.severity.value}{' (off unless selected)' if r.opt_in else ''} | {r.summary} |"
        )
    out.append("")
    for r in rules:
        out.append(f"## {r.code} {r.name}\n")
        off = " Off unless selected by its code." if r.opt_in else ""
        out.append(f"Category `{r.category.value}`, default severity `{r.severity.value}`.{off}\n")
        title, sections = doc_sections(r.doc)
        out.append(f"*{title}*\n")
        for heading, text in sections.items():
            out.append(f"**{heading}**\n")
            if heading in EXAMPLE_SECTIONS:
                for item in example_items(text):
                    # The customer's message a reply example answers, in italics.
                    item = _INCOMING.sub(lambda m: f"*{m.group()}*", item, count=1)
                    out.append("\n".join(f"> {line}".rstrip() for line in item.split("\n")) + "\n")
            else:
                out.append(text + "\n")
    return "\n".join(out)
