"""How much one client may ask for, and one address be mailed: fixed windows, counted by hash."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from .clock import iso
from .errors import DomainError

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
# A client given a whole IPv6 /64 (the usual grant to one line) could rotate through it at will.
IPV6_CLIENT_PREFIX = 64


class LimitKind(StrEnum):
    """What is counted: reports and upload grants per client, acknowledgements per recipient."""

    REPORTS = "reports"
    UPLOADS = "uploads"
    ACKNOWLEDGEMENTS = "acknowledgements"
    RECOVERIES_OF_CASE = "recoveries-case"
    RECOVERIES_TO_ADDRESS = "recoveries-address"


WINDOWS: dict[LimitKind, timedelta] = {
    LimitKind.REPORTS: HOUR,
    LimitKind.UPLOADS: HOUR,
    LimitKind.ACKNOWLEDGEMENTS: DAY,
    LimitKind.RECOVERIES_OF_CASE: DAY,
    LimitKind.RECOVERIES_TO_ADDRESS: DAY,
}
# Recovery links asked for one case, and for one address, per day: every attempt counts, whether
# or not the case exists and the address is its claimant's, so the limit tells nothing either.
RECOVERIES_PER_CASE_PER_DAY = 3
RECOVERIES_PER_ADDRESS_PER_DAY = 3


@dataclass(frozen=True)
class Window:
    """One fixed window of a limit: from its start (included) to its end (excluded)."""

    start: datetime
    end: datetime

    def retry_after(self, now: datetime) -> int:
        """Return the whole seconds from `now` to the window's end (at least 1)."""
        return max(1, math.ceil((self.end - now).total_seconds()))


@dataclass(frozen=True)
class Limit:
    """At most `allowed` of one kind per window."""

    kind: LimitKind
    allowed: int

    @property
    def window(self) -> timedelta:
        """Return the length of this limit's windows."""
        return WINDOWS[self.kind]

    def window_at(self, now: datetime) -> Window:
        """Return the window that holds `now`; windows are aligned to the Unix epoch (UTC)."""
        length = int(self.window.total_seconds())
        start = datetime.fromtimestamp(int(now.timestamp()) // length * length, UTC)
        return Window(start, start + self.window)

    def allows(self, taken: int) -> bool:
        """Tell whether one more may be taken in a window where `taken` were taken already."""
        return taken < self.allowed


@dataclass(frozen=True)
class Count:
    """One more of a limit, for one subject (a keyed hash), in the window of the moment."""

    limit: Limit
    subject: str
    window: Window

    @property
    def expires_at_epoch(self) -> int:
        """Return when the count may be forgotten: the end of its window."""
        return int(self.window.end.timestamp())


def count_at(limit: Limit, subject: str, now: datetime) -> Count:
    """Return the count that one more of `limit` for `subject` at `now` takes."""
    return Count(limit, subject, limit.window_at(now))


class LimitReached(DomainError):
    """A client asked for more than its limit allows in the current window."""

    title = "Too many requests"

    def __init__(self, detail: str, retry_after: int, retry_at: str | None = None) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
        self.retry_at = retry_at


_REFUSED = {
    LimitKind.REPORTS: "This network address has submitted {allowed} reports in the current hour, "
    "the most we accept from one address",
    LimitKind.UPLOADS: "This network address was granted {allowed} uploads in the current hour, "
    "the most we grant to one address",
    LimitKind.RECOVERIES_OF_CASE: "{allowed} links to this case, or to this address, were asked "
    "for today, the most we send",
    LimitKind.RECOVERIES_TO_ADDRESS: "{allowed} links to this case, or to this address, were "
    "asked for today, the most we send",
}


def refusal(count: Count, now: datetime) -> LimitReached:
    """Return the refusal of a count over its limit: what was limited, and when to retry."""
    seconds = count.window.retry_after(now)
    said = _REFUSED[count.limit.kind].format(allowed=count.limit.allowed)
    return LimitReached(
        f"{said} (from {iso(count.window.start)}). Retry after {iso(count.window.end)}, "
        f"in {seconds} seconds; nothing was recorded for this request.",
        seconds,
        iso(count.window.end),
    )


def client_of(source_address: str | None) -> str:
    """Return the client a request is counted against: its address, or its IPv6 /64."""
    text = (source_address or "").strip()
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return text or "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, IPV6_CLIENT_PREFIX), strict=False))
    return str(address)


def recipient_of(address: str) -> str:
    """Return the mailbox an address reaches: lower case, without a +tag in its local part."""
    local, _, domain = address.strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}" if local else domain


def keyed_hash(key: bytes, text: str) -> str:
    """Return the HMAC-SHA256 of `text` under `key`: the only form in which a subject is kept."""
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()
