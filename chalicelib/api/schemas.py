"""Schemas that only the OpenAPI document needs."""

from __future__ import annotations

from pydantic import Field

from ..domain.base import Model


class ProblemFieldError(Model):
    """One bad field of a request."""

    field: str = Field(description="Dotted path of the field, e.g. claimant.email or evidence[0].")
    message: str
    code: str


class CaseChangeSeen(Model):
    """One thing that happened to a case since the version a reviewer read."""

    action: str
    actor_id: str
    occurred_at: str
    version: int | None = None


class Problem(Model):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[ProblemFieldError] | None = None
    claimed_by: str | None = Field(
        default=None, description="case-claimed only: the subject of the reviewer holding it."
    )
    claimed_by_name: str | None = Field(
        default=None, description="case-claimed only: their username, for display."
    )
    claimed_until: str | None = Field(
        default=None, description="case-claimed only: when their claim ends."
    )
    current_version: int | None = Field(
        default=None, description="A reviewer's stale-version 409: the case's version now."
    )
    case_status: str | None = Field(
        default=None,
        description="A reviewer's stale-version 409: the case's status now (`status` is the "
        "HTTP status, as RFC 9457 has it).",
    )
    changes: list[CaseChangeSeen] | None = Field(
        default=None,
        description="A reviewer's stale-version 409: what happened since the version read, "
        "newest last.",
    )
    code: str | None = Field(
        default=None, description="claimant-suspended only: `claimant_suspended`."
    )
    suspended_until: str | None = Field(
        default=None, description="claimant-suspended only: the end of the suspension (UTC)."
    )
    suspended_until_korea: str | None = Field(
        default=None, description="claimant-suspended only: that end in Korea time."
    )
    contest: str | None = Field(
        default=None, description="claimant-suspended only: the route that contests it."
    )
