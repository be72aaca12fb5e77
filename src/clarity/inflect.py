"""Carry a word's inflection over to its replacement, with ``lemminflect``.

``utilized`` -> ``used`` (not ``use``), ``end users`` -> ``people`` plural kept.
"""

from __future__ import annotations

import functools

#: Penn tags whose form a replacement takes over.
INFLECTED_TAGS = frozenset({"VBD", "VBN", "VBG", "VBZ", "NNS"})


@functools.lru_cache(maxsize=8192)
def inflect_word(word: str, tag: str) -> str:
    """``word`` in the form of Penn ``tag`` (``use`` + ``VBD`` -> ``used``); unchanged
    when the tag is not an inflection or lemminflect does not know the word."""
    if tag not in INFLECTED_TAGS or not word.isalpha():
        return word
    from lemminflect import getInflection

    forms = getInflection(word, tag=tag)
    return forms[0] if forms else word


def inflect_first(replacement: str, tag: str) -> str:
    """Inflect the first word: ``find out`` + ``VBG`` -> ``finding out``."""
    head, sep, rest = replacement.partition(" ")
    return inflect_word(head, tag) + sep + rest


def inflect_last(replacement: str, tag: str) -> str:
    """Inflect the last word: ``sign-in code app`` + ``NNS`` -> ``sign-in code apps``."""
    rest, sep, tail = replacement.rpartition(" ")
    return rest + sep + inflect_word(tail, tag)
