"""Timestamps as the service writes them: ISO-8601, UTC, milliseconds, sortable as text."""

from __future__ import annotations

from datetime import UTC, datetime


def iso(moment: datetime) -> str:
    """Return `moment` as e.g. 2026-11-24T01:02:03.456Z."""
    return (
        moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    )


def parse_iso(text: str) -> datetime:
    """Return the moment an `iso` string names."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
