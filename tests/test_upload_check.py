"""A file checked as soon as it is uploaded: POST /v1/uploads/{upload_id}/check."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from chalice.test import Client

from chalicelib.adapters.aws import client as aws_client
from tests.conftest import PDF, PNG, header, post_json, put_staged, report, upload

# An executable's first bytes: a Windows program (MZ) and a Linux one (ELF).
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
LINUX_PROGRAM = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64


def check(client: Client, upload_id: str) -> Any:
    return client.http.post(f"/v1/uploads/{upload_id}/check")


def granted(client: Client, filename: str, content_type: str, size: int) -> str:
    """Ask for an upload and return its id, without putting any file."""
    response = post_json(
        client, "/v1/uploads", {"filename": filename, "content_type": content_type, "size": size}
    )
    assert response.status_code == 201, response.body
    return str(response.json_body["upload_id"])


@pytest.fixture
def s3_reads(client: Client) -> Iterator[list[dict[str, Any]]]:
    """Record the parameters of every GetObject the app sends."""
    events = aws_client("s3").meta.events
    seen: list[dict[str, Any]] = []

    def note(params: dict[str, Any], **_: Any) -> None:
        seen.append(dict(params))

    events.register("provide-client-params.s3.GetObject", note)
    yield seen
    events.unregister("provide-client-params.s3.GetObject", note)


@pytest.mark.parametrize("program", [WINDOWS_PROGRAM, LINUX_PROGRAM], ids=["windows", "linux"])
def test_an_executable_uploaded_as_a_pdf_is_refused_at_once_naming_the_file(
    client: Client, program: bytes
) -> None:
    upload_id = upload(client, program, "application/pdf", "contract.pdf")

    response = check(client, upload_id)

    assert response.status_code == 422
    assert header(response, "content-type") == "application/problem+json"
    problem = response.json_body
    assert '"contract.pdf"' in problem["detail"]
    assert "its content is not a PDF" in problem["detail"]
    assert [e["field"] for e in problem["errors"]] == ["file"]
    assert problem["errors"][0]["code"] == "not_allowed"


def test_a_file_whose_content_is_another_allowed_type_is_refused_with_its_reason(
    client: Client,
) -> None:
    upload_id = upload(client, PNG, "application/pdf", "scan.pdf")

    response = check(client, upload_id)

    assert response.status_code == 422
    assert "its content is not a PDF" in response.json_body["detail"]
    assert response.json_body["errors"][0]["code"] == "other_type"


@pytest.mark.parametrize(
    ("content", "content_type", "filename"),
    [(PDF, "application/pdf", "contract.pdf"), (PNG, "image/png", "screenshot.png")],
)
def test_a_real_pdf_or_png_passes_with_its_type_and_real_size(
    client: Client, content: bytes, content_type: str, filename: str
) -> None:
    upload_id = upload(client, content, content_type, filename)

    response = check(client, upload_id)

    assert response.status_code == 200, response.body
    assert response.json_body == {
        "upload_id": upload_id,
        "status": "ok",
        "content_type": content_type,
        "size": len(content),
    }
    assert header(response, "cache-control") == "no-store"


def test_a_check_reads_no_more_of_the_file_than_its_first_bytes(
    client: Client, s3_reads: list[dict[str, Any]]
) -> None:
    upload_id = upload(client, PDF + b"%" * 100_000, "application/pdf", "long.pdf")

    assert check(client, upload_id).status_code == 200

    assert [read["Range"] for read in s3_reads] == ["bytes=0-511"]


@pytest.mark.parametrize("upload_id", ["01JDX3F6Y2P4Q8R9S0T1V2W3XZ", "not-an-upload", "x" * 300])
def test_an_unknown_upload_is_404(client: Client, upload_id: str) -> None:
    response = check(client, upload_id)

    assert response.status_code == 404
    assert header(response, "content-type") == "application/problem+json"


def test_an_upload_whose_file_has_not_arrived_is_told_to_post_it_first(client: Client) -> None:
    upload_id = granted(client, "later.png", "image/png", len(PNG))

    response = check(client, upload_id)

    assert response.status_code == 409
    assert "has not arrived yet" in response.json_body["detail"]
    assert response.json_body["errors"][0]["code"] == "not_uploaded"

    put_staged(f"staging/{upload_id}", PNG, "image/png")
    assert check(client, upload_id).status_code == 200


def test_an_upload_a_case_already_claimed_cannot_be_checked_again(client: Client) -> None:
    upload_id = upload(client, PNG)
    submitted = post_json(client, "/v1/reports", report([upload_id]))
    assert submitted.status_code == 201, submitted.body

    response = check(client, upload_id)

    assert response.status_code == 409
    assert "already attached to a case" in response.json_body["detail"]
    assert response.json_body["errors"][0]["code"] == "conflict"


def test_an_upload_stored_with_another_type_than_declared_is_refused(client: Client) -> None:
    upload_id = granted(client, "b.png", "image/png", len(PNG))
    put_staged(f"staging/{upload_id}", PNG, "text/html")

    response = check(client, upload_id)

    assert response.status_code == 422
    assert response.json_body["errors"][0]["code"] == "stored_type"
    assert "uploaded as text/html" in response.json_body["detail"]


def test_a_file_the_check_refuses_is_refused_by_the_report_too(client: Client) -> None:
    upload_id = upload(client, WINDOWS_PROGRAM, "application/pdf", "contract.pdf")
    assert check(client, upload_id).status_code == 422

    response = post_json(client, "/v1/reports", report([upload_id]))

    assert response.status_code == 422
    assert [e["field"] for e in response.json_body["errors"]] == ["evidence[0]"]


def test_the_check_is_documented(client: Client) -> None:
    document = client.http.get("/openapi.json").json_body
    operation = document["paths"]["/v1/uploads/{upload_id}/check"]["post"]

    assert "requestBody" not in operation
    assert {"200", "404", "409", "422"} <= set(operation["responses"])
