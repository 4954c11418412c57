"""Every DynamoDB key and index key the service writes, built in one place."""

from __future__ import annotations

import hashlib

DAY_SHARDS = 4


def case_key(case_id: str) -> dict[str, str]:
    """Return the key of a case item."""
    return {"pk": f"CASE#{case_id}", "sk": "CASE"}


def queue_keys(status: str, received_at: str, case_id: str) -> dict[str, str]:
    """Return the queue index keys of a case: by status, oldest first."""
    return {"queue_pk": f"STATUS#{status}", "queue_sk": f"{received_at}#{case_id}"}


def upload_key(upload_id: str) -> dict[str, str]:
    """Return the key of an upload item."""
    return {"pk": f"UPLOAD#{upload_id}", "sk": "UPLOAD"}


def idempotency_key(key_hash: str) -> dict[str, str]:
    """Return the key of an idempotency record."""
    return {"pk": f"IDEMPOTENCY#{key_hash}", "sk": "IDEMPOTENCY"}


def event_key(case_id: str, seq: int) -> dict[str, str]:
    """Return the key of a case's audit event number `seq`."""
    return {"pk": f"CASE#{case_id}", "sk": f"EVENT#{seq:010d}"}


def event_index_keys(event_id: str, actor_id: str, occurred_at: str) -> dict[str, str]:
    """Return the audit index keys of an event: by actor and time, and by day shard and time."""
    shard = int(hashlib.sha256(event_id.encode()).hexdigest(), 16) % DAY_SHARDS
    return {
        "actor_id": actor_id,
        "occurred_sk": f"{occurred_at}#{event_id}",
        "day_shard": f"{occurred_at[:10]}#{shard}",
    }
