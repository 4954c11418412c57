"""Faults at the app's AWS calls, through botocore's event system, as production meets them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore import xform_name
from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError

from chalicelib.adapters.aws import client

SERVICES = ("dynamodb", "s3", "sqs", "ses", "kms")

# Each kind, and whether AWS applied the call.
KINDS = {
    "throttled": False,  # refused after the SDK's own retries
    "server_error": False,  # a 5xx from the service
    "no_connection": False,  # the request never reached AWS
    "answer_lost": True,  # applied at AWS; the answer never came back
    "sdk_resent": True,  # applied, the answer lost, and the SDK sent the same request again
    "crash": False,  # the function died (timeout, memory) just before the call
}


class Crash(BaseException):
    """The function died just before an AWS call: nothing after it runs, no handler catches it."""


@dataclass
class Faults:
    """Count the app's AWS calls, and make call number `at` fail once in the way `kind` says."""

    kind: str | None = None
    at: int = -1
    calls: list[str] = field(default_factory=list)
    fired: str | None = None
    _params: dict[int, dict[str, Any]] = field(default_factory=dict)

    def install(self) -> Faults:
        """Hook every client the app builds (they are shared, built once per process)."""
        for service in SERVICES:
            events = client(service).meta.events
            events.register("before-parameter-build", self._remember)
            events.register("before-call", self._before)
            events.register("after-call", self._after)
        return self

    def arm(self, kind: str | None, at: int) -> None:
        """Fail the call number `at` from now on (counting from 0) once, with `kind`."""
        self.kind, self.at, self.calls, self.fired = kind, at, [], None

    def disarm(self) -> None:
        """Fail nothing more; what fired is still told."""
        self.kind = None

    def _remember(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        self._params[id(model)] = dict(params)

    def _before(self, model: Any, context: dict[str, Any], **_: Any) -> None:
        number = len(self.calls)
        name = f"{model.service_model.service_name}.{model.name}"
        self.calls.append(name)
        context["fault_call"] = number
        if number != self.at or self.kind is None or KINDS[self.kind]:
            return
        self.fired = name
        if self.kind == "throttled":
            code = "ProvisionedThroughputExceededException" if "dynamodb" in name else "Throttling"
            raise ClientError({"Error": {"Code": code, "Message": "Rate exceeded"}}, model.name)
        if self.kind == "server_error":
            raise ClientError(
                {
                    "Error": {"Code": "InternalServerError", "Message": "Internal error"},
                    "ResponseMetadata": {"HTTPStatusCode": 500},
                },
                model.name,
            )
        if self.kind == "no_connection":
            raise EndpointConnectionError(endpoint_url=f"https://{name}.amazonaws.com")
        raise Crash(name)

    def _after(self, model: Any, context: dict[str, Any], **_: Any) -> None:
        if context.get("fault_call") != self.at or self.kind is None or not KINDS[self.kind]:
            return
        name = f"{model.service_model.service_name}.{model.name}"
        self.fired = name
        if self.kind == "sdk_resent":
            # The SDK's second try: the same request, against what the first one already did;
            # its outcome is what the caller sees.
            again = getattr(_plain_client(model.service_model.service_name), xform_name(model.name))
            again(**self._params[id(model)])
            return
        raise ReadTimeoutError(endpoint_url=f"https://{name}.amazonaws.com")


def _plain_client(service: str) -> Any:
    """Return a client like the app's, without the faults (the SDK's own second try)."""
    from botocore.config import Config

    from chalicelib.adapters.aws import _declare_copy_checksum

    made = boto3.client(service, config=Config(signature_version="s3v4"))
    if service == "s3":
        made.meta.events.register("before-sign.s3.CopyObject", _declare_copy_checksum)
        made.meta.events.register("before-parameter-build.s3.CopyObject", _if_none_match)
    return made


def _if_none_match(params: dict[str, Any], **_: Any) -> None:
    """Refuse a copy onto an existing key under `If-None-Match: *`, as S3 does (moto does not)."""
    if params.get("IfNoneMatch") != "*":
        return
    try:
        boto3.client("s3").head_object(Bucket=params["Bucket"], Key=params["Key"])
    except ClientError:
        return
    raise ClientError(
        {
            "Error": {"Code": "PreconditionFailed", "Message": "At least one precondition failed"},
            "ResponseMetadata": {"HTTPStatusCode": 412},
        },
        "CopyObject",
    )
