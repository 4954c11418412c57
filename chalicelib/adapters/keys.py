"""Every DynamoDB key and index key the service writes, built in one place."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from ..domain.queues import FIRST

DAY_SHARDS = 4
DUE_SHARDS = 4
OUTBOX_SHARDS = 4

_CASE = "CASE#"
_CASE_SK = "CASE"
_UPLOAD = "UPLOAD#"
_IDEMPOTENCY = "IDEMPOTENCY#"
_OUTBOX = "OUTBOX#"
_EVENT = "EVENT#"
_THROUGH = "THROUGH#"
PARKED_PARTITION = f"{_OUTBOX}PARKED"


def case_key(case_id: str) -> dict[str, str]:
    """Return the key of a case item."""
    return {"pk": f"{_CASE}{case_id}", "sk": _CASE_SK}


def case_partition(case_id: str) -> str:
    """Return the partition of a case: its item, its outbox records, its audit events."""
    return f"{_CASE}{case_id}"


def case_id_of(key: Mapping[str, Any]) -> str:
    """Return the case id of an item keyed under a case's partition."""
    return str(key["pk"]).removeprefix(_CASE)


def is_case_item(key: Mapping[str, Any]) -> bool:
    """Tell whether a key names a case item (not its outbox records nor any other item)."""
    return str(key["pk"]).startswith(_CASE) and key["sk"] == _CASE_SK


# The prefix is the one the queues by status had, so a case written before work queues stays
# listed in the queue of its status until its next write moves it (domain/queues.py).
_QUEUE = "STATUS#"


_FIRST = FIRST  # sorts before every moment: a trusted flagger's case comes first in its queue


def queue_keys(queue: str, waiting_since: str, case_id: str, first: bool = False) -> dict[str, str]:
    """Return the queue index keys of a case: by work queue, the cases that come `first`
    (trusted flaggers') before the others, each longest waiting first."""
    since = f"{_FIRST}{waiting_since}" if first else waiting_since
    return {"queue_pk": queue_partition(queue), "queue_sk": f"{since}#{case_id}"}


def queue_partition(queue: str) -> str:
    """Return the queue index partition of one work queue (or of a status no one works on)."""
    return f"{_QUEUE}{queue}"


def waiting_before(moment: str) -> list[tuple[str, str]]:
    """Return the sort key ranges that hold every case of a queue that began waiting before
    `moment`: the ones that come first, then the others."""
    return [(_FIRST, f"{_FIRST}{moment}"), ("0", moment)]


def due_keys(due_at: str | None, case_id: str) -> dict[str, str]:
    """Return the due index keys of a case: when time next changes it (none: not in the index)."""
    if due_at is None:
        return {}
    return {"due_pk": due_partition(_shard(case_id, DUE_SHARDS)), "due_sk": f"{due_at}#{case_id}"}


def due_partition(shard: int) -> str:
    """Return the due index partition of one shard."""
    return f"DUE#{shard}"


def _shard(text: str, shards: int) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest(), 16) % shards


CHECKPOINT_PARTITION = "CHECKPOINT"


def checkpoint_head_key() -> dict[str, str]:
    """Return the key of the item that points at the newest checkpoint."""
    return {"pk": CHECKPOINT_PARTITION, "sk": "HEAD"}


def checkpoint_key(through: str) -> dict[str, str]:
    """Return the key of a checkpoint's index item: by the last moment it seals."""
    return {"pk": CHECKPOINT_PARTITION, "sk": f"{_THROUGH}{through}"}


CHECKPOINT_INDEX_PREFIX = _THROUGH
"""How the sort key of every checkpoint index item begins."""


def is_checkpoint_index(key: Mapping[str, Any]) -> bool:
    """Tell whether a key names a checkpoint's index item (not the head)."""
    return str(key["sk"]).startswith(_THROUGH)


def through_of(key: Mapping[str, Any]) -> str:
    """Return the last moment the checkpoint whose index item `key` names seals."""
    return str(key["sk"]).removeprefix(_THROUGH)


