"""A decision's preview: its part of the claimant's status page and of the poster's notice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import measures, render
from .notice import notice_page

if TYPE_CHECKING:
    from ..domain.case import ClaimantView
    from ..domain.notice import PosterNotice
    from .reader import Reader


def claimant_decision(view: ClaimantView, reader: Reader) -> str:
    """Return the newest decision as the status page shows it: its <li class="card decision">."""
    shown = measures.decision(view.decisions[-1], reader)
    return render.fragment("_status_decision.html", reader, decision=shown)


def poster_notice_main(notice: PosterNotice, reader: Reader) -> str:
    """Return what the notice page shows in its <main id="main"> element (its forms unsigned)."""
    page = render.render(
        "notice.html",
        reader,
        switch_path=f"/notices/{notice.case_id}",
        **notice_page(notice, reader, notice_token=""),
    )
    return render.main_section(page)
