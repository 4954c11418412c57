"""Misuse: strikes against an account that posted infringing content, and notices a claimant
sent that were manifestly unfounded (DSA art. 23, DMCA 512(i)); the policy suggests, never acts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import ConfigDict, Field

from .base import Model
from .clock import iso, parse_iso
from .decisions import RejectReason
from .ids import ULID_PATTERN
from .vocabulary import ENFORCEMENT_MEASURES, MeasureKind
from .working_days import SEOUL

if TYPE_CHECKING:
    from .case import Case, MeasureInForce

MAX_STRIKES_READ = 50
"""How many strikes of one account a case file reads at most (newest first)."""
MAX_UNFOUNDED_READ = 50
"""How many unfounded notices of one claimant a case file or a suspension reads at most."""
MAX_SUSPENSION_DAYS = 365

UNFOUNDED_REASONS = frozenset({RejectReason.NOT_INFRINGING, RejectReason.NOT_RIGHTS_HOLDER})
"""The reasons of a rejection that make a notice manifestly unfounded: the content does not
infringe, or the claimant holds no right in it."""

STRIKE_ACTIONS = frozenset(
    {*(m.value for m in ENFORCEMENT_MEASURES), "reinstate", "lift_restriction", "appeal_granted"}
)
"""The actions of a change that take a measure or reverse one: its case's strikes are written."""
SUSPENSION_ACTIONS = frozenset(
    {"claimant_suspended", "claimant_suspension_lifted", "suspension_contested"}
)
"""The actions of a change that write its claimant's suspension."""


@dataclass(frozen=True)
class MisusePolicy:
    """The thresholds of the misuse policy (settings with defaults, in the README)."""

    strike_window_days: int = 180
    strikes_to_warn: int = 2
    strikes_to_restrict: int = 3
    suggested_restriction_days: int = 30
    unfounded_window_days: int = 180
    unfounded_to_warn: int = 3


class Strike(Model):
    """One enforcing decision against an account, and whether it still stands."""

    case_id: str
    decision_id: str
    decided_at: str
    measures: list[MeasureKind]
    standing: bool = Field(description="False once every measure of it was reversed.")


def reversed_measure(measure: MeasureInForce) -> bool:
    """Tell whether a measure was undone: reinstated, lifted, or its appeal granted."""
    granted = measure.appeal is not None and measure.appeal.outcome == "lifted"
    return measure.state in ("reinstated", "lifted") or granted


def strikes_of(case: Case) -> list[Strike]:
    """Return one strike per enforcing decision of the case, standing while any of its
    measures was not reversed (an ended measure stood)."""
    by_decision: dict[str, list[MeasureInForce]] = {}
    for measure in case.measures:
        by_decision.setdefault(measure.decision_id, []).append(measure)
    # A block that lapsed at its cap while the re-posting request waited, then reinstated.
    request = case.reposting_request
    reinstated = request is not None and request.outcome == "reinstated"

    def undone(measure: MeasureInForce) -> bool:
        lapsed_then_reinstated = reinstated and measure.type == MeasureKind.BLOCK_CONTENT
        return reversed_measure(measure) or lapsed_then_reinstated

    decided = {d.decision_id: d.decided_at for d in case.decisions}
    return [
        Strike(
            case_id=case.case_id,
            decision_id=decision_id,
            decided_at=decided.get(decision_id, measures[0].starts_at),
            measures=[m.type for m in measures],
            standing=not all(undone(m) for m in measures),
        )
        for decision_id, measures in by_decision.items()
    ]


Suggestion = Literal["none", "warn_user", "restrict_user"]


class AccountHistory(Model):
    """What the account that posted a case's content has against it: a suggestion only."""

    window_days: int
    standing: int = Field(description="Strikes standing within the window.")
    strikes: list[Strike] = Field(description="Those strikes, newest first.")
    measures: dict[str, int] = Field(description="How many of each measure they took.")
    suggestion: Suggestion = Field(
        description="The policy's suggested next step; nothing is applied automatically."
    )
    suggested_days: int | None = Field(
        default=None, description="For restrict_user, the suggested length in days."
    )


def suggestion(standing: int, policy: MisusePolicy) -> tuple[Suggestion, int | None]:
    """Return the next step the policy suggests for an account with `standing` strikes."""
    if standing >= policy.strikes_to_restrict:
        return "restrict_user", policy.suggested_restriction_days
    if standing >= policy.strikes_to_warn:
        return "warn_user", None
    return "none", None


