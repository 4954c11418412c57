"""Faults at every AWS call of each operation, a client that retries, the relay and the sweeper
run after: nothing lost, nothing doubled, nothing half-written, no orphan locked evidence."""

from __future__ import annotations

import json
import urllib.parse
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from chalice.test import Client
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from chalicelib.adapters.derived_keys import forget_derived_keys
from chalicelib.adapters.repository import Repository
from chalicelib.adapters.staff_pool import reset_directory
from chalicelib.config import settings
from chalicelib.domain.clock import iso
from chalicelib.domain.outbox import EffectState
from chalicelib.services.effects import ENFORCED_ACTIONS, NOTIFIED_ACTIONS
from chalicelib.services.outbox import Relay
from chalicelib.services.review import Review
from chalicelib.services.timers import Timers
from chalicelib.wiring import build
from tests.chains import first_bad_event
from tests.conftest import PNG, deliver_effects, post_json, put_staged, report, sign_in
from tests.faults import KINDS, Crash, Faults
from tests.review_helpers import decision
from tools.provision import LocalStack

BLOCK = {"type": "block_content", "days": 1}


@pytest.fixture
def faults(client: Client) -> Iterator[Faults]:
    """Hook the app's AWS clients (after the app is loaded, so they are the ones it uses)."""
    yield Faults().install()


def send(client: Client, path: str, body: Any, headers: dict[str, str]) -> Any:
    """Send as a client library does: after a 5xx or a dropped connection, again, same key."""
    keyed = {**headers, "Idempotency-Key": str(uuid.uuid4())}
    for _ in range(4):
        try:
            response = post_json(client, path, body, keyed)
        except Crash:
            continue  # API Gateway answered 502; the client tries again
        if response.status_code < 500:
            return response
    raise AssertionError(f"{path} never succeeded")


def settle(faults: Faults) -> None:
    """Run the relay on the stream, then the sweeper later on, as AWS would, faults spent."""
    for _ in range(3):
        try:
            deliver_effects()
        except Crash:
            continue  # Lambda hands the batch on again
        break
    faults.disarm()
    deliver_effects()
    for minutes in (10, 40, 120):
        build(Relay, clock=_clock(datetime.now(UTC) + timedelta(minutes=minutes))).sweep()


def _clock(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


DRAINED: Counter[tuple[str, str]] = Counter()  # (case id, message id) of every message seen


@pytest.fixture(autouse=True)
def _nothing_drained_yet() -> None:
    DRAINED.clear()


def drain_queue() -> list[dict[str, Any]]:
    """Receive every message on the queue, and remember each for the test's whole run."""
    sqs = boto3.client("sqs")
    found: list[dict[str, Any]] = []
    while batch := sqs.receive_message(
        QueueUrl=settings().enforcement_queue_url, MaxNumberOfMessages=10
    ).get("Messages", []):
        for message in batch:
            found.append(json.loads(message["Body"]))
            DRAINED.update([(found[-1]["case_id"], found[-1]["message_id"])])
            sqs.delete_message(
                QueueUrl=settings().enforcement_queue_url, ReceiptHandle=message["ReceiptHandle"]
            )
    return found


def status_of(case_id: str) -> str:
    """Read a case's status past the app's clients (whose calls the faults count)."""
    item = boto3.client("dynamodb").get_item(
        TableName=settings().cases_table,
        Key={"pk": {"S": f"CASE#{case_id}"}, "sk": {"S": "CASE"}},
        ConsistentRead=True,
    )["Item"]
    return str(item["status"]["S"])


def mails_to(address: str) -> list[Any]:
    sent = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages
    return [m for m in sent if m.destinations["ToAddresses"] == [address]]


def assert_whole(case_id: str, messages: list[dict[str, Any]]) -> None:
    """The case, its trail, its effects and its evidence are each whole and each once."""
    repository = Repository()
    case, effects = repository.case_with_effects(case_id)
    assert case is not None
    assert all(e["state"] == EffectState.DELIVERED for e in effects), effects
    events = repository.case_events(case_id)
    assert first_bad_event(events) == (None, "verified")
    assert events[-1].head == case.chain, "the case and its trail agree"
    expected = [e.event_id for e in events if e.action in ENFORCED_ACTIONS | NOTIFIED_ACTIONS]
    mine = [m for m in messages if m["case_id"] == case_id]
    ever = Counter({m: n for (c, m), n in DRAINED.items() if c == case_id})
    assert ever == Counter(expected), "each message of the case's trail once, ever"
    for message in mine:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(message["notice_url"]).query)
        if "token" in query:  # the poster's link works
            build(Review).notice(case_id, query["token"][0])
    assert len({d.decision_id for d in case.decisions}) == len(case.decisions)
    s3 = boto3.client("s3")
    versions = s3.list_object_versions(
        Bucket=settings().evidence_bucket, Prefix=f"cases/{case_id}/"
    ).get("Versions", [])
    kept = Counter(v["Key"] for v in versions)
    assert kept == Counter(f.key for f in case.all_evidence), "each file kept once, no orphan"


