"""Reviewers' decisions: the measures the policy allows, their limits, and statements of reasons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError

from .base import Model
from .dsa_statements import MAX_PUBLIC_FACTS, SOURCE_ARTICLE_16, personal_data_in
from .errors import FieldError, InvalidRequest
from .vocabulary import (
    ALONE_MEASURES,
    ENFORCEMENT_MEASURES,
    OPEN_CHAT_SURFACES,
    RESTRICTIONS,
    Ground,
    MeasureKind,
    Surface,
)

MAX_BLOCK_DAYS = 30  # Network Act art. 44-2(4): a temporary measure lasts at most 30 days
MAX_INFORMATION_DAYS = 14
MAX_RESTRICTION_DAYS = 90


class RejectReason(StrEnum):
    """Why a report leads to no measure."""

    NOT_RIGHTS_HOLDER = "not_rights_holder"
    INSUFFICIENT_EVIDENCE = "insufficient_evidence"
    OUT_OF_SCOPE = "out_of_scope"
    NOT_INFRINGING = "not_infringing"
    DUPLICATE = "duplicate"


class RestrictedService(StrEnum):
    """Which service a restricted user may not use for a time."""

    KAKAOTALK = "kakaotalk"
    OPEN_CHAT = "open_chat"


class RequestInformation(Model):
    """Ask the claimant for more evidence or proof of authority, by a deadline."""

    type: Literal[MeasureKind.REQUEST_INFORMATION]
    message: Annotated[str, Field(min_length=10, max_length=2000)]
    due_days: Annotated[int, Field(ge=1, le=MAX_INFORMATION_DAYS)]


class Reject(Model):
    """Take no measure, for a stated reason."""

    type: Literal[MeasureKind.REJECT]
    reason: RejectReason


class BlockContent(Model):
    """Block access to the content for a time (the temporary measure)."""

    type: Literal[MeasureKind.BLOCK_CONTENT]
    days: Annotated[int, Field(ge=1, le=MAX_BLOCK_DAYS)]


class DeleteContent(Model):
    """Remove the content for good."""

    type: Literal[MeasureKind.DELETE_CONTENT]


class RestrictRoom(Model):
    """Restrict access to the Open Chat room the content is in, for a time."""

    type: Literal[MeasureKind.RESTRICT_ROOM]
    days: Annotated[int, Field(ge=1, le=MAX_RESTRICTION_DAYS)]


class RestrictUser(Model):
    """Restrict the reported user from KakaoTalk or Open Chat, for a time."""

    type: Literal[MeasureKind.RESTRICT_USER]
    service: RestrictedService
    days: Annotated[int, Field(ge=1, le=MAX_RESTRICTION_DAYS)]


Measure = Annotated[
    RequestInformation | Reject | BlockContent | DeleteContent | RestrictRoom | RestrictUser,
    Field(discriminator="type"),
]

MEASURE_MODELS: tuple[type[Model], ...] = (
    RequestInformation,
    Reject,
    BlockContent,
    DeleteContent,
    RestrictRoom,
    RestrictUser,
)
"""The model of each measure a decision may take, in the order a form offers them."""

REFUSED_TOGETHER: tuple[tuple[MeasureKind, MeasureKind], ...] = (
    (MeasureKind.BLOCK_CONTENT, MeasureKind.DELETE_CONTENT),
)
"""The pairs of measures that contradict each other (besides the ones that stand alone)."""

SURFACE_BOUND = {MeasureKind.RESTRICT_ROOM: OPEN_CHAT_SURFACES}
"""The measures that apply only to content on some surfaces."""


class DecisionGround(StrEnum):
    """Whether the content is judged illegal, or against the service's policy."""

    ILLEGAL_CONTENT = "illegal_content"
    INCOMPATIBLE_CONTENT = "incompatible_content"


GROUND_NEEDS: dict[DecisionGround, tuple[str, str]] = {
    DecisionGround.ILLEGAL_CONTENT: ("legal_ground", "is required for illegal content"),
    DecisionGround.INCOMPATIBLE_CONTENT: (
        "policy_ground",
        "is required for content against policy",
    ),
}
"""Which field of the reasons each ground requires when a measure is taken, and why."""


@dataclass(frozen=True)
class ReasonTemplate:
    """A usual ground for a decision, which a reviewer starts from and edits (words in texts)."""

    id: str
    ground: DecisionGround
    report_grounds: tuple[Ground, ...]


