"""The transparency page's figures as tables and bar charts (inline SVG), for one reader."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..domain.transparency import UNKNOWN, Report
from ..domain.working_days import DECISION_WORKING_DAYS

CHART_WIDTH = 320  # the narrowest screen the pages fit
_BAR_ROOM = 250  # the longest bar; the rest holds its number
_ROW = 34  # one bar: its label above, the bar below
_BAR_HEIGHT = 12


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: what it counts, how many, and where it is drawn."""

    label: str
    value: int
    y: int
    width: int


@dataclass(frozen=True)
class Chart:
    """One figure broken down by a dimension: a bar chart and the same numbers as a table."""

    chart_id: str
    title: str
    bars: list[Bar]
    height: int
    total: int


def page_context(figures: Report, texts: Mapping[str, Any]) -> dict[str, Any]:
    """Return what the transparency template shows of `figures`, in the reader's words."""
    words = texts["transparency"]

    def label(group: Mapping[str, Any], key: str) -> str:
        if key == UNKNOWN:
            return str(words["unknown"])
        found = group.get(key, key)
        return str(found["label"] if isinstance(found, Mapping) else found)

    charts = [
        _chart(
            "surface", words["by_surface"], figures.received_by_surface, texts["surfaces"], label
        ),
        _chart("ground", words["by_ground"], figures.received_by_ground, texts["grounds"], label),
        _chart("action", words["by_action"], figures.received_by_action, texts["actions"], label),
        _chart("source", words["by_source"], figures.received_by_source, words["sources"], label),
        _chart(
            "measure", words["by_measure"], figures.decisions_by_measure, texts["measures"], label
        ),
        _chart(
            "outcome", words["by_outcome"], figures.decisions_by_outcome, texts["statuses"], label
        ),
        _chart(
            "reposting",
            words["reposting_outcomes_title"],
            {"requested": figures.reposting_requested, **figures.reposting_by_outcome},
            words["reposting_outcomes"],
            label,
        ),
        _chart(
            "appeal",
            words["appeal_outcomes_title"],
            {"filed": figures.appeals_filed, **figures.appeals_by_outcome},
            words["appeal_outcomes"],
            label,
        ),
        _chart("lapsed", words["lapsed_title"], figures.lapsed_by_action, words["lapses"], label),
    ]
    first = figures.first_decision
    share = first.share_within_3_working_days
    none = str(words["none"])
    summary = [
        (words["received"], str(figures.received)),
        (words["decisions"], str(figures.decisions)),
        (words["withdrawn"], str(figures.withdrawn)),
        (words["first_decisions"], str(first.count)),
        (
            words["median"],
            _hours(first.median_hours, words) if first.median_hours is not None else none,
        ),
        (words["p90"], _hours(first.p90_hours, words) if first.p90_hours is not None else none),
        (
            str(words["within"]).replace("{n}", str(DECISION_WORKING_DAYS)),
            f"{share * 100:.1f}% ({first.within_3_working_days})" if share is not None else none,
        ),
    ]
    return {"figures": figures, "charts": charts, "summary": summary, "chart_width": CHART_WIDTH}


def _hours(hours: int, words: Mapping[str, Any]) -> str:
    return str(words["hours"]).replace("{n}", str(hours))


def _chart(
    chart_id: str,
    title: str,
    counts: Mapping[str, int],
    group: Mapping[str, Any],
    label: Any,
) -> Chart:
    most = max(counts.values(), default=0)
    bars = [
        Bar(
            label=label(group, key),
            value=value,
            y=index * _ROW,
            width=round(_BAR_ROOM * value / most) if most else 0,
        )
        for index, (key, value) in enumerate(counts.items())
    ]
    return Chart(chart_id, title, bars, max(len(bars), 1) * _ROW, sum(counts.values()))
