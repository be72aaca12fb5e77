"""Tone: a politeness classifier shipped as JSON weights (see docs/tone-model.md).

``ToneModel.load()`` gives the shipped model; ``predict_proba`` scores spaCy ``Doc`` or
``Span`` objects and ``explain`` names the words that moved a score. Training and
evaluation (``clarity.tone.train``, ``clarity.tone.evaluate``) need scikit-learn; this
package and :mod:`clarity.tone.model` do not.
"""

from __future__ import annotations

from clarity.tone.model import Contribution, ToneModel

__all__ = ["Contribution", "ToneModel"]
