"""One use-case, one transaction, for callers that hold no session: the screens and the CLI.

A use-case is a function of a session (`UseCase[T]`). `write(db, use_case)` runs it in one write
transaction, so its compare-and-set and its timeline event commit together or not at all;
`read(db, query)` runs a query in one read transaction. Screens call these and never open a
session themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from sqlmodel import Session

    from podtui.db import Database

T = TypeVar("T")
UseCase = Callable[["Session"], T]


def write(db: Database, use_case: UseCase[T]) -> T:
    """Run `use_case` in one write transaction and return what it returned."""
    with db.write() as session:
        return use_case(session)


def read(db: Database, query: UseCase[T]) -> T:
    """Run `query` in one read transaction and return what it returned."""
    with db.read() as session:
        return query(session)
