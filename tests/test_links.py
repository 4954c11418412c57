"""Every link the service sends out is absolute and built from its configured public address,
never from the Host header of the request that caused it."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import yaml
from chalice.test import Client
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from chalicelib import wiring
from chalicelib.config import settings
from chalicelib.services.timers import Timers
from chalicelib.wiring import build
from tests.conftest import PNG, deliver_effects, post_json, report, sign_in, upload
from tests.review_helpers import decision, enforcement_messages
from tools.provision import PROJECT_DIR, LocalStack

PUBLIC = "https://reports.example.test/api"
HOSTILE = {"Host": "attacker.example", "X-Forwarded-Host": "attacker.example"}
LINK = "https?://[^\\s\"'<>]+"


@pytest.fixture
def public_client(client: Client, monkeypatch: pytest.MonkeyPatch) -> Iterator[Client]:
    monkeypatch.setenv("PUBLIC_BASE_URL", PUBLIC)
    settings.cache_clear()
    wiring.reset()
    yield client
    settings.cache_clear()
    wiring.reset()


def links_in(text: str) -> list[str]:
    return re.findall(LINK, text)


def mail_texts() -> list[str]:
    deliver_effects()
    sent = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages
    return [str(m.body) for m in sent]


def file_report(client: Client) -> dict[str, Any]:
    body = report([upload(client, PNG)])
    answer = post_json(client, "/v1/reports", body, HOSTILE)
    assert answer.status_code == 201, answer.body
    receipt: dict[str, Any] = answer.json_body
    return receipt


def test_the_receipt_and_its_mail_link_to_the_configured_address(public_client: Client) -> None:
    body = report([upload(public_client, PNG)])
    answer = post_json(public_client, "/v1/reports", body, HOSTILE)
    assert answer.headers["Location"] == f"{PUBLIC}/v1/reports/{answer.json_body['case_id']}"
    [mail] = mail_texts()
    links = links_in(mail)
    assert links and all(link.startswith(f"{PUBLIC}/") for link in links), links
    assert "attacker.example" not in mail


def test_decision_mail_and_messages_link_to_the_configured_address(
    public_client: Client, aws: LocalStack
) -> None:
    case_id = file_report(public_client)["case_id"]
    staff = {"Authorization": f"Bearer {sign_in(aws, 'reviewer')}", **HOSTILE}
    body = decision(1, {"type": "block_content", "days": 1})
    decided = post_json(public_client, f"/v1/cases/{case_id}/decisions", body, staff)
    assert decided.status_code == 201, decided.body
    [message] = enforcement_messages()
    assert message["notice_url"].startswith(f"{PUBLIC}/notices/{case_id}?token=")
    mails = mail_texts()
    assert len(mails) == 2 and "attacker.example" not in "".join(mails)
    assert all(link.startswith(f"{PUBLIC}/") for link in links_in(mails[1]))


def test_the_timers_messages_carry_absolute_links(public_client: Client, aws: LocalStack) -> None:
    case_id = file_report(public_client)["case_id"]
    staff = {"Authorization": f"Bearer {sign_in(aws, 'reviewer')}"}
    body = decision(1, {"type": "block_content", "days": 1})
    post_json(public_client, f"/v1/cases/{case_id}/decisions", body, staff)
    enforcement_messages()  # the decision's own message
    wiring.use(build(Timers, clock=lambda: datetime.now(UTC) + timedelta(days=2)))
    public_client.lambda_.invoke(
        "run_timers",
        public_client.events.generate_cw_event(
            source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]
        ),
    )
    [ended] = enforcement_messages()
    assert ended["notice_url"].split("?")[0] == f"{PUBLIC}/notices/{case_id}", ended


def test_pages_link_under_the_configured_path_whatever_the_host(public_client: Client) -> None:
    page = public_client.http.get("/?lang=en", headers=HOSTILE)
    assert page.status_code == 200
    text = page.body.decode()
    assert "attacker.example" not in text
    actions = [urllib.parse.unquote(a) for a in re.findall(r'(?:href|action)="([^"]+)"', text)]
    local = [a for a in actions if a.startswith("/")]
    assert local and all(a.startswith("/api/") for a in local), local


@pytest.mark.parametrize(
    "configured", [None, "", "reports.example.test", "/api", "https://x.test/?a=1", "ftp://x.test"]
)
def test_the_service_refuses_to_start_without_an_absolute_public_address(
    aws: LocalStack, monkeypatch: pytest.MonkeyPatch, configured: str | None
) -> None:
    if configured is None:
        monkeypatch.delenv("PUBLIC_BASE_URL")
    else:
        monkeypatch.setenv("PUBLIC_BASE_URL", configured)
    settings.cache_clear()
    with pytest.raises((KeyError, ValueError)):
        settings()
    settings.cache_clear()


def test_the_template_requires_the_public_address_and_gives_it_to_every_function() -> None:
    template = yaml.safe_load((PROJECT_DIR / "infra" / "template.yaml").read_text())
    parameter = template["Parameters"]["PublicBaseUrl"]
    assert "Default" not in parameter
    functions = ["APIHandler", "RunTimers", "SealCheckpoints", "RelayOutbox", "SweepOutbox"]
    for name in functions:
        variables = template["Resources"][name]["Properties"]["Environment"]["Variables"]
        assert variables["PUBLIC_BASE_URL"] == {"Ref": "PublicBaseUrl"}, name
