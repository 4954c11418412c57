"""What auditors ask and are answered: the queries, pages, proofs and verifications, and the
export formats, with the limits each request keeps to."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from ..domain import cursors, verification
from ..domain.audit import EVENT_FIELDS, AuditEvent
from ..domain.base import Model
from ..domain.clock import iso, parse_iso

MAX_DAYS = 31
MAX_VERIFY_EVENTS = 50_000  # what one request verifies within API Gateway's 29 seconds
INLINE_EXPORT_BYTES = 5 * 1024 * 1024  # API Gateway answers at most 10 MB; larger goes to S3
EXPORT_PART_BYTES = 8 * 1024 * 1024  # each part of an export's upload but the last (S3: >= 5 MiB)
EXPORT_BUDGET_SECONDS = 20.0  # of API Gateway's 29: then the file ends, with a cursor to the rest
# DynamoDB Queries one request makes at most, whatever its range or cursor. A page of events
# by time reads a day's 4 shards at once, so at most 8 days of an empty stretch, then ends
# (even empty) with a cursor to the rest; an export file ends the same way (after some 250 days
# of nothing). Every other cursored page is one Query.
MAX_QUERIES_PER_PAGE = 32
EXPORT_MAX_QUERIES = 1000
EXPORT_TYPES = {"jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8"}
CSV_COLUMNS = list(EVENT_FIELDS)


@dataclass(frozen=True)
class Export:
    """An export: inline when small, else a link to it that lives a few minutes."""

    events: int
    filename: str
    content_type: str
    body: bytes | None = None
    url: str | None = None
    next_cursor: str | None = None


def jsonl_line(item: dict[str, Any]) -> bytes:
    """Return an event as a line: its RFC 8785 form, hash included (drop the hash member and the
    rest is the very bytes the hash covers)."""
    return verification.canonical_json(item) + b"\n"


def csv_header() -> bytes:
    return (",".join(CSV_COLUMNS) + "\n").encode()


def csv_row(item: dict[str, Any]) -> bytes:
    """Return an event as a CSV row (`details` as JSON, an empty `from_status` for none)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=CSV_COLUMNS, lineterminator="\n", restval="", extrasaction="ignore"
    )
    writer.writerow(
        {**item, "details": json.dumps(item.get("details"), ensure_ascii=False, sort_keys=True)}
    )
    return out.getvalue().encode()


def _moment(value: str | None) -> str | None:
    """Return a query's time in the trail's own form (UTC, milliseconds), or raise."""
    if value is None:
        return None
    try:
        return iso(parse_iso(value))
    except ValueError:
        raise ValueError("must be an ISO-8601 time") from None


class ExportQuery(Model):
    """Which events to export: a time range, however long, in a format; where to take up."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    format: Literal["jsonl", "csv"] = "jsonl"
    cursor: str | None = Field(default=None, description=cursors.DESCRIPTION)

    _moments = field_validator("from_", "to")(lambda value: _moment(value))

    @model_validator(mode="after")
    def _forwards(self) -> ExportQuery:
        if self.to <= self.from_:
            raise ValueError("to must come after from")
        return self


class AuditQuery(Model):
    """Which events an auditor wants: of a case, of an actor, or of a time range."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    case_id: str | None = None
    actor: str | None = None
    action: str | None = None
    from_: str | None = Field(default=None, alias="from")
    to: str | None = None
    cursor: str | None = Field(default=None, description=cursors.DESCRIPTION)
    limit: int = Field(default=100, ge=1, le=500)

    _moments = field_validator("from_", "to")(lambda value: _moment(value))

    @model_validator(mode="after")
    def _a_fitting_index(self) -> AuditQuery:
        if not self.case_id and not self.actor:
            if not (self.from_ and self.to):
                raise ValueError("give case_id, actor, or both from and to")
            if parse_iso(self.to) - parse_iso(self.from_) > timedelta(days=MAX_DAYS):
                raise ValueError(f"a time range spans at most {MAX_DAYS} days; page through")
        return self


class AuditPage(Model):
    """One page of events, in a stable order, and the cursor of the next page."""

    events: list[AuditEvent]
    next_cursor: str | None


class CheckpointSummary(Model):
    """A sealed checkpoint as listed: its number, window, size, root and chain hash."""

    seq: int
    after: str
    through: str
    tree_size: int
    root: str
    hash: str
    sealed_at: str


class CheckpointList(Model):
    """The checkpoints in order, the public key that verifies them, and the next cursor."""

    checkpoints: list[CheckpointSummary]
    public_key_pem: str
    next_cursor: str | None


class InclusionProof(Model):
    """An event, the signed checkpoint that seals it, and the audit path from leaf to root."""

    event: AuditEvent
    checkpoint: dict[str, Any]
    leaf_index: int
    tree_size: int
    proof: list[str]


class VerifyQuery(Model):
    """What an auditor wants verified: one case's trail, or a time range of the whole trail."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    case_id: str | None = Field(default=None, min_length=1, max_length=64)
    from_: str | None = Field(default=None, alias="from")
    to: str | None = None

    _moments = field_validator("from_", "to")(lambda value: _moment(value))

    @model_validator(mode="after")
    def _case_or_range(self) -> VerifyQuery:
        if self.case_id is not None:
            if self.from_ or self.to:
                raise ValueError("give case_id, or from and to, not both")
            return self
        if not (self.from_ and self.to):
            raise ValueError("give case_id, or both from and to")
        if self.to <= self.from_:
            raise ValueError("to must come after from")
        if parse_iso(self.to) - parse_iso(self.from_) > timedelta(days=MAX_DAYS):
            raise ValueError(f"a time range spans at most {MAX_DAYS} days; verify it in parts")
        return self


class Verification(Model):
    """What verifying the trail found: counts, the checkpoints checked, and the first problem.

    A range is widened to the windows of the checkpoints it touches, so each is checked whole:
    `after` and `through` say what was verified. The first bad event is named by case and
    sequence number, and by its id where the trail or a checkpoint still knows it (a removed
    event the checkpoints never sealed is known only by its place). `checkpoints` are those whose
    windows were covered (the one before them is read too, for its link to the first), and
    `checkpoints_verified` how many of them verified.
    """

    case_id: str | None = None
    after: str | None = None
    through: str | None = None
    events: int
    cases: int
    sealed_events: int
    unsealed_events: int
    checkpoints: list[int]
    checkpoints_verified: int
    problems: int
    first_problem: str | None
    first_bad_event: str | None
    first_bad_case_id: str | None
    first_bad_seq: int | None
    first_bad_checkpoint: int | None
    verified: bool
