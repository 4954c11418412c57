"""The staff console's page: one HTML shell with its words and where to sign in; the script does
the rest against the JSON API, so the API decides what each member may see and do."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from . import render
from .texts import FOLDER, LANGS, TEXTS

# The names the console shares with the public pages (one home for each): what a surface, a
# ground, a status, a relationship and a requested action are called.
SHARED_NAMES = ("surfaces", "grounds", "statuses", "relationships", "actions")


@dataclass(frozen=True)
class ConsoleConfig:
    """Where the console's script signs staff in and sends its requests."""

    base: str
    sign_in_url: str
    client_id: str


@cache
def console_texts(lang: str) -> dict[str, Any]:
    """Return the console's words in `lang`: its own, and the names it shares with the pages."""
    with (FOLDER / f"console.{lang}.json").open(encoding="utf-8") as file:
        own: dict[str, Any] = json.load(file)
    shared = {name: _labels(TEXTS[lang][name]) for name in SHARED_NAMES}
    return {**own, "names": shared}


def _labels(node: Mapping[str, Any]) -> dict[str, str]:
    return {key: str(value["label"]) for key, value in node.items()}


def console_page(lang: str, config: ConsoleConfig) -> str:
    """Return the console's HTML shell in `lang`."""
    if lang not in LANGS:
        raise ValueError(f"no console texts in {lang!r}")
    texts = console_texts(lang)
    setup = {
        "lang": lang,
        "base": config.base,
        "signInUrl": config.sign_in_url,
        "clientId": config.client_id,
    }
    return (
        render.templates()
        .get_template("console.html")
        .render(
            lang=lang,
            t=texts,
            base=config.base,
            # Data blocks, not scripts: the CSP lets only the console's own file run. `<` is
            # escaped so no text can close the block.
            texts_json=_data(texts),
            setup_json=_data(setup),
            asset_url=lambda name: f"{config.base}/assets/{name}?v={render.asset(name).version}",
        )
    )


def _data(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")
