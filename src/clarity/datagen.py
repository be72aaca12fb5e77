"""Derived data files: regenerate with ``python -m clarity.datagen --write``.

* ``data/inflections.json`` holds lemminflect's forms of every word the shipped word
  lists need (see :mod:`clarity.inflect`);
* ``data/foreign_words.txt.gz`` the words that lean to another language (rule J003's
  test for a sentence in another language): read from ``wordfreq``'s lists of the
  :data:`~clarity.rules.jargon.OTHER_LANGUAGES` once here, instead of loading eight
  lists (1.5 s) the first time a draft has a rare word;
* ``data/english_zipf.txt.gz`` the English Zipf frequency of every plain lower-case
  word of ``wordfreq``'s list (:mod:`clarity.wordfreqs`), read in a twentieth of the
  time importing ``wordfreq`` and loading its list takes.

Without ``--write`` the command checks that the files are up to date and exits 1 if
not; the test suite runs that check.
"""

from __future__ import annotations

import gzip
import json
import math
import re
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
        for plain in term.plain:  # inflected at either end ("delete", "sign-in code apps")
            add(plain.split()[0])
            add(plain.split()[-1])
    for phrase in lexicon.wordy_phrases():
        add_entry(phrase.phrase, last=False)
        for rep in phrase.replacements:
            add(rep.split()[0])
    return sorted(words)


def build_table(words: Iterable[str]) -> dict[str, dict[str, list[str]]]:
    return {w: lemminflect_forms(w) for w in words}


def foreign_leaning_words() -> list[str]:
    """Words at least ``FOREIGN_MIN_ZIPF`` common in a language of
    :data:`~clarity.rules.jargon.OTHER_LANGUAGES` and ``FOREIGN_LEAN`` more common
    there than in English (Zipf scale, ``wordfreq``'s lists), sorted."""
    from wordfreq import get_frequency_dict

    from clarity.rules.jargon import FOREIGN_LEAN, FOREIGN_MIN_ZIPF, OTHER_LANGUAGES

    def zipf(freq: float) -> float:
        return round(math.log10(freq) + 9, 2) if freq > 0 else 0.0

    english = get_frequency_dict("en")
    best: dict[str, float] = {}
    for lang in OTHER_LANGUAGES:
        for word, freq in get_frequency_dict(lang).items():
            z = zipf(freq)
            if z >= FOREIGN_MIN_ZIPF and z > best.get(word, 0.0):
                best[word] = z
    return sorted(w for w, z in best.items() if z - zipf(english.get(w, 0.0)) >= FOREIGN_LEAN)


def english_zipf_lines() -> str:
    """``wordfreq``'s English Zipf frequency of every word of lower-case letters a-z in
    its list, in hundredths, one line per word in sorted order (``"router 512"``): the
    table is searched where it lies, not loaded into a dictionary."""
    from wordfreq import get_frequency_dict, zipf_frequency

    words = sorted(w for w in get_frequency_dict("en") if _LETTERS.fullmatch(w))
    return "".join(f"{w} {round(zipf_frequency(w, 'en') * 100)}\n" for w in words)


_LETTERS = re.compile(r"[a-z]+")


def main(argv: list[str] | None = None) -> int:
    """``python -m clarity.datagen [--write]``: check (or rewrite) the derived files."""
    from clarity.rules.jargon import FOREIGN_WORDS_FILE
    from clarity.wordfreqs import ENGLISH_FILE

    args = sys.argv[1:] if argv is None else argv
    table = build_table(words_needing_forms())
    foreign = foreign_leaning_words()
    files = {
        TABLE_FILE: (json.dumps(table, indent=0, sort_keys=True, ensure_ascii=False) + "\n"),
        FOREIGN_WORDS_FILE: "\n".join(foreign) + "\n",
        ENGLISH_FILE: english_zipf_lines(),
    }
    stale = 0
    for name, text in files.items():
        path = data_path(name)
        gz = name.endswith(".gz")
        if "--write" in args:
            data = text.encode("utf-8")
            path.write_bytes(gzip.compress(data, mtime=0) if gz else data)
            print(f"wrote {path}")
            continue
        current = b""
        if path.is_file():
            current = gzip.decompress(path.read_bytes()) if gz else path.read_bytes()
        if current.decode("utf-8") != text:
            print(f"{path} is out of date: run python -m clarity.datagen --write")
            stale += 1
        else:
            print(f"{path} is up to date")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
