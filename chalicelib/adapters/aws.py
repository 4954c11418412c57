"""AWS clients, built on first use and then shared (never at import: cold starts, and tests)."""

from __future__ import annotations

from functools import cache
from typing import Any

# Attempts, connect and read timeouts (s). The staff pool is asked before every staff request is
# let in: each call to it gives up within 9 s, not the 52 s the other services may take.
_PATIENCE = {"cognito-idp": (2, 1, 2)}


@cache
def client(service: str) -> Any:
    """Return the shared boto3 client for `service`."""
    import boto3
    from botocore.config import Config

    attempts, connect, read = _PATIENCE.get(service, (3, 3, 10))
    config = Config(
        signature_version="s3v4" if service == "s3" else None,
        retries={"mode": "standard", "max_attempts": attempts},
        connect_timeout=connect,
        read_timeout=read,
    )
    made = boto3.client(service, config=config)
    if service == "s3":
        made.meta.events.register("before-sign.s3.CopyObject", _declare_copy_checksum)
    return made


def reset_clients() -> None:
    """Forget every client, so the next call builds a new one (tests switch endpoints)."""
    client.cache_clear()


def _declare_copy_checksum(request: Any, **_: Any) -> None:
    # A copy into an Object Lock bucket with default retention must say how its integrity is
    # checked; S3 accepts the SDK checksum header on CopyObject, and moto insists on it.
    request.headers["x-amz-sdk-checksum-algorithm"] = "SHA256"
