"""Signed checkpoints: signed by KMS, written once into the compliance-mode bucket."""

from __future__ import annotations

import base64
import json
from typing import Any

from botocore.exceptions import ClientError

from ..config import settings
from ..domain.verification import SIGNING_ALGORITHM
from ..ports import CheckpointTaken
from .aws import client


def checkpoint_key(seq: int) -> str:
    """Return where checkpoint number `seq` is kept."""
    return f"checkpoints/{seq:010d}.json"


class CheckpointStore:
    """The audit key in KMS and the checkpoint files in S3."""

    def sign(self, message: bytes) -> str:
        """Sign `message` (the SHA-256 of a checkpoint body) and return the signature, base64."""
        answer = client("kms").sign(
            KeyId=settings().audit_key_id,
            Message=message,
            MessageType="RAW",
            SigningAlgorithm=SIGNING_ALGORITHM,
        )
        return base64.b64encode(answer["Signature"]).decode()

    def public_key_pem(self) -> str:
        """Return the public half of the audit key, PEM encoded, for verifiers."""
        der = client("kms").get_public_key(KeyId=settings().audit_key_id)["PublicKey"]
        lines = base64.encodebytes(der).decode().strip().splitlines()
        return "\n".join(["-----BEGIN PUBLIC KEY-----", *lines, "-----END PUBLIC KEY-----"]) + "\n"

    def write(self, seq: int, checkpoint: dict[str, Any]) -> None:
        """Write a checkpoint once: a second writer of the same number is refused
        (CheckpointTaken)."""
        try:
            client("s3").put_object(
                Bucket=settings().checkpoint_bucket,
                Key=checkpoint_key(seq),
                Body=json.dumps(checkpoint, ensure_ascii=False, sort_keys=True).encode(),
                ContentType="application/json",
                ChecksumAlgorithm="SHA256",
                IfNoneMatch="*",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] in ("PreconditionFailed", "412"):
                raise CheckpointTaken(seq) from None
            raise

    def read(self, seq: int) -> dict[str, Any] | None:
        """Return checkpoint number `seq`, if it exists."""
        try:
            answer = client("s3").get_object(
                Bucket=settings().checkpoint_bucket, Key=checkpoint_key(seq)
            )
        except ClientError as error:
            if error.response["Error"]["Code"] in ("NoSuchKey", "404"):
                return None
            raise
        found: dict[str, Any] = json.loads(answer["Body"].read())
        return found


class ExportUpload:
    """One export on its way into the uploads bucket, part by part (an S3 multipart upload)."""

    def __init__(self, key: str, content_type: str) -> None:
        self.key = key
        self.bucket = settings().uploads_bucket
        answer = client("s3").create_multipart_upload(
            Bucket=self.bucket, Key=key, ContentType=content_type
        )
        self.upload_id: str = answer["UploadId"]
        self.parts: list[dict[str, Any]] = []

    def part(self, body: bytes) -> None:
        """Upload the next part (every part but the last holds at least 5 MiB)."""
        number = len(self.parts) + 1
        answer = client("s3").upload_part(
            Bucket=self.bucket, Key=self.key, UploadId=self.upload_id, PartNumber=number, Body=body
        )
        self.parts.append({"PartNumber": number, "ETag": answer["ETag"]})

    def complete(self) -> str:
        """Finish the upload; return a link to the export that lives five minutes."""
        s3 = client("s3")
        s3.complete_multipart_upload(
            Bucket=self.bucket,
            Key=self.key,
            UploadId=self.upload_id,
            MultipartUpload={"Parts": self.parts},
        )
        url: str = s3.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": self.key}, ExpiresIn=300
        )
        return url

    def abort(self) -> None:
        """Give the upload up, leaving no parts behind."""
        client("s3").abort_multipart_upload(
            Bucket=self.bucket, Key=self.key, UploadId=self.upload_id
        )


class ExportStore:
    """Large audit exports, kept a day in the uploads bucket, fetched by a short-lived link."""

    def start(self, filename: str, content_type: str) -> ExportUpload:
        """Begin an export's upload under a name nobody can guess."""
        import secrets

        return ExportUpload(f"exports/{secrets.token_hex(16)}/{filename}", content_type)
