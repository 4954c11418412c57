"""What a decision may say, read from the models and rules that check it: the form's rules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import Model
from .decisions import (
    GROUND_NEEDS,
    MEASURE_MODELS,
    REASON_TEMPLATES,
    REFUSED_TOGETHER,
    SURFACE_BOUND,
    DecisionGround,
    DecisionRequest,
    Reasons,
    RejectReason,
    RestrictedService,
)
from .vocabulary import ALONE_MEASURES, ENFORCEMENT_MEASURES, RESTRICTIONS, MeasureKind

# JSON Schema's words for limits, and the names the rules give them.
_LIMITS = {
    "minimum": "minimum",
    "maximum": "maximum",
    "minLength": "min_length",
    "maxLength": "max_length",
    "minItems": "min_items",
    "maxItems": "max_items",
}


class FieldRule(Model):
    """One field a decision carries: its type, whether it is required, its limits."""

    name: str
    type: str
    required: bool
    minimum: int | None = None
    maximum: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    min_items: int | None = None
    max_items: int | None = None
    enum: list[str] | None = None
    description: str | None = None


class MeasureRule(Model):
    """One measure a decision may take, with its parameters and where it applies."""

    type: MeasureKind
    description: str
    parameters: list[FieldRule]
    alone: bool
    enforcing: bool
    appealable: bool
    surfaces: list[str] | None


class RequiredReason(Model):
    """A field of the reasons that a ground requires when a measure is taken."""

    ground: DecisionGround
    field: str


class ReasonTemplateView(Model):
    """A usual ground, in Korean and English, for a reviewer to start from and edit."""

    id: str
    ground: DecisionGround
    report_grounds: list[str]
    label: dict[str, str]
    legal_ground: dict[str, str] | None
    policy_ground: dict[str, str] | None
    facts: dict[str, str]


class DecisionRules(Model):
    """Everything the decision form needs to offer only what a decision may say."""

    expected_version: FieldRule
    measures: FieldRule
    measure_types: list[MeasureRule]
    alone_measures: list[MeasureKind]
    refused_together: list[list[MeasureKind]]
    distinct_by: list[str]
    reject_reasons: list[RejectReason]
    restricted_services: list[RestrictedService]
    decision_grounds: list[DecisionGround]
    ground_required_when: list[MeasureKind]
    ground_requires: list[RequiredReason]
    reasons: list[FieldRule]
    reason_templates: list[ReasonTemplateView]


def decision_rules(template_words: Mapping[str, Mapping[str, Mapping[str, str]]]) -> DecisionRules:
    """Return the rules of a decision; `template_words` gives each language's template words."""
    request = DecisionRequest.model_json_schema()
    request_fields = _fields(request, request)
    reasons = Reasons.model_json_schema()
    return DecisionRules(
        expected_version=request_fields["expected_version"],
        measures=request_fields["measures"],
        measure_types=[_measure(model) for model in MEASURE_MODELS],
        alone_measures=sorted(ALONE_MEASURES),
        refused_together=[list(pair) for pair in REFUSED_TOGETHER],
        distinct_by=["type", "service"],
        reject_reasons=list(RejectReason),
        restricted_services=list(RestrictedService),
        decision_grounds=list(DecisionGround),
        ground_required_when=sorted(ENFORCEMENT_MEASURES),
        ground_requires=[
            RequiredReason(ground=ground, field=f"reasons.{needed}")
            for ground, (needed, _) in GROUND_NEEDS.items()
        ],
        reasons=list(_fields(reasons, reasons).values()),
        reason_templates=[_template(t.id, template_words) for t in REASON_TEMPLATES],
    )


def _measure(model: type[Model]) -> MeasureRule:
    schema = model.model_json_schema()
    kind = MeasureKind(schema["properties"]["type"]["const"])
    surfaces = SURFACE_BOUND.get(kind)
    return MeasureRule(
        type=kind,
        description=str(schema.get("description", "")),
        parameters=[rule for name, rule in _fields(schema, schema).items() if name != "type"],
        alone=kind in ALONE_MEASURES,
        enforcing=kind in ENFORCEMENT_MEASURES,
        appealable=kind in RESTRICTIONS,
        surfaces=sorted(surfaces) if surfaces is not None else None,
    )


def _fields(schema: Mapping[str, Any], root: Mapping[str, Any]) -> dict[str, FieldRule]:
    """Return each property of a JSON schema as a field rule, its references resolved."""
    required = set(schema.get("required", []))
    rules: dict[str, FieldRule] = {}
    for name, given in schema.get("properties", {}).items():
        found = _resolved(given, root)
        # An optional field is `anyOf [its type, null]`: its limits are on the first.
        options = [_resolved(o, root) for o in found.get("anyOf", [found])]
        typed = next((o for o in options if o.get("type") != "null"), options[0])
        rules[name] = FieldRule(
            name=name,
            type=str(typed.get("type", "string")),
            required=name in required,
            enum=[str(v) for v in typed["enum"]] if "enum" in typed else None,
            description=found.get("description") or None,
            **{ours: typed[theirs] for theirs, ours in _LIMITS.items() if theirs in typed},
        )
    return rules


def _resolved(schema: Mapping[str, Any], root: Mapping[str, Any]) -> Mapping[str, Any]:
    reference = schema.get("$ref")
    if not isinstance(reference, str):
        return schema
    name = reference.rsplit("/", 1)[-1]
    return {
        **root.get("$defs", {}).get(name, {}),
        **{k: v for k, v in schema.items() if k != "$ref"},
    }


def _template(
    template_id: str, words: Mapping[str, Mapping[str, Mapping[str, str]]]
) -> ReasonTemplateView:
    template = next(t for t in REASON_TEMPLATES if t.id == template_id)

    def said(key: str) -> dict[str, str] | None:
        found = {lang: texts[template_id].get(key) for lang, texts in words.items()}
        return {lang: str(text) for lang, text in found.items() if text} or None

    return ReasonTemplateView(
        id=template.id,
        ground=template.ground,
        report_grounds=[g.value for g in template.report_grounds],
        label=said("label") or {},
        legal_ground=said("legal_ground"),
        policy_ground=said("policy_ground"),
        facts=said("facts") or {},
    )
