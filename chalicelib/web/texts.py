"""The words of the pages and mails, read from one data file per language, with the policy's
numbers filled in from the domain.

`texts/<lang>.json` holds every text of one language; both files have the same keys. A text
names what it is filled with in braces: the policy's numbers (`POLICY_VALUES`) are filled
here, once per process; the others (`{date}`, `{min}`, `{n}`...) by the page, the mail or
the script that shows them. Where English words a count in two ways, the text is an object
`{"plural": "<placeholder>", "one": ..., "other": ...}` (CLDR categories); one whose count
is a policy number is settled here, one counted later (`{n}`) is left for the page's script.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any, Final

LANGS: Final = ("ko", "en")
FOLDER: Final = Path(__file__).with_name("texts")
PLACEHOLDER: Final = re.compile(r"\{(\w+)\}")
PLURAL: Final = "plural"
PLURAL_FORMS: Final = frozenset({"zero", "one", "two", "few", "many", "other"})


def _hours(window: timedelta) -> int:
    return int(window.total_seconds() // 3600)


def policy_values() -> dict[str, int]:
    """Return the policy's numbers that the texts state, as the domain has them now."""
    from ..domain import decisions, evidence, limits, remedies, reports, sessions

    return {
        "block_days": decisions.MAX_BLOCK_DAYS,
        "appeal_days": remedies.APPEAL_WINDOW.days,
        "statement_max": reports.STATEMENT_MAX,
        "max_files": evidence.MAX_EVIDENCE_FILES,
        "max_mb": evidence.MAX_EVIDENCE_BYTES // (1024 * 1024),
        "reports_window_hours": _hours(limits.WINDOWS[limits.LimitKind.REPORTS]),
        "uploads_window_hours": _hours(limits.WINDOWS[limits.LimitKind.UPLOADS]),
        "recovery_minutes": int(sessions.RECOVERY_LINK_LIFETIME.total_seconds() // 60),
        "session_days": sessions.SESSION_LIFETIME.days,
    }


def read(lang: str) -> dict[str, Any]:
    """Return the texts of `lang` as its data file holds them, placeholders unfilled."""
    with (FOLDER / f"{lang}.json").open(encoding="utf-8") as file:
        texts: dict[str, Any] = json.load(file)
    return texts


def is_plural(node: Any) -> bool:
    """Tell whether a node of the texts is one text in several plural forms."""
    return isinstance(node, dict) and PLURAL in node


def plural_form(lang: str, count: int) -> str:
    """Return the CLDR plural category of `count` in `lang` (Korean has only `other`)."""
    return "one" if lang == "en" and count == 1 else "other"


def counted(node: Any, lang: str, values: Mapping[str, Any]) -> str:
    """Return a text filled with `values`, in the plural form its count takes in `lang`."""
    if is_plural(node):
        count = values.get(node[PLURAL])
        form = plural_form(lang, count) if isinstance(count, int) else "other"
        node = node.get(form, node["other"])
    return fill(str(node), dict(values))


def fill(text: str, values: dict[str, Any]) -> str:
    """Return `text` with the placeholders `values` names filled, the others as they are."""
    return PLACEHOLDER.sub(lambda m: str(values[m[1]]) if m[1] in values else m[0], text)


def _filled(node: Any, lang: str, values: dict[str, Any]) -> Any:
    if isinstance(node, str):
        return fill(node, values)
    if isinstance(node, list):
        return [_filled(item, lang, values) for item in node]
    if is_plural(node):
        counted = node[PLURAL]
        forms = {form: fill(text, values) for form, text in node.items() if form != PLURAL}
        if counted in values:
            return forms.get(plural_form(lang, values[counted]), forms["other"])
        return {PLURAL: counted, **forms}
    if isinstance(node, dict):
        return {key: _filled(value, lang, values) for key, value in node.items()}
    return node


def filled(node: Any, lang: str, values: dict[str, Any]) -> Any:
    """Return a text (or a tree of texts) with `values` filled, a plural settled by its count."""
    return _filled(node, lang, values)


def compose(lang: str) -> dict[str, Any]:
    """Return the texts of `lang` with the policy's numbers, as the domain has them now, filled."""
    return dict(_filled(read(lang), lang, policy_values()))


TEXTS: Final[dict[str, dict[str, Any]]] = {lang: compose(lang) for lang in LANGS}
