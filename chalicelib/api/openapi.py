"""The OpenAPI 3.1 document, generated from the pydantic models the routes use."""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Response

from .json_body import MAX_JSON_DEPTH, MAX_NUMBER_CHARS
from .problems import problem_details
from .routing import routes

if TYPE_CHECKING:
    from pydantic import BaseModel

bp = Blueprint(__name__)
route = routes(bp, problem_details)

REF = "#/components/schemas/{model}"
# Writes a retry cannot double: an upload grant is only a grant, a replay only moves a record.
# A check of an upload changes nothing: asked again, it answers the same.
# A claim is naturally idempotent: claiming again renews the caller's own claim.
# A sign-out done again signs the same member out again: its outcome is the same.
# A decision's preview records nothing: sent again, it is answered again.
UNKEYED_WRITES = frozenset(
    {
        "/v1/uploads",
        "/v1/uploads/{upload_id}/check",
        "/v1/reports/{case_id}/recovery",
        "/v1/admin/effects/{case_id}/{effect_id}/replay",
        "/v1/cases/{case_id}/claim",
        "/v1/admin/staff/{username}/sign-out",
        "/v1/cases/{case_id}/decision-preview",
    }
)
_PROBLEMS = {
    400: f"Malformed JSON, or JSON beyond our limits (nested deeper than {MAX_JSON_DEPTH}, a "
    f"number longer than {MAX_NUMBER_CHARS} characters, a key twice in one object)",
    401: "No valid staff token",
    403: "The token's groups may not call this route",
    404: "No such case, or the wrong token",
    409: "Conflicts with what is recorded: a stale version, a status that forbids it, "
    "an upload already attached to another case, a case another reviewer claimed "
    "(type /problems/case-claimed, with claimed_by, claimed_by_name and claimed_until)",
    413: "Body too large",
    415: "Body is not application/json",
    422: "Invalid fields, each named in errors[]",
    500: "Outcome unknown: retry with the same Idempotency-Key",
    503: "AWS is busy or out of reach: retry after Retry-After seconds, with the same "
    "Idempotency-Key",
}


def _stale_version() -> str:
    """Return what a reviewer's stale-version 409 says, with its bound as the domain has it."""
    from ..domain.audit import MAX_CHANGES_TOLD

    return (
        "A stale `expected_version` is a 409 whose problem also says `current_version`, "
        "`case_status` and `changes`: what happened since the version read, `[{action, "
        "actor_id, occurred_at, version}]` from the case's audit trail (at most "
        f"{MAX_CHANGES_TOLD} events, newest last). `status` stays the HTTP status (RFC 9457)."
    )


def _suspended_403(operation: dict[str, Any]) -> dict[str, Any]:
    """Return a public operation whose 403 is a suspended claimant's address."""
    operation["responses"]["403"]["description"] = (
        "Reports from the claimant's address are suspended (type /problems/claimant-suspended, "
        "with code, suspended_until, suspended_until_korea and contest: where to contest it), "
        "or the Authorization header's token is not a trusted flagger's"
    )
    return operation


def _count(n: int, unit: str) -> str:
    """Return `n` of a unit in English words: `1 day`, `180 days`."""
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def _window(length: timedelta) -> str:
    """Return a limit's window in words: `hour`, `6 hours`, `day`."""
    hours = int(length.total_seconds()) // 3600
    if hours % 24 == 0:
        return "day" if hours == 24 else _count(hours // 24, "day")
    return "hour" if hours == 1 else _count(hours, "hour")


def _problems() -> dict[int, str]:
    """Return what each problem status means, with the limits as the domain has them now."""
    from ..domain.limits import WINDOWS, LimitKind

    windows = sorted({_window(WINDOWS[kind]) for kind in (LimitKind.REPORTS, LimitKind.UPLOADS)})
    return {
        **_PROBLEMS,
        429: f"This network address reached its limit for the current "
        f"{' or '.join(windows)}: retry after Retry-After seconds",
    }


_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before sending the request again.",
        "schema": {"type": "integer", "minimum": 1},
    }
}


