"""Evidence in S3: presigned uploads into staging, their checks, copies into the locked store."""

from __future__ import annotations

import base64
from functools import cached_property
from typing import Any
from urllib.parse import quote, urlsplit

from botocore.exceptions import ClientError

from ..config import settings
from ..domain.evidence import SNIFF_BYTES
from ..ports import (
    EvidenceMismatch,
    PresignedUpload,
    StagedFile,
    StagedFileChanged,
    checked_key,
    evidence_key,
    staging_key,
)
from .aws import client

__all__ = [
    "EvidenceMismatch",
    "EvidenceStore",
    "PresignedUpload",
    "StagedFile",
    "StagedFileChanged",
    "checked_key",
    "evidence_key",
    "staging_key",
]

# The tag the evidence bucket's lifecycle rule looks for (infra/template.yaml).
ERASURE_TAG, ERASURE_REQUESTED = "erasure", "requested"


class EvidenceStore:
    """The staging bucket that browsers upload to and the Object Lock bucket of evidence."""

    def __init__(self) -> None:
        self.uploads_bucket = settings().uploads_bucket
        self.evidence_bucket = settings().evidence_bucket

    def presign_upload(
        self, key: str, content_type: str, max_bytes: int, expires_in: int
    ) -> PresignedUpload:
        """Return a presigned POST that accepts only this key, this type and up to `max_bytes`."""
        post = client("s3").generate_presigned_post(
            Bucket=self.uploads_bucket,
            Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
            ExpiresIn=expires_in,
        )
        return PresignedUpload(url=post["url"], fields=dict(post["fields"]))

    @cached_property
    def upload_origin(self) -> str:
        """Return the origin that browsers post uploads to (for the page's CSP)."""
        url = self.presign_upload("staging/probe", "text/plain", 1, 60).url
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"

    @cached_property
    def download_origin(self) -> str:
        """Return the origin that evidence links point at (for the console's CSP)."""
        parts = urlsplit(self.download_url("probe", "probe", 60))
        return f"{parts.scheme}://{parts.netloc}"

    def inspect(self, key: str) -> StagedFile:
        """Return the real size and first bytes of a staged upload, reading no more than those."""
        try:
            answer = client("s3").get_object(
                Bucket=self.uploads_bucket, Key=key, Range=f"bytes=0-{SNIFF_BYTES - 1}"
            )
        except ClientError as error:
            code = error.response["Error"]["Code"]
            if code in ("NoSuchKey", "404"):
                return StagedFile(size=None, head=b"")
            if code == "InvalidRange":
                return StagedFile(size=0, head=b"")
            raise
        total = _total_size(answer)
        return StagedFile(
            size=total,
            head=answer["Body"].read(SNIFF_BYTES),
            content_type=answer.get("ContentType"),
            etag=answer.get("ETag"),
        )

    def download_url(
        self, key: str, filename: str, expires_in: int, inline_as: str | None = None
    ) -> str:
        """Return a short-lived link that downloads one evidence file under its own name, or,
        with `inline_as` (a content type), shows it in the browser as that type."""
        disposition = "inline" if inline_as else "attachment"
        params = {
            "Bucket": self.evidence_bucket,
            "Key": key,
            "ResponseContentDisposition": f"{disposition}; filename*=UTF-8''{quote(filename)}",
        }
        if inline_as:
            params["ResponseContentType"] = inline_as
        url: str = client("s3").generate_presigned_url(
            "get_object", Params=params, ExpiresIn=expires_in
        )
        return url

    def check_upload(self, staging: str, checked: str, etag: str) -> str:
        """Copy the staged upload that was inspected (`etag`) where its uploader cannot replace
        it; return its SHA-256, hex. Raise StagedFileChanged if it was replaced meanwhile.

        The copy stays in the uploads bucket (no lock, it expires): nothing enters the evidence
        bucket before the case that names it has committed.
        """
        try:
            answer = client("s3").copy_object(
                Bucket=self.uploads_bucket,
                Key=checked,
                CopySource={"Bucket": self.uploads_bucket, "Key": staging},
                CopySourceIfMatch=etag,
                ChecksumAlgorithm="SHA256",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] in ("PreconditionFailed", "412"):
                raise StagedFileChanged(staging) from None
            raise
        return base64.b64decode(answer["CopyObjectResult"]["ChecksumSHA256"]).hex()

    def preserve(self, checked: str, target: str, sha256: str) -> None:
        """Copy a checked upload into the locked evidence bucket, once: a retry makes no copy.

        An earlier try may have made the copy and lost its answer: a copy already there is
        checked against the recorded hash, not made again (the lease keeps two relays apart, and
        S3 refuses a second copy made at the same moment by `If-None-Match`).
        """
        if self._kept_already(target, sha256):
            return
        try:
            answer = client("s3").copy_object(
                Bucket=self.evidence_bucket,
                Key=target,
                CopySource={"Bucket": self.uploads_bucket, "Key": checked},
                ChecksumAlgorithm="SHA256",
                IfNoneMatch="*",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] not in ("PreconditionFailed", "412"):
                raise
            if not self._kept_already(target, sha256):
                raise
            return
        _require(answer["CopyObjectResult"].get("ChecksumSHA256"), sha256, target)

    def _kept_already(self, target: str, sha256: str) -> bool:
        """Tell whether the evidence bucket holds `target`, refusing one with another hash."""
        try:
            head = client("s3").head_object(
                Bucket=self.evidence_bucket, Key=target, ChecksumMode="ENABLED"
            )
        except ClientError as error:
            if error.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        _require(head.get("ChecksumSHA256"), sha256, target)
        return True

    def mark_for_erasure(self, prefix: str) -> int:
        """Tag every version of the files under `prefix` for erasure; return how many.

        The bucket's lifecycle deletes tagged files once their retention ends.
        """
        s3 = client("s3")
        tagged = 0
        for page in s3.get_paginator("list_object_versions").paginate(
            Bucket=self.evidence_bucket, Prefix=prefix
        ):
            for version in page.get("Versions", []):
                s3.put_object_tagging(
                    Bucket=self.evidence_bucket,
                    Key=version["Key"],
                    VersionId=version["VersionId"],
                    Tagging={"TagSet": [{"Key": ERASURE_TAG, "Value": ERASURE_REQUESTED}]},
                )
                tagged += 1
        return tagged


def _require(found: str | None, sha256: str, key: str) -> None:
    if found is not None and base64.b64decode(found).hex() != sha256:
        raise EvidenceMismatch(key)


def _total_size(answer: dict[str, Any]) -> int:
    content_range = str(answer.get("ContentRange") or "")
    if "/" in content_range:
        return int(content_range.rsplit("/", 1)[1])
    return int(answer["ContentLength"])
