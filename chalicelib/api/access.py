"""Which staff groups may call which route: the one table the authorizer reads."""

from __future__ import annotations

from collections.abc import Iterable

from ..domain.staff import StaffGroup

REVIEWERS = frozenset({StaffGroup.REVIEWERS})
AUDITORS = frozenset({StaffGroup.AUDITORS})
ADMINS = frozenset({StaffGroup.ADMINS})
ANY_STAFF = frozenset({StaffGroup.REVIEWERS, StaffGroup.AUDITORS, StaffGroup.ADMINS})

# (method, path exactly as the route declares it) -> the groups that may call it. A route listed
# here must say authorizer=staff (auth.py); a route that is not listed is public.
ROUTE_GROUPS: dict[tuple[str, str], frozenset[StaffGroup]] = {
    ("GET", "/v1/cases"): REVIEWERS,
    ("GET", "/v1/cases/counts"): REVIEWERS,
    ("POST", "/v1/cases/{case_id}/claim"): REVIEWERS,
    ("DELETE", "/v1/cases/{case_id}/claim"): REVIEWERS,
    ("GET", "/v1/cases/{case_id}"): REVIEWERS,
    ("POST", "/v1/cases/{case_id}/decisions"): REVIEWERS,
    ("POST", "/v1/cases/{case_id}/decision-preview"): REVIEWERS,
    ("GET", "/v1/decision-rules"): REVIEWERS,
    ("POST", "/v1/cases/{case_id}/reposting-decision"): REVIEWERS,
    ("POST", "/v1/cases/{case_id}/appeal-decisions"): REVIEWERS,
    ("POST", "/v1/cases/{case_id}/notes"): REVIEWERS,
    ("POST", "/v1/claimants/suspensions"): REVIEWERS,
    ("POST", "/v1/claimants/suspensions/{case_id}/lift"): REVIEWERS,
    ("GET", "/v1/staff"): ANY_STAFF,
    ("POST", "/v1/admin/staff/{username}/sign-out"): ADMINS,
    ("GET", "/v1/audit/events"): AUDITORS,
    ("GET", "/v1/audit/verify"): AUDITORS,
    ("GET", "/v1/audit/checkpoints"): AUDITORS,
    ("GET", "/v1/audit/export"): AUDITORS,
    ("POST", "/v1/admin/cases/{case_id}/erasure"): ADMINS,
    ("GET", "/v1/admin/effects"): ADMINS,
    ("POST", "/v1/admin/effects/{case_id}/{effect_id}/replay"): ADMINS,
    ("GET", "/v1/audit/events/{event_id}/proof"): AUDITORS,
    ("GET", "/v1/transparency/statements"): AUDITORS,
}


def routes_open_to(groups: Iterable[StaffGroup]) -> list[tuple[str, str]]:
    """Return the (method, path) of every protected route that one of `groups` may call."""
    held = frozenset(groups)
    return [route for route, allowed in ROUTE_GROUPS.items() if allowed & held]
