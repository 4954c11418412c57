"""A receipt token wrapped under the Idempotency-Key: opened by that key only, and never altered."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import boto3
import pytest
from chalice.test import Client

from chalicelib.config import settings
from chalicelib.domain.secrets import TokenUnrecoverable, unwrap_token, wrap_token
from tests.conftest import PNG, post_json, report, upload

KEY = "idempotency-key-0001"
TOKEN = "rt_Zx9-receipt-token-value"
SECRET = b"the service's own purpose key."


def test_a_wrapped_token_comes_back_with_its_key() -> None:
    wrapped = wrap_token(TOKEN, KEY, SECRET)
    assert TOKEN not in wrapped
    assert unwrap_token(wrapped, KEY, SECRET) == TOKEN


def test_a_wrapped_token_does_not_open_with_another_key() -> None:
    with pytest.raises(TokenUnrecoverable):
        unwrap_token(wrap_token(TOKEN, KEY, SECRET), "idempotency-key-0002", SECRET)


def test_the_key_alone_does_not_open_it_without_the_service_secret() -> None:
    """A copy of the table holds the key's hash: a guessed key must not be enough."""
    with pytest.raises(TokenUnrecoverable):
        unwrap_token(wrap_token(TOKEN, KEY, SECRET), KEY, b"another service's purpose key")


def test_the_same_token_wraps_differently_each_time() -> None:
    assert wrap_token(TOKEN, KEY, SECRET) != wrap_token(TOKEN, KEY, SECRET)


def flip(wrapped: str, at: int) -> str:
    """Return `wrapped` with one bit of its decoded byte `at` changed."""
    prefix, _, encoded = wrapped.rpartition(".")
    data = bytearray(base64.urlsafe_b64decode(encoded))
    data[at] ^= 0x01
    return f"{prefix}.{base64.urlsafe_b64encode(bytes(data)).decode()}"


@pytest.mark.parametrize("at", [0, 11, 12, 20, -16, -1], ids=lambda at: f"byte {at}")
def test_a_changed_bit_anywhere_is_refused(at: int) -> None:
    """The nonce (first 12 bytes), the ciphertext and the tag (last 16) are all checked."""
    with pytest.raises(TokenUnrecoverable):
        unwrap_token(flip(wrap_token(TOKEN, KEY, SECRET), at), KEY, SECRET)


def old_keystream_wrap(token: str, key: str) -> str:
    """Wrap `token` as values stored before AES-GCM were: XOR with a SHA-256 keystream."""
    data = token.encode()
    stream = b"".join(
        hashlib.sha256(b"irc/receipt-token-wrap/v1\x00" + block.to_bytes(4) + key.encode()).digest()
        for block in range(len(data) // 32 + 1)
    )
    return base64.urlsafe_b64encode(
        bytes(a ^ b for a, b in zip(data, stream[: len(data)], strict=True))
    ).decode()


@pytest.mark.parametrize(
    "stored",
    [old_keystream_wrap(TOKEN, KEY), "", "v2.", "v2.not base64!", "v2.AAAA"],
    ids=["old format", "empty", "prefix only", "not base64", "too short"],
)
def test_a_value_of_another_format_is_refused_not_crashed_on(stored: str) -> None:
    with pytest.raises(TokenUnrecoverable):
        unwrap_token(stored, KEY, SECRET)


def test_a_retry_whose_stored_token_cannot_be_opened_is_told_so(client: Client) -> None:
    body: dict[str, Any] = report([upload(client, PNG)])
    key = "retry-key-0123456789"
    first = post_json(client, "/v1/reports", body, {"Idempotency-Key": key})
    assert first.status_code == 201, first.body
    retried = post_json(client, "/v1/reports", body, {"Idempotency-Key": key})
    assert retried.json_body["receipt_token"] == first.json_body["receipt_token"]

    table = boto3.resource("dynamodb").Table(settings().cases_table)
    [record] = [
        item
        for item in table.scan()["Items"]
        if str(item["pk"]).startswith("IDEMPOTENCY#")  # written before this change: old format
    ]
    old = old_keystream_wrap(first.json_body["receipt_token"], key)
    table.update_item(
        Key={"pk": record["pk"], "sk": record["sk"]},
        UpdateExpression="SET wrapped_receipt_token = :old",
        ExpressionAttributeValues={":old": old},
    )

    refused = post_json(client, "/v1/reports", body, {"Idempotency-Key": key})
    assert refused.status_code == 409, refused.body
    assert refused.json_body["type"] == "/problems/conflict"
    assert first.json_body["case_id"] in refused.json_body["detail"]
    assert first.json_body["receipt_token"] not in refused.body.decode()
