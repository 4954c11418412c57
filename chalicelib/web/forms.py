"""What the pages' forms show and their scripts need: limits, file types, words, addresses."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..domain.errors import FieldError
from ..domain.evidence import EXTENSION_TYPES
from .reader import utc_offset_hours

if TYPE_CHECKING:
    from .reader import Reader


@dataclass(frozen=True)
class Flash:
    """A message at the top of a page: what was just done ("ok") or not ("error")."""

    kind: str
    text: str


def limits(reader: Reader) -> dict[str, Any]:
    """Return the limits a statement and its files must keep, for the forms' hints."""
    from ..domain.evidence import ALLOWED_CONTENT_TYPES, MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES
    from ..domain.reports import STATEMENT_MAX, STATEMENT_MIN

    names = reader.texts["type_names"]
    return {
        "min": STATEMENT_MIN,
        "max": STATEMENT_MAX,
        "max_mb": MAX_EVIDENCE_BYTES // (1024 * 1024),
        "max_files": MAX_EVIDENCE_FILES,
        "types": ", ".join(names[content_type] for content_type in ALLOWED_CONTENT_TYPES),
    }


def accept() -> str:
    """Return what the file pickers offer: the allowed types and their extensions."""
    from ..domain.evidence import ALLOWED_CONTENT_TYPES

    return ",".join([*ALLOWED_CONTENT_TYPES, *(f".{extension}" for extension in EXTENSION_TYPES)])


def upload_config(reader: Reader) -> dict[str, Any]:
    """Return what forms.js needs to check and upload evidence files, in the reader's words."""
    from ..domain.evidence import ALLOWED_CONTENT_TYPES, MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES

    texts = reader.texts
    return {
        "lang": reader.lang,
        "uploadsUrl": f"{reader.base}/v1/uploads",
        "allowedTypes": list(ALLOWED_CONTENT_TYPES),
        "extensionTypes": EXTENSION_TYPES,
        "maxBytes": MAX_EVIDENCE_BYTES,
        "maxFiles": MAX_EVIDENCE_FILES,
        "limits": limits(reader),
        "typeNames": texts["type_names"],
        "sizeUnits": texts["size_units"],
        "dateFormat": texts["date_format"],
        "monthNames": texts["month_names"],
        "utcOffsetHours": utc_offset_hours(),
        "messages": texts["js"],
    }


PRIVACY_PARTS = ("collected", "purpose", "retention", "recipients", "rights")
RECEIPT_SCRIPT_WORDS = (
    "receipt_saved",
    "receipt_printed",
    "receipt_leave_warning",
    "receipt_file_name",
    "receipt_file",
)


def privacy_notice(reader: Reader, evidence_retention_days: int) -> list[dict[str, str]]:
    """Return the parts of the report form's privacy notice, each a title and its text, with
    the deployment's retention filled in."""
    from .texts import filled

    values = {"evidence_retention_days": evidence_retention_days}
    return [
        {
            "id": f"privacy-{part}",
            "title": reader.texts[f"privacy_{part}_title"],
            "text": filled(reader.texts[f"privacy_{part}"], reader.lang, values),
        }
        for part in PRIVACY_PARTS
    ]


def report_form(
    reader: Reader,
    query: Mapping[str, str] | None = None,
    *,
    status_address: str,
    evidence_retention_days: int,
) -> dict[str, Any]:
    """Return what the report form offers: the choices, the limits, the privacy notice, its
    script's config (`status_address`: a case's status address with `{case_id}` to fill), and the
    target the app opened it with (`?surface=&url=&content_ref=`), checked as the API checks it."""
    from ..domain.reports import TARGET_RULES, completion_pattern
    from ..domain.vocabulary import Ground, IpRight, Relationship, RequestedAction, Surface

    texts = reader.texts
    prefill = target_prefill(query or {}, reader)
    return {
        "prefill": prefill,
        "relationships": [r.value for r in Relationship],
        "surfaces": [s.value for s in Surface],
        "grounds": [g.value for g in Ground],
        "ip_rights": [i.value for i in IpRight],
        # Blocking is the lighter measure; it comes first.
        "actions": [RequestedAction.BLOCK.value, RequestedAction.DELETE.value],
        "limits": limits(reader),
        "accept": accept(),
        "privacy": privacy_notice(reader, evidence_retention_days),
        "client_config": {
            **upload_config(reader),
            "reportsUrl": f"{reader.base}/v1/reports",
            "suspendedMessage": reader.texts["misuse"]["suspended_page"],
            "statusUrl": f"{reader.base}/status",
            "statusAddress": status_address,
            "receipt": {key: reader.texts[key] for key in RECEIPT_SCRIPT_WORDS},
            "targets": {s.value: rule.forms[0].value for s, rule in TARGET_RULES.items()},
            "targetWords": {
                key: texts[key]
                for key in ("target_url_label", "target_url_hint", "target_ref_hint")
            },
            "completedAddress": completion_pattern(),
        },
    }


