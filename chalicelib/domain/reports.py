"""A claimant's report and upload request, as the policy allows them to be."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
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


CONTENT_REF_MAX = 128
_CONTENT_REF = re.compile(rf"^[A-Za-z0-9._:-]{{1,{CONTENT_REF_MAX}}}$")
ACCOUNT_REF_MAX = 128
_ACCOUNT_REF = re.compile(rf"^[A-Za-z0-9._:-]{{1,{ACCOUNT_REF_MAX}}}$")
_WEB_ADDRESS = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
# Addresses written without a scheme that are completed with https://: Open Chat's own host,
# and any host written with its `www.` (neither can be meant as anything but a web address).
# Any other scheme-less text is refused: `example.com/x` may be a mistyped reference.
_COMPLETED_HOSTS = re.compile(r"^(open\.kakao\.com|www\.[^\s/:?#]+\.[^\s/:?#]+)([/?#]|$)", re.I)
OPEN_CHAT_HOST = "open.kakao.com"


class TargetForm(StrEnum):
    """How a report names the content: its web address, or the platform's in-app reference."""

    URL = "url"
    CONTENT_REF = "content_ref"


@dataclass(frozen=True)
class TargetRule:
    """What a report of one surface may name the content by, the one the app asks for first."""

    forms: tuple[TargetForm, ...]
    url_hosts: frozenset[str] | None
    """The hosts a web address must be on; None: any web address."""


TARGET_RULES: Mapping[Surface, TargetRule] = {
    # A KakaoTalk profile and a Talk Board post (in a Regular Chat room) have no public web
    # page: the report button supplies the reference; an address is taken where one exists.
    Surface.KAKAOTALK_PROFILE: TargetRule((TargetForm.CONTENT_REF, TargetForm.URL), None),
    Surface.TALK_BOARD: TargetRule((TargetForm.CONTENT_REF, TargetForm.URL), None),
    # Open Chat rooms and Open Profiles are shared by an open.kakao.com link.
    Surface.OPEN_CHAT_BOARD: TargetRule(
        (TargetForm.URL, TargetForm.CONTENT_REF), frozenset({OPEN_CHAT_HOST})
    ),
    Surface.OPEN_CHAT_COVER: TargetRule(
        (TargetForm.URL, TargetForm.CONTENT_REF), frozenset({OPEN_CHAT_HOST})
    ),
    Surface.OPEN_PROFILE: TargetRule(
        (TargetForm.URL, TargetForm.CONTENT_REF), frozenset({OPEN_CHAT_HOST})
    ),
}
"""Per surface, how the reported content is named: one home for the form, the API and the
OpenAPI."""


def complete_url(value: str) -> str:
    """Return `value` with https:// added when it is an address of open.kakao.com or of a
    `www.` host written without a scheme; any other value as given."""
    value = value.strip()
    if _COMPLETED_HOSTS.match(value):
        return f"https://{value}"
    return value


_NETLOC = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)")


def _host(url: str) -> str:
    """Return the host of a web address in lower case, without credentials or port; read by
    pattern, so that an address the standard library refuses (a stray `[`) has one too."""
    found = _NETLOC.match(url)
    netloc = found[1].rsplit("@", 1)[-1] if found else ""
    return netloc.rsplit(":", 1)[0].lower() if ":" in netloc else netloc.lower()


def completion_pattern() -> str:
    """Return the pattern of the scheme-less addresses completed with https:// (for the form)."""
    return _COMPLETED_HOSTS.pattern


def _expected(form: TargetForm, rule: TargetRule) -> str:
    """Return what a report of a surface with `rule` is expected to give for `form`."""
    if form == TargetForm.CONTENT_REF:
        return "the content reference the report button in KakaoTalk supplies (target.content_ref)"
    if rule.url_hosts is None:
        return "its web address, where it has one (target.url)"
    return f"its {' or '.join(sorted(rule.url_hosts))} address (target.url)"