_CURSOR_PROBLEM = (
    "A cursor that was changed, or that another query, range, page size or route gave out "
    "(errors[] names `cursor`)"
)


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": REF.format(model=model.__name__)}


def _header(name: str, description: str, required: bool = True) -> dict[str, Any]:
    return {
        "name": name,
        "in": "header",
        "required": required,
        "schema": {"type": "string"},
        "description": description,
    }


def _query_parameters(model: type[BaseModel], defs: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the query parameters of a route from the model that reads them; the enums they
    name (statuses, grounds, surfaces) become components, as in bodies."""
    query = model.model_json_schema(ref_template=REF)
    for name, definition in query.get("$defs", {}).items():
        defs.setdefault(name, definition)
    return [
        {
            "name": name,
            "in": "query",
            "required": False,
            "schema": schema,
            **({"description": schema["description"]} if "description" in schema else {}),
        }
        for name, schema in query["properties"].items()
    ]


def _path(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _operation(
    summary: str,
    answer: tuple[int, type[BaseModel], str],
    problems: tuple[int, ...],
    body: type[BaseModel] | None = None,
    parameters: list[dict[str, Any]] | None = None,
    staff: bool = False,
    cursored: bool = False,
    notes: str | None = None,
) -> dict[str, Any]:
    """Describe one operation: its body, its answer and the problems it may answer with (a
    cursored one's 400 is a cursor it did not give out)."""
    from .schemas import Problem

    status, model, description = answer
    meanings = _problems()
    operation: dict[str, Any] = {
        "summary": summary,
        "parameters": parameters or [],
        "responses": {
            str(status): {
                "description": description,
                "content": {"application/json": {"schema": _ref(model)}},
            },
            **{
                str(s): {
                    "description": _CURSOR_PROBLEM if cursored and s == 400 else meanings[s],
                    "content": {"application/problem+json": {"schema": _ref(Problem)}},
                    **({"headers": _RETRY_AFTER} if s in (429, 503) else {}),
                }
                for s in (*((401, 403) if staff else ()), *problems, 500, 503)
            },
        },
    }
    if notes:
        operation["description"] = notes
    if body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _ref(body)}},
        }
    if staff:
        operation["security"] = [{"staff": []}]
    return operation


def _transparency_operation() -> dict[str, Any]:
    """Describe the public report: JSON by default, CSV rows (dimension,key,value) on asking."""
    from ..domain.transparency import LONGEST_RANGE, Report
    from .schemas import Problem

    operation = _operation(
        "The transparency report of a half year or a range of Korea days (public)",
        (200, Report, "The figures: counts by dimension, and the time to a first decision"),
        (422,),
        parameters=[
            {
                "name": name,
                "in": "query",
                "required": False,
                "schema": {"type": "string", "maxLength": 32},
                "description": description,
            }
            for name, description in (
                ("period", "A half year, e.g. 2026-H2 (or give from and to)"),
                ("from", "The first Korea day, YYYY-MM-DD"),
                (
                    "to",
                    f"The last Korea day, YYYY-MM-DD, less than {LONGEST_RANGE.days} days after "
                    "from",
                ),
                ("format", "json (the default) or csv"),
            )
        ],
        notes="Counts appear once the outbox relay has delivered them (within seconds).",
    )
    operation["responses"]["200"]["content"]["text/csv"] = {"schema": {"type": "string"}}
    operation["responses"]["400"] = {
        "description": "A query parameter longer than its limit",
        "content": {"application/problem+json": {"schema": _ref(Problem)}},
    }
    return operation


