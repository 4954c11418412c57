"""Parse a JSON request body within limits that keep a hostile body cheap to refuse."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from chalice import Response
from chalice.app import Request

from .problems import MAX_JSON_BODY, HttpProblem, problem

# Our request schemas nest three levels deep at most (a decision's list of objects).
MAX_JSON_DEPTH = 32
# Far more than any number our schemas take (a size in bytes), far less than Python's 4300 digits.
MAX_NUMBER_CHARS = 100
# The integers every JSON parser keeps exactly (I-JSON, RFC 7493), and canonical JSON can hash.
MAX_SAFE_INTEGER = 2**53 - 1

# Strings (closed, or open to the end of the body), brackets and number literals, in one pass:
# the scan never recurses and reads each byte once, so it costs no more than the body's size.
_TOKENS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[{]|[\]}]|-?[0-9][-+0-9.eE]*', re.DOTALL)
_OPENING = frozenset(b"[{")
_CLOSING = frozenset(b"]}")


class _Refused(ValueError):
    """A literal or an object the body may not hold (raised from inside json.loads)."""


def parse_json(raw: bytes | str | None, max_bytes: int = MAX_JSON_BODY) -> Any:
    """Return the JSON value of a request body, or raise the HTTP problem that says what is wrong.

    Refused: bodies over `max_bytes`, not UTF-8, nested deeper than MAX_JSON_DEPTH, holding a
    number longer than MAX_NUMBER_CHARS, an integer beyond ±MAX_SAFE_INTEGER, a number beyond a
    double's range, NaN or Infinity, a key twice in one object, or half of a surrogate pair.
    """
    body = (raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw) or b""
    if len(body) > max_bytes:
        raise HttpProblem(
            413,
            "payload-too-large",
            "Request body too large",
            f"The body is {len(body)} bytes; the limit is {max_bytes} bytes. "
            "Evidence files go to POST /v1/uploads, not into the report.",
        )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _malformed(f"The body is not UTF-8 text (at byte {error.start}).") from None
    _check_shape(body)
    try:
        value = json.loads(
            text,
            parse_float=_finite_float,
            parse_int=_safe_int,
            parse_constant=_no_constant,
            object_pairs_hook=_unique_keys,
        )
    except _Refused as refused:
        raise _malformed(str(refused)) from None
    except json.JSONDecodeError as error:
        raise _malformed(
            f"The body is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}."
        ) from None
    _check_text(value)
    return value


def _check_shape(body: bytes) -> None:
    """Refuse nesting deeper than MAX_JSON_DEPTH and over-long numbers before json.loads runs."""
    depth = 0
    for token in _TOKENS.finditer(body):
        first = body[token.start()]
        if first in _OPENING:
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise _beyond_limits(
                    f"The body is nested deeper than {MAX_JSON_DEPTH} levels "
                    f"(at byte {token.start()})."
                )
        elif first in _CLOSING:
            depth -= 1
        elif first != ord('"') and token.end() - token.start() > MAX_NUMBER_CHARS:
            raise _beyond_limits(
                f"The body holds a number longer than {MAX_NUMBER_CHARS} characters "
                f"(at byte {token.start()})."
            )


def _finite_float(literal: str) -> float:
    number = float(literal)
    if not math.isfinite(number):
        raise _Refused("The body holds a number beyond the range of a double (about 1.8e308).")
    return number


def _safe_int(literal: str) -> int:
    number = int(literal)
    if abs(number) > MAX_SAFE_INTEGER:
        raise _Refused(
            f"The body holds an integer beyond ±{MAX_SAFE_INTEGER} (2^53 - 1), "
            "which not every JSON parser keeps exactly."
        )
    return number


def _no_constant(literal: str) -> Any:
    raise _Refused(f"The body is not valid JSON: {literal} is not a JSON number.")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                named = json.dumps(key[:64])
                raise _Refused(f"The body names the key {named} twice in one object.")
            seen.add(key)
    return value


def _check_text(value: Any) -> None:
    """Refuse strings that are not text: a lone surrogate (from a \\u escape) cannot be stored."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            strings = [item]
        elif isinstance(item, dict):
            strings = list(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            strings = []
            pending.extend(item)
        else:
            continue
        for text in strings:
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                raise _malformed(
                    "The body holds half of a surrogate pair (a \\u escape of D800-DFFF "
                    "alone), which is not text."
                ) from None


def _malformed(detail: str) -> HttpProblem:
    return HttpProblem(400, "malformed-json", "Malformed JSON", detail)


def _beyond_limits(detail: str) -> HttpProblem:
    return HttpProblem(400, "json-beyond-limits", "JSON beyond our limits", detail)


def declares_json(request: Request) -> bool:
    """Tell whether the request says its body is JSON (application/json or a +json type)."""
    media_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


def refusal(request: Request | None) -> Response | None:
    """Return the problem that refuses a JSON body beyond our limits, before any route reads it."""
    if request is None or not request.raw_body or not declares_json(request):
        return None
    try:
        parse_json(request.raw_body)
    except HttpProblem as error:
        return problem(error.status, error.slug, error.title, error.detail)
    return None
