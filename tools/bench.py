"""Print the figures that matter: AWS calls per operation, Scans, evidence bytes, import time."""

from __future__ import annotations

import base64
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EVIDENCE_SIZE = 1024 * 1024
IMPORT_RUNS = 11
# What a cold function loads by its first report: the app and every module of the use case.
FULL_APP = "app, chalicelib.services.intake, chalicelib.adapters.aws"
BARE_APP = """
import boto3
import pydantic
from chalice import Chalice


class Ping(pydantic.BaseModel):
    message: str


app = Chalice(app_name="bare")


@app.route("/")
def index():
    return Ping(message="ok").model_dump()
"""


class CallCounter:
    """Count the AWS API calls the app's own clients make, and the evidence bytes they read."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.evidence_bytes_read = 0

    def attach(self, client: Any) -> None:
        """Count every call `client` makes from now on."""
        service = client.meta.service_model.service_name
        client.meta.events.register(
            "before-call", lambda model, **_: self.calls.update([f"{service}:{model.name}"])
        )
        client.meta.events.register("after-call.s3.GetObject", self._get_object)

    def _get_object(self, parsed: dict[str, Any], **_: Any) -> None:
        self.evidence_bytes_read += int(parsed.get("ContentLength", 0))

    def total(self, service: str) -> int:
        """Return how many calls went to `service`."""
        return sum(n for name, n in self.calls.items() if name.startswith(f"{service}:"))


def _environment() -> None:
    os.environ.update(
        AWS_DEFAULT_REGION="us-east-1",
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",  # noqa: S106 (moto accepts any key)
        AWS_ACCOUNT_ID_ENDPOINT_MODE="disabled",
    )
    os.environ.pop("AWS_ENDPOINT_URL", None)


def measure_submissions() -> list[dict[str, Any]]:
    """Submit reports with 1 and 10 evidence files and count what each submission cost."""
    import boto3
    from chalice.test import Client
    from moto import mock_aws

    from chalicelib.adapters.aws import client
    from tools.provision import GENEROUS_LIMITS, LOCAL_PARAMETERS, provision

    rows = []
    with mock_aws():
        stack = provision(parameters={**LOCAL_PARAMETERS, **GENEROUS_LIMITS})
        os.environ.update(stack.environment)
        from app import app

        counter = CallCounter()
        for service in ("dynamodb", "s3", "ses"):
            counter.attach(client(service))
        staging = boto3.client("s3")
        content = b"\x89PNG\r\n\x1a\n" + b"\x00" * (EVIDENCE_SIZE - 8)
        with Client(app) as http:
            for files in (1, 10):
                upload_ids = []
                for _ in range(files):
                    grant = _post(http, "/v1/uploads", _upload_request())
                    staging.upload_fileobj(
                        io.BytesIO(content),
                        stack.environment["UPLOADS_BUCKET"],
                        grant["fields"]["key"],
                        ExtraArgs={"ContentType": "image/png"},
                    )
                    upload_ids.append(grant["upload_id"])
                counter.calls.clear()
                counter.evidence_bytes_read = 0
                receipt = _post(http, "/v1/reports", _report(upload_ids))
                assert receipt["status"] == "received", receipt
                rows.append(
                    {
                        "evidence files": files,
                        "evidence MiB": files * EVIDENCE_SIZE // (1024 * 1024),
                        "DynamoDB calls": counter.total("dynamodb"),
                        "DynamoDB writes": counter.calls["dynamodb:TransactWriteItems"]
                        + counter.calls["dynamodb:PutItem"]
                        + counter.calls["dynamodb:UpdateItem"],
                        "Scans": counter.calls["dynamodb:Scan"],
                        "S3 calls": counter.total("s3"),
                        "SES calls": counter.total("ses"),
                        "evidence bytes read by the function": counter.evidence_bytes_read,
                        "calls": dict(sorted(counter.calls.items())),
                    }
                )
    return rows


def measure_review() -> list[dict[str, Any]]:
    """Decide cases and read queue pages, counting the AWS calls of each."""
    import boto3
    from moto import mock_aws

    from chalicelib.adapters.aws import client, reset_clients
    from chalicelib.config import settings
    from chalicelib.domain.lifecycle import Actor
    from chalicelib.domain.vocabulary import MeasureKind
    from chalicelib.services.intake import Intake
    from chalicelib.services.review import Review
    from chalicelib.wiring import build
    from tools.provision import GENEROUS_LIMITS, LOCAL_PARAMETERS, provision

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
        case_ids = []
        for _ in range(30):
            grant = intake.request_upload(_upload_request())
            staging.put_object(
                Bucket=stack.environment["UPLOADS_BUCKET"],
                Key=grant.fields["key"],
                Body=b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
                ContentType="image/png",
            )
            receipt, _ = intake.submit_report(_report([grant.upload_id]), None, "http://x/status")
            case_ids.append(receipt.case_id)
        body = {
            "expected_version": 1,
            "measures": [
                {"type": MeasureKind.BLOCK_CONTENT, "days": 30},
                {"type": MeasureKind.RESTRICT_USER, "service": "open_chat", "days": 7},
            ],
            "reasons": {
                "ground": "illegal_content",
                "legal_ground": "Network Act art. 44-2",
                "facts": "The post publishes the claimant's address.",
            },
        }
        from chalicelib.adapters.repository import Repository
        from chalicelib.services.outbox import Relay

        _deliver_all()
        counter.calls.clear()
        review.decide(
            case_ids[0], body, Actor("reviewer:bench", "reviewer"), "http://x", "bench-key-0000001"
        )
        rows.append(_review_row("decision (block + restrict user, Idempotency-Key)", counter))
        _, effects = Repository().case_with_effects(case_ids[0])
        pending = [(case_ids[0], e["effect_id"]) for e in effects if e["state"] == "pending"]
        counter.calls.clear()
        run = build(Relay).deliver(pending)
        assert run.delivered == len(pending), run
        row = _review_row(f"relay: {len(pending)} effects of the decision", counter)
        row["calls per effect"] = round(sum(counter.calls.values()) / len(pending), 2)
        rows.append(row)
        cursor = None
        for _ in range(2):
            counter.calls.clear()
            params = {"limit": "10", **({"cursor": cursor} if cursor else {})}
            page = review.queue(params)
            cursor = page.next_cursor
            rows.append(_review_row(f"queue page of {len(page.cases)}", counter))
        counter.calls.clear()
        counted = review.counts({})
        rows.append(_review_row(f"counts of the {len(counted.queues)} work queues", counter))
        counter.calls.clear()
        review.claim(case_ids[-1], "bench-reviewer", "bench")
        rows.append(_review_row("a claim", counter))
        from datetime import UTC, datetime, timedelta

        from chalicelib.services.audit import Audit
        from chalicelib.services.timers import Timers

        today = datetime.now(UTC).date().isoformat()
        for label, params in (
            ("audit page by case", {"case_id": case_ids[0]}),
            ("audit page by actor", {"actor": "reviewer:bench"}),
            (
                "audit page by time (one day)",
                {"from": f"{today}T00:00:00Z", "to": f"{today}T23:59:59Z"},
            ),
        ):
            counter.calls.clear()
            build(Audit).events(params)
            rows.append(_review_row(label, counter))
        from chalicelib.services.checkpoints import Checkpoints

        build(
            Checkpoints,
            clock=_fixed(datetime.now(UTC) + timedelta(minutes=2)),
            origin=f"{today}T00:00:00.000Z",
        ).seal()
        for label, params in (
            ("verify a case", {"case_id": case_ids[0]}),
            (
                "verify one day (30 cases)",
                {"from": f"{today}T00:00:00Z", "to": f"{today}T23:59:59Z"},
            ),
        ):
            counter.calls.clear()
            assert build(Audit).verify(params).verified
            rows.append(_review_row(label, counter))
        import contextlib

        counter.calls.clear()
        with contextlib.redirect_stdout(io.StringIO()):  # the sweeper's metric line
            build(Relay, clock=_fixed(datetime.now(UTC) + timedelta(minutes=5))).sweep()
        rows.append(_review_row("sweep, nothing to deliver", counter))
        for label, days in (("timer run, nothing due", 0), ("timer run, 1 block ended", 31)):
            counter.calls.clear()
            build(Timers, clock=_fixed(datetime.now(UTC) + timedelta(days=days))).run("")
            rows.append(_review_row(label, counter))
    reset_clients()
    settings.cache_clear()
    return rows


def _deliver_all() -> None:
    """Deliver every pending effect (the submissions' mail and copies), as the sweeper would."""
    import contextlib
    from datetime import UTC, datetime, timedelta

    from chalicelib.services.outbox import Relay
    from chalicelib.wiring import build

    with contextlib.redirect_stdout(io.StringIO()):  # the sweeper's metric line
        build(Relay, clock=_fixed(datetime.now(UTC) + timedelta(minutes=5))).sweep()


LATENCY_DECISIONS = 100


def measure_enforcement_latency() -> dict[str, float]:
    """On the local stack, time each decision's commit to its enforcement message on the queue."""
    import time
    import uuid

    import requests

    from chalicelib.domain.vocabulary import MeasureKind
    from tests.localstack import running_stack
    from tools.provision import GENEROUS_LIMITS

    delays: list[float] = []
    with running_stack(parameters=GENEROUS_LIMITS) as stack:
        user = stack.demo_users["reviewer"]
        token = stack.client("cognito-idp").admin_initiate_auth(
            UserPoolId=stack.environment["USER_POOL_ID"],
            ClientId=stack.environment["USER_POOL_CLIENT_ID"],
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": user["username"], "PASSWORD": user["password"]},
        )["AuthenticationResult"]["AccessToken"]
        sqs, s3 = stack.client("sqs"), stack.client("s3")
        queue = stack.environment["ENFORCEMENT_QUEUE_URL"]
        http = requests.Session()
        for _ in range(LATENCY_DECISIONS):
            grant = http.post(stack.url("/v1/uploads"), json=_upload_request(), timeout=60).json()
            s3.put_object(
                Bucket=stack.environment["UPLOADS_BUCKET"],
                Key=grant["fields"]["key"],
                Body=b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
                ContentType="image/png",
            )
            submitted = http.post(
                stack.url("/v1/reports"),
                json=_report([grant["upload_id"]]),
                headers={"Idempotency-Key": str(uuid.uuid4())},
                timeout=60,
            )
            assert submitted.status_code == 201, submitted.text
            receipt = submitted.json()
            decided = http.post(
                stack.url(f"/v1/cases/{receipt['case_id']}/decisions"),
                json={
                    "expected_version": 1,
                    "measures": [{"type": MeasureKind.BLOCK_CONTENT, "days": 30}],
                    "reasons": {
                        "ground": "illegal_content",
                        "legal_ground": "Network Act art. 44-2",
                        "facts": "The post publishes the claimant's address.",
                    },
                },
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4())},
                timeout=60,
            )
            committed = time.perf_counter()  # the answer comes right after the commit
            assert decided.status_code == 201, decided.text
            while True:
                answer = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)
                messages = answer.get("Messages", [])
                for message in messages:
                    sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])
                if any(receipt["case_id"] in m["Body"] for m in messages):
                    delays.append(time.perf_counter() - committed)
                    break
                if time.perf_counter() - committed > 30:
                    raise SystemExit("an enforcement message took over 30 s")
                time.sleep(0.01)
    delays.sort()
    return {
        "decisions": len(delays),
        "median ms": statistics.median(delays) * 1000,
        "p95 ms": delays[int(len(delays) * 0.95) - 1] * 1000,
    }


