"""What an id of this service looks like: a ULID, 26 characters of Crockford's base32."""

from __future__ import annotations

import re

ULID_PATTERN = "[0-9A-HJKMNP-TV-Z]{26}"
_ULID = re.compile(ULID_PATTERN)


def is_ulid(text: str) -> bool:
    """Tell whether `text` is shaped like a ULID (an upload, a case, an event)."""
    return _ULID.fullmatch(text) is not None


def is_case_id(text: str) -> bool:
    """Tell whether `text` can be a case id, before any read is spent on it."""
    return is_ulid(text)
