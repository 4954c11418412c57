"""Receipt tokens and idempotency keys: stored only as hashes, compared in constant time, and a
receipt token wrapped (AES-GCM) under the Idempotency-Key that may ask for it again. A receipt
token is made of characters that cannot be mistaken for one another, grouped for reading, and read
back however it was typed (lower case, spaces, hyphens)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
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


# A receipt token's characters: digits 2-9 and the capitals without I, L, O and U (no 0/O, no
# 1/I/l, no U to spell words with), in 7 groups of 4: 28 characters, over 137 bits.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_GROUP_SIZE = 4
RECEIPT_GROUPS = 7
_TYPED_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")
_NEW_TOKEN_CHARACTERS = re.compile(
    f"^[{RECEIPT_ALPHABET}]{{{RECEIPT_GROUP_SIZE * RECEIPT_GROUPS}}}$"
)


def new_receipt_token() -> str:
    """Return a fresh receipt token: random look-alike-free characters in hyphenated groups."""
    characters = RECEIPT_GROUP_SIZE * RECEIPT_GROUPS
    drawn = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(characters))
    return _grouped(drawn)


def normalise_receipt_token(typed: str) -> str | None:
    """Return the receipt token a claimant typed in its issued form (upper case, hyphenated
    groups), or None if what was typed is not of the look-alike-free format."""
    compact = _TYPED_SEPARATORS.sub("", typed.strip()[:200]).upper()
    return _grouped(compact) if _NEW_TOKEN_CHARACTERS.match(compact) else None


def receipt_token_matches(typed: str | None, stored_hash: str | None) -> bool:
    """Tell in constant time whether `typed` is the receipt token whose hash was stored: exactly
    as typed (every token, those issued before the look-alike-free format too), or as its
    normalised form."""
    typed = typed or ""
    normalised = normalise_receipt_token(typed)
    exact = token_matches(typed, stored_hash)
    read = token_matches(normalised if normalised is not None else typed, stored_hash)
    return exact or read


def _grouped(compact: str) -> str:
    size = RECEIPT_GROUP_SIZE
    return "-".join(compact[start : start + size] for start in range(0, len(compact), size))


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
