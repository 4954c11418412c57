"""The DSA Transparency Database's rules for `POST /api/v1/statements`, written out by hand.

Read from digital-services-act/transparency-database (commit 69e80a0, 2026-06):
`app/Http/Requests/StatementStoreRequest.php` (rules()), the enum keys of
`app/Models/Statement.php`,
`app/Services/EuropeanCountriesService.php` (EUROPEAN_COUNTRY_CODES) and the 100-statement cap of
`StatementMultipleAPIController.php` ('statements' => 'required|array|between:1,100'). A pure
validator: it returns the broken rules of a body, one string each, and knows nothing of our code.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

MAX_STATEMENTS_PER_REQUEST = 100

DECISION_VISIBILITIES = {
    "DECISION_VISIBILITY_CONTENT_REMOVED",
    "DECISION_VISIBILITY_CONTENT_DISABLED",
    "DECISION_VISIBILITY_CONTENT_DEMOTED",
    "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED",
    "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED",
    "DECISION_VISIBILITY_CONTENT_LABELLED",
    "DECISION_VISIBILITY_OTHER",
}
DECISION_MONETARIES = {
    "DECISION_MONETARY_SUSPENSION",
    "DECISION_MONETARY_TERMINATION",
    "DECISION_MONETARY_OTHER",
}
DECISION_PROVISIONS = {
    "DECISION_PROVISION_PARTIAL_SUSPENSION",
    "DECISION_PROVISION_TOTAL_SUSPENSION",
    "DECISION_PROVISION_PARTIAL_TERMINATION",
    "DECISION_PROVISION_TOTAL_TERMINATION",
}
DECISION_ACCOUNTS = {"DECISION_ACCOUNT_SUSPENDED", "DECISION_ACCOUNT_TERMINATED"}
ACCOUNT_TYPES = {"ACCOUNT_TYPE_BUSINESS", "ACCOUNT_TYPE_PRIVATE"}
DECISION_GROUNDS = {"DECISION_GROUND_ILLEGAL_CONTENT", "DECISION_GROUND_INCOMPATIBLE_CONTENT"}
INCOMPATIBLE_CONTENT_ILLEGALS = {"Yes", "No"}
CONTENT_TYPES = {
    "CONTENT_TYPE_APP",
    "CONTENT_TYPE_AUDIO",
    "CONTENT_TYPE_IMAGE",
    "CONTENT_TYPE_PRODUCT",
    "CONTENT_TYPE_SYNTHETIC_MEDIA",
    "CONTENT_TYPE_TEXT",
    "CONTENT_TYPE_VIDEO",
    "CONTENT_TYPE_OTHER",
}
STATEMENT_CATEGORIES = {
    "STATEMENT_CATEGORY_ANIMAL_WELFARE",
    "STATEMENT_CATEGORY_CONSUMER_INFORMATION",
    "STATEMENT_CATEGORY_CYBER_VIOLENCE",
    "STATEMENT_CATEGORY_CYBER_VIOLENCE_AGAINST_WOMEN",
    "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
    "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
    "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
    "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
    "STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE",
    "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
    "STATEMENT_CATEGORY_PROTECTION_OF_MINORS",
    "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
    "STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
    "STATEMENT_CATEGORY_SELF_HARM",
    "STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS",
    "STATEMENT_CATEGORY_VIOLENCE",
}
EUROPEAN_COUNTRY_CODES = {
    "AT",
    "BE",
    "BG",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GR",
    "HR",
    "HU",
    "IE",
    "IS",
    "IT",
    "LI",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "NO",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
}
SOURCE_TYPES = {
    "SOURCE_ARTICLE_16",
    "SOURCE_TRUSTED_FLAGGER",
    "SOURCE_TYPE_OTHER_NOTIFICATION",
    "SOURCE_VOLUNTARY",
}
AUTOMATED_DETECTIONS = {"Yes", "No"}
AUTOMATED_DECISIONS = {
    "AUTOMATED_DECISION_FULLY",
    "AUTOMATED_DECISION_PARTIALLY",
    "AUTOMATED_DECISION_NOT_AUTOMATED",
}
PUID = re.compile(r"[a-zA-Z0-9\-_]+")
YMD = re.compile(r"\d{4}-\d{2}-\d{2}")

_KNOWN = {
    "content_id", "content_id_ean", "decision_visibility", "decision_visibility_other",
    "decision_monetary", "decision_monetary_other", "decision_provision", "decision_account",
    "account_type", "category_specification", "category_specification_other", "decision_ground",
    "decision_ground_reference_url", "illegal_content_legal_ground",
    "illegal_content_explanation", "incompatible_content_ground",
    "incompatible_content_explanation", "incompatible_content_illegal", "content_type",
    "content_type_other", "category", "category_addition", "territorial_scope",
    "content_language", "content_date", "application_date", "end_date_account_restriction",
    "end_date_monetary_restriction", "end_date_service_restriction",
    "end_date_visibility_restriction", "decision_facts", "source_type", "source_identity",
    "automated_detection", "automated_decision", "puid",
}  # fmt: skip


def broken_rules(body: dict[str, Any]) -> list[str]:
    """Return every rule of StatementStoreRequest that `body` breaks (empty when it passes)."""
    broken: list[str] = []

    def present(name: str) -> bool:
        return body.get(name) not in (None, "", [])

    def check(ok: bool, rule: str) -> None:
        if not ok:
            broken.append(rule)

    def max_chars(name: str, limit: int) -> None:
        if name in body and body[name] is not None:
            check(len(str(body[name])) <= limit, f"{name}: max:{limit}")

    def one_of(name: str, allowed: set[str], nullable: bool = True) -> None:
        if name in body and (body[name] is not None or not nullable):
            check(body[name] in allowed, f"{name}: in")

    def a_date(name: str, required: bool, after: str | None, before: str = "2038-01-01") -> None:
        value = body.get(name)
        if value is None:
            check(not required, f"{name}: required")
            return
        if not isinstance(value, str) or not YMD.fullmatch(value):
            broken.append(f"{name}: date_format:Y-m-d")
            return
        try:
            date.fromisoformat(value)
        except ValueError:
            broken.append(f"{name}: date_format:Y-m-d")
            return
        if after:
            check(value >= after, f"{name}: after_or_equal:{after}")
        check(value <= before, f"{name}: before_or_equal:{before}")

    for name in body:
        check(name in _KNOWN, f"{name}: not a field of the statement")

    # decision_visibility: array, in(null, ...), required_without_all of the other decisions
    decisions = (
        "decision_visibility",
        "decision_monetary",
        "decision_provision",
        "decision_account",
    )
    check(any(present(n) for n in decisions), "decision_*: required_without_all")
    visibility = body.get("decision_visibility")
    if visibility is not None:
        check(isinstance(visibility, list), "decision_visibility: array")
        if isinstance(visibility, list):
            check(all(v in DECISION_VISIBILITIES for v in visibility), "decision_visibility: in")
            if "DECISION_VISIBILITY_OTHER" in visibility:
                check(present("decision_visibility_other"), "decision_visibility_other: required")
            else:
                check("decision_visibility_other" not in body, "decision_visibility_other: exclude")
    max_chars("decision_visibility_other", 500)
    one_of("decision_monetary", DECISION_MONETARIES)
    if body.get("decision_monetary") == "DECISION_MONETARY_OTHER":
        check(present("decision_monetary_other"), "decision_monetary_other: required_if")
    max_chars("decision_monetary_other", 500)
    one_of("decision_provision", DECISION_PROVISIONS)
    one_of("decision_account", DECISION_ACCOUNTS)
    one_of("account_type", ACCOUNT_TYPES)

    # decision_ground and the fields each ground requires (required_if / exclude_unless)
    ground = body.get("decision_ground")
    check(ground in DECISION_GROUNDS, "decision_ground: required|in")
    illegal = ground == "DECISION_GROUND_ILLEGAL_CONTENT"
    incompatible = ground == "DECISION_GROUND_INCOMPATIBLE_CONTENT"
    for name, limit in (
        ("illegal_content_legal_ground", 500),
        ("illegal_content_explanation", 2000),
    ):
        if illegal:
            check(present(name), f"{name}: required_if")
            max_chars(name, limit)
    for name, limit in (
        ("incompatible_content_ground", 500),
        ("incompatible_content_explanation", 2000),
    ):
        if incompatible:
            check(present(name), f"{name}: required_if")
            max_chars(name, limit)
    if incompatible and "incompatible_content_illegal" in body:
        check(
            body["incompatible_content_illegal"] in INCOMPATIBLE_CONTENT_ILLEGALS,
            "incompatible_content_illegal: in",
        )
    max_chars("decision_ground_reference_url", 500)

    # content_type: array, required, in; content_type_other when CONTENT_TYPE_OTHER
    content_type = body.get("content_type")
    check(isinstance(content_type, list) and bool(content_type), "content_type: array|required")
    if isinstance(content_type, list):
        check(all(c in CONTENT_TYPES for c in content_type), "content_type: in")
        if "CONTENT_TYPE_OTHER" in content_type:
            check(present("content_type_other"), "content_type_other: required")
    max_chars("content_type_other", 500)

    check(body.get("category") in STATEMENT_CATEGORIES, "category: required|in")
    addition = body.get("category_addition")
    if addition is not None:
        check(
            isinstance(addition, list) and all(c in STATEMENT_CATEGORIES for c in addition),
            "category_addition: array|in",
        )
    scope = body.get("territorial_scope")
    if scope is not None:
        check(
            isinstance(scope, list) and all(c in EUROPEAN_COUNTRY_CODES for c in scope),
            "territorial_scope: array|in",
        )

    a_date("content_date", True, "2000-01-01")
    a_date("application_date", True, "2020-01-01")
    for name in (
        "end_date_account_restriction",
        "end_date_monetary_restriction",
        "end_date_service_restriction",
        "end_date_visibility_restriction",
    ):
        a_date(name, False, None)

    facts = body.get("decision_facts")
    check(isinstance(facts, str) and bool(facts), "decision_facts: required")
    max_chars("decision_facts", 5000)
    check(body.get("source_type") in SOURCE_TYPES, "source_type: required|in")
    max_chars("source_identity", 500)
    check(body.get("automated_detection") in AUTOMATED_DETECTIONS, "automated_detection: in")
    check(body.get("automated_decision") in AUTOMATED_DECISIONS, "automated_decision: in")
    puid = body.get("puid")
    check(
        isinstance(puid, str) and len(puid) <= 500 and bool(PUID.fullmatch(puid)),
        "puid: required|max:500|regex",
    )
    return broken


def broken_batch(statements: list[dict[str, Any]]) -> list[str]:
    """Return the rules a batch breaks: at most 100 a request, puids unique in the platform."""
    broken = [f"[{i}] {rule}" for i, s in enumerate(statements) for rule in broken_rules(s)]
    if not 1 <= len(statements) <= MAX_STATEMENTS_PER_REQUEST:
        broken.append("statements: between:1,100")
    puids = [s.get("puid") for s in statements]
    if len(set(puids)) != len(puids):
        broken.append("puid: unique per platform")
    return broken
