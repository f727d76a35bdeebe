"""The domain's rules (docs/domain.md), run on every save through screens and API.

A rule is a pure function `record -> list[str]` returning translated messages; an
entity declares its rules with `register(..., checks=[...])`. A save whose record
breaks a rule is refused with those messages and writes nothing.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from models.base import RuleViolation

Check = Callable[[Any], list[str]]


def problems(checks: Iterable[Check], record: Any) -> list[str]:
    found: list[str] = []
    for check in checks:
        for message in check(record) or []:
            if message not in found:
                found.append(message)
    return found


def enforce(checks: Iterable[Check], record: Any, session=None) -> None:
    """Raise RuleViolation if `record` breaks a rule. The record is not flushed while
    the rules look around (a half-built record must not reach the database)."""
    if session is None:
        found = problems(checks, record)
    else:
        with session.no_autoflush:
            found = problems(checks, record)
    if found:
        raise RuleViolation(found)
