"""Commit a change with its effects and its answer at once, so a retry is answered, not redone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from ..domain.audit import MAX_CHANGES_TOLD, changes_since
from ..domain.base import Model
from ..domain.case import Case
from ..domain.errors import CaseChanged, FieldError, IdempotencyKeyReused, InvalidRequest
from ..domain.ids import is_case_id as is_case_id  # the use cases ask it here
from ..domain.lifecycle import Change
from ..domain.outbox import Effect
from ..domain.secrets import IDEMPOTENCY_KEY_PATTERN, idempotency_key_hash, request_fingerprint
from ..domain.timers import next_due
from ..ports import CaseStore, IdempotencyKeyTaken, StaleCase, StoredAnswer, UploadsAlreadyClaimed
from .effects import with_tally
from .evidence import Named, claimed_conflict

IDEMPOTENCY_LIFETIME = timedelta(days=1)
T = TypeVar("T", bound=Model)


@dataclass(frozen=True)
class Ask:
    """A request sent under an Idempotency-Key: the key's hash and what the request said."""

    key_hash: str
    fingerprint: str


@dataclass(frozen=True)
class Plan(Generic[T]):
    """What a request will commit: the change, what it claims, its effects, and its answer."""

    change: Change
    answer: T
    effects: list[Effect] = field(default_factory=list)
    claimed: list[str] = field(default_factory=list)
    named: Named = field(default_factory=list)
    erasing: bool = False  # the change erases the case: its relations and notes go with it


def ask(key: str | None, scope: str, body: object) -> Ask | None:
    """Return the request's Ask (None without a key), or refuse a malformed key."""
    if key is None:
        return None
    check_key(key)
    return Ask(idempotency_key_hash(key), request_fingerprint({"scope": scope, "body": body}))


def check_key(key: str) -> None:
    """Refuse an Idempotency-Key that is not 16 to 255 safe characters."""
    if not IDEMPOTENCY_KEY_PATTERN.match(key):
        raise InvalidRequest(
            "The Idempotency-Key header is malformed.",
            [
                FieldError(
                    "Idempotency-Key",
                    "must be 16 to 255 letters, digits or . _ : - (a UUID is right)",
                    "header",
                )
            ],
        )


def commit_once(
    repository: CaseStore,
    asked: Ask | None,
    case_id: str,
    load: Callable[[Case | None], Case],
    plan: Callable[[Case], Plan[T]],
    answer_type: type[T],
    now: Callable[[], datetime],
    explain: bool = False,
) -> tuple[T, bool]:
    """Commit what `plan` makes of the case, once per Idempotency-Key; return (answer, replayed).

    `load` checks the case read (and the caller's right to it); a request whose key already
    committed gets the first answer again, and a key sent with another request is refused.
    With `explain` (a reviewer's request), a stale version is refused with what changed since.
    """
    found, stored = (
        repository.case_and_answer(case_id, asked.key_hash if asked else None)
        if is_case_id(case_id)
        else (None, None)
    )
    case = load(found)
    if asked and stored:
        return _replay(stored, asked, answer_type), True
    planned = planned_change(repository, case, plan, explain)
    record = answer_record(asked, planned.answer, now())
    try:
        repository.save_change(
            planned.change,
            planned.claimed,
            with_tally(planned.change, planned.effects),
            record,
            due_at=next_due(planned.change.case),
            erasing=planned.erasing,
        )
    except StaleCase:
        _claimed_meanwhile(repository, planned.change, now())
        stale = changed_meanwhile(planned.change.expected_version)
        raise (explained(repository, stale, case.case_id, None) if explain else stale) from None
    except UploadsAlreadyClaimed as error:
        raise claimed_conflict(planned.named, error.upload_ids) from None
    except IdempotencyKeyTaken:
        first = repository.stored_answer(asked.key_hash) if asked else None
        if first is None or asked is None:
            raise
        return _replay(first, asked, answer_type), True
    return planned.answer, False


def _claimed_meanwhile(repository: CaseStore, change: Change, moment: datetime) -> None:
    """Refuse a change that lost only to a claim taken meanwhile as claimed, not as stale: the
    version it read is still the case's."""
    from ..domain import claims

    if not change.events or change.events[0].actor_role != "reviewer":
        return  # a claimant's, a poster's or a timer's change is only retried
    found = repository.get_case(change.case.case_id)
    if found is None or found.version != change.expected_version:
        return
    claims.ensure_not_claimed_by_other(found, change.events[0].actor_id, moment)


def answer_record(asked: Ask | None, answer: Model, now: datetime) -> StoredAnswer | None:
    """Return the answer to keep for the retries of a request sent under a key (None: no key)."""
    if asked is None:
        return None
    return StoredAnswer(
        key_hash=asked.key_hash,
        fingerprint=asked.fingerprint,
        body=answer.model_dump_json(),
        expires_at_epoch=int((now + IDEMPOTENCY_LIFETIME).timestamp()),
    )


def replay(stored: StoredAnswer, asked: Ask, answer_type: type[T]) -> T:
    """Return the first answer to a key again, or refuse the key sent with another request."""
    return _replay(stored, asked, answer_type)


def planned_change(
    repository: CaseStore, case: Case, plan: Callable[[Case], Plan[T]], explain: bool
) -> Plan[T]:
    """Return what `plan` makes of the case, without committing it (a preview stops here)."""
    try:
        return plan(case)
    except CaseChanged as stale:
        if not explain:
            raise
        raise explained(repository, stale, case.case_id, case) from None


def explained(
    repository: CaseStore, stale: CaseChanged, case_id: str, case: Case | None
) -> CaseChanged:
    """Return a stale-version refusal with the case's version and status, and what changed.

    `case` is the case as read, when it is newer than the version expected; else it is read.
    """
    if stale.expected_version is None:
        return stale
    fresh = case is not None and case.version != stale.expected_version
    found = case if fresh else repository.get_case(case_id)
    if found is None:
        return stale
    newest = repository.newest_events(found.case_id, MAX_CHANGES_TOLD)
    changes = changes_since(newest, found.version, stale.expected_version)
    return stale.explained(found.version, found.status.value, changes)


def changed_meanwhile(expected_version: int | None = None) -> CaseChanged:
    """Return the conflict of a change that lost the race to another change of the case."""
    return CaseChanged(expected_version)


def reused_key() -> IdempotencyKeyReused:
    """Return the refusal of an Idempotency-Key sent again with another request."""
    return IdempotencyKeyReused(
        "This Idempotency-Key was used for a different request; use a new key for a new request.",
        [FieldError("Idempotency-Key", "was used before with a different body", "reused")],
    )


def _replay(stored: StoredAnswer, asked: Ask, answer_type: type[T]) -> T:
    if stored.fingerprint != asked.fingerprint:
        raise reused_key()
    return answer_type.model_validate_json(stored.body)
