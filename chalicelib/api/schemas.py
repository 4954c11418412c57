"""Schemas that only the OpenAPI document needs."""

from __future__ import annotations

from pydantic import Field

from ..domain.base import Model


class ProblemFieldError(Model):
    """One bad field of a request."""

    field: str = Field(description="Dotted path of the field, e.g. claimant.email or evidence[0].")
    message: str
    code: str


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