PREFILL_MAX = {"surface": 64, "url": 2048, "content_ref": 256}
"""How much of each query value the form takes: more than the API accepts, so that what is too
long is shown and refused, never cut to something valid."""


def target_prefill(query: Mapping[str, str], reader: Reader) -> dict[str, Any]:
    """Return the surface, address and reference the form is opened with, each as completed by
    the domain, the errors the API would answer for them in the reader's words, and the form
    (`url` or `content_ref`) the surface asks for first."""
    from pydantic import ValidationError

    from ..domain.reports import TARGET_RULES, Target, field_errors, target_errors
    from ..domain.vocabulary import Surface

    given = {name: query.get(name, "").strip()[:most] for name, most in PREFILL_MAX.items()}
    surface = next((s for s in Surface if s.value == given["surface"]), None)
    values = {"url": given["url"], "content_ref": given["content_ref"]}
    problems: list[FieldError] = []
    for name in ("url", "content_ref"):
        if not values[name]:
            continue
        try:
            checked = Target.model_validate({"surface": Surface.TALK_BOARD, name: values[name]})
            values[name] = str(getattr(checked, name))
        except ValidationError as error:
            problems += [
                FieldError(f"target.{e.field}", e.message, e.code) for e in field_errors(error)
            ]
    if surface and not problems and (values["url"] or values["content_ref"]):
        problems += target_errors(surface, values["url"], values["content_ref"])
    words = reader.texts["js"]
    errors = {
        e.field.removeprefix("target."): localize(e, words, {}, reader.lang) for e in problems
    }
    return {
        "surface": surface.value if surface else None,
        "first": TARGET_RULES[surface].forms[0].value if surface else "url",
        **values,
        "errors": errors,
    }


def script_words(reader: Reader, own: str) -> dict[str, Any]:
    """Return the words of a page's script: those of forms.js, with the page's own (`own`) over."""
    texts = reader.texts
    words = texts[own]
    shared = texts["js"]
    return {
        **shared,
        **words,
        "errors": {**shared["errors"], **words["errors"]},
        "status_errors": {**shared.get("status_errors", {}), **words.get("status_errors", {})},
    }


def base_field(path: str) -> str:
    """Return a field's path without its list index: evidence[2] is evidence."""
    return re.sub(r"\[\d+\]$", "", path)


def localize(
    error: FieldError, words: Mapping[str, Any], values: Mapping[str, Any], lang: str
) -> str:
    """Return a refused field's message in the reader's words, as forms.js would show it: the
    server's own message is never shown, a code without words of its own reads the general ones
    (`en_field_fallback`), and a count takes its plural form."""
    from .texts import counted

    errors = words["errors"]
    text = (
        errors.get(f"{base_field(error.field)}|{error.code}")
        or errors.get(error.code)
        or words["en_field_fallback"]
    )
    return counted(text, lang, values)


def error_summary(
    reader: Reader, entries: Sequence[tuple[str | None, str]], detail: str | None = None
) -> dict[str, Any]:
    """Return the summary on top of a form the server shows again, as forms.js builds it: a
    heading that counts the entries, then each entry, a link to its field where it has one.

    `entries` are (the id of the field's control or None, its words).
    """
    from .texts import fill, plural_form

    words = reader.texts["js"]
    counted = words["summary_count"]
    if isinstance(counted, dict):
        counted = counted.get(plural_form(reader.lang, len(entries)), counted["other"])
    return {
        "heading": fill(counted, {"n": len(entries)}) if entries else reader.texts["errors_title"],
        "detail": detail,
        "entries": [
            {"href": f"#{control}" if control else None, "text": text} for control, text in entries
        ],
    }


def summary_entry(reader: Reader, label: str, message: str) -> str:
    """Return one entry of an error summary: the field's name and what is wrong with it."""
    from .texts import fill

    return fill(reader.texts["js"]["summary_entry"], {"name": label, "message": message})