REASON_TEMPLATES = (
    ReasonTemplate(
        "network_act_44_2", DecisionGround.ILLEGAL_CONTENT, (Ground.PRIVACY, Ground.DEFAMATION)
    ),
    ReasonTemplate(
        "copyright_act_103", DecisionGround.ILLEGAL_CONTENT, (Ground.INTELLECTUAL_PROPERTY,)
    ),
    ReasonTemplate(
        "personal_information_protection_act", DecisionGround.ILLEGAL_CONTENT, (Ground.PRIVACY,)
    ),
    ReasonTemplate("portrait_right", DecisionGround.INCOMPATIBLE_CONTENT, (Ground.PORTRAIT,)),
    ReasonTemplate("operation_policy", DecisionGround.INCOMPATIBLE_CONTENT, (Ground.OTHER_RIGHTS,)),
)
"""The reason templates the decision form offers; their words are in web/texts."""


class Reasons(Model):
    """What the reviewer relied on: the ground, the facts, and a note for colleagues."""

    ground: DecisionGround | None = Field(
        default=None, description="Required when the decision takes a measure."
    )
    legal_ground: Annotated[str | None, Field(max_length=500)] = Field(
        default=None, description="The law relied on, e.g. 'Network Act art. 44-2'."
    )
    policy_ground: Annotated[str | None, Field(max_length=500)] = Field(
        default=None,
        description="The policy relied on, e.g. 'Operation Policy: Protect User Rights'.",
    )
    facts: Annotated[str, Field(min_length=20, max_length=5000)] = Field(
        description="The facts relied on, told to both sides: write no personal data here."
    )
    public_facts: Annotated[str | None, Field(max_length=MAX_PUBLIC_FACTS)] = Field(
        default=None,
        description="The facts for publication in the DSA Transparency Database: no names, "
        "no contact details, no numbers that identify a person. A decision that takes a "
        "measure without them is recorded, but its statement is not exported.",
    )
    note: Annotated[str | None, Field(max_length=2000)] = Field(
        default=None, description="Internal: never shown to the claimant or the poster."
    )


class DecisionRequest(Model):
    """A reviewer's decision on a case, against the version they read."""

    expected_version: Annotated[int, Field(ge=1)]
    measures: Annotated[list[Measure], Field(min_length=1, max_length=4)]
    reasons: Reasons


class AppliedMeasure(Model):
    """A measure as decided: its kind, its parameters, and when it ends, if it does."""

    type: MeasureKind
    parameters: dict[str, Any]
    starts_at: str
    ends_at: str | None


class StatementOfReasons(Model):
    """The public statement of reasons, shaped after the EU DSA Transparency Database."""

    decision_visibility: list[str]
    decision_account: str | None
    decision_provision: str | None
    decision_ground: str | None
    illegal_content_legal_ground: str | None
    incompatible_content_ground: str | None
    category: list[str]
    decision_facts: str
    source_type: str
    automated_detection: bool
    automated_decision: str
    end_date_visibility_restriction: str | None
    end_date_account_restriction: str | None
    end_date_service_restriction: str | None
    redress: list[str]


class Decision(Model):
    """One decision on a case, as recorded."""

    decision_id: str
    decided_at: str
    actor_id: str
    actor_role: str
    measures: list[AppliedMeasure]
    statement: StatementOfReasons
    note: str | None = None


class PublicDecision(Model):
    """What the claimant and the poster are told of a decision."""

    decision_id: str
    decided_at: str
    measures: list[AppliedMeasure]
    statement: StatementOfReasons


_CATEGORY = {
    Ground.PRIVACY: "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
    Ground.PORTRAIT: "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
    Ground.DEFAMATION: "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
    Ground.INTELLECTUAL_PROPERTY: "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
    Ground.OTHER_RIGHTS: "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
}


def parse_decision(raw: object) -> DecisionRequest:
    """Return the decision in `raw`, or raise InvalidRequest naming every bad field."""
    from .reports import field_errors

    if not isinstance(raw, dict):
        raise InvalidRequest(
            "The body must be a JSON object.", [FieldError("", "must be a JSON object", "type")]
        )
    try:
        return DecisionRequest.model_validate(raw)
    except ValidationError as error:
        errors = field_errors(error)
        raise InvalidRequest(
            f"{len(errors)} field(s) of the decision need attention.", errors
        ) from None


