"""Signed checkpoints: signed by KMS, written once into the compliance-mode bucket."""

from __future__ import annotations

import base64
import json
from typing import Any

from botocore.exceptions import ClientError

from ..config import settings
from .aws import client

SIGNING_ALGORITHM = "ECDSA_SHA_256"


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
        """Write a checkpoint once: a second writer of the same number is refused."""
        client("s3").put_object(
            Bucket=settings().checkpoint_bucket,
            Key=checkpoint_key(seq),
            Body=json.dumps(checkpoint, ensure_ascii=False, sort_keys=True).encode(),
            ContentType="application/json",
            ChecksumAlgorithm="SHA256",
            IfNoneMatch="*",
        )

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


class ExportStore:
    """Large audit exports, kept a day in the uploads bucket, fetched by a short-lived link."""

    def publish(self, body: bytes, filename: str, content_type: str) -> str:
        """Store an export and return a link to it that lives five minutes."""
        import secrets

        key = f"exports/{secrets.token_hex(16)}/{filename}"
        s3 = client("s3")
        s3.put_object(
            Bucket=settings().uploads_bucket, Key=key, Body=body, ContentType=content_type
        )
        url: str = s3.generate_presigned_url(
            "get_object",
            Params={"Bucket": settings().uploads_bucket, "Key": key},
            ExpiresIn=300,
        )
        return url