def _fixed(moment: Any) -> Any:
    return lambda: moment


def _review_row(operation: str, counter: CallCounter) -> dict[str, Any]:
    return {
        "operation": operation,
        "DynamoDB calls": counter.total("dynamodb"),
        "Queries": counter.calls["dynamodb:Query"],
        "Scans": counter.calls["dynamodb:Scan"],
        "calls": dict(sorted(counter.calls.items())),
    }


def _upload_request() -> dict[str, Any]:
    return {"filename": "screenshot.png", "content_type": "image/png", "size": EVIDENCE_SIZE}


def _report(upload_ids: list[str]) -> dict[str, Any]:
    return {
        "claimant": {"name": "Bench", "email": "bench@example.com", "relationship": "self"},
        "target": {"surface": "open_profile", "url": "https://open.kakao.com/me/bench"},
        "grounds": ["privacy"],
        "requested_action": "block",
        "statement": "A statement long enough for the benchmark.",
        "evidence": upload_ids,
        "declaration": True,
        "lang": "en",
    }


def _post(http: Any, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = http.http.post(
        path, headers={"Content-Type": "application/json"}, body=json.dumps(body)
    )
    result: dict[str, Any] = response.json_body
    return result


def _import_once(module: str, directory: Path) -> float:
    code = (
        "import time; t = time.perf_counter(); "
        f"import {module}; elapsed = time.perf_counter() - t; "
        "import sys; cached = sys.modules.get('chalicelib.adapters.aws'); "
        "built = cached.client.cache_info().currsize if cached else 0; "
        "print(elapsed, built)"
    )
    # Warm .pyc caches, as a deployed function has them: never skip writing bytecode here.
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    output = subprocess.run(
        [sys.executable, "-c", code],
        cwd=directory,
        capture_output=True,
        text=True,
        check=True,
        env=environment,
    ).stdout.split()
    if int(output[1]) != 0:
        raise SystemExit(f"{module} built {output[1]} boto3 clients at import")
    return float(output[0])


def measure_import() -> dict[str, float]:
    """Return the median import times of the app and of a bare Chalice app, and their ratio."""
    ours, loaded, bare, ratios, loaded_ratios = [], [], [], [], []
    with tempfile.TemporaryDirectory() as directory:
        Path(directory, "bare_app.py").write_text(BARE_APP)
        _import_once("bare_app", Path(directory))  # warm the .pyc caches of both
        _import_once(FULL_APP, ROOT)
        for _ in range(IMPORT_RUNS):
            bare.append(_import_once("bare_app", Path(directory)))
            ours.append(_import_once("app", ROOT))
            loaded.append(_import_once(FULL_APP, ROOT))
            ratios.append(ours[-1] / bare[-1])
            loaded_ratios.append(loaded[-1] / bare[-1])
    return {
        "app ms": statistics.median(ours) * 1000,
        "loaded ms": statistics.median(loaded) * 1000,
        "bare ms": statistics.median(bare) * 1000,
        "ratio": statistics.median(ratios),
        "loaded ratio": statistics.median(loaded_ratios),
    }


VERIFY_EVENTS = 50_000


def measure_verification() -> dict[str, Any]:
    """Verify a synthetic export offline; time plain SHA-256 over the same bytes beside it."""
    import hashlib
    import time
    from datetime import UTC, datetime, timedelta

    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    from chalicelib.domain.audit import EMPTY_CHAIN, AuditEvent, next_event
    from chalicelib.domain.checkpoint import checkpoint_body
    from chalicelib.domain.clock import iso
    from chalicelib.domain.verification import checkpoint_body_digest, checkpoint_hash
    from chalicelib.domain.vocabulary import MeasureKind
    from chalicelib.services.audit_views import jsonl_line
    from tools import verify_audit

    key = ec.generate_private_key(ec.SECP256R1())
    start = datetime(2026, 11, 20, tzinfo=UTC)
    per_case, hours = 5, 5
    cases = VERIFY_EVENTS // per_case
    events: list[AuditEvent] = []
    for n in range(cases):
        head = EMPTY_CHAIN
        for seq in range(per_case):
            moment = start + timedelta(
                seconds=1 + (seq * cases + n) * hours * 3600 // VERIFY_EVENTS
            )
            event = next_event(
                head,
                event_id=f"01KBENCH{n:010d}{seq:08d}",
                case_id=f"01KCASE{n:019d}",
                action="received" if seq == 0 else MeasureKind.BLOCK_CONTENT,
                actor_id="claimant" if seq == 0 else "reviewer:bench",
                actor_role="claimant" if seq == 0 else "reviewer",
                occurred_at=iso(moment),
                from_status=None if seq == 0 else "in_review",
                to_status="received" if seq == 0 else "decided",
                details={
                    "measure": MeasureKind.BLOCK_CONTENT.value,
                    "days": 30,
                    "ground": "illegal_content",
                },
                policy_version="2026-01",
            )
            events.append(event)
            head = event.head
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        (directory / "checkpoints").mkdir()
        previous = None
        for hour in range(hours):
            after, through = (iso(start + timedelta(hours=h)) for h in (hour, hour + 1))
            body = checkpoint_body(
                seq=hour + 1,
                previous_hash=previous,
                after=after,
                through=through,
                events=(e for e in events if after < e.occurred_at <= through),
                sealed_at=through,
                key_id="bench",
            )
            digest = checkpoint_body_digest(body)
            signature = key.sign(digest, ec.ECDSA(hashes.SHA256()))
            checkpoint = {**body, "signature": base64.b64encode(signature).decode()}
            previous = checkpoint_hash(checkpoint)
            name = f"{hour + 1:010d}.json"
            (directory / "checkpoints" / name).write_text(json.dumps(checkpoint))
        (directory / "key.pem").write_bytes(
            key.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
        export = directory / "trail.jsonl"
        export.write_bytes(b"".join(jsonl_line(e.model_dump(mode="json")) for e in events))
        lines = export.read_bytes().splitlines(keepends=True)
        began = time.perf_counter()
        report = verify_audit.verify(
            export, directory / "checkpoints", directory / "key.pem", quiet=True
        )
        verified = time.perf_counter() - began
        assert report.problems.first() is None and report.sealed_events == VERIFY_EVENTS
        began = time.perf_counter()
        for line in lines:
            hashlib.sha256(line).digest()
        hashed = time.perf_counter() - began
    return {
        "events": VERIFY_EVENTS,
        "verified per s": VERIFY_EVENTS / verified,
        "sha256 per s": VERIFY_EVENTS / hashed,
        "ratio": hashed / verified,
    }


def main() -> None:
    """Print every figure."""
    _environment()
    print("Per submission (each evidence file 1 MiB):")
    for row in measure_submissions():
        calls = row.pop("calls")
        print("  " + ", ".join(f"{k}: {v}" for k, v in row.items()))
        print("    " + ", ".join(f"{k} {v}" for k, v in calls.items()))
    print("Reviewer operations:")
    for row in measure_review():
        calls = row.pop("calls")
        print("  " + ", ".join(f"{k}: {v}" for k, v in row.items()))
        print("    " + ", ".join(f"{k} {v}" for k, v in calls.items()))
    from tools.misuse_bench import measure_misuse

    print("Repeat infringers and unfounded notices:")
    for row in measure_misuse():
        calls = row.pop("calls")
        print("  " + ", ".join(f"{k}: {v}" for k, v in row.items()))
        print("    " + ", ".join(f"{k} {v}" for k, v in calls.items()))
    latency = measure_enforcement_latency()
    print(
        f"Local stack, decision committed to its enforcement message on the queue "
        f"({latency['decisions']:.0f} decisions, relay on the table's stream polled every "
        f"0.25 s): median {latency['median ms']:.0f} ms, 95th percentile {latency['p95 ms']:.0f} ms"
    )
    verified = measure_verification()
    print(
        f"Offline verification of an export ({verified['events']:,} events, 5 checkpoints): "
        f"{verified['verified per s']:,.0f} events/s; plain SHA-256 over the same lines "
        f"{verified['sha256 per s']:,.0f}/s (ratio {verified['ratio']:.3f}; goal: at least 0.5)"
    )
    from tools.transparency_bench import measure_transparency

    report = measure_transparency()
    print(
        f"Transparency report of a half year ({report['days']} days of counters standing for "
        f"{report['events']:,} reports and decisions): {report['items read']} items read "
        f"(goal: at most one per day), {report['DynamoDB calls']} DynamoDB calls "
        f"({report['Queries']} Query, {report['Scans']} Scan)"
    )
    from tools.statements_bench import measure_statements

    exported = measure_statements()
    print(
        f"Statements of reasons exported over moto ({exported['decisions']} decisions, pages of "
        f"{exported['page size']}, {exported['pages']} pages): {exported['per s']:,.0f} "
        f"statements/s; {exported['queries']} Queries, {exported['scans']} Scans, "
        f"{exported['other calls']} other DynamoDB calls"
    )
    from tools.console_bench import measure_console

    console = measure_console()
    if console is None:
        print("Staff console: not measured (no Chromium at /usr/bin/chromium)")
    else:
        print(
            f"Staff console on the local stack (median of {console['runs']}, page load to shown): "
            f"queue {console['queue median ms']:.0f} ms, case with its evidence and decision form "
            f"{console['case median ms']:.0f} ms; queue to a sent 30-day block in "
            f"{console['actions']} actions ({', '.join(console['steps'])})"
        )
    figures = measure_import()
    print(
        f"Import time (median of {IMPORT_RUNS}, interleaved): "
        f"bare Chalice app with boto3 and pydantic {figures['bare ms']:.0f} ms; "
        f"app {figures['app ms']:.0f} ms (ratio {figures['ratio']:.2f}); "
        f"app with the intake use case and its adapters loaded {figures['loaded ms']:.0f} ms "
        f"(ratio {figures['loaded ratio']:.2f}; goal: at most 1.15); "
        "boto3 clients built at import: 0"
    )


if __name__ == "__main__":
    main()
