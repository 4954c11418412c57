"""Who reads a page or a mail: their language and words, and how moments and sizes read to them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from markupsafe import Markup

# Every moment is shown in Korea's time, in both languages, with the zone named (the texts'
# date_format names it). Korea keeps no summer time: one offset all year, which the scripts use.
ZONE_NAME = "Asia/Seoul"
LANGS = ("ko", "en")
DEFAULT_LANG = "ko"


@cache
def zone() -> ZoneInfo:
    """Return the zone every moment is shown in."""
    return ZoneInfo(ZONE_NAME)


def utc_offset_hours() -> int:
    """Return the zone's offset from UTC in hours, for the scripts that format moments."""
    offset = zone().utcoffset(datetime(2026, 1, 1))
    return (offset or timedelta(0)) // timedelta(hours=1)


def negotiate_lang(asked: str | None, accept_language: str | None) -> str:
    """Return the page language: the one asked for, else the browser's preference, else ko."""
    if asked in LANGS:
        return asked
    best, best_quality = DEFAULT_LANG, 0.0
    for part in (accept_language or "").split(","):
        tag, *params = (piece.strip() for piece in part.split(";"))
        primary = tag.lower().split("-")[0]
        if primary not in LANGS:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > best_quality:
            best, best_quality = primary, quality
    return best


def words(lang: str) -> Mapping[str, Any]:
    """Return the page and mail words of `lang`."""
    from .texts import TEXTS

    return TEXTS[lang]


@dataclass(frozen=True)
class Reader:
    """The reader of a page: their language, its words, and the path before every address."""

    lang: str
    texts: Mapping[str, Any]
    base: str = ""

    @classmethod
    def of(cls, lang: str, base: str = "") -> Reader:
        """Return the reader of `lang`, whose addresses start with `base`."""
        return cls(lang, words(lang), base)

    def moment(self, iso_text: str) -> dict[str, str]:
        """Return a timestamp for a <time> element: machine-readable, and in the reader's words."""
        return {"iso": iso_text, "text": moment_text(iso_text, self.texts)}

    def day_ending(self, iso_text: str) -> dict[str, str]:
        """Return the day in Korea that ends at a deadline of 24:00 there: its date, in words."""
        from ..domain.clock import parse_iso

        day = (parse_iso(iso_text) - timedelta(milliseconds=1)).astimezone(zone()).date()
        texts = self.texts
        text = texts["status_view_day_format"].format(
            year=day.year, month_name=texts["month_names"][day.month - 1], day=day.day
        )
        return {"iso": day.isoformat(), "text": str(text)}

    def say(self, text: str, iso_text: str | None) -> Markup:
        """Return `text` escaped, with its {date} as a <time> element when there is a moment."""
        from markupsafe import escape

        return dated(text, self.moment(iso_text)) if iso_text else escape(text)

    def size(self, size: int) -> str:
        """Return a file's size in the reader's units."""
        from .texts import counted

        units = self.texts["size_units"]
        if size < 1024:
            return counted(units[0], self.lang, {"n": size})
        if size < 1024 * 1024:
            return counted(units[1], self.lang, {"n": f"{size / 1024:.0f}"})
        return counted(units[2], self.lang, {"n": f"{size / (1024 * 1024):.1f}"})


def moment_text(iso_text: str, texts: Mapping[str, Any]) -> str:
    """Return a stored UTC moment as the reader reads it: in Korea's time, the zone named."""
    from ..domain.clock import parse_iso

    try:
        moment = parse_iso(iso_text)
    except ValueError:
        return iso_text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(zone())
    return str(
        texts["date_format"].format(
            year=local.year,
            month_name=texts["month_names"][local.month - 1],
            day=local.day,
            hh=f"{local.hour:02d}",
            mm=f"{local.minute:02d}",
        )
    )


def dated(text: str, moment: Mapping[str, str]) -> Markup:
    """Return `text` with its {date} as a <time> element, and everything else escaped."""
    from markupsafe import Markup, escape

    time = Markup('<time datetime="{}">{}</time>').format(moment["iso"], moment["text"])
    return escape(text).replace("{date}", time)