def assert_no_orphans() -> None:
    """Every file in the locked bucket belongs to a case that exists and names it."""
    repository = Repository()
    s3 = boto3.client("s3")
    versions = s3.list_object_versions(Bucket=settings().evidence_bucket).get("Versions", [])
    for version in versions:
        _, case_id, _ = version["Key"].split("/")
        case = repository.get_case(case_id)
        assert case is not None, f"{version['Key']} belongs to no case"
        assert version["Key"] in {f.key for f in case.all_evidence}


def staged(client: Client, count: int) -> list[str]:
    """Upload `count` files as the browser does (no faults armed), and return their ids."""
    ids = []
    for index in range(count):
        grant = post_json(
            client,
            "/v1/uploads",
            {"filename": f"shot{index}.png", "content_type": "image/png", "size": len(PNG)},
        )
        put_staged(grant.json_body["fields"]["key"], PNG, "image/png")
        ids.append(grant.json_body["upload_id"])
    return ids


def each_call(
    faults: Faults, kind: str, prepare: Callable[[], Any], operate: Callable[[Any], str]
) -> int:
    """Run the operation once clean to count its calls; then once per call, that call failing.

    Return how many calls the operation makes.
    """
    prepared = prepare()
    forget_process_caches()
    faults.arm(None, -1)
    case_id = operate(prepared)
    calls = len(faults.calls)
    settle_after(faults, case_id)
    assert calls > 0
    for at in range(calls):
        prepared = prepare()
        forget_process_caches()  # each run a cold process: the KMS and Cognito calls fail too
        faults.arm(kind, at)
        case_id = operate(prepared)
        assert faults.fired, f"call {at} never came"
        settle_after(faults, case_id)
    assert_no_orphans()
    return calls


def forget_process_caches() -> None:
    forget_derived_keys()
    reset_directory()


def settle_after(faults: Faults, case_id: str) -> None:
    settle(faults)
    assert_whole(case_id, drain_queue())


@pytest.mark.parametrize("files", [1, 3])
@pytest.mark.parametrize("kind", KINDS)
def test_a_report_is_kept_whole_whatever_fails(
    client: Client, faults: Faults, kind: str, files: int
) -> None:
    def prepare() -> dict[str, Any]:
        email = f"c-{uuid.uuid4().hex[:8]}@example.com"
        return report(staged(client, files), claimant={**report([])["claimant"], "email": email})

    def submit(body: dict[str, Any]) -> str:
        response = send(client, "/v1/reports", body, {})
        assert response.status_code == 201, response.json_body
        return str(response.json_body["case_id"])

    calls = each_call(faults, kind, prepare, submit)
    assert calls >= 2 + 2 * files
    sent = Counter(m.destinations["ToAddresses"][0] for m in mails_to_all())
    assert all(count >= 1 for count in sent.values())


def mails_to_all() -> list[Any]:
    return list(ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages)


def opened(client: Client) -> str:
    response = post_json(client, "/v1/reports", report(staged(client, 1)))
    assert response.status_code == 201
    case_id = str(response.json_body["case_id"])
    deliver_effects()
    drain_queue()
    return case_id


