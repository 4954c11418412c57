"""The Rights Infringement Notice: what the poster of reported content is told."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from . import remedies
from .base import Model
from .case import Case, MeasureInForce, RepostingRequest, public_decision
from .decisions import PublicDecision
from .errors import Conflict
from .outcomes import MeasureStanding, standings
from .vocabulary import ENFORCEMENT_MEASURES, CaseStatus, Ground, Surface


class PosterNotice(Model):
    """What was blocked or restricted, on which ground, until when, and what the poster may do."""

    case_id: str
    status: CaseStatus
    surface: Surface
    content_url: str | None = Field(description="The content's web address, if it has one.")
    content_ref: str | None = Field(
        default=None, description="The content's in-app reference, when it has no address."
    )
    grounds: list[Ground]
    decisions: list[PublicDecision]
    measures: list[MeasureInForce]
    reposting_request: RepostingRequest | None
    reposting_request_possible: bool
    reposting_until: str | None = Field(
        default=None, description="Until when re-posting may be requested: the block's end."
    )
    appealable_measures: list[str]
    standings: list[MeasureStanding] = Field(
        default_factory=list, description="Where each measure stands at the time of reading."
    )


def poster_notice(case: Case, now: datetime) -> PosterNotice:
    """Return the notice for the poster of the content a case is about."""
    enforcing = [
        public_decision(d)
        for d in case.decisions
        if any(m.type in ENFORCEMENT_MEASURES for m in d.measures)
    ]
    block = remedies.block_in_force(case, now)
    try:
        remedies.ensure_reposting_allowed(case, now)
        reposting_possible = True
    except Conflict:
        reposting_possible = False
    return PosterNotice(
        case_id=case.case_id,
        status=case.status,
        surface=case.target.surface,
        content_url=case.target.url,
        content_ref=case.target.content_ref,
        grounds=case.grounds,
        decisions=enforcing,
        measures=case.measures,
        # The poster reads their own request, never the claimant's answer to it.
        reposting_request=(
            case.reposting_request.model_copy(update={"answer": None})
            if case.reposting_request
            else None
        ),
        reposting_request_possible=reposting_possible,
        reposting_until=block.ends_at if reposting_possible and block else None,
        appealable_measures=[
            m.measure_id for m in case.measures if remedies.appeal_refusal(m, now) is None
        ],
        standings=standings(case.measures, case.reposting_request, now),
    )
