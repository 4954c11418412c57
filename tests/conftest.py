"""Fixtures: a fresh in-process AWS (moto) with every resource of the template, and the app."""

from __future__ import annotations

import base64
import functools
import gzip
import io
import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any

import boto3
import pytest
from chalice.test import Client

from chalicelib import wiring
from chalicelib.adapters.aws import reset_clients
from chalicelib.adapters.identity import reset_verifiers
from chalicelib.adapters.staff_pool import reset_directory
from chalicelib.api import pages
from chalicelib.config import settings
from tests.localstack import RunningStack, running_stack
from tests.warm_aws import WarmAws
from tools.provision import GENEROUS_LIMITS, LOCAL_PARAMETERS, LocalStack
from tools.streams import StreamPump

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff"
    b"\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


_pumps: dict[str, StreamPump] = {}


def deliver_effects() -> int:
    """Run the outbox relay on every record new on the cases stream, as Lambda would."""
    from app import relay_outbox

    if "cases" not in _pumps:
        _pumps["cases"] = StreamPump(settings().cases_table, relay_outbox)
    return _pumps["cases"].pump()


def _forget_built_clients() -> None:
    _pumps.clear()
    reset_clients()
    reset_directory()
    reset_verifiers()
    settings.cache_clear()
    wiring.reset()
    pages.reset()


class JwksServer:
    """Publish signing keys over HTTP as a user pool does, and count the fetches."""

    def __init__(self) -> None:
        self.keys: list[dict[str, Any]] = []
        self.fetches = 0
        server = self
        self.reset()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.fetches += 1
                body = json.dumps({"keys": server.keys}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._http.server_port}/.well-known/jwks.json"
        threading.Thread(target=self._http.serve_forever, daemon=True).start()

    def reset(self) -> None:
        """Publish moto's signing key only, and forget the fetches."""
        self.keys = [moto_jwk("public")]
        self.fetches = 0

    def close(self) -> None:
        """Stop serving."""
        self._http.shutdown()
        self._http.server_close()


@functools.cache
def moto_jwk(kind: str) -> dict[str, Any]:
    """Return the RSA key that moto signs every pool's tokens with ("public" or "private")."""
    packed = resources.files("moto") / f"cognitoidp/resources/jwks-{kind}.json.gz"
    document: dict[str, Any] = json.loads(gzip.decompress(packed.read_bytes()))
    return document["keys"][0] if "keys" in document else document


def mint_token(
    claims: dict[str, Any],
    private_jwk: dict[str, Any] | None = None,
    header: dict[str, Any] | None = None,
) -> str:
    """Return an RS256 token of `claims` signed with moto's key (or `private_jwk`), kid "dummy"."""
    import jwt

    key = _private_key(json.dumps(private_jwk or moto_jwk("private"), sort_keys=True))
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "dummy", **(header or {})})


@functools.cache
def _private_key(jwk_json: str) -> Any:
    import jwt

    return jwt.PyJWK(json.loads(jwk_json), algorithm="RS256").key


def access_claims(stack: LocalStack, **changes: Any) -> dict[str, Any]:
    """Return the claims of a valid access token of the stack's demo reviewer, with `changes`."""
    now = int(time.time())
    pool_id = stack.environment["USER_POOL_ID"]
    claims: dict[str, Any] = {
        "iss": f"https://cognito-idp.{stack.region}.amazonaws.com/{pool_id}",
        "sub": "8f1b6c2e-0000-4000-8000-000000000001",
        "client_id": stack.environment["USER_POOL_CLIENT_ID"],
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin",
        "username": "demo-reviewer",
        "cognito:groups": ["reviewers"],
        "iat": now,
        "auth_time": now,
        "exp": now + 3600,
        "jti": "7d0c7d39-0000-4000-8000-000000000002",
    }
    claims.update(changes)
    return {name: value for name, value in claims.items() if value is not None}


def sign_in(stack: LocalStack, role: str, kind: str = "AccessToken") -> str:
    """Sign the stack's demo user of `role` in and return its token of `kind` (or IdToken)."""
    user = stack.demo_users[role]
    result = boto3.client("cognito-idp").admin_initiate_auth(
        UserPoolId=stack.environment["USER_POOL_ID"],
        ClientId=stack.environment["USER_POOL_CLIENT_ID"],
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": user["username"], "PASSWORD": user["password"]},
    )
    return str(result["AuthenticationResult"][kind])


def sign_in_member(stack: LocalStack, username: str, groups: list[str]) -> str:
    """Create a user of the stack's pool in `groups` (made if missing), sign in, return the
    access token."""
    cognito = boto3.client("cognito-idp")
    pool_id = stack.environment["USER_POOL_ID"]
    existing = {g["GroupName"] for g in cognito.list_groups(UserPoolId=pool_id)["Groups"]}
    password = "Member-pass-1!x"
    cognito.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS")
    cognito.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=password, Permanent=True
    )
    for group in groups:
        if group not in existing:
            cognito.create_group(UserPoolId=pool_id, GroupName=group)
        cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=group)
    result = cognito.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=stack.environment["USER_POOL_CLIENT_ID"],
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )
    return str(result["AuthenticationResult"]["AccessToken"])