@pytest.mark.parametrize("kind", KINDS)
def test_a_decision_reaches_the_platform_and_the_claimant_once(
    client: Client, aws: LocalStack, faults: Faults, kind: str
) -> None:
    reviewer = {"Authorization": f"Bearer {sign_in(aws, 'reviewer')}"}
    mailed_before: dict[str, int] = {}

    def prepare() -> str:
        case_id = opened(client)
        mailed_before[case_id] = len(mails_to("minji@example.com"))
        return case_id

    def decide(case_id: str) -> str:
        path = f"/v1/cases/{case_id}/decisions"
        response = send(client, path, decision(1, BLOCK), reviewer)
        assert response.status_code == 201, response.json_body
        return case_id

    each_call(faults, kind, prepare, decide)


@pytest.mark.parametrize("kind", KINDS)
def test_a_re_posting_request_is_recorded_once_with_its_file(
    client: Client, aws: LocalStack, faults: Faults, kind: str
) -> None:
    reviewer = {"Authorization": f"Bearer {sign_in(aws, 'reviewer')}"}

    def prepare() -> tuple[str, str, list[str]]:
        case_id = opened(client)
        faults.arm(None, -1)
        decided = post_json(client, f"/v1/cases/{case_id}/decisions", decision(1, BLOCK), reviewer)
        assert decided.status_code == 201
        deliver_effects()
        [message] = drain_queue()
        token = urllib.parse.parse_qs(urllib.parse.urlsplit(message["notice_url"]).query)
        return case_id, token["token"][0], staged(client, 1)

    def request(prepared: tuple[str, str, list[str]]) -> str:
        case_id, token, evidence = prepared
        body = {
            "statement": "The post is mine and true; I ask to re-post it.",
            "evidence": evidence,
        }
        response = send(
            client,
            f"/v1/notices/{case_id}/reposting-requests",
            body,
            {"X-Notice-Token": token},
        )
        assert response.status_code == 201, response.json_body
        return case_id

    each_call(faults, kind, prepare, request)


@pytest.mark.parametrize("kind", KINDS)
def test_a_timer_run_that_ends_a_block_deletes_the_content_once(
    client: Client, aws: LocalStack, faults: Faults, kind: str
) -> None:
    reviewer = {"Authorization": f"Bearer {sign_in(aws, 'reviewer')}"}
    later = datetime.now(UTC) + timedelta(days=2)

    def prepare() -> str:
        case_id = opened(client)
        decided = post_json(client, f"/v1/cases/{case_id}/decisions", decision(1, BLOCK), reviewer)
        assert decided.status_code == 201
        deliver_effects()
        drain_queue()
        return case_id

    def run_timers(case_id: str) -> str:
        timers = build(Timers, clock=lambda: later)
        for _ in range(3):  # the schedule fires again after a failed run
            try:
                timers.run("https://irc.test")
            except (Exception, Crash) as failed:
                print(f"timer run failed: {type(failed).__name__}")  # the next run takes over
                continue
            break
        assert status_of(case_id) == "closed"
        return case_id

    each_call(faults, kind, prepare, run_timers)


@pytest.mark.parametrize("kind", KINDS)
def test_the_relay_delivers_every_effect_once_whatever_fails(
    client: Client, aws: LocalStack, faults: Faults, kind: str
) -> None:
    """Faults at the relay's own calls: a decision's message, its mail, a report's copy."""
    reviewer = {"Authorization": f"Bearer {sign_in(aws, 'reviewer')}"}
    delivered = 0
    at = 0
    while True:
        faults.arm(None, -1)
        response = post_json(client, "/v1/reports", report(staged(client, 1)))
        case_id = str(response.json_body["case_id"])
        decided = post_json(client, f"/v1/cases/{case_id}/decisions", decision(1, BLOCK), reviewer)
        assert decided.status_code == 201
        faults.arm(kind, at)
        settle(faults)
        messages = drain_queue()
        assert_whole(case_id, messages)
        assert len(mails_to("minji@example.com")) >= 2 * (delivered + 1)
        delivered += 1
        if not faults.fired:
            break  # every call of the relay has failed once
        at += 1
    assert_no_orphans()
    assert at >= 8


