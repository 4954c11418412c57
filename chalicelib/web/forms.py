"""What the pages' forms show and their scripts need: limits, file types, words, addresses."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..domain.evidence import EXTENSION_TYPES
from .reader import utc_offset_hours

if TYPE_CHECKING:
    from ..domain.errors import FieldError
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


def report_form(reader: Reader) -> dict[str, Any]:
    """Return what the report form offers: the choices, the limits, and its script's config."""
    from ..domain.vocabulary import Ground, IpRight, Relationship, RequestedAction, Surface

    return {
        "relationships": [r.value for r in Relationship],
        "surfaces": [s.value for s in Surface],
        "grounds": [g.value for g in Ground],
        "ip_rights": [i.value for i in IpRight],
        # Blocking is the lighter measure; it comes first.
        "actions": [RequestedAction.BLOCK.value, RequestedAction.DELETE.value],
        "limits": limits(reader),
        "accept": accept(),
        "client_config": {
            **upload_config(reader),
            "reportsUrl": f"{reader.base}/v1/reports",
            "statusUrl": f"{reader.base}/status",
        },
    }


def script_words(reader: Reader, own: str) -> dict[str, Any]:
    """Return the words of a page's script: those of forms.js, with the page's own (`own`) over."""
    texts = reader.texts
    words = texts[own]
    return {**texts["js"], **words, "errors": {**texts["js"]["errors"], **words["errors"]}}


def base_field(path: str) -> str:
    """Return a field's path without its list index: evidence[2] is evidence."""
    return re.sub(r"\[\d+\]$", "", path)


def localize(error: FieldError, words: Mapping[str, str], values: Mapping[str, Any]) -> str:
    """Return a refused field's message in the reader's words, as forms.js would show it."""
    text = words.get(f"{base_field(error.field)}|{error.code}") or words.get(error.code)
    if not text:
        text = error.message[:1].upper() + error.message[1:]
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m[1], m[0])), text)


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
