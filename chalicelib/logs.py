"""Log lines people can search: one JSON object per record, with the request's id and its fields."""

from __future__ import annotations

import contextvars
import json
import logging
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TextIO

# The id of the invocation being served: Lambda's request id, else API Gateway's.
request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
# API Gateway's id of the HTTP request (the `x-amzn-RequestId` the client was answered with).
api_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "api_request_id", default=None
)

# What every LogRecord carries; anything else on a record came in through `extra=`.
_RECORD_ATTRIBUTES = frozenset(
    logging.LogRecord("", logging.INFO, "", 0, "", (), None).__dict__
) | {"message", "asctime", "taskName", "aws_request_id", "_frame_type"}


class JsonLines(logging.Formatter):
    """Format a record as one line of JSON: its level, logger, message, ids and `extra` fields.

    An exception is named and its frames are given, never its message: it may quote request data.
    """

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id.get() or getattr(record, "aws_request_id", None),
        }
        if api_id := api_request_id.get():
            line["api_request_id"] = api_id
        for name, value in record.__dict__.items():
            if name not in _RECORD_ATTRIBUTES and name not in line:
                line[name] = value
        if record.exc_info and record.exc_info[0] is not None:
            line["error"] = record.exc_info[0].__name__
            line["traceback"] = "".join(traceback.format_tb(record.exc_info[2]))
        return json.dumps(line, ensure_ascii=False, default=str)


class _CurrentStderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Write to whatever `sys.stderr` is when the record comes (a test may have replaced it)."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JsonLines())

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass


def install() -> None:
    """Send every log record, once, as a JSON line to stderr, here as in Lambda.

    Our records are INFO and above; stdout stays for the embedded metrics. In Lambda the runtime's
    own handler is taken off, or each record would be written twice, but its filters are kept:
    they name the invocation's request id on each record, for the functions no middleware wraps
    (the authorizer). Lambda reads the level and timestamp of our lines (LoggingConfig is JSON).
    """
    root = logging.getLogger()
    if any(isinstance(handler, _CurrentStderr) for handler in root.handlers):
        return
    ours = _CurrentStderr()
    if os.environ.get("AWS_LAMBDA_RUNTIME_API"):
        for handler in list(root.handlers):
            for kept in handler.filters:
                ours.addFilter(kept)
            root.removeHandler(handler)
    root.addHandler(ours)
    logging.getLogger("irc").setLevel(logging.INFO)  # case ids and counts only: never personal data


@contextmanager
def serving(lambda_id: str | None, api_id: str | None = None) -> Iterator[None]:
    """Tag every line logged inside with the invocation's request id."""
    tokens = (request_id.set(lambda_id or api_id), api_request_id.set(api_id))
    try:
        yield
    finally:
        request_id.reset(tokens[0])
        api_request_id.reset(tokens[1])


def bind_request(event: Any, get_response: Callable[[Any], Any]) -> Any:
    """Middleware for every kind of handler: serve the event under its request id."""
    context = getattr(event, "context", None)
    if isinstance(context, dict):  # an HTTP request: its context is API Gateway's requestContext
        lambda_context, api_id = getattr(event, "lambda_context", None), context.get("requestId")
    else:  # a scheduled or stream event: its context is Lambda's
        lambda_context, api_id = context, None
    with serving(getattr(lambda_context, "aws_request_id", None), api_id):
        return get_response(event)
