"""curatorbot's own error types. Adapters convert vendor exceptions into these at the boundary.

Every error carries the exit code the CLI uses for it and a one-line message that names the thing
and the fix.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Documented process exit codes (README, "Exit codes")."""

    OK = 0
    FINDINGS = 1  # lint found problems in the list
    USAGE = 2  # bad config, bad arguments, unreadable input
    SERVICE_FAILED = 3  # arXiv, the LLM endpoint or GitHub failed after retries; nothing half-written
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it); nothing half-written


class CuratorbotError(Exception):
    """Base class: a failure the user can act on, with a one-line message."""

    exit_code: ExitCode = ExitCode.SERVICE_FAILED


class UsageError(CuratorbotError):
    exit_code = ExitCode.USAGE


class ConfigError(UsageError):
    """The configuration file or an env override is invalid."""


class InputFileError(UsageError):
    """A file named on the command line is missing or unreadable."""


class InvalidArxivIdError(UsageError):
    """A string that is not an arXiv id, caught before any request."""


class DuplicateEntryError(CuratorbotError):
    """An entry was refused because the list already holds its arXiv id or title."""


class ModelFileError(CuratorbotError):
    """A learned model that is missing, unreadable or another list's: never used; `learn` rebuilds it."""

    exit_code = ExitCode.USAGE


class LearnError(UsageError):
    """Too little to learn from (few listed papers with records, too short a span): the old model stays."""


class PlacementError(CuratorbotError):
    """curatorbot cannot write an entry into this section without guessing (no entries or table to follow,
    two tables of different columns): the paper goes to a maintainer instead."""


class UnknownSectionError(CuratorbotError):
    """A section path that the list does not have."""


class ServiceError(CuratorbotError):
    """An external service (arXiv, the LLM endpoint, GitHub) failed after retries."""

    exit_code = ExitCode.SERVICE_FAILED


class ArxivError(ServiceError):
    pass


class ArxivNotFoundError(ArxivError):
    """An id the user gave that arXiv does not have: bad input, not an outage."""

    exit_code = ExitCode.USAGE


class LLMError(ServiceError):
    pass


class GitHubError(ServiceError):
    pass


class ConflictError(GitHubError):
    """The file changed under us (its sha no longer matches): re-read and retry."""


class SemanticScholarError(ServiceError):
    pass


class BodyTooLongError(GitHubError):
    """A pull request body GitHub would refuse (over 65,536 characters) even with every row folded."""
