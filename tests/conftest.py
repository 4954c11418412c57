"""Fixtures: a fresh in-process AWS (moto) with every resource of the template, and the app."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from chalice.test import Client
from moto import mock_aws

from chalicelib import wiring
from chalicelib.adapters.aws import reset_clients
from chalicelib.api import pages
from chalicelib.config import settings
from tests.localstack import RunningStack, running_stack
from tools.provision import LOCAL_PARAMETERS, LocalStack, provision

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff"
    b"\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _forget_built_clients() -> None:
    reset_clients()
    settings.cache_clear()
    wiring.reset()
    pages.reset()


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalStack]:
    """Start an empty in-process AWS, create the template's resources, point the app at them."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_ACCOUNT_ID_ENDPOINT_MODE", "disabled")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    with mock_aws():
        _forget_built_clients()
        stack = provision(parameters=LOCAL_PARAMETERS)
        for name, value in stack.environment.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("POLICY_VERSION", "test-policy")
        _forget_built_clients()
        yield stack
        _forget_built_clients()


@pytest.fixture
def client(aws: LocalStack) -> Iterator[Client]:
    """Return a test client of the app, on the in-process AWS."""
    from app import app

    with Client(app) as test_client:
        yield test_client


def post_json(client: Client, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
    """POST `body` as JSON and return the response."""
    return client.http.post(
        path,
        headers={"Content-Type": "application/json", **(headers or {})},
        body=json.dumps(body),
    )


def upload(
    client: Client,
    content: bytes,
    content_type: str = "image/png",
    filename: str = "screenshot.png",
    declared_size: int | None = None,
) -> str:
    """Ask for an upload, put `content` where the browser would, and return the upload id."""
    response = post_json(
        client,
        "/v1/uploads",
        {
            "filename": filename,
            "content_type": content_type,
            "size": declared_size or max(len(content), 1),
        },
    )
    assert response.status_code == 201, response.body
    grant = response.json_body
    put_staged(grant["fields"]["key"], content, content_type)
    return str(grant["upload_id"])


def header(response: Any, name: str) -> str | None:
    """Return a response header by its case-insensitive name."""
    return next((v for k, v in response.headers.items() if k.lower() == name.lower()), None)


def put_staged(key: str, content: bytes, content_type: str) -> None:
    """Store `content` in the uploads bucket as a presigned POST would."""
    boto3.client("s3").upload_fileobj(
        io.BytesIO(content),
        settings().uploads_bucket,
        key,
        ExtraArgs={"ContentType": content_type},
    )


def report(evidence: list[str], /, **changes: Any) -> dict[str, Any]:
    """Return a valid report attaching `evidence`, with `changes` applied."""
    body: dict[str, Any] = {
        "claimant": {
            "name": "김민지",
            "email": "minji@example.com",
            "phone": "+82 10-1234-5678",
            "relationship": "self",
        },
        "target": {
            "surface": "open_chat_board",
            "url": "https://open.kakao.com/o/gABCDEF",
            "description": "The announcement board of the room",
        },
        "grounds": ["privacy", "portrait"],
        "requested_action": "block",
        "statement": "The announcement posts my home address and a photo of me without consent.",
        "evidence": evidence,
        "declaration": True,
        "lang": "ko",
    }
    body.update(changes)
    return body


@pytest.fixture(scope="session")
def local_stack() -> Iterator[RunningStack]:
    """Run the local stack of `make run` (moto's server and Chalice's server) for the session."""
    with running_stack() as stack:
        yield stack
