"""The auditor's use cases: query the trail by case, by actor or by time, and verify a case."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from pydantic import ConfigDict, Field, ValidationError, model_validator

from ..adapters.checkpoints import CheckpointStore, ExportStore
from ..adapters.repository import Repository
from ..domain import merkle
from ..domain.audit import EVENT_FIELDS, AuditEvent, first_bad_event
from ..domain.base import Model
from ..domain.clock import parse_iso
from ..domain.errors import Conflict, FieldError, InvalidRequest, NotFound
from ..domain.reports import field_errors

MAX_DAYS = 31
INLINE_EXPORT_BYTES = 5 * 1024 * 1024  # API Gateway answers at most 10 MB; larger goes to S3
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


def _as_jsonl(events: list[AuditEvent]) -> bytes:
    return b"".join(
        json.dumps(e.model_dump(mode="json"), ensure_ascii=False).encode() + b"\n" for e in events
    )


def _as_csv(events: list[AuditEvent]) -> bytes:
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for event in events:
        row = event.model_dump(mode="json")
        row["details"] = json.dumps(row["details"], ensure_ascii=False, sort_keys=True)
        writer.writerow(row)
    return out.getvalue().encode()


class AuditQuery(Model):
    """Which events an auditor wants: of a case, of an actor, or of a time range."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    case_id: str | None = None
    actor: str | None = None
    action: str | None = None
    from_: str | None = Field(default=None, alias="from")
    to: str | None = None
    cursor: str | None = None
    limit: int = Field(default=100, ge=1, le=500)

    @model_validator(mode="after")
    def _a_fitting_index(self) -> AuditQuery:
        for name in ("from_", "to"):
            value = getattr(self, name)
            if value is not None:
                try:
                    parse_iso(value)
                except ValueError:
                    raise ValueError(f"{name.rstrip('_')} must be an ISO-8601 time") from None
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


class CaseVerification(Model):
    """What verifying one case's trail found: the chain, and each sealed event's inclusion."""

    case_id: str
    events: int
    chain: str
    first_bad_event: str | None
    sealed_events: int
    checkpoints_checked: list[int]
    verified: bool


