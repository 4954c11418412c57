"""Every route of the app, against every kind of caller: who gets 401, who gets 403, who gets in."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from chalice import Chalice, Response
from chalice.test import Client
from chalice.utils import to_cfn_resource_name

from app import app
from chalicelib.adapters.identity import StaffGroup
from chalicelib.api import access
from chalicelib.api.access import ROUTE_GROUPS
from chalicelib.api.auth import UNAUTHORIZED, staff, staff_of
from tests.conftest import (
    PNG,
    access_claims,
    foreign_pool_token,
    mint_token,
    post_json,
    report,
    sign_in,
    sign_in_member,
    stranger_jwk,
    upload,
)
from tests.localstack import RunningStack
from tools.provision import DEFAULT_TEMPLATE, FUNCTION_LOGICAL_ID, LocalStack

ROUTES: list[tuple[str, str]] = sorted(
    (method, path) for path, methods in app.routes.items() for method in methods
)
PROTECTED = [route for route in ROUTES if route in ROUTE_GROUPS]
PUBLIC = [route for route in ROUTES if route not in ROUTE_GROUPS]
MADE_UP_ID = "01JDX3F6Y2P4Q8R9S0T1V2W3XZ"
METHOD_ARN = "arn:aws:execute-api:us-east-1:123456789012:abcdef1234/api/GET/v1/cases"
RESOURCES: dict[str, Any] = yaml.safe_load(DEFAULT_TEMPLATE.read_text())["Resources"]
STAFF_ROLES = {
    "reviewer": StaffGroup.REVIEWERS,
    "auditor": StaffGroup.AUDITORS,
    "admin": StaffGroup.ADMINS,
}


def receipt_token(client: Client) -> str:
    """Submit a report as a claimant and return its receipt token."""
    submitted = post_json(client, "/v1/reports", report([upload(client, PNG)]))
    assert submitted.status_code == 201, submitted.body
    return str(submitted.json_body["receipt_token"])


# Each caller with no valid staff sign-in, as the Authorization header it sends (None: none).
NOT_SIGNED_IN: dict[str, Callable[[LocalStack, Client], str | None]] = {
    "no token": lambda stack, client: None,
    "a malformed token": lambda stack, client: "Bearer not.a-jwt",
    "a forged signature": lambda stack, client: (
        f"Bearer {mint_token(access_claims(stack), stranger_jwk())}"
    ),
    "an expired token": lambda stack, client: (
        "Bearer "
        + mint_token(access_claims(stack, iat=int(time.time()) - 7200, exp=int(time.time()) - 3600))
    ),
    "a token of another pool": lambda stack, client: f"Bearer {foreign_pool_token()}",
    "a claimant's receipt token": lambda stack, client: f"Bearer {receipt_token(client)}",
}


def concrete(path: str) -> str:
    """Return a request path for a route, with a made-up value for each path parameter."""
    return re.sub(r"\{[^}]+\}", MADE_UP_ID, path)


def statuses(
    client: Client, routes: list[tuple[str, str]], authorization: str | None
) -> dict[tuple[str, str], int]:
    """Call each route with the Authorization header (and no body); return the statuses."""
    headers = {"Authorization": authorization} if authorization else {}
    return {
        (method, path): client.http.request(method, concrete(path), headers=headers).status_code
        for method, path in routes
    }


def test_the_reviewer_routes_are_for_reviewers_only() -> None:
    assert {
        route: groups
        for route, groups in ROUTE_GROUPS.items()
        if route[1].startswith(("/v1/cases", "/v1/decision-"))
    } == {
        ("GET", "/v1/cases"): {StaffGroup.REVIEWERS},
        ("GET", "/v1/cases/counts"): {StaffGroup.REVIEWERS},
        ("POST", "/v1/cases/{case_id}/claim"): {StaffGroup.REVIEWERS},
        ("DELETE", "/v1/cases/{case_id}/claim"): {StaffGroup.REVIEWERS},
        ("GET", "/v1/cases/{case_id}"): {StaffGroup.REVIEWERS},
        ("POST", "/v1/cases/{case_id}/decisions"): {StaffGroup.REVIEWERS},
        ("POST", "/v1/cases/{case_id}/decision-preview"): {StaffGroup.REVIEWERS},
        ("GET", "/v1/decision-rules"): {StaffGroup.REVIEWERS},
        ("POST", "/v1/cases/{case_id}/reposting-decision"): {StaffGroup.REVIEWERS},
        ("POST", "/v1/cases/{case_id}/appeal-decisions"): {StaffGroup.REVIEWERS},
        ("POST", "/v1/cases/{case_id}/notes"): {StaffGroup.REVIEWERS},
    }


def test_the_staff_list_is_for_every_staff_group_and_sign_out_for_admins_only() -> None:
    assert ROUTE_GROUPS[("GET", "/v1/staff")] == {
        StaffGroup.REVIEWERS,
        StaffGroup.AUDITORS,
        StaffGroup.ADMINS,
    }
    assert ROUTE_GROUPS[("POST", "/v1/admin/staff/{username}/sign-out")] == {StaffGroup.ADMINS}


def test_every_entry_of_the_access_table_is_a_route_of_the_app() -> None:
    assert [route for route in ROUTE_GROUPS if route not in ROUTES] == []


def test_exactly_the_routes_in_the_access_table_have_the_staff_authorizer() -> None:
    guarded = {
        (method, path): entry.authorizer
        for path, methods in app.routes.items()
        for method, entry in methods.items()
    }

    assert {route for route, authorizer in guarded.items() if authorizer is not None} == set(
        PROTECTED
    )
    assert all(guarded[route] is staff for route in PROTECTED)


@pytest.mark.parametrize("caller", NOT_SIGNED_IN.keys())
def test_without_a_valid_staff_token_protected_routes_are_401_and_public_routes_open(
    client: Client, aws: LocalStack, caller: str
) -> None:
    authorization = NOT_SIGNED_IN[caller](aws, client)

    seen = statuses(client, ROUTES, authorization)

    assert {route: seen[route] for route in PROTECTED} == dict.fromkeys(PROTECTED, 401)
    assert {
        route: status for route, status in seen.items() if route in PUBLIC and status in (401, 403)
    } == {}


@pytest.mark.parametrize("role", STAFF_ROLES.keys())
def test_a_staff_token_opens_exactly_the_routes_of_its_group(
    client: Client, aws: LocalStack, role: str
) -> None:
    group = STAFF_ROLES[role]

    seen = statuses(client, ROUTES, f"Bearer {sign_in(aws, role)}")

    denied = {route for route in PROTECTED if group not in ROUTE_GROUPS[route]}
    assert {route for route in PROTECTED if seen[route] == 403} == denied
    assert {
        route: seen[route] for route in ROUTES if route not in denied and seen[route] in (401, 403)
    } == {}


def test_a_signed_in_member_of_no_staff_group_gets_403_on_every_protected_route(
    client: Client, aws: LocalStack
) -> None:
    token = sign_in_member(aws, "volunteer", ["volunteers"])

    seen = statuses(client, PROTECTED, f"Bearer {token}")

    assert seen == dict.fromkeys(PROTECTED, 403)


def test_a_policy_lists_every_route_of_the_groups_so_the_gateways_cache_stays_right(
    aws: LocalStack,
) -> None:
    event = {
        "type": "TOKEN",
        "authorizationToken": f"Bearer {sign_in(aws, 'reviewer')}",
        "methodArn": METHOD_ARN,
    }

    policy = staff(event, {})

    base = "arn:aws:execute-api:us-east-1:123456789012:abcdef1234/api"
    (statement,) = policy["policyDocument"]["Statement"]
    assert statement["Effect"] == "Allow"
    assert sorted(statement["Resource"]) == sorted(
        f"{base}/{method}{re.sub(r'{[^}]+}', '*', path)}"
        for (method, path), groups in ROUTE_GROUPS.items()
        if StaffGroup.REVIEWERS in groups
    )
    assert policy["context"] == {"username": "demo-reviewer", "groups": "reviewers"}


def test_a_member_of_no_staff_group_gets_a_policy_that_denies_the_whole_api(
    aws: LocalStack,
) -> None:
    token = sign_in_member(aws, "newcomer", [])
    event = {"type": "TOKEN", "authorizationToken": f"Bearer {token}", "methodArn": METHOD_ARN}

    (statement,) = staff(event, {})["policyDocument"]["Statement"]

    assert statement["Effect"] == "Deny"
    assert statement["Resource"] == ["arn:aws:execute-api:us-east-1:123456789012:abcdef1234/api/*"]


@pytest.mark.parametrize("header", ["", "Bearer", "Basic ZGVtbzpkZW1v", "Bearer not-a-jwt"])
def test_api_gateway_hears_unauthorized_from_the_authorizer(aws: LocalStack, header: str) -> None:
    event = {"type": "TOKEN", "authorizationToken": header, "methodArn": METHOD_ARN}

    with pytest.raises(Exception) as refused:
        staff(event, {})

    # A TOKEN authorizer signals 401 to API Gateway by failing with exactly this message.
    assert str(refused.value) == UNAUTHORIZED == "Unauthorized"


def test_no_route_policy_opens_another_protected_route_to_a_group_it_does_not_allow() -> None:
    # A policy names routes with * for each path parameter, and * also matches "/": the pattern of
    # GET /v1/cases/{case_id} matches GET /v1/cases/x/anything too.
    def matches(pattern_route: tuple[str, str], route: tuple[str, str]) -> bool:
        method, path = pattern_route
        pattern = re.escape(re.sub(r"\{[^}]+\}", "*", path)).replace(r"\*", ".*")
        return method == route[0] and re.fullmatch(pattern, concrete(route[1])) is not None

    opened_too_wide = [
        (route, other)
        for route, groups in ROUTE_GROUPS.items()
        for other in PROTECTED
        if other != route and matches(route, other) and not groups <= ROUTE_GROUPS[other]
    ]

    assert opened_too_wide == []


def test_a_view_reads_who_the_authorizer_let_through(
    aws: LocalStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(access.ROUTE_GROUPS, ("GET", "/whoami"), frozenset({StaffGroup.AUDITORS}))
    probe = Chalice(app_name="whoami")

    @probe.route("/whoami", methods=["GET"], authorizer=staff)
    def whoami() -> Response:
        request = probe.current_request
        assert request is not None
        member = staff_of(request)
        groups = sorted(member.groups)
        return Response({"subject": member.subject, "username": member.username, "groups": groups})

    with Client(probe) as probe_client:
        answer = probe_client.http.get(
            "/whoami", headers={"Authorization": f"Bearer {sign_in(aws, 'auditor')}"}
        )

    assert answer.status_code == 200
    assert answer.json_body["username"] == "demo-auditor"
    assert answer.json_body["groups"] == ["auditors"]
    assert answer.json_body["subject"]


def test_the_authorizer_function_is_deployed_with_the_settings_of_the_api_function() -> None:
    variables = RESOURCES[FUNCTION_LOGICAL_ID]["Properties"]["Environment"]["Variables"]
    authorizers = [to_cfn_resource_name(auth.name) for auth in app.builtin_auth_handlers]

    generated = {to_cfn_resource_name(source.name) for source in app.event_sources} | {
        to_cfn_resource_name(function.name) for function in app.pure_lambda_functions
    }

    assert authorizers == ["StaffAuthorizer"]
    for logical_id in authorizers:
        assert RESOURCES[logical_id]["Properties"]["Environment"]["Variables"] == variables
    # cfn-lint is told to accept resources without a Type; each must be one Chalice generates
    # (a function's role is named after the function: chalice/deploy/appgraph.py).
    # Without generated policies every function has a role of its own, the API's included.
    functions = ["api_handler", *(auth.name for auth in app.builtin_auth_handlers)]
    roles = {to_cfn_resource_name(f"{name}_role") for name in functions}
    untyped = {logical_id for logical_id, body in RESOURCES.items() if "Type" not in body}
    assert untyped - {FUNCTION_LOGICAL_ID, "RestAPI", *authorizers, *roles} <= generated


def test_the_api_answers_401_and_403_with_problem_details() -> None:
    responses = RESOURCES["RestAPI"]["Properties"]["DefinitionBody"][
        "x-amazon-apigateway-gateway-responses"
    ]

    for kind, status in (("UNAUTHORIZED", 401), ("ACCESS_DENIED", 403)):
        assert responses[kind]["statusCode"] == str(status)
        (body,) = responses[kind]["responseTemplates"].values()
        assert list(responses[kind]["responseTemplates"]) == ["application/problem+json"]
        assert json.loads(body)["status"] == status
    # However API Gateway files a failed authorizer function, the caller is told the same.
    failed = [responses[kind] for kind in ("AUTHORIZER_FAILURE", "AUTHORIZER_CONFIGURATION_ERROR")]
    assert {r["statusCode"] for r in failed} == {"500"}
    details = [
        json.loads(body)["detail"] for r in failed for body in r["responseTemplates"].values()
    ]
    assert len(set(details)) == 1 and "could not be checked" in details[0]


def token_tool(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m tools.token` with `args`."""
    return subprocess.run(
        [sys.executable, "-m", "tools.token", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_token_tool_says_when_no_stack_runs(tmp_path: Path) -> None:
    result = token_tool("--role", "reviewer", "--state-file", str(tmp_path / "stack.json"))

    assert result.returncode == 1
    assert result.stdout == ""
    assert "make run" in result.stderr


@pytest.mark.e2e
def test_over_http_a_reviewers_token_opens_the_queue_and_an_auditors_does_not(
    local_stack: RunningStack,
) -> None:
    def bearer(role: str) -> dict[str, str]:
        issued = token_tool("--role", role, "--state-file", str(local_stack.state_file))
        assert issued.returncode == 0, issued.stderr
        (token,) = issued.stdout.split()
        return {"Authorization": f"Bearer {token}"}

    queue = local_stack.url("/v1/cases")

    reviewer = requests.get(queue, headers=bearer("reviewer"), timeout=10)
    auditor = requests.get(queue, headers=bearer("auditor"), timeout=10)
    nobody = requests.get(queue, timeout=10)
    forged = requests.get(queue, headers={"Authorization": "Bearer not-a-jwt"}, timeout=10)

    assert reviewer.status_code == 200, reviewer.text
    assert auditor.status_code == 403
    assert nobody.status_code == 401
    assert forged.status_code == 401
    unknown = token_tool("--role", "janitor", "--state-file", str(local_stack.state_file))
    assert (unknown.returncode, unknown.stdout) == (1, "")
    assert "unknown role 'janitor'" in unknown.stderr
