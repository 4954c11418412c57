"""Commit a change with its effects and its answer at once, so a retry is answered, not redone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from ..domain.base import Model
from ..domain.case import Case
from ..domain.errors import CaseChanged, Conflict, FieldError, IdempotencyKeyReused, InvalidRequest
from ..domain.ids import is_case_id as is_case_id  # the use cases ask it here
from ..domain.lifecycle import Change
from ..domain.outbox import Effect
from ..domain.secrets import IDEMPOTENCY_KEY_PATTERN, idempotency_key_hash, request_fingerprint
from ..domain.timers import next_due
from ..ports import CaseStore, IdempotencyKeyTaken, StaleCase, StoredAnswer, UploadsAlreadyClaimed
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
) -> tuple[T, bool]:
    """Commit what `plan` makes of the case, once per Idempotency-Key; return (answer, replayed).

    `load` checks the case read (and the caller's right to it); a request whose key already
    committed gets the first answer again, and a key sent with another request is refused.
    """
    found, stored = (
        repository.case_and_answer(case_id, asked.key_hash if asked else None)
        if is_case_id(case_id)
        else (None, None)
    )
    case = load(found)
    if asked and stored:
        return _replay(stored, asked, answer_type), True
    planned = plan(case)
    record = answer_record(asked, planned.answer, now())
    try:
        repository.save_change(
            planned.change,
            planned.claimed,
            planned.effects,
            record,
            due_at=next_due(planned.change.case),
            erasing=planned.erasing,
        )
    except StaleCase:
        raise changed_meanwhile() from None
    except UploadsAlreadyClaimed as error:
        raise claimed_conflict(planned.named, error.upload_ids) from None
    except IdempotencyKeyTaken:
        first = repository.stored_answer(asked.key_hash) if asked else None
        if first is None or asked is None:
            raise
        return _replay(first, asked, answer_type), True
    return planned.answer, False


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


def changed_meanwhile() -> Conflict:
    """Return the conflict of a change that lost the race to another change of the case."""
    return CaseChanged()


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
