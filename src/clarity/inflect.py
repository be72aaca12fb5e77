"""Inflected forms of words, from ``lemminflect``, with a shipped table for speed.

Used to match inflected forms of lexicon terms and wordy phrases (``patched`` for
``patch``) and to carry a word's inflection over to its replacement (``utilized`` ->
``used``, ``end users`` -> ``users``).

Loading lemminflect's tables takes about a second, paid by every ``clarity check``
process. The forms of every word the shipped data files need are therefore kept in
``data/inflections.json``, generated from lemminflect by
``python -m clarity.datagen --write`` (a test fails when it is out of date); other
words (a team's extra lexicon) still go to lemminflect.
"""

from __future__ import annotations

import functools
import json

from clarity.data import data_path

TABLE_FILE = "inflections.json"

#: Penn tags whose form a replacement takes over.
INFLECTED_TAGS = frozenset({"VBD", "VBN", "VBG", "VBZ", "NNS"})


def lemminflect_forms(word: str) -> dict[str, list[str]]:
    """lemminflect's forms of ``word`` (lower case) by Penn tag, for words it knows as
    a lemma: ``use`` -> ``{"VBD": ["used"], ...}``."""
    from lemminflect import getAllInflections

    return {tag: list(forms) for tag, forms in sorted(getAllInflections(word).items())}


@functools.lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, list[str]]]:
    path = data_path(TABLE_FILE)
    if not path.is_file():  # pragma: no cover - only while regenerating
        return {}
    table: dict[str, dict[str, list[str]]] = json.loads(path.read_text(encoding="utf-8"))
    return table


@functools.lru_cache(maxsize=16384)
def forms_of(word: str) -> dict[str, list[str]]:
    """Forms of ``word`` (lower case) by Penn tag: the shipped table, else lemminflect."""
    table = _table()
    return table[word] if word in table else lemminflect_forms(word)


@functools.lru_cache(maxsize=8192)
def inflect_word(word: str, tag: str) -> str:
    """``word`` in the form of Penn ``tag`` (``use`` + ``VBD`` -> ``used``); unchanged
    when the tag is not an inflection or lemminflect does not know the word."""
    if tag not in INFLECTED_TAGS or not word.isalpha():
        return word
    table = forms_of(word.lower())
    # lemminflect lists no VBN where the participle is the past tense ("locked").
    forms = table.get(tag) or (table.get("VBD") if tag == "VBN" else None)
    return forms[0] if forms else word


def inflect_first(replacement: str, tag: str) -> str:
    """Inflect the first word: ``find out`` + ``VBG`` -> ``finding out``."""
    head, sep, rest = replacement.partition(" ")
    return inflect_word(head, tag) + sep + rest


def inflect_last(replacement: str, tag: str) -> str:
    """Inflect the last word: ``sign-in code app`` + ``NNS`` -> ``sign-in code apps``."""
    rest, sep, tail = replacement.rpartition(" ")
    return rest + sep + inflect_word(tail, tag)
