"""Cursors that cannot be forged: a page's position, sealed to the query it belongs to.

A cursor is `<position>.<tag>`, both URL-safe base64 without padding. The position is compact
JSON; the tag is HMAC-SHA256, cut to 128 bits, over a version label, the canonical JSON of the
query's binding (route, every filter, the range, the page size) and the encoded position. The
binding is not in the cursor: the request that brings it back states it again, so a cursor of
another query, range, page size or route fails its tag as surely as a changed one does.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from typing import Any

from .clock import parse_iso
from .errors import FieldError, InvalidCursor
from .ids import ULID_PATTERN

DESCRIPTION = (
    "Opaque: the `next_cursor` of the page before, sent back unchanged with the same "
    "query. It is signed and bound to its route, filters, range and page size; a cursor "
    "that was changed, or that another query gave out, is a 400 naming `cursor`."
)
TAG_BYTES = 16
MAX_CHARS = 512
_LABEL = b"irc/cursor/v1"
_SHAPE = re.compile(r"[A-Za-z0-9_-]{2,480}\.[A-Za-z0-9_-]{22}")
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")
_AFTER_ID = re.compile(f"#{ULID_PATTERN}")


def seal(key: bytes, binding: Mapping[str, Any], position: Mapping[str, Any]) -> str:
    """Return the cursor of `position` in the query `binding` describes, signed with `key`."""
    payload = _b64(json.dumps(position, separators=(",", ":"), sort_keys=True).encode())
    return f"{payload}.{_tag(key, binding, payload)}"


def unseal(key: bytes, binding: Mapping[str, Any], cursor: str) -> dict[str, Any]:
    """Return the position `cursor` holds, or raise InvalidCursor if it was not sealed with
    `key` for this very binding."""
    if len(cursor) > MAX_CHARS or not _SHAPE.fullmatch(cursor):
        raise refused("is not a cursor this service gives out")
    payload, tag = cursor.split(".")
    if not hmac.compare_digest(tag, _tag(key, binding, payload)):
        raise refused("was changed, or belongs to another query, range or page size")
    try:
        position = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (ValueError, binascii.Error):
        raise refused("is not a cursor this service gives out") from None
    if not isinstance(position, dict):
        raise refused("is not a cursor this service gives out")
    return position


def refused(reason: str) -> InvalidCursor:
    """Return the error that refuses a cursor, naming the `cursor` field."""
    return InvalidCursor(
        "The cursor is not one this query gave out: send it back unchanged with the same "
        "query, or start again without it.",
        [FieldError("cursor", reason, "cursor")],
    )


def fields(position: Mapping[str, Any], **kinds: type) -> dict[str, Any]:
    """Return the position if it holds exactly these fields of these types, else refuse it."""
    if set(position) != set(kinds) or not all(
        type(position[name]) is kind for name, kind in kinds.items()
    ):
        raise refused("does not hold a position of this query")
    return dict(position)


def moment_within(text: str, since: str | None, until: str | None) -> str:
    """Return `text` (a time, or a time then `#` and an id) if its time lies in
    [since, until], else refuse it: a cursor never takes a query outside its own range."""
    moment = text[:24]
    rest = text[24:]
    if not _MOMENT.fullmatch(moment) or (rest and not _AFTER_ID.fullmatch(rest)):
        raise refused("does not hold a position of this query")
    try:
        parse_iso(moment)
    except ValueError:
        raise refused("does not hold a position of this query") from None
    if (since is not None and moment < since) or (until is not None and moment > until):
        raise refused("points outside the query's range")
    return text


def moment(text: str, since: str | None, until: str | None) -> str:
    """Return `text`, a bare time in [since, until], else refuse it."""
    if "#" in text:
        raise refused("does not hold a position of this query")
    return moment_within(text, since, until)


def moment_and_id(text: str, since: str | None, until: str | None) -> str:
    """Return `text`, a time in [since, until] then `#` and an id, else refuse it."""
    if "#" not in text:
        raise refused("does not hold a position of this query")
    return moment_within(text, since, until)


def _tag(key: bytes, binding: Mapping[str, Any], payload: str) -> str:
    bound = json.dumps(binding, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    message = b"\x00".join([_LABEL, bound.encode(), payload.encode()])
    return _b64(hmac.new(key, message, hashlib.sha256).digest()[:TAG_BYTES])


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")
