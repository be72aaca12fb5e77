"""Exceptions that front ends turn into one clear line and exit code 2."""

from __future__ import annotations


class ClarityError(Exception):
    """Base class for errors with a message meant for the user."""


class ModelNotFoundError(ClarityError):
    """No usable spaCy pipeline is installed."""


class InputError(ClarityError):
    """The input cannot be checked (binary, undecodable, too large, missing...)."""


class ConfigError(ClarityError):
    """A configuration file or option is invalid."""


class DataError(ClarityError):
    """A data file (lexicon, phrase list) is malformed."""
