"""The auditors' export of statements of reasons for the DSA Transparency Database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ConfigDict, Field, field_validator, model_validator

from ..domain import cursors
from ..domain.base import Model
from ..domain.dsa_statements import DETAILS_KEY, puid, refusal
from ..domain.vocabulary import ENFORCEMENT_MEASURES
from ..ports import AuditTrail, QueriesSpent
from .audit import _parse
from .audit_views import _moment

MAX_STATEMENTS = 100  # the Transparency Database takes at most 100 statements a request
MAX_QUERIES = 200


class StatementQuery(Model):
    """Which decisions to export: a time range, a page size, where to take up."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    limit: int = Field(default=MAX_STATEMENTS, ge=1, le=MAX_STATEMENTS)
    cursor: str | None = Field(default=None, description=cursors.DESCRIPTION)

    _moments = field_validator("from_", "to")(lambda value: _moment(value))

    @model_validator(mode="after")
    def _forwards(self) -> StatementQuery:
        if self.to <= self.from_:
            raise ValueError("to must come after from")
        return self


class RefusedStatement(Model):
    """A decision whose statement is not exported, and why."""

    puid: str
    decision_id: str
    case_id: str
    reason: str


class StatementPage(Model):
    """One page of statements, each a body for `POST /api/v1/statements`, and the refused."""

    statements: list[dict[str, Any]]
    refused: list[RefusedStatement]
    next: str | None = Field(description="The cursor of the next page, or null at the end.")


@dataclass
class Statements:
    """Read the decisions of a time range off the trail, as publishable statements."""

    repository: AuditTrail
    cursor_key: Callable[[], bytes]

    def page(self, params: dict[str, str]) -> StatementPage:
        """Return one page of statements of the decisions in (from, to], oldest first: read
        by Queries on the trail's by-day index, at most `limit` statements (100) a page."""
        query = _parse(StatementQuery, params, "The statements query has invalid parameters.")
        binding = {
            "route": "transparency/statements",
            "from": query.from_,
            "to": query.to,
            "limit": query.limit,
        }
        resume = None
        if query.cursor:
            sealed = cursors.unseal(self.cursor_key(), binding, query.cursor)
            resume = cursors.fields(sealed, after=str)["after"]
            cursors.moment_within(resume, query.from_, query.to)
        statements: list[dict[str, Any]] = []
        pending: dict[str, RefusedStatement] = {}
        seen: set[str] = set()
        last = resume
        more = False
        try:
            for position, item in self.repository.iter_event_positions(
                query.from_, query.to, resume, MAX_QUERIES
            ):
                details = (item or {}).get("details") or {}
                decision_id = str(details.get("decision_id") or "")
                if len(statements) + len(pending) >= query.limit and decision_id not in seen:
                    more = True
                    break
                last = position
                if item is None or item.get("action") not in ENFORCEMENT_MEASURES:
                    continue
                if not decision_id or (decision_id in seen and decision_id not in pending):
                    continue
                # A decision's statement sits on one of its enforcing events (its first).
                seen.add(decision_id)
                why = refusal(details)
                if why is None:
                    pending.pop(decision_id, None)
                    statements.append(dict(details[DETAILS_KEY]))
                elif DETAILS_KEY in details or decision_id not in pending:
                    pending[decision_id] = RefusedStatement(
                        puid=puid(decision_id),
                        decision_id=decision_id,
                        case_id=str(item.get("case_id")),
                        reason=why,
                    )
        except QueriesSpent:
            more = True
        following = None
        if more:
            following = cursors.seal(self.cursor_key(), binding, {"after": last or query.from_})
        return StatementPage(statements=statements, refused=list(pending.values()), next=following)
