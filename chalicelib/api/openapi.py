"""The OpenAPI 3.1 document, generated from the pydantic models the routes use."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Response

if TYPE_CHECKING:
    from pydantic import BaseModel

bp = Blueprint(__name__)

REF = "#/components/schemas/{model}"


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": REF.format(model=model.__name__)}


def _json(model: type[BaseModel], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(model)}}}


def _problems(*statuses: int) -> dict[str, Any]:
    from .schemas import Problem

    described = {
        400: "Malformed JSON",
        404: "No such case, or the wrong receipt token",
        409: "Conflicts with what is recorded (an upload already attached to another case)",
        413: "Body too large",
        415: "Body is not application/json",
        422: "Invalid fields, each named in errors[]",
    }
    return {
        str(s): {
            "description": described[s],
            "content": {"application/problem+json": {"schema": _ref(Problem)}},
        }
        for s in statuses
    }


@cache
def document() -> dict[str, Any]:
    """Return the OpenAPI document of the public API."""
    from pydantic.json_schema import models_json_schema

    from ..domain.case import ClaimantView, Receipt
    from ..domain.reports import ReportSubmission, UploadRequest
    from ..services.intake import UploadGrant
    from .schemas import Problem

    models: list[type[BaseModel]] = [
        UploadRequest,
        UploadGrant,
        ReportSubmission,
        Receipt,
        ClaimantView,
        Problem,
    ]
    _, schemas = models_json_schema(
        [
            (m, "validation" if m in (UploadRequest, ReportSubmission) else "serialization")
            for m in models
        ],
        ref_template=REF,
    )
    receipt_token = {
        "name": "X-Receipt-Token",
        "in": "header",
        "required": True,
        "schema": {"type": "string"},
        "description": "The receipt token given when the report was submitted.",
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Infringement Report Center",
            "version": "1.0.0",
            "description": "Report content that violates your rights, with evidence, "
            "and follow your case with the receipt.",
        },
        "paths": {
            "/v1/uploads": {
                "post": {
                    "summary": "Get a presigned upload for one evidence file",
                    "requestBody": _json(UploadRequest, "The file to upload"),
                    "responses": {
                        "201": _json(UploadGrant, "POST the file to url with these fields"),
                        **_problems(400, 413, 415, 422),
                    },
                }
            },
            "/v1/reports": {
                "post": {
                    "summary": "Submit a report",
                    "parameters": [
                        {
                            "name": "Idempotency-Key",
                            "in": "header",
                            "required": False,
                            "schema": {"type": "string", "pattern": "^[A-Za-z0-9._:-]{16,255}$"},
                            "description": "Send the same key when retrying; the same case "
                            "comes back.",
                        }
                    ],
                    "requestBody": _json(ReportSubmission, "The report"),
                    "responses": {
                        "201": _json(Receipt, "The receipt: keep the token"),
                        **_problems(400, 409, 413, 415, 422),
                    },
                }
            },
            "/v1/reports/{case_id}": {
                "get": {
                    "summary": "Read the status of your case",
                    "parameters": [
                        {
                            "name": "case_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        receipt_token,
                    ],
                    "responses": {
                        "200": _json(ClaimantView, "The case as its claimant sees it"),
                        **_problems(404),
                    },
                }
            },
        },
        "components": {"schemas": schemas["$defs"]},
    }


@bp.route("/openapi.json", methods=["GET"])
def openapi_document() -> Response:
    """Return the OpenAPI document."""
    return Response(document(), status_code=200, headers={"Cache-Control": "max-age=300"})
