"""Statements of reasons as the EU DSA Transparency Database takes them, free of personal data."""

from __future__ import annotations

import re
from typing import Any, Literal

from .vocabulary import ENFORCEMENT_MEASURES, Surface

SourceType = Literal["SOURCE_ARTICLE_16", "SOURCE_TRUSTED_FLAGGER"]
SOURCE_ARTICLE_16: SourceType = "SOURCE_ARTICLE_16"
SOURCE_TRUSTED_FLAGGER: SourceType = "SOURCE_TRUSTED_FLAGGER"

MAX_PUBLIC_FACTS = 2000  # they are the explanation of the ground too, which takes 2,000
PUID_PREFIX = "irc-"
DETAILS_KEY = "dsa_statement"
"""The key of a decision's first enforcing event's details that holds its public statement."""

CONTENT_TYPES: dict[Surface, list[str]] = {
    Surface.KAKAOTALK_PROFILE: ["CONTENT_TYPE_IMAGE", "CONTENT_TYPE_TEXT"],
    Surface.TALK_BOARD: ["CONTENT_TYPE_TEXT"],
    Surface.OPEN_CHAT_BOARD: ["CONTENT_TYPE_TEXT"],
    Surface.OPEN_CHAT_COVER: ["CONTENT_TYPE_IMAGE", "CONTENT_TYPE_TEXT"],
    Surface.OPEN_PROFILE: ["CONTENT_TYPE_IMAGE", "CONTENT_TYPE_TEXT"],
}
"""What content each surface holds: a profile or a cover has a picture and words, a board words."""

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_SEP = r"[\s.\-]?"
_PHONE = re.compile(
    r"(?<![\d+])(?:"
    rf"\+82{_SEP}0?1[016789]{_SEP}\d{{3,4}}{_SEP}\d{{4}}"  # +82 10 1234 5678
    rf"|01[016789]{_SEP}\d{{3,4}}{_SEP}\d{{4}}"  # 010-1234-5678, 01012345678
    rf"|\+82{_SEP}0?[2-6]\d?{_SEP}\d{{3,4}}{_SEP}\d{{4}}"  # +82 2 123 4567
    r"|0[2-6]\d?[\s.\-]\d{3,4}[\s.\-]\d{4}"  # 02-123-4567, 031-123-4567
    r")(?!\d)"
)
_RRN = re.compile(
    r"(?<!\d)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\s?[-–]?\s?[1-8]\d{6}(?!\d)"
)


def personal_data_in(text: str) -> str | None:
    """Return the kind of personal data `text` holds (an email address, a phone number, a
    resident registration number), or None when it holds none of them."""
    if _EMAIL.search(text):
        return "an email address"
    if _RRN.search(text):
        return "a resident registration number"
    if _PHONE.search(text):
        return "a phone number"
    return None


def puid(decision_id: str) -> str:
    """Return the platform's unique id of a decision's statement: stable, [A-Za-z0-9-_]."""
    return f"{PUID_PREFIX}{decision_id}"


def public_statement(
    *,
    decision_id: str,
    decided_at: str,
    measures: list[tuple[str, str | None]],
    decision_ground: str | None,
    legal_ground: str | None,
    policy_ground: str | None,
    public_facts: str | None,
    categories: list[str],
    surface: Surface,
    reported_at: str,
    source_type: str,
) -> dict[str, Any] | None:
    """Return the body the Transparency Database takes for a decision (its `POST
    /api/v1/statements`), or None when the decision restricts nothing; `measures` are
    (kind, ends_at). The body holds only what is written for publication."""
    ends = {kind: end for kind, end in measures}
    if not set(ends) & ENFORCEMENT_MEASURES:
        return None
    visibility = [
        key
        for kind, key in (
            ("block_content", "DECISION_VISIBILITY_CONTENT_DISABLED"),
            ("delete_content", "DECISION_VISIBILITY_CONTENT_REMOVED"),
        )
        if kind in ends
    ]
    explanation = (public_facts or "")[:MAX_PUBLIC_FACTS]
    body: dict[str, Any] = {
        "decision_visibility": visibility or None,
        "decision_account": "DECISION_ACCOUNT_SUSPENDED" if "restrict_user" in ends else None,
        "decision_provision": (
            "DECISION_PROVISION_PARTIAL_SUSPENSION" if "restrict_room" in ends else None
        ),
        "decision_ground": decision_ground,
        "content_type": CONTENT_TYPES[surface],
        "category": categories[0] if categories else "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
        "category_addition": categories[1:] or None,
        "content_date": reported_at[:10],
        "application_date": decided_at[:10],
        "end_date_visibility_restriction": _day(ends.get("block_content")),
        "end_date_account_restriction": _day(ends.get("restrict_user")),
        "end_date_service_restriction": _day(ends.get("restrict_room")),
        "decision_facts": public_facts,
        "source_type": source_type,
        "automated_detection": "No",
        "automated_decision": "AUTOMATED_DECISION_NOT_AUTOMATED",
        "puid": puid(decision_id),
    }
    if decision_ground == "DECISION_GROUND_ILLEGAL_CONTENT":
        body["illegal_content_legal_ground"] = legal_ground
        body["illegal_content_explanation"] = explanation
    elif decision_ground == "DECISION_GROUND_INCOMPATIBLE_CONTENT":
        body["incompatible_content_ground"] = policy_ground
        body["incompatible_content_explanation"] = explanation
        body["incompatible_content_illegal"] = "No"
    return {k: v for k, v in body.items() if v is not None}


def refusal(details: dict[str, Any]) -> str | None:
    """Return why a decision's recorded statement may not be published, or None if it may."""
    statement = details.get(DETAILS_KEY)
    if not isinstance(statement, dict):
        return "was decided before statements for publication were recorded"
    facts = statement.get("decision_facts")
    if not isinstance(facts, str) or not facts.strip():
        return "decision_facts: the decision has no public facts (only facts for the parties)"
    for field in (
        "decision_facts",
        "illegal_content_explanation",
        "incompatible_content_explanation",
    ):
        found = personal_data_in(str(statement.get(field) or ""))
        if found:
            return f"{field} holds {found}"
    return None


def _day(moment: str | None) -> str | None:
    return moment[:10] if moment else None
