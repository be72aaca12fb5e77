"""clarity's own pipeline component: sentence starts at line breaks that end a thought.

spaCy's parser does not split "Hi Maria,\\n\\nThank you for..." into two sentences,
and e-mails are full of such lines: greetings, sign-offs, signatures, list items.
This component, placed before the parser, marks a sentence start after

* a blank line (a paragraph break);
* a single line break when the line before it ends with punctuation (``Hi Maria,``,
  ``Best,``, a sentence's full stop) or the next line does not start with a
  lower-case letter (a signature line, a list item, a new sentence).

A hard-wrapped line that runs on in lower case ("...it works now\nbecause we...")
is left for the parser to join. The
parser respects starts set before it, so dependency labels stay consistent.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

NAME = "clarity_line_breaks"
_END_PUNCT = (".", "!", "?", ":", ",", ";")
_LIST_ITEM = re.compile(r"[-*•]|\d{1,2}[.)]")


@Language.component(NAME)
def line_breaks(doc: Doc) -> Doc:
    text = doc.text
    for tok in doc[:-1]:
        if not tok.is_space or "\n" not in tok.text:
            continue
        nxt = doc[tok.i + 1]
        if nxt.is_space:
            continue
        if tok.text.count("\n") >= 2:
            nxt.is_sent_start = True
            continue
        prev = text[: tok.idx].rstrip()
        if prev.endswith(_END_PUNCT) or not nxt.text[:1].islower() or _LIST_ITEM.match(nxt.text):
            nxt.is_sent_start = True
    return doc
