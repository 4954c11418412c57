"""The auditor's use cases: query the trail by case, by actor or by time, and verify a case."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from pydantic import ValidationError

from ..config import settings
from ..domain import cursors, merkle, verification
from ..domain.audit import ChainHead
from ..domain.base import Model
from ..domain.clock import iso
from ..domain.errors import Conflict, FieldError, InvalidRequest, NotFound
from ..domain.reports import field_errors
from ..domain.verification import RANK_CHAIN, RANK_CONTENT, RANK_SEAL, TIMESTAMP, Report, Verifier
from ..ports import AuditTrail, CheckpointFiles, Exports, ExportUpload, QueriesSpent
from .audit_views import (
    EXPORT_BUDGET_SECONDS,
    EXPORT_MAX_QUERIES,
    EXPORT_PART_BYTES,
    EXPORT_TYPES,
    INLINE_EXPORT_BYTES,
    MAX_QUERIES_PER_PAGE,
    MAX_VERIFY_EVENTS,
    AuditPage,
    AuditQuery,
    CheckpointList,
    CheckpointSummary,
    Export,
    ExportQuery,
    InclusionProof,
    Verification,
    VerifyQuery,
    csv_header,
    csv_row,
    jsonl_line,
)
from .checkpoints import SEAL_LAG
from .commit import is_case_id


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Audit:
    """Read-only use cases of auditors."""

    repository: AuditTrail
    store: CheckpointFiles
    exports: Exports
    cursor_key: Callable[[], bytes]
    timer: Callable[[], float] = time.monotonic
    clock: Callable[[], datetime] = _now

    def events(self, params: dict[str, str]) -> AuditPage:
        """Return one page of events, served by a Query on the fitting index (by time, at most
        MAX_QUERIES_PER_PAGE Queries: a page may end early, even empty, with a cursor)."""
        query = _parse(AuditQuery, params, "The audit query has invalid parameters.")
        binding = {
            "route": "audit/events",
            "case_id": query.case_id,
            "actor": query.actor,
            "action": query.action,
            "from": query.from_,
            "to": query.to,
            "limit": query.limit,
        }
        start = _event_start(query, self._unseal(binding, query.cursor)) if query.cursor else None
        events, position = self.repository.audit_events(
            case_id=query.case_id,
            actor=query.actor,
            action=query.action,
            after=query.from_,
            through=query.to,
            limit=query.limit,
            start=start,
            max_queries=MAX_QUERIES_PER_PAGE,
        )
        return AuditPage(
            events=events, next_cursor=self._seal(binding, position) if position else None
        )

    def checkpoints(self, params: dict[str, str]) -> CheckpointList:
        """Return the checkpoints in the order they were sealed, with the public key."""
        try:
            limit = max(1, min(500, int(params.get("limit", "100"))))
        except ValueError:
            raise InvalidRequest(
                "The limit must be a number.", [FieldError("limit", "is not a number")]
            ) from None
        binding = {"route": "audit/checkpoints", "limit": limit}
        after = None
        if params.get("cursor"):
            after = cursors.fields(self._unseal(binding, params["cursor"]), after=str)["after"]
            cursors.moment(after, None, None)  # a checkpoint's `through`
        found, through = self.repository.checkpoint_index(limit, after)
        return CheckpointList(
            checkpoints=[CheckpointSummary.model_validate(item) for item in found],
            public_key_pem=self.store.public_key_pem(),
            next_cursor=self._seal(binding, {"after": through}) if through else None,
        )

    def proof(self, event_id: str) -> InclusionProof:
        """Return the inclusion proof of an event against the checkpoint that holds it."""
        from ulid import ULID

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
        """Return the events of a time range as JSON Lines or CSV; a large file goes to S3.

        The events stream from the table into the answer, or into S3 in parts once the file
        outgrows an answer, so memory holds a page and a part. A range too long for one
        request's time ends its file early with a cursor that takes the export up where it
        stopped: the files of one range, put end to end, are the whole range.
        """
        query = _parse(ExportQuery, params, "The export has invalid parameters.")
        binding = {
            "route": "audit/export",
            "from": query.from_,
            "to": query.to,
            "format": query.format,
        }
        resume = None
        if query.cursor:
            resume = cursors.fields(self._unseal(binding, query.cursor), after=str)["after"]
            cursors.moment_within(resume, query.from_, query.to)
        fmt, kind = query.format, EXPORT_TYPES[query.format]
        name = f"audit-{query.from_[:10]}-{query.to[:10]}.{fmt}"
        if resume:
            name = name.replace(f".{fmt}", f"-from-{resume[:19].replace(':', '')}.{fmt}")
        started = self.timer()
        buffer = bytearray(csv_header() if fmt == "csv" else b"")
        upload: ExportUpload | None = None
        events = 0
        next_cursor: str | None = None
        position = resume or query.from_  # written through
        try:
            try:
                for position, item in self.repository.iter_event_positions(
                    query.from_, query.to, resume, EXPORT_MAX_QUERIES
                ):
                    if item is not None:
                        buffer += csv_row(item) if fmt == "csv" else jsonl_line(item)
                        events += 1
                    if upload is None and len(buffer) > INLINE_EXPORT_BYTES:
                        upload = self.exports.start(name, kind)
                    if upload is not None and len(buffer) >= EXPORT_PART_BYTES:
                        upload.part(bytes(buffer))
                        buffer.clear()
                    if self.timer() - started > EXPORT_BUDGET_SECONDS:
                        next_cursor = self._seal(binding, {"after": position})
                        break
            except QueriesSpent:
                next_cursor = self._seal(binding, {"after": position})
            if upload is None:
                return Export(
                    events=events,
                    body=bytes(buffer),
                    filename=name,
                    content_type=kind,
                    next_cursor=next_cursor,
                )
            if buffer or not upload.parts:
                upload.part(bytes(buffer))
            url = upload.complete()
        except BaseException:
            if upload is not None:
                upload.abort()
            raise
        return Export(
            events=events, url=url, filename=name, content_type=kind, next_cursor=next_cursor
        )

    def verify(self, params: dict[str, str]) -> Verification:
        """Verify one case's trail, or every event and checkpoint of a time range."""
        query = _parse(VerifyQuery, params, "The verification has invalid parameters.")
        if query.case_id is not None:
            return self._verify_case(query.case_id)
        assert query.from_ is not None and query.to is not None
        return self._verify_range(query.from_, query.to)

    def _verify_case(self, case_id: str) -> Verification:
        """Verify a case: its chain, its head, and its events against the checkpoints of their
        times (every leaf of the case in them shown, no event missing from them)."""
        items = self.repository.case_event_items(case_id)
        case = self.repository.get_case(case_id)
        if not items and case is None:
            raise NotFound(f"No case {case_id} in the trail.")
        heads = {case_id: case.chain} if case else {}
        verifier = Verifier(
            self._key(), case_id=case_id, contiguous=False, overdue_before=self._overdue_before()
        )
        holders: dict[int, dict[str, Any]] = {}
        # The case's first event was written when it was received: its checkpoint is looked up
        # even if the trail lost every event of the case.
        moments = [case.received_at] if case else []
        moments += [str(item.get("occurred_at")) for item in items]
        for moment in moments:
            if not TIMESTAMP.fullmatch(moment) or any(
                h["after"] < moment <= h["through"] for h in holders.values()
            ):
                continue
            holder = self.repository.checkpoint_holding(moment)
            if holder is not None:
                holders[int(holder["seq"])] = holder
        for seq in sorted(holders):
            self._feed(verifier, seq, self._read(seq))
        for item in items:
            _take(verifier, item)
        report = verifier.finish()
        self._check_heads(verifier, heads, whole_cases=True)
        return _summary(report, verifier, sorted(holders), case_id=case_id)

    def _verify_range(self, since: str, until: str) -> Verification:
        """Verify every event and checkpoint of a range, widened to whole checkpoints."""
        located = [
            int(item["seq"]) for item in self.repository.checkpoints_overlapping(since, until)
        ]
        if located:
            first, last = located[0], located[-1]
        else:
            head = self.repository.checkpoint_head()
            first = last = (int(head["seq"]) if head else 0) + 1
        read: dict[int, dict[str, Any]] = {}
        for seq in range(max(1, first - 1), last + 1):
            found = self._read(seq)
            if found is not None:
                read[seq] = found
        # The bucket, not the index, is the record: take up any checkpoint the index left out.
        while (following := self._read(last + 1)) is not None and _window(following)[0] < until:
            read[last + 1] = following
            last += 1
        while first > 1 and (before := read.get(first - 1)) and _window(before)[1] > since:
            first -= 1
            if first > 1 and (earlier := self._read(first - 1)) is not None:
                read[first - 1] = earlier
        in_range = [read[seq] for seq in range(first, last + 1) if seq in read]
        after = min([since, *(_window(c)[0] for c in in_range[:1])])
        through = max([until, *(_window(c)[1] for c in in_range[-1:])])
        verifier = Verifier(
            self._key(),
            since=after,
            until=through,
            first_seq=max(1, first - 1),
            overdue_before=self._overdue_before(),
        )
        for seq in sorted(read):
            self._feed(verifier, seq, read[seq])
        for count, item in enumerate(self.repository.iter_event_items(after, through), 1):
            if count > MAX_VERIFY_EVENTS:
                raise InvalidRequest(
                    f"The range holds more than {MAX_VERIFY_EVENTS} events; verify it in parts, "
                    "or export it and verify the export offline.",
                    [FieldError("to", "is too far from from for one verification", "range")],
                )
            _take(verifier, item)
        anchors = {}
        for case_id, seq in verifier.chain_starts():
            before = self.repository.event_item_at(case_id, seq - 1)
            if before is None:
                verifier.event_problem(
                    case_id, seq - 1, RANK_CHAIN, f"missing, though seq {seq} follows it"
                )
            else:
                anchors[(case_id, seq - 1)] = str(before.get("hash"))
        report = verifier.finish(anchors)
        sealed_through = _window(in_range[-1])[1] if in_range else None
        tail = sealed_through is None or through > sealed_through
        self._check_heads(
            verifier,
            self.repository.chain_heads(list(verifier.cases)),
            unsealed_through=through if tail else None,
        )
        checked = [seq for seq in sorted(read) if seq >= first]
        return _summary(report, verifier, checked, after=after, through=through)

    def _check_heads(
        self,
        verifier: Verifier,
        heads: dict[str, ChainHead],
        *,
        unsealed_through: str | None = None,
        whole_cases: bool = False,
    ) -> None:
        """Compare each case's chain head with the newest event shown.

        A head beyond it means newer events. Where a removed one would go unseen otherwise, they
        are looked up: for whole cases, and for a range that reaches past the newest checkpoint
        to `unsealed_through` (newer events must then lie after it). Elsewhere checkpoints tell.
        """
        shown = verifier.heads()
        for case_id, (newest, newest_hash) in shown.items():
            head = heads.get(case_id)
            if head is None:
                verifier.event_problem(
                    case_id, newest, RANK_CHAIN, "its case's record is missing from the trail"
                )
            elif head.seq == newest and head.hash != newest_hash:
                verifier.event_problem(
                    case_id, newest, RANK_CHAIN, "the case's chain head does not match it"
                )
            elif head.seq < newest:
                verifier.event_problem(
                    case_id,
                    head.seq + 1,
                    RANK_CHAIN,
                    f"beyond the case's chain head (seq {head.seq}): forged or inserted",
                )
            elif head.seq > newest and (whole_cases or unsealed_through):
                following = self.repository.event_item_at(case_id, newest + 1)
                if following is None:
                    gap = f"seq {newest + 1}" + (f" to {head.seq}" if head.seq > newest + 1 else "")
                    verifier.event_problem(
                        case_id,
                        newest + 1,
                        RANK_SEAL,
                        f"missing: the case's chain head is seq {head.seq}, its trail ends at "
                        f"seq {newest} ({gap} removed)",
                    )
                elif unsealed_through and str(following.get("occurred_at")) <= unsealed_through:
                    verifier.event_problem(
                        case_id,
                        newest + 1,
                        RANK_SEAL,
                        "in the trail, but not found by its time",
                        str(following.get("event_id", "")),
                    )
        if not shown:
            for case_id, head in heads.items():
                if head.seq:
                    verifier.event_problem(
                        case_id,
                        1,
                        RANK_SEAL,
                        f"missing: the case's chain head is seq {head.seq}, "
                        "but the trail holds none of its events",
                    )

    def _seal(self, binding: dict[str, Any], position: dict[str, Any]) -> str:
        return cursors.seal(self.cursor_key(), binding, position)

    def _unseal(self, binding: dict[str, Any], cursor: str) -> dict[str, Any]:
        return cursors.unseal(self.cursor_key(), binding, cursor)

    def _overdue_before(self) -> str:
        """Return when an event no checkpoint seals yet was due to be sealed at the latest."""
        period = timedelta(minutes=settings().checkpoint_rate_minutes)
        return verification.sealing_deadline(self.clock(), period, SEAL_LAG)

    def _key(self) -> Any:
        return verification.public_key(self.store.public_key_pem().encode())

    def _read(self, seq: int) -> dict[str, Any] | None:
        """Return checkpoint `seq` from the bucket; one that is not JSON comes back empty."""
        try:
            found = self.store.read(seq)
        except ValueError:
            return {}
        return found if found is None or isinstance(found, dict) else {}

    @staticmethod
    def _feed(verifier: Verifier, seq: int, checkpoint: dict[str, Any] | None) -> None:
        name = f"{seq:010d}.json"
        fault = (
            "missing from the bucket"
            if checkpoint is None
            else verification.checkpoint_shape_fault(checkpoint)
        )
        if fault:
            verifier.checkpoint_problem(seq, f"checkpoint {seq} ({name}): {fault}")
            return
        assert checkpoint is not None
        verifier.checkpoint(checkpoint, name)


