"""Receipt tokens and idempotency keys: stored only as hashes, compared in constant time, and a
receipt token wrapped (AES-GCM) under the Idempotency-Key that may ask for it again."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

IDEMPOTENCY_KEY_PATTERN = re.compile(r"^[A-Za-z0-9._:-]{16,255}$")
_WRAP_LABEL = b"irc/receipt-token-wrap/v1\x00"  # the HKDF info: this key wraps receipt tokens
# Bound to every wrapped token as associated data: it opens as a receipt token and nothing else.
_WRAP_PURPOSE = b"irc/wrapped-receipt-token"
_WRAP_PREFIX = "v2."  # AES-256-GCM; values of the old keystream format have no prefix
_NONCE_BYTES = 12
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


class TokenUnrecoverable(ValueError):
    """A wrapped token that cannot be opened: another key, altered, or of an older format."""


def wrap_token(token: str, key: str, secret: bytes) -> str:
    """Encrypt `token` under the Idempotency-Key and the service's `secret`, so only the key's
    sender can recover it on a retry, and a copy of the table alone cannot (the key's hash is
    stored beside it, and a weak key could be guessed from that)."""
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(_wrapping_key(key, secret)).encrypt(nonce, token.encode(), _WRAP_PURPOSE)
    return _WRAP_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def unwrap_token(wrapped: str, key: str, secret: bytes) -> str:
    """Recover the token that `wrap_token` encrypted under the same key, or raise
    TokenUnrecoverable if it cannot be (an older format, another key, a changed value)."""
    if not wrapped.startswith(_WRAP_PREFIX):
        raise TokenUnrecoverable("the wrapped token is not of the current format")
    try:
        data = base64.urlsafe_b64decode(wrapped.removeprefix(_WRAP_PREFIX).encode())
        nonce, sealed = data[:_NONCE_BYTES], data[_NONCE_BYTES:]
        token = AESGCM(_wrapping_key(key, secret)).decrypt(nonce, sealed, _WRAP_PURPOSE)
        return token.decode()
    except (ValueError, InvalidTag) as error:  # binascii.Error and UnicodeError are ValueErrors
        raise TokenUnrecoverable("the wrapped token does not open with this key") from error


def _wrapping_key(key: str, secret: bytes) -> bytes:
    return HKDF(algorithm=SHA256(), length=32, salt=secret, info=_WRAP_LABEL).derive(key.encode())
