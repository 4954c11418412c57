"""Receipt tokens and idempotency keys: stored only as hashes, compared in constant time."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from typing import Any

import rfc8785

IDEMPOTENCY_KEY_PATTERN = re.compile(r"^[A-Za-z0-9._:-]{16,255}$")
_WRAP_LABEL = b"irc/receipt-token-wrap/v1\x00"
_KEY_LABEL = b"irc/idempotency-key/v1\x00"
_TOKEN_LABEL = b"irc/receipt-token/v1\x00"


def token_hash(token: str) -> str:
    """Return the hash under which a receipt or notice token is stored."""
    return hashlib.sha256(_TOKEN_LABEL + token.encode()).hexdigest()


def token_matches(token: str | None, stored_hash: str | None) -> bool:
    """Tell in constant time whether `token` is the one whose hash was stored."""
    presented = token_hash(token or "")
    return hmac.compare_digest(presented, stored_hash or "0" * 64) and bool(token and stored_hash)


def idempotency_key_hash(key: str) -> str:
    """Return the hash under which an Idempotency-Key is stored."""
    return hashlib.sha256(_KEY_LABEL + key.encode()).hexdigest()


def request_fingerprint(body: Any) -> str:
    """Return a hash of the request body that ignores key order and spacing."""
    return hashlib.sha256(rfc8785.dumps(body)).hexdigest()


def wrap_token(token: str, key: str) -> str:
    """Encrypt `token` under the Idempotency-Key, so only its sender can recover it on a retry."""
    return base64.urlsafe_b64encode(_xor(token.encode(), _keystream(key, len(token)))).decode()


def unwrap_token(wrapped: str, key: str) -> str:
    """Recover the token that `wrap_token` encrypted under the same key."""
    data = base64.urlsafe_b64decode(wrapped)
    return _xor(data, _keystream(key, len(data))).decode("utf-8", "replace")


def _keystream(key: str, length: int) -> bytes:
    stream = b""
    block = 0
    while len(stream) < length:
        stream += hashlib.sha256(_WRAP_LABEL + block.to_bytes(4, "big") + key.encode()).digest()
        block += 1
    return stream[:length]


def _xor(data: bytes, stream: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(data, stream, strict=True))