@dataclass
class Audit:
    """Read-only use cases of auditors."""

    repository: Repository = field(default_factory=Repository)
    store: CheckpointStore = field(default_factory=CheckpointStore)
    exports: ExportStore = field(default_factory=ExportStore)

    def events(self, params: dict[str, str]) -> AuditPage:
        """Return one page of events, served by a Query on the fitting index."""
        try:
            query = AuditQuery.model_validate(params)
        except ValidationError as error:
            errors = field_errors(error) or [FieldError("", _first_message(error), "query")]
            raise InvalidRequest("The audit query has invalid parameters.", errors) from None
        start = _decode(query.cursor) if query.cursor else None
        events, next_key = self.repository.audit_events(
            case_id=query.case_id,
            actor=query.actor,
            action=query.action,
            after=query.from_,
            through=query.to,
            limit=query.limit,
            start=start,
        )
        return AuditPage(events=events, next_cursor=_encode(next_key) if next_key else None)

    def checkpoints(self, params: dict[str, str]) -> CheckpointList:
        """Return the checkpoints in the order they were sealed, with the public key."""
        try:
            limit = max(1, min(500, int(params.get("limit", "100"))))
        except ValueError:
            raise InvalidRequest(
                "The limit must be a number.", [FieldError("limit", "is not a number")]
            ) from None
        start = _decode(params["cursor"]) if params.get("cursor") else None
        found, next_key = self.repository.checkpoint_index(limit, start)
        return CheckpointList(
            checkpoints=[CheckpointSummary.model_validate(item) for item in found],
            public_key_pem=self.store.public_key_pem(),
            next_cursor=_encode(next_key) if next_key else None,
        )

    def proof(self, event_id: str) -> InclusionProof:
        """Return the inclusion proof of an event against the checkpoint that holds it."""
        from ulid import ULID

        from ..domain.clock import iso

        try:
            occurred_at = iso(ULID.from_str(event_id).datetime)
        except ValueError:
            raise NotFound(f"No event {event_id}.") from None
        event = self.repository.event_by_id(event_id, occurred_at)
        if event is None:
            raise NotFound(f"No event {event_id}.")
        holder = self.repository.checkpoint_holding(event.occurred_at)
        checkpoint = self.store.read(int(holder["seq"])) if holder else None
        if checkpoint is None:
            raise NotFound("The event is not sealed yet; ask again after the next checkpoint.")
        positions = {(str(c), int(s)): i for i, (c, s, _, _) in enumerate(checkpoint["leaves"])}
        index = positions.get((event.case_id, event.seq))
        if index is None:
            raise Conflict(
                "The checkpoint that covers this event's time does not hold it.",
                [FieldError("event_id", "is missing from its checkpoint", "not_sealed")],
            )
        tree = merkle.MerkleTree([bytes.fromhex(str(leaf[3])) for leaf in checkpoint["leaves"]])
        return InclusionProof(
            event=event,
            checkpoint=checkpoint,
            leaf_index=index,
            tree_size=tree.size,
            proof=[node.hex() for node in tree.inclusion_proof(index)],
        )

    def export(self, params: dict[str, str]) -> Export:
        """Return every event of a time range as JSON Lines or CSV; a large one goes to S3."""
        fmt = params.get("format", "jsonl")
        if fmt not in EXPORT_TYPES:
            raise InvalidRequest(
                "Choose an export format.", [FieldError("format", "must be jsonl or csv")]
            )
        query = {k: v for k, v in params.items() if k in ("from", "to")}
        page = self.events({**query, "limit": "500"})
        events = list(page.events)
        while page.next_cursor:
            page = self.events({**query, "limit": "500", "cursor": page.next_cursor})
            events += page.events
        body = _as_csv(events) if fmt == "csv" else _as_jsonl(events)
        name = f"audit-{query.get('from', '')[:10]}-{query.get('to', '')[:10]}.{fmt}"
        if len(body) <= INLINE_EXPORT_BYTES:
            return Export(
                events=len(events), body=body, filename=name, content_type=EXPORT_TYPES[fmt]
            )
        url = self.exports.publish(body, name, EXPORT_TYPES[fmt])
        return Export(events=len(events), url=url, filename=name, content_type=EXPORT_TYPES[fmt])

    def verify_case(self, case_id: str) -> CaseVerification:
        """Verify a case's chain, its head, and each event's inclusion in its checkpoint."""
        events = self.repository.case_events(case_id)
        case = self.repository.get_case(case_id)
        bad, why = first_bad_event(events)
        if bad is None and case is not None and events and case.chain != events[-1].head:
            bad, why = events[-1], "the case's chain head does not match its newest event"
        checked: list[int] = []
        sealed = 0
        for event in events:
            holder = self.repository.checkpoint_holding(event.occurred_at)
            if holder is None:
                continue
            checkpoint = self.store.read(int(holder["seq"]))
            if checkpoint is None or not _included(event, checkpoint):
                bad = bad or event
                why = why if bad is not event else "not in the checkpoint that seals its time"
                break
            sealed += 1
            if int(holder["seq"]) not in checked:
                checked.append(int(holder["seq"]))
        return CaseVerification(
            case_id=case_id,
            events=len(events),
            chain=why if bad else "verified",
            first_bad_event=bad.event_id if bad else None,
            sealed_events=sealed,
            checkpoints_checked=checked,
            verified=bad is None and bool(events),
        )


def _included(event: AuditEvent, checkpoint: dict[str, Any]) -> bool:
    """Tell whether the event, as stored now, is the one its checkpoint sealed."""
    from ..domain.audit import event_hash

    if event_hash(event.body()) != event.hash:
        return False
    hashes = [bytes.fromhex(str(leaf[3])) for leaf in checkpoint["leaves"]]
    positions = {(str(c), int(s)): i for i, (c, s, _, _) in enumerate(checkpoint["leaves"])}
    index = positions.get((event.case_id, event.seq))
    if index is None:
        return False
    tree = merkle.MerkleTree(hashes)
    return merkle.verify_inclusion(
        bytes.fromhex(event.hash),
        index,
        int(checkpoint["tree_size"]),
        tree.inclusion_proof(index),
        bytes.fromhex(str(checkpoint["root"])),
    )


def _first_message(error: ValidationError) -> str:
    return str(error.errors()[0]["msg"]).removeprefix("Value error, ")


def _encode(key: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def _decode(cursor: str) -> dict[str, Any]:
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(decoded, dict):
            raise ValueError
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidRequest(
            "The cursor is not one this trail gave out.",
            [FieldError("cursor", "is not a cursor of this query", "cursor")],
        ) from None
    return decoded