def _window(checkpoint: dict[str, Any]) -> tuple[str, str]:
    """Return a checkpoint's window as read; "" for what a damaged one lacks (the verifier
    names it)."""
    after, through = checkpoint.get("after"), checkpoint.get("through")
    return (after if isinstance(after, str) else "", through if isinstance(through, str) else "")


def _take(verifier: Verifier, item: dict[str, Any]) -> None:
    """Give the verifier an event item, or name it if it is not even shaped like an event."""
    fault = verification.event_shape_fault(item)
    if fault is None:
        verifier.event(item)
        return
    case_id, seq, event_id = item.get("case_id"), item.get("seq"), item.get("event_id")
    verifier.event_problem(
        case_id if isinstance(case_id, str) else "",
        seq if type(seq) is int else 0,
        RANK_CONTENT,
        f"is not an event as stored: {fault}",
        event_id if isinstance(event_id, str) else "",
    )


def _summary(
    report: Report,
    verifier: Verifier,
    checkpoints: list[int],
    *,
    case_id: str | None = None,
    after: str | None = None,
    through: str | None = None,
) -> Verification:
    first = report.problems.first()
    return Verification(
        case_id=case_id,
        after=after,
        through=through,
        events=report.events,
        cases=report.cases,
        sealed_events=report.sealed_events,
        unsealed_events=report.unsealed_events,
        checkpoints=checkpoints,
        checkpoints_verified=len(set(checkpoints) & set(verifier.sealed.verified)),
        problems=report.problems.count,
        first_problem=first.text if first else None,
        first_bad_event=first.event_id if first else None,
        first_bad_case_id=first.case_id if first else None,
        first_bad_seq=first.seq if first else None,
        first_bad_checkpoint=first.checkpoint if first else None,
        verified=first is None,
    )


