"""The public transparency report: its figures as JSON or CSV, and its page (tables and charts)."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import TYPE_CHECKING

from chalice import Blueprint, Response

from .. import wiring
from .pages import _lang, _page, _reader, page_errors
from .problems import HttpProblem, problem_details
from .routing import routes

if TYPE_CHECKING:
    from ..domain.transparency import Report

bp = Blueprint(__name__)
route = routes(bp, problem_details)

PUBLIC_CACHE: dict[str, str | list[str]] = {"Cache-Control": "public, max-age=300"}
_FORMATS = ("json", "csv")
_ASKED = ("period", "from", "to")
MAX_QUERY_CHARS = 32  # a day or a half year is 10 characters; more is not a range


def _query() -> Mapping[str, str]:
    return bp.current_request.query_params or {}


def _figures(query: Mapping[str, str]) -> Report:
    """Return the figures the query's range names (period, or from and to)."""
    asked = {name: query.get(name) for name in _ASKED}
    for name, value in asked.items():
        if value is not None and len(value) > MAX_QUERY_CHARS:
            raise HttpProblem(400, "bad-request", "Bad request", f"The {name} is too long.")
    return wiring.transparency().report(asked["period"], asked["from"], asked["to"])


@route("/v1/transparency/report", methods=["GET"])
def transparency_report() -> Response:
    """Return the transparency report of a half year or a range of days (JSON, or CSV)."""
    query = _query()
    shape = query.get("format", "json")
    if shape not in _FORMATS:
        from ..domain.errors import FieldError, InvalidRequest

        raise InvalidRequest(
            "The report comes as json or csv.", [FieldError("format", "must be json or csv")]
        )
    figures = _figures(query)
    if shape == "csv":
        from ..domain.transparency import rows

        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(["dimension", "key", "value"])
        writer.writerows(rows(figures))
        name = figures.period or f"{figures.from_day}_{figures.to_day}"
        return Response(
            text.getvalue(),
            status_code=200,
            headers={
                "Content-Type": "text/csv; charset=utf-8",
                "Content-Disposition": f'attachment; filename="transparency-{name}.csv"',
                **PUBLIC_CACHE,
            },
        )
    return Response(figures.model_dump(mode="json"), status_code=200, headers=PUBLIC_CACHE)


@route("/transparency", methods=["GET"], seam=page_errors("form"))
def transparency_page() -> Response:
    """Show the transparency report of a half year (the last one by default) as a page."""
    query = _query()
    reader = _reader(_lang())
    asked = dict(query)
    if not any(asked.get(name) for name in _ASKED):
        asked["period"] = wiring.transparency().current_period()
    from ..domain.errors import InvalidRequest
    from ..web import transparency as presenter

    try:
        figures = _figures(asked)
    except InvalidRequest:
        words = reader.texts["transparency"]
        return _page(
            "message.html",
            reader,
            switch_path="/transparency",
            status=422,
            title=words["title"],
            message=words["bad_range"],
        )
    kept = (
        {"period": figures.period}
        if figures.period
        else {
            "from": figures.from_day.isoformat(),
            "to": figures.to_day.isoformat(),
        }
    )
    return _page(
        "transparency.html",
        reader,
        switch_path="/transparency",
        switch_query=kept,
        cache_control="public, max-age=300",
        **presenter.page_context(figures, reader.texts),
    )
