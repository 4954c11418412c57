"""The misuse figures of `make bench`: what strikes and unfounded notices cost per operation."""

from __future__ import annotations

import os
from typing import Any


def measure_misuse() -> list[dict[str, Any]]:
    """Count the AWS calls of a report naming an account, its decisions, the case file with the
    account's history and the claimant's standing, a suspension and a suspended submission."""
    import boto3
    from moto import mock_aws

    from chalicelib.adapters.aws import client, reset_clients
    from chalicelib.config import settings
    from chalicelib.domain.errors import ClaimantSuspended
    from chalicelib.domain.lifecycle import Actor
    from chalicelib.services.intake import Intake
    from chalicelib.services.review import Review
    from chalicelib.wiring import build
    from tools.bench import CallCounter, _deliver_all, _report, _review_row, _upload_request
    from tools.provision import GENEROUS_LIMITS, LOCAL_PARAMETERS, provision

    reviewer = Actor("reviewer:bench", "reviewer")
    reasons = {
        "ground": "illegal_content",
        "legal_ground": "Network Act art. 44-2",
        "facts": "The post publishes the claimant's address.",
    }
    rows = []
    with mock_aws():
        reset_clients()
        settings.cache_clear()
        stack = provision(parameters={**LOCAL_PARAMETERS, **GENEROUS_LIMITS})
        os.environ.update(stack.environment)
        counter = CallCounter()
        for service in ("dynamodb", "s3", "ses", "sqs", "kms"):
            counter.attach(client(service))
        intake, review = build(Intake), build(Review)
        staging = boto3.client("s3")

        def submit() -> str:
            grant = intake.request_upload(_upload_request())
            staging.put_object(
                Bucket=stack.environment["UPLOADS_BUCKET"],
                Key=grant.fields["key"],
                Body=b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
                ContentType="image/png",
            )
            body = _report([grant.upload_id])
            body["target"] = {**body["target"], "account_ref": "kakao:bench-account"}
            counter.calls.clear()
            receipt, _ = intake.submit_report(body, None, "http://x")
            return receipt.case_id

        blocked = []
        for _ in range(3):
            blocked.append(submit())
            counter.calls.clear()
            review.decide(
                blocked[-1],
                {
                    "expected_version": 1,
                    "measures": [{"type": "block_content", "days": 30}],
                    "reasons": reasons,
                },
                reviewer,
                "http://x",
            )
        rows.append(_review_row("decision with a strike (block)", counter))
        _deliver_all()
        counter.calls.clear()
        seen = review.case_file(blocked[-1])
        assert seen.account_history is not None and seen.account_history.standing == 3
        rows.append(_review_row("case file with account history and claimant standing", counter))
        rejected = []
        for _ in range(4):
            rejected.append(submit())
            counter.calls.clear()
            review.decide(
                rejected[-1],
                {
                    "expected_version": 1,
                    "measures": [{"type": "reject", "reason": "not_infringing"}],
                    "reasons": reasons,
                },
                reviewer,
                "http://x",
            )
        rows.append(_review_row("rejection as unfounded (with its warning read)", counter))
        counter.calls.clear()
        review.suspend_claimant(
            {
                "case_id": rejected[-1],
                "days": 30,
                "reasons": {
                    "ground": "DSA art. 23(2)",
                    "facts": "Four reports found not infringing.",
                },
            },
            reviewer,
            "http://x",
        )
        rows.append(_review_row("suspension", counter))
        try:
            submit()
        except ClaimantSuspended:
            rows.append(_review_row("submission refused: address suspended", counter))
        else:
            raise AssertionError("a suspended address submitted a report")
    return rows