def account_history(strikes: list[Strike], now: datetime, policy: MisusePolicy) -> AccountHistory:
    """Return the strikes standing in the policy's window before `now`, and the suggestion."""
    since = iso(now - timedelta(days=policy.strike_window_days))
    kept = sorted(
        (s for s in strikes if s.standing and s.decided_at >= since),
        key=lambda s: (s.decided_at, s.decision_id),
        reverse=True,
    )
    measures: dict[str, int] = {}
    for strike in kept:
        for kind in strike.measures:
            measures[kind.value] = measures.get(kind.value, 0) + 1
    suggested, days = suggestion(len(kept), policy)
    return AccountHistory(
        window_days=policy.strike_window_days,
        standing=len(kept),
        strikes=kept,
        measures=measures,
        suggestion=suggested,
        suggested_days=days,
    )


def window_start(now: datetime, days: int) -> str:
    """Return the first moment of a window of `days` that ends at `now`."""
    return iso(now - timedelta(days=days))


class Unfounded(Model):
    """One notice of a claimant rejected as manifestly unfounded."""

    case_id: str
    decision_id: str
    decided_at: str
    reason: RejectReason


def unfounded_of(case: Case) -> list[Unfounded]:
    """Return the case's rejections for a reason that makes its notice manifestly unfounded."""
    found = []
    for decision in case.decisions:
        for measure in decision.measures:
            reason = measure.parameters.get("reason")
            if measure.type == MeasureKind.REJECT and reason in UNFOUNDED_REASONS:
                found.append(
                    Unfounded(
                        case_id=case.case_id,
                        decision_id=decision.decision_id,
                        decided_at=decision.decided_at,
                        reason=RejectReason(str(reason)),
                    )
                )
    return found


class SuspensionReasons(Model):
    """The statement of reasons of a suspension: the facts relied on, and the ground."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    facts: Annotated[str, Field(min_length=20, max_length=2000)]
    ground: Annotated[str, Field(min_length=3, max_length=500)]


class SuspensionRequest(Model):
    """A reviewer suspends new reports from the claimant of a case, for a time, with reasons."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    case_id: Annotated[
        str,
        Field(
            pattern=f"^{ULID_PATTERN}$",
            description="A case of the claimant's: they are named by it, never by address.",
        ),
    ]
    days: Annotated[int, Field(ge=1, le=MAX_SUSPENSION_DAYS)]
    reasons: SuspensionReasons


class SuspensionLift(Model):
    """A reviewer lifts a suspension (on a contest, or otherwise), saying why."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    facts: Annotated[str, Field(min_length=20, max_length=2000)]


class SuspensionContest(Model):
    """The claimant contests the suspension of their address."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    statement: Annotated[str, Field(min_length=20, max_length=5000)]


class Suspension(Model):
    """New reports from a claimant's address are set aside until `ends_at`."""

    suspension_id: str
    case_id: str
    decided_at: str
    ends_at: str
    days: int
    reasons: SuspensionReasons
    contest: str | None = Field(default=None, description="The claimant's contest, if any.")
    contested_at: str | None = None
    lifted_at: str | None = None
    lift_facts: str | None = None

    def in_force_at(self, now: datetime) -> bool:
        """Tell whether the suspension sets reports aside at `now`."""
        return self.lifted_at is None and parse_iso(self.ends_at) > now


class ClaimantStanding(Model):
    """How many of a claimant's notices were manifestly unfounded lately, and what follows."""

    window_days: int
    unfounded: int = Field(description="Notices rejected as unfounded within the window.")
    cases: list[str] = Field(description="Their case ids, newest first.")
    warned: bool = Field(description="Whether the claimant has reached the warning.")
    may_suspend: bool = Field(description="Whether a reviewer may now suspend their reports.")
    suspension: Suspension | None = Field(
        default=None, description="The claimant's newest suspension, if any."
    )


def claimant_standing(
    unfounded: list[Unfounded],
    suspension: Suspension | None,
    now: datetime,
    policy: MisusePolicy,
) -> ClaimantStanding:
    """Return the claimant's standing: warned after W unfounded notices in the window, and open
    to suspension after one more."""
    since = window_start(now, policy.unfounded_window_days)
    kept = sorted(
        {u.decision_id: u for u in unfounded if u.decided_at >= since}.values(),
        key=lambda u: (u.decided_at, u.decision_id),
        reverse=True,
    )
    return ClaimantStanding(
        window_days=policy.unfounded_window_days,
        unfounded=len(kept),
        cases=list(dict.fromkeys(u.case_id for u in kept)),
        warned=len(kept) >= policy.unfounded_to_warn,
        may_suspend=len(kept) > policy.unfounded_to_warn,
        suspension=suspension,
    )


def warns(unfounded_before: int, policy: MisusePolicy) -> bool:
    """Tell whether a rejection that makes `unfounded_before + 1` unfounded notices warns."""
    return unfounded_before + 1 >= policy.unfounded_to_warn


def to_korea_time(moment: str) -> str:
    """Return a moment as Korea time reads it: YYYY-MM-DD HH:MM KST."""
    return parse_iso(moment).astimezone(SEOUL).strftime("%Y-%m-%d %H:%M KST")