def target_errors(surface: object, url: object, content_ref: object) -> list[FieldError]:
    """Return the errors of a target that names its content other than its surface allows."""
    try:
        rule = TARGET_RULES[Surface(str(surface))]
    except ValueError:
        return []
    given = {TargetForm.URL: bool(url), TargetForm.CONTENT_REF: bool(content_ref)}
    either = " or ".join(f"target.{form.value}" for form in rule.forms)
    if given[TargetForm.URL] and given[TargetForm.CONTENT_REF]:
        return [
            FieldError(
                "target.content_ref",
                f"must not be given together with target.url: give one, {either}",
                "both_given",
            )
        ]
    if not any(given.values()):
        wanted = ", or ".join(_expected(form, rule) for form in rule.forms)
        return [
            FieldError(
                f"target.{rule.forms[0].value}",
                f"is required for {surface}: give {wanted}",
                "missing",
            )
        ]
    hosts = rule.url_hosts
    if given[TargetForm.URL] and hosts is not None and _host(complete_url(str(url))) not in hosts:
        return [
            FieldError(
                "target.url",
                f"must be an address on {', '.join(sorted(hosts))} for {surface} "
                "(such as https://open.kakao.com/o/...), or give target.content_ref instead",
                "wrong_host",
            )
        ]
    return []


class ReportedTarget(_Strict):
    """What is reported, as the claimant and the poster may read it: the surface it is on and
    where to find it (a web address or the platform's in-app reference; cases received before
    references hold an address)."""

    surface: Surface
    url: Annotated[
        str | None,
        Field(
            default=None,
            max_length=2048,
            description="The content's web address. For open_chat_board, open_chat_cover and "
            "open_profile an open.kakao.com address; for kakaotalk_profile and talk_board any "
            "web address, where the content has one. Written without a scheme, open.kakao.com/... "
            "and www.... are completed with https://.",
        ),
    ] = None
    content_ref: Annotated[
        str | None,
        Field(
            default=None,
            max_length=CONTENT_REF_MAX,
            description="The in-app reference of the content that KakaoTalk's report button "
            f"supplies: 1 to {CONTENT_REF_MAX} of A-Z, a-z, 0-9, '.', '_', ':' and '-'. "
            "Give either url or content_ref, not both.",
            json_schema_extra={"pattern": _CONTENT_REF.pattern},
        ),
    ] = None
    description: Annotated[str | None, Field(default=None, max_length=2000)] = None

    @field_validator("url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        value = complete_url(value)
        if not _WEB_ADDRESS.match(value):
            raise ValueError(
                "must be a web address starting with http:// or https:// "
                "(open.kakao.com/... is completed with https://)"
            )
        return value

    @field_validator("content_ref")
    @classmethod
    def _content_reference(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not _CONTENT_REF.match(value):
            raise ValueError(
                "must be the reference the report button in KakaoTalk supplies: 1 to "
                f"{CONTENT_REF_MAX} letters A-Z, digits, '.', '_', ':' or '-'"
            )
        return value

    @property
    def reference(self) -> str:
        """Return what names the content: its address, else its in-app reference."""
        return self.url or self.content_ref or ""


class Target(ReportedTarget):
    """What is reported, with the account that posted it when the in-app button names it
    (shown only to staff)."""

    account_ref: Annotated[
        str | None,
        Field(
            default=None,
            max_length=ACCOUNT_REF_MAX,
            description="The platform's reference to the account that posted the content, as "
            f"the in-app report button supplies it: 1 to {ACCOUNT_REF_MAX} of A-Z, a-z, 0-9, "
            "'.', '_', ':' and '-'. Optional; kept as given and shown only to staff.",
            json_schema_extra={"pattern": _ACCOUNT_REF.pattern},
            exclude_if=lambda value: value is None,  # cases stored before it keep their shape
        ),
    ] = None

    @field_validator("account_ref")
    @classmethod
    def _account_reference(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not _ACCOUNT_REF.match(value):
            raise ValueError(
                "must be the account reference the report button in KakaoTalk supplies: 1 to "
                f"{ACCOUNT_REF_MAX} letters A-Z, digits, '.', '_', ':' or '-'"
            )
        return value

    def for_claimant(self) -> ReportedTarget:
        """Return the target as the claimant and the poster may read it: no account reference."""
        return ReportedTarget.model_validate(self.model_dump(exclude={"account_ref"}))


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
    target = raw.get("target")
    if isinstance(target, Mapping):
        errors += target_errors(target.get("surface"), target.get("url"), target.get("content_ref"))
    evidence = raw.get("evidence")
    attorney = raw.get("power_of_attorney")
    if attorney and isinstance(evidence, list) and attorney in evidence:
        errors.append(
            FieldError("power_of_attorney", "must be its own upload, not one of the evidence")
        )
    return [
        e if e.field.startswith("target.") else FieldError(e.field, e.message, "required_by_rule")
        for e in errors
    ]


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
