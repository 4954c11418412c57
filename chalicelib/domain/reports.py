"""A claimant's report and upload request, as the policy allows them to be."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from .base import Model
from .errors import FieldError, InvalidRequest
from .evidence import ALLOWED_CONTENT_TYPES, MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES
from .ids import ULID_PATTERN
from .vocabulary import Ground, IpRight, Lang, MeasureKind, Relationship, RequestedAction, Surface

UPLOAD_ID_PATTERN = f"^{ULID_PATTERN}$"
STATEMENT_MIN = 20
STATEMENT_MAX = 5000

M = TypeVar("M", bound=BaseModel)
UploadId = Annotated[str, StringConstraints(pattern=UPLOAD_ID_PATTERN)]

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s.]{2,63}$")
_PHONE = re.compile(r"^\+?[0-9 ()-]{6,20}$")
_FILENAME_FOLDERS = re.compile(r"[/\\]")
# Controls, invisible format characters (bidi overrides such as U+202E show a name reversed,
# zero-width spaces hide a second extension), surrogates, and line or paragraph separators.
# The two joiners stay allowed: Persian and Indic names and many emoji need them.
_FILENAME_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_FILENAME_JOINERS = frozenset({"\u200c", "\u200d"})
# Letters (Lo) that show as nothing: the Hangul fillers hide an extension as well as U+200B does.
_FILENAME_BLANK_LETTERS = frozenset({"\u115f", "\u1160", "\u3164", "\uffa0"})


class _Strict(Model):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class UploadRequest(_Strict):
    """Ask for a place to upload one evidence file straight to storage."""

    filename: Annotated[str, Field(min_length=1, max_length=255)]
    content_type: Annotated[
        str,
        Field(
            description="One of the allowed evidence types.",
            json_schema_extra={"enum": list(ALLOWED_CONTENT_TYPES)},
        ),
    ]
    size: Annotated[int, Field(gt=0, le=MAX_EVIDENCE_BYTES, description="Size in bytes.")]

    @field_validator("filename")
    @classmethod
    def _plain_filename(cls, value: str) -> str:
        if _FILENAME_FOLDERS.search(value):
            raise ValueError("must be a file name without folders (no / or \\)")
        hidden = next(
            (
                c
                for c in value
                if (
                    unicodedata.category(c) in _FILENAME_HIDDEN_CATEGORIES
                    or c in _FILENAME_BLANK_LETTERS
                )
                and c not in _FILENAME_JOINERS
            ),
            None,
        )
        if hidden is not None:
            raise ValueError(
                "must be a file name without control or invisible formatting characters; "
                f"it holds U+{ord(hidden):04X} at position {value.index(hidden) + 1}"
            )
        return value

    @field_validator("content_type")
    @classmethod
    def _allowed_type(cls, value: str) -> str:
        value = value.lower()
        if value not in ALLOWED_CONTENT_TYPES:
            allowed = ", ".join(ALLOWED_CONTENT_TYPES)
            raise ValueError(f"is not an allowed evidence type; allowed: {allowed}")
        return value


class Claimant(_Strict):
    """Who reports: the person harmed, or an agent acting for them."""

    name: Annotated[str, Field(min_length=1, max_length=200)]
    email: Annotated[
        str,
        Field(
            max_length=320,
            description="Where decisions are sent.",
            json_schema_extra={"pattern": _EMAIL.pattern},
        ),
    ]
    phone: Annotated[str | None, Field(default=None, max_length=20)] = None
    relationship: Relationship
    principal_name: Annotated[
        str | None,
        Field(default=None, max_length=200, description="The person harmed (agents only)."),
    ] = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if not _EMAIL.match(value):
            raise ValueError("must be an email address such as name@example.com")
        return value

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not _PHONE.match(value):
            raise ValueError("must be a telephone number of digits, spaces, +, - or ()")
        return value


class Target(_Strict):
    """What is reported: the surface it is on and where to find it."""

    surface: Surface
    url: Annotated[str, Field(min_length=1, max_length=2048)]
    description: Annotated[str | None, Field(default=None, max_length=2000)] = None

    @field_validator("url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/$.?#][^\s]*$", value, re.IGNORECASE):
            raise ValueError("must be a web address starting with http:// or https://")
        return value


class ReportSubmission(_Strict):
    """One report of content that violates the claimant's rights."""

    claimant: Claimant
    target: Target
    grounds: Annotated[list[Ground], Field(min_length=1, max_length=len(Ground))]
    ip_right: IpRight | None = None
    requested_action: RequestedAction
    statement: Annotated[str, Field(min_length=STATEMENT_MIN, max_length=STATEMENT_MAX)]
    evidence: Annotated[list[UploadId], Field(min_length=1, max_length=MAX_EVIDENCE_FILES)]
    power_of_attorney: UploadId | None = None
    declaration: Literal[True] = Field(
        description="The claimant declares the report accurate and made in good faith."
    )
    lang: Lang = Lang.KO

    @field_validator("grounds")
    @classmethod
    def _distinct_grounds(cls, value: list[Ground]) -> list[Ground]:
        if len(set(value)) != len(value):
            raise ValueError("must not name a ground twice")
        return value

    @field_validator("evidence")
    @classmethod
    def _distinct_evidence(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("must not name an upload twice")
        return value

    @model_validator(mode="after")
    def _conditional_fields(self) -> ReportSubmission:
        errors = conditional_field_errors(self.model_dump(mode="json"))
        if errors:
            raise ValueError("; ".join(f"{e.field}: {e.message}" for e in errors))
        return self

    @property
    def upload_ids(self) -> list[str]:
        """Return every upload the report attaches, evidence first."""
        extra = [self.power_of_attorney] if self.power_of_attorney else []
        return [*self.evidence, *extra]


class RecoveryRequest(_Strict):
    """A claimant who lost the receipt token asks for a link to the case, at their address."""

    email: Annotated[
        str,
        Field(
            max_length=320,
            description="The address the report gave; the link is mailed only to that one.",
            json_schema_extra={"pattern": _EMAIL.pattern},
        ),
    ]

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if not _EMAIL.match(value.strip()):
            raise ValueError("must be an email address such as name@example.com")
        return value.strip()


class RecoveryAccepted(Model):
    """The answer to every recovery request within the limits: it tells nothing of the case."""

    accepted: Literal[True] = True


class InformationAnswer(_Strict):
    """A claimant's answer to a request for information: a statement and new evidence."""

    statement: Annotated[str, Field(min_length=STATEMENT_MIN, max_length=STATEMENT_MAX)]
    evidence: Annotated[list[UploadId], Field(default_factory=list, max_length=MAX_EVIDENCE_FILES)]

    @field_validator("evidence")
    @classmethod
    def _distinct_evidence(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("must not name an upload twice")
        return value


def conditional_field_errors(raw: Mapping[str, Any]) -> list[FieldError]:
    """Return the errors of fields that are required, or forbidden, by another field."""
    errors: list[FieldError] = []
    grounds = raw.get("grounds")
    claims_ip = isinstance(grounds, list) and Ground.INTELLECTUAL_PROPERTY.value in grounds
    if claims_ip and not raw.get("ip_right"):
        errors.append(
            FieldError("ip_right", "is required when the grounds include intellectual_property")
        )
    if not claims_ip and raw.get("ip_right"):
        errors.append(
            FieldError("ip_right", "is allowed only when the grounds include intellectual_property")
        )
    claimant = raw.get("claimant")
    is_agent = isinstance(claimant, Mapping) and claimant.get("relationship") == "agent"
    if is_agent:
        if isinstance(claimant, Mapping) and not claimant.get("principal_name"):
            errors.append(
                FieldError("claimant.principal_name", "is required when an agent reports")
            )
        if not raw.get("power_of_attorney"):
            errors.append(FieldError("power_of_attorney", "is required when an agent reports"))
    elif raw.get("power_of_attorney"):
        errors.append(FieldError("power_of_attorney", "is allowed only when an agent reports"))
    evidence = raw.get("evidence")
    attorney = raw.get("power_of_attorney")
    if attorney and isinstance(evidence, list) and attorney in evidence:
        errors.append(
            FieldError("power_of_attorney", "must be its own upload, not one of the evidence")
        )
    return [FieldError(e.field, e.message, "required_by_rule") for e in errors]


def parse_report(raw: object) -> ReportSubmission:
    """Return the report in `raw`, or raise InvalidRequest naming every bad field."""
    return _parse(ReportSubmission, raw, conditional=True)


def parse_body(model: type[M], raw: object) -> M:
    """Return the `model` in `raw`, or raise InvalidRequest naming every bad field."""
    return _parse(model, raw, conditional=False)


def parse_information(raw: object) -> InformationAnswer:
    """Return the answer in `raw`, or raise InvalidRequest naming every bad field."""
    return _parse(InformationAnswer, raw, conditional=False)


def parse_recovery(raw: object) -> RecoveryRequest:
    """Return the recovery request in `raw`, or raise InvalidRequest naming every bad field."""
    return _parse(RecoveryRequest, raw, conditional=False)


def parse_upload_request(raw: object) -> UploadRequest:
    """Return the upload request in `raw`, or raise InvalidRequest naming every bad field."""
    return _parse(UploadRequest, raw, conditional=False)


def _parse(model: type[M], raw: object, *, conditional: bool) -> M:
    if not isinstance(raw, dict):
        raise InvalidRequest(
            "The body must be a JSON object.", [FieldError("", "must be a JSON object", "type")]
        )
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        errors = field_errors(error)
        if conditional:
            known = {e.field for e in errors}
            errors += [e for e in conditional_field_errors(raw) if e.field not in known]
        raise InvalidRequest(
            f"{len(errors)} field{'s' if len(errors) != 1 else ''} of the request need attention.",
            errors,
        ) from None


def field_errors(error: ValidationError) -> list[FieldError]:
    """Return each field-level error of a pydantic validation, with a path and a plain message."""
    return [_field_error(item) for item in error.errors() if item["loc"]]


def _field_error(item: Any) -> FieldError:
    """Turn one pydantic error into a field path and a plain message."""
    path = ""
    for part in _without_union_tags(item["loc"]):
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    code = str(item["type"])
    message = str(item["msg"])
    if code == "literal_error" and path == "declaration":
        message = "must be true: you declare the report accurate and made in good faith"
    elif code == "enum" and path == "target.surface":
        message = (
            "is not a service this policy covers; it covers only kakaotalk_profile, "
            "talk_board, open_chat_board, open_chat_cover and open_profile"
        )
    elif code == "string_pattern_mismatch":
        message = "is not an upload id returned by POST /v1/uploads"
    elif code == "extra_forbidden":
        message = "is not a field of this request"
    elif code == "union_tag_invalid":
        message = "is not a measure; use one of " + str(item.get("ctx", {}).get("expected_tags"))
    elif code == "value_error":
        message = message.removeprefix("Value error, ")
    return FieldError(path, message, code)


_MEASURE_TAGS = frozenset(MeasureKind)


def _without_union_tags(loc: tuple[Any, ...]) -> list[Any]:
    """Drop the discriminator tags pydantic puts in a path: measures.0.block_content.days."""
    return [part for part in loc if part not in _MEASURE_TAGS]
