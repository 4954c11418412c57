"""What lets a browser read a case again without its receipt token: a signed status session, a
short-lived proof for one case, and the one-time codes of recovery links.

A session is `<payload>.<tag>`: the payload is compact JSON `{case id: expiry epoch}` in URL-safe
base64, the tag HMAC-SHA256 (cut to 128 bits) over a version label and the payload. A proof is
`proof.<case id>.<expiry epoch>.<tag>`, its tag over another label, the case id and the expiry,
so a proof of one case never opens another, and a session never passes as a proof.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from datetime import datetime, timedelta

SESSION_LIFETIME = timedelta(days=30)
"""How long a browser may read a case again after it proved it."""
MAX_SESSION_CASES = 10
"""How many cases one browser's session names at most; the one that expires first goes first."""
PROOF_LIFETIME = timedelta(hours=2)
"""How long a status page's proof of its case stands in for the receipt token."""
RECOVERY_LINK_LIFETIME = timedelta(minutes=30)
"""How long a mailed recovery link may be used (once)."""
MAX_SESSION_CHARS = 2048
MAX_PROOF_CHARS = 256
TAG_BYTES = 16
_SESSION_LABEL = b"irc/status-session/v1"
_PROOF_LABEL = b"irc/status-proof/v1"
_PROOF_PREFIX = "proof."
_SESSION_SHAPE = re.compile(r"[A-Za-z0-9_-]{2,2000}\.[A-Za-z0-9_-]{22}")
_PROOF_SHAPE = re.compile(r"proof\.([0-9A-Z]{1,64})\.(\d{1,12})\.([A-Za-z0-9_-]{22})")
_CASE_ID = re.compile(r"[0-9A-Z]{1,64}")


def seal_session(key: bytes, cases: dict[str, int]) -> str:
    """Return the session naming `cases` (case id -> expiry epoch), signed with `key`; the
    cases that expire first are left out past MAX_SESSION_CASES."""
    kept = dict(sorted(cases.items(), key=lambda item: -item[1])[:MAX_SESSION_CASES])
    payload = _b64(json.dumps(kept, separators=(",", ":"), sort_keys=True).encode())
    return f"{payload}.{_tag(key, _SESSION_LABEL, payload.encode())}"


def open_session(key: bytes, value: str | None, now: datetime) -> dict[str, int]:
    """Return the unexpired cases a session names, or none for a session that was changed,
    sealed under another key, or is no session at all."""
    if not value or len(value) > MAX_SESSION_CHARS or not _SESSION_SHAPE.fullmatch(value):
        return {}
    payload, tag = value.split(".")
    if not hmac.compare_digest(tag, _tag(key, _SESSION_LABEL, payload.encode())):
        return {}
    try:
        cases = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (ValueError, binascii.Error):
        return {}
    if not isinstance(cases, dict):
        return {}
    moment = int(now.timestamp())
    return {
        case_id: until
        for case_id, until in list(cases.items())[:MAX_SESSION_CASES]
        if isinstance(case_id, str)
        and _CASE_ID.fullmatch(case_id)
        and type(until) is int
        and until > moment
    }


def with_case(cases: dict[str, int], case_id: str, now: datetime) -> dict[str, int]:
    """Return the session's cases with `case_id` added (or renewed) for SESSION_LIFETIME."""
    return {**cases, case_id: int((now + SESSION_LIFETIME).timestamp())}


def without_case(cases: dict[str, int], case_id: str) -> dict[str, int]:
    """Return the session's cases without `case_id`."""
    return {held: until for held, until in cases.items() if held != case_id}


def seal_proof(key: bytes, case_id: str, now: datetime) -> str:
    """Return a proof, valid for PROOF_LIFETIME, that its holder may act on `case_id`."""
    until = str(int((now + PROOF_LIFETIME).timestamp()))
    return f"{_PROOF_PREFIX}{case_id}.{until}.{_proof_tag(key, case_id, until)}"


def proof_holds(key: bytes, case_id: str, proof: str | None, now: datetime) -> bool:
    """Tell whether `proof` was sealed with `key` for this very case and has not expired."""
    if not proof or len(proof) > MAX_PROOF_CHARS:
        return False
    shape = _PROOF_SHAPE.fullmatch(proof)
    if shape is None:
        return False
    proved, until, tag = shape.groups()
    return (
        hmac.compare_digest(proved, case_id)
        and hmac.compare_digest(tag, _proof_tag(key, proved, until))
        and int(until) > int(now.timestamp())
    )


def recovery_code_hash(code: str) -> str:
    """Return the SHA-256 of a recovery code: the only form in which the service keeps it."""
    return hashlib.sha256(code.encode()).hexdigest()


def _proof_tag(key: bytes, case_id: str, until: str) -> str:
    return _tag(key, _PROOF_LABEL, f"{case_id}\x00{until}".encode())


def _tag(key: bytes, label: bytes, message: bytes) -> str:
    return _b64(hmac.new(key, label + b"\x00" + message, hashlib.sha256).digest()[:TAG_BYTES])


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")
