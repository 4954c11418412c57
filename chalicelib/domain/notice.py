"""The Rights Infringement Notice: what the poster of reported content is told."""

from __future__ import annotations

from datetime import datetime

from .base import Model
from .case import Case, public_decision
from .clock import parse_iso
from .decisions import ENFORCEMENT_MEASURES, PublicDecision
from .vocabulary import CaseStatus, Ground, Surface


class PosterNotice(Model):
    """What was blocked or restricted, on which ground, until when, and what the poster may do."""

    case_id: str
    status: CaseStatus
    surface: Surface
    content_url: str
    grounds: list[Ground]
    decisions: list[PublicDecision]
    reposting_request_possible: bool


def poster_notice(case: Case, now: datetime) -> PosterNotice:
    """Return the notice for the poster of the content a case is about."""
    enforcing = [
        public_decision(d)
        for d in case.decisions
        if any(m.type in ENFORCEMENT_MEASURES for m in d.measures)
    ]
    blocked = any(
        m.type == "block_content" and m.ends_at and parse_iso(m.ends_at) > now
        for d in enforcing
        for m in d.measures
    )
    return PosterNotice(
        case_id=case.case_id,
        status=case.status,
        surface=case.target.surface,
        content_url=case.target.url,
        grounds=case.grounds,
        decisions=enforcing,
        reposting_request_possible=blocked and case.status == CaseStatus.ACTIONED,
    )
