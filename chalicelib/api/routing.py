"""The one error seam: every route is registered through `routes`, which wraps its view in the
seam that turns whatever it raises into an answer (problem details for the JSON API, an error page
for the pages), so no route can be registered without one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from chalice import Blueprint

V = TypeVar("V", bound=Callable[..., Any])
Seam = Callable[[Callable[..., Any]], Callable[..., Any]]

SEAM_ATTRIBUTE = "__error_seam__"


def routes(bp: Blueprint, seam: Seam) -> Callable[..., Callable[[V], V]]:
    """Return `bp.route` whose views are registered inside `seam` (or the route's own `seam=`)."""

    def route(path: str, *, seam: Seam = seam, **options: Any) -> Callable[[V], V]:
        def register(view: V) -> V:
            seamed = seam(view)
            if not hasattr(seamed, SEAM_ATTRIBUTE):
                raise TypeError(f"{seam!r} does not mark its views as an error seam")
            bp.route(path, **options)(seamed)
            return seamed  # type: ignore[return-value]

        return register

    return route


def mark(view: V, kind: str) -> V:
    """Mark `view` as wrapped by the error seam of `kind` ("problem" or "page")."""
    setattr(view, SEAM_ATTRIBUTE, kind)
    return view


def seam_of(view: Callable[..., Any]) -> str | None:
    """Return the kind of error seam `view` is wrapped in, or None."""
    kind = getattr(view, SEAM_ATTRIBUTE, None)
    return kind if isinstance(kind, str) else None