def test_a_committed_decision_is_replayed_not_refused(
    client: Client, aws: LocalStack, faults: Faults
) -> None:
    reviewer = {"Authorization": f"Bearer {sign_in(aws, 'reviewer')}"}
    case_id = opened(client)
    keyed = {**reviewer, "Idempotency-Key": "decision-0123456789abcdef"}
    path = f"/v1/cases/{case_id}/decisions"
    faults.arm("answer_lost", 2)  # the transaction commits; its answer is lost
    lost = post_json(client, path, decision(1, BLOCK), keyed)
    assert faults.fired == "dynamodb.TransactWriteItems" and lost.status_code >= 500
    again = post_json(client, path, decision(1, BLOCK), keyed)
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    other = post_json(client, path, decision(1, {"type": "reject"}), keyed)
    assert other.status_code == 422
    assert other.json_body["errors"][0]["field"] == "Idempotency-Key"
    assert len(Repository().case_events(case_id)) == 2


@pytest.mark.parametrize("kind", KINDS)
def test_sealing_recovers_by_itself_whatever_fails(
    client: Client, faults: Faults, kind: str
) -> None:
    """Each call of a sealing run fails once; the schedule runs it again; it never gets stuck."""
    from chalicelib.services.audit import Audit
    from chalicelib.services.checkpoints import Checkpoints
    from chalicelib.services.intake import Intake
    from tests.review_helpers import open_case

    start = datetime.now(UTC)
    clock = {"now": start}
    origin = iso(start - timedelta(minutes=1))

    def now() -> datetime:
        return clock["now"]

    def seal_until_done() -> list[dict[str, Any]]:
        for _ in range(4):  # the schedule fires again after a failed run
            try:
                return build(Checkpoints, clock=now, origin=origin).seal_up()
            except (Exception, Crash) as failed:
                print(f"sealing run failed: {type(failed).__name__}")
        raise AssertionError("sealing is stuck")

    def opened_now() -> None:
        open_case(build(Intake, clock=now))  # its events are written at the sealer's time
        clock["now"] += timedelta(minutes=5)

    at = 0
    while True:
        opened_now()
        faults.arm(kind, at)
        seal_until_done()
        faults.disarm()
        opened_now()
        assert seal_until_done(), "a later window seals after the fault"
        head = Repository().checkpoint_head()
        assert head is not None
        files = boto3.client("s3").list_object_versions(Bucket=settings().checkpoint_bucket)
        assert len(files.get("Versions", [])) == int(head["seq"]), "one file per checkpoint"
        summary = build(Audit, clock=now).verify({"from": iso(start), "to": iso(clock["now"])})
        assert summary.verified, summary
        if not faults.fired:
            break
        at += 1
    assert at >= 4


def test_a_write_the_sdk_resent_after_it_committed_stands_even_without_a_key(
    client: Client, aws: LocalStack, faults: Faults
) -> None:
    """DynamoDB answers the SDK's second send of a committed transaction as done; so do we."""
    reviewer = {"Authorization": f"Bearer {sign_in(aws, 'reviewer')}"}
    # A warm process: its purpose keys derived, the pool's answer about this token at hand.
    post_json(client, "/v1/reports", report(staged(client, 1)))
    client.http.get("/v1/cases", headers=reviewer)
    body = report(staged(client, 1))
    faults.arm("sdk_resent", 3)  # BatchGetItem, GetObject, CopyObject, TransactWriteItems
    submitted = post_json(client, "/v1/reports", body)
    assert faults.fired == "dynamodb.TransactWriteItems"
    assert submitted.status_code == 201, submitted.json_body
    case_id = submitted.json_body["case_id"]
    deliver_effects()
    faults.arm("sdk_resent", 2)  # GetItem, GenerateMac, TransactWriteItems
    decided = post_json(client, f"/v1/cases/{case_id}/decisions", decision(1, BLOCK), reviewer)
    assert faults.fired == "dynamodb.TransactWriteItems"
    assert decided.status_code == 201, decided.json_body
    faults.disarm()
    settle(faults)
    assert_whole(case_id, drain_queue())
    assert [e.action for e in Repository().case_events(case_id)] == ["received", "block_content"]
