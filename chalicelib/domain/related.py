"""Cases related to a case: reports of the same address or in-app reference, or sharing an
evidence file."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import Field

from .base import Model
from .case import Case
from .reports import Target
from .vocabulary import CaseStatus, Surface

MAX_RELATED = 20
"""How many related cases a case file lists at most."""

MAX_RELATIONS_READ = 32
"""How many relations of a case (its address or reference, then its files' hashes) a case file
reads at most: more than any case holds (ten files with the report, ten with each answer or
re-posting request) in all but the rarest cases."""

Same = Literal["target_url", "content_ref", "evidence"]
SAME_ORDER: tuple[Same, ...] = ("target_url", "content_ref", "evidence")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise_url(url: str) -> str:
    """Return the address two reports of the same content share: the scheme and host in lower
    case, without the fragment, the default port or a trailing slash. An address the standard
    library cannot take apart (a stray `[`) is related as written."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address keeps its brackets
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port is None or _DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    if parts.username is not None:
        credentials = parts.username + (f":{parts.password}" if parts.password else "")
        netloc = f"{credentials}@{netloc}"
    return urlunsplit((scheme, netloc, parts.path.rstrip("/"), parts.query, ""))


def url_digest(url: str) -> str:
    """Return the SHA-256 (hex) of a normalised address: the relation holds no address itself."""
    return hashlib.sha256(normalise_url(url).encode()).hexdigest()


def content_ref_digest(content_ref: str) -> str:
    """Return the SHA-256 (hex) of an in-app reference, exactly as given (it is opaque)."""
    return hashlib.sha256(content_ref.encode()).hexdigest()


def target_relation(target: Target) -> tuple[Literal["url", "content_ref"], str]:
    """Return how a case is related to others by its target: by its address's digest, or by
    its in-app reference's digest when it has no address."""
    if target.url:
        return "url", url_digest(target.url)
    return "content_ref", content_ref_digest(target.content_ref or "")


def same_of(stored: str) -> Same:
    """Return what a stored relation item says two cases share (an address by default)."""
    return next((same for same in SAME_ORDER if same == stored), "target_url")


def evidence_hashes(case: Case) -> list[str]:
    """Return the distinct SHA-256 of every file of a case, in the order first attached."""
    return list(dict.fromkeys(f.sha256 for f in case.all_evidence))


@dataclass(frozen=True)
class RelationHit:
    """One other case found under one relation of a case, with its current status."""

    case_id: str
    received_at: str
    surface: str
    same: Same
    sha256: str | None
    status: str


class RelatedCase(Model):
    """Another case with the same target address or in-app reference, or an evidence file of the
    same content."""

    case_id: str
    status: CaseStatus
    received_at: str
    surface: Surface
    same: list[Same] = Field(
        description="What the two cases share: target_url, content_ref, evidence."
    )
    sha256: list[str] = Field(description="The SHA-256 of the evidence files both hold.")


def related_cases(case_id: str, hits: list[RelationHit]) -> list[RelatedCase]:
    """Return the cases `hits` name, one entry each, newest first, `case_id` itself left out."""
    merged: dict[str, RelatedCase] = {}
    for hit in hits:
        if hit.case_id == case_id:
            continue
        entry = merged.setdefault(
            hit.case_id,
            RelatedCase(
                case_id=hit.case_id,
                status=CaseStatus(hit.status),
                received_at=hit.received_at,
                surface=Surface(hit.surface),
                same=[],
                sha256=[],
            ),
        )
        if hit.same not in entry.same:
            entry.same.append(hit.same)
        if hit.sha256 and hit.sha256 not in entry.sha256:
            entry.sha256.append(hit.sha256)
    newest = sorted(merged.values(), key=lambda r: (r.received_at, r.case_id), reverse=True)
    for entry in newest:
        entry.same.sort(key=SAME_ORDER.index)
    return newest[:MAX_RELATED]