def checkpoints_after(after: str) -> tuple[str, str]:
    """Return the sort-key range of the checkpoints that seal through a moment after `after`."""
    return f"{_THROUGH}{after}#", f"{_THROUGH}~"


def day_partitions(day: str) -> list[str]:
    """Return every shard partition of one day in the by-day audit index."""
    return [f"{day}#{shard}" for shard in range(DAY_SHARDS)]


def upload_key(upload_id: str) -> dict[str, str]:
    """Return the key of an upload item."""
    return {"pk": f"{_UPLOAD}{upload_id}", "sk": "UPLOAD"}


def is_upload_key(key: Mapping[str, Any]) -> bool:
    """Tell whether a key names an upload item."""
    return str(key["pk"]).startswith(_UPLOAD)


def outbox_key(case_id: str, effect_id: str) -> dict[str, str]:
    """Return the key of an outbox record: under its case, so the case file reads both at once."""
    return {"pk": case_partition(case_id), "sk": f"{_OUTBOX}{effect_id}"}


def is_outbox_key(sort_key: str) -> bool:
    """Tell whether a sort key names an outbox record."""
    return sort_key.startswith(_OUTBOX)


def outbox_index_keys(effect_id: str, due_at: str) -> dict[str, str]:
    """Return the outbox index keys of an undelivered effect: when the sweeper may take it."""
    return {
        "outbox_pk": outbox_partition(_shard(effect_id, OUTBOX_SHARDS)),
        "outbox_sk": f"{due_at}#{effect_id}",
    }


def parked_index_keys(effect_id: str, parked_at: str) -> dict[str, str]:
    """Return the outbox index keys of an effect parked for an operator."""
    return {"outbox_pk": PARKED_PARTITION, "outbox_sk": f"{parked_at}#{effect_id}"}


def outbox_partition(shard: int) -> str:
    """Return the outbox index partition of one shard."""
    return f"{_OUTBOX}{shard}"


def idempotency_key(key_hash: str) -> dict[str, str]:
    """Return the key of an idempotency record."""
    return {"pk": f"{_IDEMPOTENCY}{key_hash}", "sk": "IDEMPOTENCY"}


def is_idempotency_key(key: Mapping[str, Any]) -> bool:
    """Tell whether a key names an idempotency record."""
    return str(key["pk"]).startswith(_IDEMPOTENCY)


def limit_key(kind: str, subject_hash: str, window_start: str) -> dict[str, str]:
    """Return the key of a fixed window's count: by what is counted, for whom, from when."""
    return {"pk": f"LIMIT#{kind}#{subject_hash}", "sk": f"WINDOW#{window_start}"}


def event_key(case_id: str, seq: int) -> dict[str, str]:
    """Return the key of a case's audit event number `seq`."""
    return {"pk": case_partition(case_id), "sk": f"{_EVENT}{seq:010d}"}


EVENT_PREFIX = _EVENT
"""How the sort key of every audit event of a case begins."""


def event_seq_of(key: Mapping[str, Any]) -> int:
    """Return the sequence number of the event a key names."""
    return int(str(key["sk"]).removeprefix(_EVENT))


def event_index_keys(event_id: str, actor_id: str, occurred_at: str) -> dict[str, str]:
    """Return the audit index keys of an event: by actor and time, and by day shard and time."""
    shard = _shard(event_id, DAY_SHARDS)
    return {
        "actor_id": actor_id,
        "occurred_sk": f"{occurred_at}#{event_id}",
        "day_shard": f"{occurred_at[:10]}#{shard}",
    }


_RELATED = "RELATED#"
_NOTE = "NOTE#"
_NOTES_COUNT = "NOTES"


def related_target_key(form: str, digest: str, case_id: str) -> dict[str, str]:
    """Return the key of a case's relation item by its target: its `url` (the normalised
    address's digest) or its `content_ref` (the in-app reference's digest)."""
    return {"pk": related_target_partition(form, digest), "sk": f"{_CASE}{case_id}"}


