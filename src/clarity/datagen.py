"""Derived data files: regenerate with ``python -m clarity.datagen --write``.

``data/inflections.json`` holds lemminflect's forms of every word the shipped word
lists need (see :mod:`clarity.inflect`). Without ``--write`` the command checks that
the file is up to date and exits 1 if not; the test suite runs that check.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable

from clarity.data import data_path
from clarity.inflect import TABLE_FILE, lemminflect_forms


def words_needing_forms() -> list[str]:
    """Every word whose forms the shipped word lists need: the first and last token
    of each lexicon term, the first of each wordy phrase (as the matcher tokenizes
    them), and the words replacements inflect."""
    from clarity import lexicon
    from clarity.matching import spelling_variants
    from clarity.nlp import load_pipeline

    nlp = load_pipeline()
    words: set[str] = set()

    def add(word: str) -> None:
        if word.isalpha():
            words.add(word.lower())

    def add_entry(written: str, last: bool) -> None:
        for form in spelling_variants(written):
            tokens = [t.text for t in nlp.make_doc(form)]
            if tokens:
                add(tokens[0])
                if last:
                    add(tokens[-1])

    for term in lexicon.builtin_terms():
        add_entry(term.term, last=True)
        for plain in term.plain:
            add(plain.split()[-1])
    for phrase in lexicon.wordy_phrases():
        add_entry(phrase.phrase, last=False)
        for rep in phrase.replacements:
            add(rep.split()[0])
    return sorted(words)


def build_table(words: Iterable[str]) -> dict[str, dict[str, list[str]]]:
    return {w: lemminflect_forms(w) for w in words}


def main(argv: list[str] | None = None) -> int:
    """``python -m clarity.datagen [--write]``: check (or rewrite) the derived files."""
    args = sys.argv[1:] if argv is None else argv
    table = build_table(words_needing_forms())
    text = json.dumps(table, indent=0, sort_keys=True, ensure_ascii=False) + "\n"
    path = data_path(TABLE_FILE)
    if "--write" in args:
        path.write_text(text, encoding="utf-8")
        print(f"wrote {len(table)} words to {path}")
        return 0
    current = path.read_text(encoding="utf-8") if path.is_file() else ""
    if current != text:
        print(f"{path} is out of date: run python -m clarity.datagen --write")
        return 1
    print(f"{path} is up to date ({len(table)} words)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
