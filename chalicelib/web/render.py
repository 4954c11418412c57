"""The pages' templates and assets: HTML rendered for a reader, scripts and styles versioned."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from .reader import dated

if TYPE_CHECKING:
    from jinja2 import Environment

    from .reader import Reader

WEB_DIR = Path(__file__).resolve().parent
JAVASCRIPT = "text/javascript; charset=utf-8"
ASSET_TYPES = {
    "forms.js": JAVASCRIPT,
    "form.js": JAVASCRIPT,
    "status.js": JAVASCRIPT,
    "notice.js": JAVASCRIPT,
    "console.js": JAVASCRIPT,
    "console.css": "text/css; charset=utf-8",
    "site.css": "text/css; charset=utf-8",
}


@dataclass(frozen=True)
class Asset:
    """A stylesheet or script of the pages, with a version taken from its content."""

    body: str
    version: str
    content_type: str


@cache
def asset(name: str) -> Asset:
    """Return one of the pages' assets (a name of ASSET_TYPES)."""
    body = (WEB_DIR / "assets" / name).read_text(encoding="utf-8")
    version = hashlib.sha256(body.encode()).hexdigest()[:16]
    return Asset(body=body, version=version, content_type=ASSET_TYPES[name])


def render(
    template: str,
    reader: Reader,
    *,
    switch_path: str,
    switch_query: Mapping[str, str] | None = None,
    **context: Any,
) -> str:
    """Return a page as HTML for `reader`, its language switch pointing at `switch_path`."""
    base = reader.base
    kept = f"{urlencode(switch_query)}&" if switch_query else ""
    return (
        templates()
        .get_template(template)
        .render(
            lang=reader.lang,
            t=reader.texts,
            base=base,
            switch_prefix=f"{base}{switch_path}?{kept}",
            asset_url=lambda name: f"{base}/assets/{name}?v={asset(name).version}",
            new_idempotency_key=lambda: secrets.token_urlsafe(24),
            **context,
        )
    )


def fragment(template: str, reader: Reader, **context: Any) -> str:
    """Return a part of a page (a template that extends none) as HTML for `reader`."""
    return (
        templates()
        .get_template(template)
        .render(lang=reader.lang, t=reader.texts, base=reader.base, **context)
        .strip()
    )


MAIN_OPENS = '<main id="main" class="wrap" tabindex="-1">'


def main_section(page: str) -> str:
    """Return what a page shows in its <main id="main"> element, less the element's own tags."""
    start = page.index(MAIN_OPENS) + len(MAIN_OPENS)
    return page[start : page.rindex("</main>")].strip()


@cache
def templates() -> Environment:
    """Return the templates, loaded once, escaping everything they are given."""
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(WEB_DIR / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.globals["dated"] = dated
    return environment