@functools.cache
def stranger_jwk() -> dict[str, Any]:
    """Return a private RSA key that no pool publishes (a forger's key)."""
    from cryptography.hazmat.primitives.asymmetric import rsa
    from jwt.algorithms import RSAAlgorithm

    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return RSAAlgorithm.to_jwk(private_key, as_dict=True)


def foreign_pool_token(group: str = "reviewers") -> str:
    """Return an access token of a user in `group` of another pool of the same (in-process) AWS."""
    cognito = boto3.client("cognito-idp")
    pool_id = cognito.create_user_pool(PoolName="another-app-staff")["UserPool"]["Id"]
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="another-app",
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    cognito.create_group(UserPoolId=pool_id, GroupName=group)
    cognito.admin_create_user(UserPoolId=pool_id, Username="outsider", MessageAction="SUPPRESS")
    cognito.admin_set_user_password(
        UserPoolId=pool_id, Username="outsider", Password="Outsider-pass-1!", Permanent=True
    )
    cognito.admin_add_user_to_group(UserPoolId=pool_id, Username="outsider", GroupName=group)
    result = cognito.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "outsider", "PASSWORD": "Outsider-pass-1!"},
    )
    return str(result["AuthenticationResult"]["AccessToken"])


def unsigned_token(header: dict[str, Any], claims: dict[str, Any], signature: bytes = b"") -> str:
    """Return a compact JWT of `header` and `claims` with the given signature bytes."""

    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    return ".".join(
        [part(json.dumps(header).encode()), part(json.dumps(claims).encode()), part(signature)]
    )


@pytest.fixture(scope="session")
def jwks_server() -> Iterator[JwksServer]:
    """Serve moto's signing key as a pool's JWKS for the session (the app fetches it by URL)."""
    server = JwksServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def warm_aws() -> Iterator[WarmAws]:
    """The session's in-process AWS: the template provisioned once, put back before each test."""
    warm = WarmAws()
    yield warm
    warm.close()


def _point_at_in_process_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_ACCOUNT_ID_ENDPOINT_MODE", "disabled")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    monkeypatch.delenv("TOKEN_ISSUER", raising=False)
    monkeypatch.delenv("AWS_REGION", raising=False)


@pytest.fixture
def aws(
    monkeypatch: pytest.MonkeyPatch, jwks_server: JwksServer, warm_aws: WarmAws
) -> Iterator[LocalStack]:
    """The template's resources in an in-process AWS, as just provisioned (empty of data), and
    the app pointed at them."""
    _point_at_in_process_aws(monkeypatch)
    monkeypatch.setenv("JWKS_URL", jwks_server.url)
    jwks_server.reset()
    _forget_built_clients()
    # Every request of chalice.test.Client comes from 127.0.0.1: the suite files many
    # reports from one address, so the limits are out of its way unless a test sets them.
    stack = warm_aws.stack({**LOCAL_PARAMETERS, **GENEROUS_LIMITS})
    for name, value in stack.environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("POLICY_VERSION", "test-policy")
    _forget_built_clients()
    yield stack
    _forget_built_clients()


@pytest.fixture
def empty_aws(monkeypatch: pytest.MonkeyPatch, warm_aws: WarmAws) -> Iterator[None]:
    """An in-process AWS with nothing in it (the next test that asks for `aws` provisions again)."""
    _point_at_in_process_aws(monkeypatch)
    warm_aws.empty()
    _forget_built_clients()
    yield
    warm_aws.empty()
    _forget_built_clients()


@pytest.fixture
def client(aws: LocalStack) -> Iterator[Client]:
    """Return a test client of the app, on the in-process AWS."""
    from app import app

    with Client(app) as test_client:
        yield test_client


LIMIT_VARIABLES = {
    "reports": "REPORTS_PER_CLIENT_PER_HOUR",
    "uploads": "UPLOADS_PER_CLIENT_PER_HOUR",
    "acknowledgements": "ACKNOWLEDGEMENTS_PER_RECIPIENT_PER_DAY",
}


@pytest.fixture
def set_limits(aws: LocalStack, monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Return a function that sets the app's limits (reports=, uploads=, acknowledgements=)."""

    def set_to(**allowed: int) -> None:
        for kind, value in allowed.items():
            monkeypatch.setenv(LIMIT_VARIABLES[kind], str(value))
        settings.cache_clear()

    return set_to


@pytest.fixture
def source_address(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Return a function that makes the test client's next requests come from an address."""
    from chalice.local import LambdaEventConverter

    def send_from(address: str) -> None:
        monkeypatch.setattr(LambdaEventConverter, "LOCAL_SOURCE_IP", address)

    return send_from


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
    with running_stack(parameters=GENEROUS_LIMITS) as stack:
        yield stack