def combination_errors(measures: list[Any], reasons: Reasons, surface: Surface) -> list[FieldError]:
    """Return what makes a set of measures contradict itself or the case."""
    kinds = [m.type for m in measures]
    errors: list[FieldError] = []
    for alone in sorted(ALONE_MEASURES):
        if alone in kinds and len(kinds) > 1:
            errors.append(
                FieldError(
                    "measures", f"{alone} cannot be combined with any other measure", "combination"
                )
            )
    for first, second in REFUSED_TOGETHER:
        if first in kinds and second in kinds:
            errors.append(
                FieldError(
                    "measures",
                    f"{first} and {second} contradict each other: choose one",
                    "combination",
                )
            )
    seen: set[tuple[str, str]] = set()
    for index, measure in enumerate(measures):
        key = (measure.type, str(getattr(measure, "service", "")))
        if key in seen:
            errors.append(
                FieldError(f"measures[{index}]", "repeats an earlier measure", "combination")
            )
        seen.add(key)
        surfaces = SURFACE_BOUND.get(measure.type)
        if surfaces is not None and surface not in surfaces:
            errors.append(
                FieldError(
                    f"measures[{index}]",
                    f"{measure.type} applies only to "
                    + " and ".join(sorted(surfaces))
                    + " reports",
                    "surface",
                )
            )
    if set(kinds) & ENFORCEMENT_MEASURES:
        if reasons.ground is None:
            errors.append(
                FieldError("reasons.ground", "is required when a measure is taken", "missing")
            )
        else:
            needed, why = GROUND_NEEDS[reasons.ground]
            if not getattr(reasons, needed):
                errors.append(FieldError(f"reasons.{needed}", why, "missing"))
        found = personal_data_in(reasons.public_facts or "")
        if found:
            errors.append(
                FieldError(
                    "reasons.public_facts",
                    f"holds {found}: they are published, so write them without personal data",
                    "personal_data",
                )
            )
    return errors


def applied_measures(measures: list[Any], now: datetime, iso: Any) -> list[AppliedMeasure]:
    """Return the measures with their start and, for temporary ones, their end."""
    applied = []
    for measure in measures:
        parameters = measure.model_dump(mode="json", exclude={"type"})
        days = parameters.get("days") or parameters.get("due_days")
        applied.append(
            AppliedMeasure(
                type=measure.type,
                parameters=parameters,
                starts_at=iso(now),
                ends_at=iso(now + timedelta(days=days)) if days else None,
            )
        )
    return applied


def statement_of_reasons(
    measures: list[AppliedMeasure],
    reasons: Reasons,
    grounds: list[Ground],
    source_type: str = SOURCE_ARTICLE_16,
) -> StatementOfReasons:
    """Return the public statement of reasons of a decision."""
    by_type = {m.type: m for m in measures}
    visibility = []
    if MeasureKind.BLOCK_CONTENT in by_type:
        visibility.append("DECISION_VISIBILITY_CONTENT_DISABLED")
    if MeasureKind.DELETE_CONTENT in by_type:
        visibility.append("DECISION_VISIBILITY_CONTENT_REMOVED")
    enforcing = bool(set(by_type) & ENFORCEMENT_MEASURES)
    redress = ["kcsc", "court"]
    if MeasureKind.BLOCK_CONTENT in by_type:
        redress.insert(0, "reposting_request")
    if RESTRICTIONS & set(by_type):
        redress.insert(0, "appeal")

    def ends(kind: MeasureKind) -> str | None:
        return by_type[kind].ends_at if kind in by_type else None

    ground = reasons.ground if enforcing else None
    return StatementOfReasons(
        decision_visibility=visibility,
        decision_account="DECISION_ACCOUNT_SUSPENDED"
        if MeasureKind.RESTRICT_USER in by_type
        else None,
        decision_provision=(
            "DECISION_PROVISION_PARTIAL_SUSPENSION"
            if MeasureKind.RESTRICT_ROOM in by_type
            else None
        ),
        decision_ground=f"DECISION_GROUND_{ground.value.upper()}" if ground else None,
        illegal_content_legal_ground=(
            reasons.legal_ground if ground == DecisionGround.ILLEGAL_CONTENT else None
        ),
        incompatible_content_ground=(
            reasons.policy_ground if ground == DecisionGround.INCOMPATIBLE_CONTENT else None
        ),
        category=sorted({_CATEGORY[g] for g in grounds}),
        decision_facts=reasons.facts,
        source_type=source_type,
        automated_detection=False,
        automated_decision="AUTOMATED_DECISION_NOT_AUTOMATED",
        end_date_visibility_restriction=ends(MeasureKind.BLOCK_CONTENT),
        end_date_account_restriction=ends(MeasureKind.RESTRICT_USER),
        end_date_service_restriction=ends(MeasureKind.RESTRICT_ROOM),
        redress=redress
        if enforcing
        else (["kcsc", "court"] if MeasureKind.REJECT in by_type else []),
    )
