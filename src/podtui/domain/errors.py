"""Errors the domain and services raise; each carries a message fit to show an operator."""

from __future__ import annotations


class DomainError(Exception):
    """An action the rules refuse; the message names the item, its status and what is allowed."""


class ConcurrentChangeError(DomainError):
    """The row changed under us (another operator or process won the compare-and-set)."""


class ValidationError(DomainError):
    """Input that does not hold; `fields` maps each bad field to its reason."""

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.fields: dict[str, str] = dict(fields or {})

    def __str__(self) -> str:
        base = super().__str__()
        if not self.fields:
            return base
        detail = "; ".join(f"{name}: {why}" for name, why in self.fields.items())
        return f"{base} ({detail})"


class NotFoundError(DomainError):
    """A row the caller named does not exist."""


class DatabaseUnavailableError(DomainError):
    """The database cannot be opened or written (a folder, a read-only file); says which and why."""
