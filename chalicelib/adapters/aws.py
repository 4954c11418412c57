"""AWS clients, built on first use and then shared (never at import: cold starts, and tests)."""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def client(service: str) -> Any:
    """Return the shared boto3 client for `service`."""
    import boto3
    from botocore.config import Config

    config = Config(
        signature_version="s3v4" if service == "s3" else None,
        retries={"mode": "standard", "max_attempts": 3},
        connect_timeout=3,
        read_timeout=10,
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
