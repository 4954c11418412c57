"""Keys for one purpose each (signing cursors, hashing client addresses and mail recipients),
derived once per process from the service's HMAC key in KMS: none is ever a constant in code,
none is stored, and each is as secret as that key."""

from __future__ import annotations

from functools import lru_cache

from ..config import settings
from .aws import client

_LABEL = "irc/derived-key/v1"


def derived_key(purpose: str) -> bytes:
    """Return the 32-byte key of `purpose` (the same in every process of this deployment)."""
    return _derive(settings().notice_key_id, purpose)


@lru_cache(maxsize=16)
def _derive(key_id: str, purpose: str) -> bytes:
    # One KMS call per purpose per process; a failure is not cached, so the next call tries again.
    answer = client("kms").generate_mac(
        KeyId=key_id,
        Message=f"{_LABEL}\x00{purpose}".encode(),
        MacAlgorithm="HMAC_SHA_256",
    )
    return bytes(answer["Mac"])


def forget_derived_keys() -> None:
    """Forget every derived key, so the next use derives it again (tests count KMS calls)."""
    _derive.cache_clear()