def _event_start(query: AuditQuery, position: dict[str, Any]) -> dict[str, Any]:
    """Return where a page by case, by actor or by time takes up, or refuse a position that
    is not of this kind of query or lies outside its range."""
    if query.case_id:
        start = cursors.fields(position, seq=int)
    elif query.actor:
        start = cursors.fields(position, after=str, case_id=str, seq=int)
        if not is_case_id(start["case_id"]):
            raise cursors.refused("does not hold a position of this query")
        cursors.moment_and_id(start["after"], query.from_, query.to)
    else:
        start = cursors.fields(position, after=str)
    if start.get("seq", 1) < 1:
        raise cursors.refused("does not hold a position of this query")
    if "after" in start:
        cursors.moment_within(start["after"], query.from_, query.to)
    return start


_M = TypeVar("_M", bound=Model)


def _parse(model: type[_M], params: dict[str, str], what: str) -> _M:
    """Return the query parameters as `model`, or refuse them naming each field that is wrong."""
    try:
        return model.model_validate(params)
    except ValidationError as error:
        errors = field_errors(error) or [FieldError("", _first_message(error), "query")]
        raise InvalidRequest(what, errors) from None


def _first_message(error: ValidationError) -> str:
    return str(error.errors()[0]["msg"]).removeprefix("Value error, ")