def related_target_partition(form: str, digest: str) -> str:
    """Return the partition of every case reporting the target with this form and digest."""
    return f"{_RELATED}{'url' if form == 'url' else 'ref'}#{digest}"


def related_sha256_key(sha256: str, case_id: str) -> dict[str, str]:
    """Return the key of a case's relation item by the SHA-256 of one of its files."""
    return {"pk": related_sha256_partition(sha256), "sk": f"{_CASE}{case_id}"}


def related_sha256_partition(sha256: str) -> str:
    """Return the partition of every case holding a file with this SHA-256."""
    return f"{_RELATED}sha256#{sha256}"


def note_key(case_id: str, note_id: str) -> dict[str, str]:
    """Return the key of an internal note: under its case, so the case file reads it too."""
    return {"pk": case_partition(case_id), "sk": f"{_NOTE}{note_id}"}


NOTE_PREFIX = _NOTE
"""How the sort key of every internal note of a case begins."""


def is_note_key(sort_key: str) -> bool:
    """Tell whether a sort key names an internal note."""
    return sort_key.startswith(_NOTE)


def notes_count_key(case_id: str) -> dict[str, str]:
    """Return the key of the item that counts a case's internal notes."""
    return {"pk": case_partition(case_id), "sk": _NOTES_COUNT}


def recovery_key(case_id: str, code_hash: str) -> dict[str, str]:
    """Return the key of a recovery link's code (its hash): under its case, out of the case
    file's reads, forgotten by TTL once the link expired."""
    return {"pk": case_partition(case_id), "sk": f"RECOVERY#{code_hash}"}


_TALLY = "TALLY#"


def tally_key(day: str) -> dict[str, str]:
    """Return the key of a Korea day's transparency counters (YYYY-MM-DD): one partition per
    year, so a half year is one Query."""
    return {"pk": tally_partition(day[:4]), "sk": day}


def tally_partition(year: str) -> str:
    """Return the partition holding a year's day counters."""
    return f"{_TALLY}{year}"


_ACCOUNT = "ACCOUNT#"
_STRIKE = "STRIKE#"
_CLAIMANT = "CLAIMANT#"
_UNFOUNDED = "NOTICE#"  # before "SUSPENSION": a newest-first Query reads the suspension first
_SUSPENSION = "SUSPENSION"


def account_partition(account_key: str) -> str:
    """Return the partition of an account's strikes (by the keyed hash of its reference)."""
    return f"{_ACCOUNT}{account_key}"


def strike_key(account_key: str, decided_at: str, decision_id: str) -> dict[str, str]:
    """Return the key of one strike against an account: by when it was decided."""
    return {"pk": account_partition(account_key), "sk": f"{_STRIKE}{decided_at}#{decision_id}"}


def strikes_since(moment: str) -> tuple[str, str]:
    """Return the sort-key range of an account's strikes decided at or after `moment`."""
    return f"{_STRIKE}{moment}", f"{_STRIKE}~"


def claimant_partition(claimant_key: str) -> str:
    """Return the partition of a claimant's unfounded notices and suspension (by the keyed hash
    of their normalised address)."""
    return f"{_CLAIMANT}{claimant_key}"


def unfounded_key(claimant_key: str, decided_at: str, decision_id: str) -> dict[str, str]:
    """Return the key of one notice of a claimant rejected as manifestly unfounded."""
    return {
        "pk": claimant_partition(claimant_key),
        "sk": f"{_UNFOUNDED}{decided_at}#{decision_id}",
    }


def is_unfounded_key(sort_key: str) -> bool:
    """Tell whether a sort key names an unfounded notice."""
    return sort_key.startswith(_UNFOUNDED)


def suspension_key(claimant_key: str) -> dict[str, str]:
    """Return the key of a claimant's newest suspension (one item: the newest replaces it)."""
    return {"pk": claimant_partition(claimant_key), "sk": _SUSPENSION}


def is_suspension_key(key: Mapping[str, Any]) -> bool:
    """Tell whether a key names a claimant's suspension."""
    return str(key["pk"]).startswith(_CLAIMANT) and key["sk"] == _SUSPENSION