@cache
def document() -> dict[str, Any]:
    """Return the OpenAPI document of the API."""
    from pydantic.json_schema import models_json_schema

    from ..domain.case import ClaimantView, Receipt
    from ..domain.claims import CLAIM_MINUTES
    from ..domain.cursors import DESCRIPTION as CURSOR_DESCRIPTION
    from ..domain.decisions import DecisionRequest
    from ..domain.evidence import SNIFF_BYTES
    from ..domain.limits import RECOVERIES_PER_ADDRESS_PER_DAY, RECOVERIES_PER_CASE_PER_DAY
    from ..domain.misuse import SuspensionContest, SuspensionLift, SuspensionRequest
    from ..domain.notes import MAX_NOTES, Note, NoteBody
    from ..domain.notice import PosterNotice
    from ..domain.remedies import (
        APPEAL_WINDOW,
        AppealBody,
        AppealDecision,
        RepostingAnswerBody,
        RepostingDecision,
        RepostingRequestBody,
    )
    from ..domain.reports import (
        InformationAnswer,
        RecoveryAccepted,
        RecoveryRequest,
        ReportSubmission,
        UploadRequest,
    )
    from ..domain.rules import DecisionRules
    from ..domain.secrets import IDEMPOTENCY_KEY_PATTERN
    from ..domain.sessions import RECOVERY_LINK_LIFETIME
    from ..domain.transparency import Report
    from ..domain.working_days import DECISION_WORKING_DAYS
    from ..services.audit_views import (
        AuditPage,
        AuditQuery,
        CheckpointList,
        InclusionProof,
        Verification,
        VerifyQuery,
    )
    from ..services.intake import ContestReceipt, UploadCheck, UploadGrant
    from ..services.outbox import ParkedEffects, Replayed
    from ..services.review import (
        CaseFile,
        ClaimView,
        CountsQuery,
        DecisionOutcome,
        DecisionPreview,
        QueueCounts,
        QueuePageView,
        QueueQuery,
        RemedyOutcome,
        SuspensionOutcome,
    )
    from ..services.staff import ROSTER_MAX_AGE_SECONDS, SignedOut, StaffList
    from ..services.statements import MAX_STATEMENTS, StatementPage, StatementQuery
    from .schemas import Problem

    inputs: list[type[BaseModel]] = [
        UploadRequest,
        ReportSubmission,
        InformationAnswer,
        RepostingAnswerBody,
        RecoveryRequest,
        DecisionRequest,
        RepostingRequestBody,
        AppealBody,
        RepostingDecision,
        AppealDecision,
        NoteBody,
        SuspensionRequest,
        SuspensionLift,
        SuspensionContest,
    ]
    outputs: list[type[BaseModel]] = [
        UploadGrant,
        UploadCheck,
        Receipt,
        RecoveryAccepted,
        ClaimantView,
        PosterNotice,
        QueuePageView,
        QueueCounts,
        ClaimView,
        CaseFile,
        DecisionOutcome,
        DecisionPreview,
        DecisionRules,
        RemedyOutcome,
        AuditPage,
        CheckpointList,
        InclusionProof,
        Verification,
        StatementPage,
        ParkedEffects,
        Replayed,
        Note,
        SuspensionOutcome,
        ContestReceipt,
        StaffList,
        SignedOut,
        Report,
        Problem,
    ]
    _, schemas = models_json_schema(
        [(m, "validation") for m in inputs] + [(m, "serialization") for m in outputs],
        ref_template=REF,
    )
    receipt = _header("X-Receipt-Token", "The receipt token given when the report was submitted.")
    idempotency = _header(
        "Idempotency-Key",
        "A key of your own (of the characters and length its pattern allows; a UUID is right) "
        "for this request. Retry with the same key and body after a lost answer, a 500 or a 503: a "
        "request that was recorded is answered as the first time, with "
        "`Idempotent-Replayed: true`; one that was not is carried out. The same key with "
        "another body is a 422.",
        required=False,
    )
    idempotency["schema"]["pattern"] = IDEMPOTENCY_KEY_PATTERN.pattern
    queue_parameters = _query_parameters(QueueQuery, schemas["$defs"])
    counts_parameters = _query_parameters(CountsQuery, schemas["$defs"])
    case_id = _path("case_id")
    deadline = (
        "A case is due by 24:00 in Seoul at the end of Korean working day "
        f"{DECISION_WORKING_DAYS} (not a Saturday, Sunday or public holiday, substitute and "
        "lunar holidays included) after the day it began waiting in its queue."
    )
    recovery = _operation(
        "Ask for a link to your case by mail, when the receipt token is lost",
        (202, RecoveryAccepted, "Accepted: a link was mailed if the address is the case's"),
        (400, 413, 415, 422, 429),
        body=RecoveryRequest,
        parameters=[case_id],
    )
    recovery["description"] = (
        "The answer is the same whether or not the case exists and the address is the one its "
        "report gave. When it is, a link is mailed to that address that opens the case's status "
        f"page once, within {int(RECOVERY_LINK_LIFETIME.total_seconds() // 60)} minutes. Every "
        f"request counts: at most {RECOVERIES_PER_CASE_PER_DAY} per case and "
        f"{RECOVERIES_PER_ADDRESS_PER_DAY} per address per day (UTC), then a 429 with "
        "Retry-After. No Idempotency-Key: a retry at most mails another link, within the same "
        "limits."
    )
    claimed = _operation(
        f"Claim a case for {CLAIM_MINUTES} minutes, or renew your claim (reviewers)",
        (200, ClaimView, "Your claim"),
        (404, 409),
        parameters=[case_id],
        staff=True,
    )
    claimed["description"] = (
        "Naturally idempotent (no Idempotency-Key): claiming again renews your own claim. A live "
        "claim of another reviewer is a 409 of type /problems/case-claimed naming them. A claim "
        "never changes the case's version; while it lasts only its holder may decide the case, "
        "and a decision releases it. An expired claim is none."
    )
    released = _operation(
        "Release your claim on a case (reviewers)",
        (200, ClaimView, "No one holds the case now (claim is null)"),
        (404, 409),
        parameters=[case_id],
        staff=True,
    )
    released["description"] = (
        "Naturally idempotent: with no live claim it answers the same. Another reviewer's live "
        "claim is a 409 of type /problems/case-claimed."
    )
    queue_operation = _operation(
        "A work queue, longest waiting first (reviewers)",
        (200, QueuePageView, "One page and the cursor of the next"),
        (400, 422),
        parameters=queue_parameters,
        staff=True,
        cursored=True,
    )
    queue_operation["description"] = (
        "`queue=` names a work queue: received, in_review, information_requested, "
        "reposting_requested, or appeals (every case with an undecided appeal, whatever its "
        "status). `status=` lists the cases in a status, as before (a case with an undecided "
        "appeal is in `appeals` instead); not both. Each case is listed from when it entered "
        f"its queue (`waiting_since`). {deadline}"
    )
    counts_operation = _operation(
        "How many cases wait in each work queue, and how many are overdue (reviewers)",
        (200, QueueCounts, "One count per work queue"),
        (422,),
        parameters=counts_parameters,
        staff=True,
    )
    counts_operation["description"] = (
        f"{deadline} A count reads a bounded number of pages of its queue; when it stops "
        "there, `at_least` is true and there are at least `count` (and `overdue`)."
    )
    described: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "Infringement Report Center",
            "version": "1.0.0",
            "description": "Report content that violates your rights, with evidence, follow "
            "your case with the receipt; reviewers decide with a statement of reasons.",
        },
        "paths": {
            "/v1/uploads": {
                "post": _operation(
                    "Get a presigned upload for one evidence file",
                    (201, UploadGrant, "POST the file to url with these fields"),
                    (400, 413, 415, 422, 429),
                    body=UploadRequest,
                )
            },
            "/v1/uploads/{upload_id}/check": {
                "post": _operation(
                    "Check an uploaded file now, as a report naming it would (no body)",
                    (200, UploadCheck, "The file may be evidence"),
                    (404, 409, 422),
                    parameters=[_path("upload_id")],
                    notes=(
                        "Naturally idempotent (no Idempotency-Key, no body): it records nothing. "
                        "It reads the upload's record and the file's first "
                        f"{SNIFF_BYTES} bytes and applies the checks a report applies: 422 names "
                        "the file and why it is refused (errors[0].code: empty, too_large, "
                        "stored_type, not_allowed, other_type); 404 for an unknown or expired "
                        "upload; 409 for one whose file has not arrived yet (code "
                        "not_uploaded) or that a case already claimed (code conflict)."
                    ),
                )
            },
            "/v1/reports": {
                "post": _suspended_403(
                    _operation(
                        "Submit a report",
                        (201, Receipt, "The receipt: keep the token"),
                        (400, 401, 403, 409, 413, 415, 422, 429),
                        body=ReportSubmission,
                        parameters=[
                            idempotency,
                            _header(
                                "Authorization",
                                "Only for trusted flaggers (DSA art. 22): `Bearer <access token>` "
                                "of a member of the staff pool's `trusted_flaggers` group. Their "
                                "cases come first in the reviewers' queues and their statements "
                                "of reasons say SOURCE_TRUSTED_FLAGGER. Anyone else sends none;"
                                " a token that proves no sign-in is a 401, one of another group"
                                " a 403.",
                                required=False,
                            ),
                        ],
                    )
                )
            },
            "/v1/claimants/suspensions": {
                "post": _operation(
                    "Suspend new reports from a case's claimant for a time (reviewers)",
                    (201, SuspensionOutcome, "The suspension, and the mail of its reasons"),
                    (400, 404, 409, 413, 415, 422),
                    body=SuspensionRequest,
                    staff=True,
                    notes="The claimant is named by a case of theirs, never by their address. "
                    "Refused with 409 unless the claimant's notices rejected as not infringing "
                    "or not a rights holder in the window exceed the warning threshold (README, "
                    "Unfounded notices), or while a suspension is in force. The claimant is "
                    "mailed the statement of reasons and how to contest it.",
                )
            },
            "/v1/claimants/suspensions/{case_id}/lift": {
                "post": _operation(
                    "Lift the suspension decided on a case before its end (reviewers)",
                    (201, SuspensionOutcome, "The suspension, lifted"),
                    (400, 404, 409, 413, 415, 422),
                    body=SuspensionLift,
                    parameters=[case_id],
                    staff=True,
                )
            },
            "/v1/claimants/suspensions/{case_id}/contest": {
                "post": _operation(
                    "Contest the suspension of your reports (the claimant), once",
                    (201, ContestReceipt, "The contest, recorded for a reviewer"),
                    (400, 404, 409, 413, 415, 422),
                    body=SuspensionContest,
                    parameters=[case_id, receipt],
                    notes="`case_id` is the case the suspension was decided on (the mail names "
                    "it); send that case's receipt token.",
                )
            },
            "/v1/reports/{case_id}": {
                "get": _operation(
                    "Read the status of your case",
                    (
                        200,
                        ClaimantView,
                        "The case as its claimant sees it: what was reported, a timeline of "
                        "the case, and while a reviewer is awaited, by when a decision is due",
                    ),
                    (404,),
                    parameters=[case_id, receipt],
                )
            },
            "/v1/reports/{case_id}/information": {
                "post": _operation(
                    "Answer a request for information",
                    (200, ClaimantView, "The case, back in review"),
                    (400, 404, 409, 413, 415, 422),
                    body=InformationAnswer,
                    parameters=[case_id, receipt],
                )
            },
            "/v1/reports/{case_id}/reposting-answer": {
                "post": _operation(
                    "Answer the poster's re-posting request (the claimant), once, while undecided",
                    (201, ClaimantView, "The case, with the answer"),
                    (400, 404, 409, 413, 415, 422),
                    body=RepostingAnswerBody,
                    parameters=[case_id, receipt],
                    notes="The reviewer who decides the request reads the answer; the poster "
                    "never does. Allowed once, while the case is reposting_requested: a second "
                    "answer, or one in any other status, is a 409 saying why.",
                )
            },
            "/v1/reports/{case_id}/withdrawal": {
                "post": _operation(
                    "Withdraw an undecided case",
                    (200, ClaimantView, "The case, withdrawn"),
                    (404, 409),
                    parameters=[case_id, receipt],
                )
            },
            "/v1/reports/{case_id}/recovery": {"post": recovery},
            "/v1/notices/{case_id}": {
                "get": _operation(
                    "Read the Rights Infringement Notice (the poster)",
                    (200, PosterNotice, "What was done to the content, why and until when"),
                    (404,),
                    parameters=[case_id, _header("X-Notice-Token", "The notice token.")],
                )
            },
            "/v1/notices/{case_id}/reposting-requests": {
                "post": _operation(
                    "Request re-posting of blocked content (the poster), once, while blocked",
                    (201, PosterNotice, "The notice, with the request"),
                    (400, 404, 409, 413, 415, 422),
                    body=RepostingRequestBody,
                    parameters=[case_id, _header("X-Notice-Token", "The notice token.")],
                )
            },
            "/v1/notices/{case_id}/appeals": {
                "post": _operation(
                    "Appeal a restriction (the restricted user), once, within "
                    + _count(APPEAL_WINDOW.days, "day"),
                    (201, PosterNotice, "The notice, with the appeal"),
                    (400, 404, 409, 413, 415, 422),
                    body=AppealBody,
                    parameters=[case_id, _header("X-Notice-Token", "The notice token.")],
                )
            },
            "/v1/cases/{case_id}/reposting-decision": {
                "post": _operation(
                    "Reinstate or uphold, on a re-posting request (reviewers)",
                    (201, RemedyOutcome, "What the decision did"),
                    (400, 404, 409, 413, 415, 422),
                    body=RepostingDecision,
                    parameters=[case_id],
                    staff=True,
                    notes=_stale_version(),
                )
            },
            "/v1/cases/{case_id}/appeal-decisions": {
                "post": _operation(
                    "Lift or uphold an appealed restriction (reviewers)",
                    (201, RemedyOutcome, "What the decision did"),
                    (400, 404, 409, 413, 415, 422),
                    body=AppealDecision,
                    parameters=[case_id],
                    staff=True,
                    notes=_stale_version(),
                )
            },
            "/v1/audit/events": {
                "get": _operation(
                    "Audit events by case, by actor, or by time (auditors)",
                    (200, AuditPage, "One page in a stable order and the next cursor"),
                    (400, 422),
                    parameters=[
                        {
                            "name": "from" if name == "from_" else name,
                            "in": "query",
                            "required": False,
                            "schema": schema,
                            **(
                                {"description": schema["description"]}
                                if "description" in schema
                                else {}
                            ),
                        }
                        for name, schema in AuditQuery.model_json_schema(by_alias=False)[
                            "properties"
                        ].items()
                    ],
                    staff=True,
                    cursored=True,
                )
            },
            "/v1/audit/checkpoints": {
                "get": _operation(
                    "The signed checkpoints in order, and the public key (auditors)",
                    (200, CheckpointList, "Checkpoints and the key that verifies them"),
                    (400, 422),
                    parameters=[
                        {
                            "name": "limit",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "integer", "minimum": 1, "maximum": 500},
                        },
                        {
                            "name": "cursor",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string"},
                            "description": CURSOR_DESCRIPTION,
                        },
                    ],
                    staff=True,
                    cursored=True,
                )
            },
            "/v1/audit/events/{event_id}/proof": {
                "get": _operation(
                    "An event's inclusion proof against its checkpoint (auditors)",
                    (200, InclusionProof, "The event, its signed checkpoint and the audit path"),
                    (404, 409),
                    parameters=[_path("event_id")],
                    staff=True,
                )
            },
            "/v1/audit/export": {
                "get": {
                    "summary": "Every event of a time range as JSON Lines or CSV (auditors)",
                    "parameters": [
                        {
                            "name": n,
                            "in": "query",
                            "required": n in ("from", "to"),
                            "schema": {"type": "string"},
                            **({"description": CURSOR_DESCRIPTION} if n == "cursor" else {}),
                        }
                        for n in ("from", "to", "format", "cursor")
                    ],
                    "security": [{"staff": []}],
                    "responses": {
                        "200": {
                            "description": "The export inline (application/x-ndjson or "
                            "text/csv), or {events, url, filename, next_cursor, next} when it "
                            "is large; a range longer than one request answers a `Link: <...>; "
                            'rel="next"` header to the rest',
                        },
                        "400": {"description": _CURSOR_PROBLEM},
                        "401": {"description": _PROBLEMS[401]},
                        "403": {"description": _PROBLEMS[403]},
                        "422": {"description": _PROBLEMS[422]},
                    },
                }
            },
            "/v1/admin/cases/{case_id}/erasure": {
                "post": _operation(
                    "Erase a closed case's personal data (admins)",
                    (201, RemedyOutcome, "What the erasure did"),
                    (404, 409),
                    parameters=[case_id],
                    staff=True,
                )
            },
            "/v1/admin/effects": {
                "get": _operation(
                    "Effects of committed changes the relay gave up on (admins)",
                    (200, ParkedEffects, "The parked effects, oldest first"),
                    (),
                    staff=True,
                )
            },
            "/v1/admin/effects/{case_id}/{effect_id}/replay": {
                "post": _operation(
                    "Put a parked effect back in line for fresh tries (admins)",
                    (200, Replayed, "The effect, pending again"),
                    (409,),
                    parameters=[case_id, _path("effect_id")],
                    staff=True,
                )
            },
            "/v1/transparency/statements": {
                "get": _operation(
                    "Statements of reasons for the DSA Transparency Database (auditors)",
                    (
                        200,
                        StatementPage,
                        f"At most {MAX_STATEMENTS} statements, each a body for the database's "
                        "`POST /api/v1/statements`, the decisions refused with why, the cursor",
                    ),
                    (400, 422),
                    parameters=[
                        {
                            "name": "from" if name == "from_" else name,
                            "in": "query",
                            "required": name in ("from_", "to"),
                            "schema": schema,
                            **(
                                {"description": schema["description"]}
                                if "description" in schema
                                else {}
                            ),
                        }
                        for name, schema in StatementQuery.model_json_schema(by_alias=False)[
                            "properties"
                        ].items()
                    ],
                    staff=True,
                    cursored=True,
                    notes="The decisions of (from, to] that restrict content, a room or a user, "
                    "read off the audit trail in time order. A decision whose public facts are "
                    "missing or hold an email address, a phone number or a resident "
                    "registration number is never exported: it is listed in `refused` by its "
                    "puid, with the reason.",
                )
            },
            "/v1/audit/verify": {
                "get": _operation(
                    "Verify a case's trail, or a time range's events and checkpoints (auditors)",
                    (200, Verification, "The verification summary with the first bad event"),
                    (404, 422),
                    parameters=[
                        {
                            "name": "from" if name == "from_" else name,
                            "in": "query",
                            "required": False,
                            "schema": schema,
                        }
                        for name, schema in VerifyQuery.model_json_schema(by_alias=False)[
                            "properties"
                        ].items()
                    ],
                    staff=True,
                )
            },
            "/v1/transparency/report": {"get": _transparency_operation()},
            "/v1/cases": {"get": queue_operation},
            "/v1/cases/counts": {"get": counts_operation},
            "/v1/cases/{case_id}/claim": {"post": claimed, "delete": released},
            "/v1/cases/{case_id}": {
                "get": _operation(
                    "Everything about a case (reviewers)",
                    (
                        200,
                        CaseFile,
                        "The case, its evidence links, decisions, history, effects, related "
                        "cases and internal notes",
                    ),
                    (404,),
                    parameters=[case_id],
                    staff=True,
                )
            },
            "/v1/cases/{case_id}/notes": {
                "post": {
                    **_operation(
                        "Write an internal note on a case (reviewers)",
                        (201, Note, "The note as recorded"),
                        (400, 404, 409, 413, 415, 422),
                        body=NoteBody,
                        parameters=[case_id],
                        staff=True,
                    ),
                    "description": "For staff only: never shown to the claimant or the poster, "
                    "never in a mail, not a decision and not on the audit trail. A case holds "
                    f"at most {MAX_NOTES} notes (then 409); an erased case takes none (409).",
                }
            },
            "/v1/staff": {
                "get": {
                    **_operation(
                        "The staff pool's users and their groups, for display (any staff group)",
                        (200, StaffList, "Every staff member by username"),
                        (),
                        staff=True,
                    ),
                    "description": "Read from the staff pool and reused for "
                    f"{int(ROSTER_MAX_AGE_SECONDS)} s. For display only: the audit trail keeps "
                    "subject ids.",
                }
            },
            "/v1/admin/staff/{username}/sign-out": {
                "post": {
                    **_operation(
                        "Sign a staff member out of every sign-in (admins)",
                        (200, SignedOut, "The member is signed out"),
                        (404,),
                        parameters=[_path("username")],
                        staff=True,
                    ),
                    "description": "Revokes every token of the member at the staff pool; the "
                    "staff routes refuse them within 60 s. Naturally idempotent: signing out a "
                    "member again signs them out again, with the same outcome, so it takes no "
                    "Idempotency-Key. An unknown username is a 404.",
                }
            },
            "/v1/cases/{case_id}/decisions": {
                "post": _operation(
                    "Decide a case (reviewers)",
                    (201, DecisionOutcome, "The decision as recorded"),
                    (400, 404, 409, 413, 415, 422),
                    body=DecisionRequest,
                    parameters=[case_id],
                    staff=True,
                    notes=_stale_version(),
                )
            },
            "/v1/cases/{case_id}/decision-preview": {
                "post": _operation(
                    "Preview a decision: what each side would read if it were sent (reviewers)",
                    (200, DecisionPreview, "The claimant's mail and page, the poster's notice"),
                    (400, 404, 409, 413, 415, 422),
                    body=DecisionRequest,
                    parameters=[case_id],
                    staff=True,
                    notes="The body is exactly a decision's body. The answer is built by "
                    "the code that builds the real mail and pages, in Korean and in English: "
                    "`claimant.<lang>` is the decision mail's subject and body and `html`, the "
                    "decision's `<li class=\"card decision\">` of the claimant's status page; "
                    '`poster.<lang>.html` is the content of the notice page\'s `<main id="main">`'
                    " element (its forms without a notice token), or `poster` is null when the "
                    "decision takes no measure the poster is told of. HTML is escaped as the "
                    "pages escape it; the ids of the decision and its measures are the "
                    "preview's own (a sent decision gets its own). Nothing is recorded, "
                    "derived or sent, so no Idempotency-Key is needed: sent again, the "
                    "request is answered again. A body the decision would refuse is refused "
                    "alike (422 with the same errors[]; 409 for a stale version). "
                    + _stale_version(),
                )
            },
            "/v1/decision-rules": {
                "get": _operation(
                    "What a decision may say (reviewers)",
                    (200, DecisionRules, "Measures, limits, grounds and reason templates"),
                    (),
                    staff=True,
                    notes="Read from the models and rules that check a decision: each "
                    "measure with its parameters and their limits, the measures that stand "
                    "alone, the pairs refused together, the surfaces a measure is bound to, the "
                    "reject reasons, restricted services and decision grounds, which reason "
                    "field each ground requires, the limits of the reasons' fields, and reason "
                    "templates for the usual legal and policy grounds in Korean and English "
                    '(`{"ko": ..., "en": ...}`) for a reviewer to start from and edit.',
                )
            },
        },
        "components": {
            "schemas": schemas["$defs"],
            "securitySchemes": {
                "staff": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
        },
    }
    for path, operations in described["paths"].items():
        write = operations.get("post")
        if write and path not in UNKEYED_WRITES and idempotency not in write["parameters"]:
            write["parameters"].append(idempotency)
        if write and path not in UNKEYED_WRITES:
            # A malformed key, or a key used before with another body, is a 422.
            write["responses"].setdefault(
                "422",
                {
                    "description": _PROBLEMS[422],
                    "content": {"application/problem+json": {"schema": _ref(Problem)}},
                },
            )
    return described


@route("/openapi.json", methods=["GET"])
def openapi_document() -> Response:
    """Return the OpenAPI document."""
    return Response(document(), status_code=200, headers={"Cache-Control": "max-age=300"})
