"""The offline verifier: an exported trail verifies, and each kind of tampering is named."""

from __future__ import annotations

import base64
import copy
import csv
import json
import os
import random
import subprocess
import sys
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.adapters.checkpoints import CheckpointStore, checkpoint_key
from chalicelib.adapters.repository import Repository
from chalicelib.domain import merkle, verification
from chalicelib.domain.audit import EVENT_FIELDS, event_hash
from chalicelib.domain.lifecycle import Actor
from chalicelib.services.checkpoints import Checkpoints
from chalicelib.services.intake import Intake
from chalicelib.services.review import Review
from chalicelib.wiring import build
from tests.review_helpers import decision, open_case
from tools import verify_audit

ROOT = Path(__file__).resolve().parent.parent
START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
SEED = int(os.environ.get("VERIFY_SEED") or random.SystemRandom().randrange(2**32))
BLOCK = {"type": "block_content", "days": 30}
RESTRICT = {"type": "restrict_user", "service": "kakaotalk", "days": 3}
REVIEWER = Actor("reviewer:r1", "reviewer")

Event = dict[str, Any]

# Characters where the C encoder could part from RFC 8785: controls, quotes, escapes, the BMP's
# top (which UTF-16 sorts after surrogate pairs), astral planes, and lone surrogates.
tricky_text = st.text(
    st.one_of(
        st.characters(),
        st.sampled_from(["\x00", "\x1f", "\x7f", '"', "\\", "/", "\u2028", "\ue000", "\uffff"]),
        st.sampled_from(["\U0001f600", "\U00010000", "\ud800", "\udfff"]),
    ),
    max_size=6,
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**60), 2**60)
    | st.floats(allow_nan=False)
    | tricky_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(tricky_text, inner, max_size=4),
    max_leaves=12,
)


@dataclass
class Trail:
    """An exported trail: events in chain order per case, checkpoints, the audit key."""

    cases: dict[str, str]
    events: list[Event]
    checkpoints: list[dict[str, Any]]
    public_key_pem: str

    def event(self, case: str, seq: int) -> Event:
        """Return the event `seq` of the case named `case`."""
        case_id = self.cases[case]
        return next(e for e in self.events if e["case_id"] == case_id and e["seq"] == seq)

    def without(self, *removed: Event) -> list[Event]:
        """Return the events but `removed`."""
        return [e for e in self.events if all(e is not r for r in removed)]


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def build_trail() -> Trail:
    """Open, decide and seal cases over 22 minutes: four checkpoints, then unsealed events."""
    clock = Clock()
    intake, review = build(Intake, clock=clock), build(Review, clock=clock)
    sealer = build(Checkpoints, clock=clock, origin="2026-11-20T00:00:00.000Z")
    cases: dict[str, str] = {}

    def at(minute: int, *steps: Callable[[], object]) -> None:
        clock.now = START + timedelta(minutes=minute)
        for step in steps:
            step()

    def open_(name: str) -> Callable[[], object]:
        return lambda: cases.update({name: open_case(intake)[0]})

    def decide(name: str, *measures: dict[str, Any]) -> Callable[[], object]:
        return lambda: review.decide(cases[name], decision(1, *measures), REVIEWER, "http://x")

    def seal() -> None:
        checkpoint = sealer.seal()
        assert checkpoint is not None and checkpoint["tree_size"] > 0

    at(0, open_("a"), open_("b"), open_("c"))
    at(1, decide("a", BLOCK, RESTRICT))
    at(5, seal)  # 1: a1-a3, b1, c1
    at(6, open_("d"), decide("b", BLOCK, RESTRICT))
    at(10, seal)  # 2: b2, b3, d1
    at(11, decide("c", BLOCK), open_("e"))
    at(15, seal)  # 3: c2, e1
    at(16, decide("d", BLOCK, RESTRICT), open_("f"))
    at(20, seal)  # 4: d2, d3, f1
    at(21, open_("g"), decide("e", BLOCK))
    at(22, decide("g", BLOCK, RESTRICT))  # never sealed: e2, g1-g3

    repository, store = Repository(), CheckpointStore()
    events = [e.model_dump(mode="json") for c in cases.values() for e in repository.case_events(c)]
    checkpoints = [store.read(seq) for seq in range(1, 5)]
    assert store.read(5) is None
    return Trail(cases, events, [c for c in checkpoints if c], store.public_key_pem())


@pytest.fixture(scope="module")
def built() -> dict[str, Trail]:
    return {}


@pytest.fixture
def trail(request: pytest.FixtureRequest, built: dict[str, Trail]) -> Trail:
    # Building the trail under moto takes seconds: build it once, let each test tamper a copy.
    if "trail" not in built:
        request.getfixturevalue("aws")
        built["trail"] = build_trail()
    return copy.deepcopy(built["trail"])


def write(
    directory: Path,
    trail: Trail,
    events: list[Event] | None = None,
    checkpoints: list[dict[str, Any]] | None = None,
    form: str = "jsonl",
) -> list[str]:
    """Write the export (shuffled), the checkpoint files and the key; return the arguments."""
    print(f"VERIFY_SEED={SEED}")
    lines = list(trail.events if events is None else events)
    random.Random(SEED).shuffle(lines)
    export = directory / f"events.{form}"
    if form == "jsonl":
        export.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in lines))
    else:
        with export.open("w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=EVENT_FIELDS)
            writer.writeheader()
            for e in lines:
                details = json.dumps(e["details"], ensure_ascii=False)
                writer.writerow({**e, "details": details, "from_status": e["from_status"] or ""})
    folder = directory / "checkpoints"
    folder.mkdir()
    for checkpoint in trail.checkpoints if checkpoints is None else checkpoints:
        stored = json.dumps(checkpoint, ensure_ascii=False, sort_keys=True)
        (directory / checkpoint_key(checkpoint["seq"])).write_text(stored)
    key = directory / "audit-key.pem"
    key.write_text(trail.public_key_pem)
    return [str(export), "--checkpoints", str(folder), "--public-key", str(key)]


def run(argv: list[str], quiet: bool = True) -> tuple[int, str, str]:
    """Run the verifier in process; return its exit code, stdout and stderr."""
    out, err = StringIO(), StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = verify_audit.main([*argv, "--quiet"] if quiet else argv)
    return code, out.getvalue(), err.getvalue()


def rejected(argv: list[str]) -> str:
    """Run the verifier, expect it to find a problem, and return the first one it names."""
    code, out, _ = run(argv)
    assert code == verify_audit.EXIT_BAD, out
    first = out.splitlines()[0]
    assert first.startswith("NOT VERIFIED: "), out
    return first.removeprefix("NOT VERIFIED: ")


def subject(event: Event) -> str:
    return f"event {event['event_id']} (case {event['case_id']}, seq {event['seq']}"


def rehash(event: Event) -> Event:
    body = {name: value for name, value in event.items() if name != "hash"}
    return {**body, "hash": event_hash(body)}


def rechain(events: list[Event], case_id: str) -> list[Event]:
    """Rebuild a case's chain over its events, as someone with write access but no key could."""
    head = "0" * 64
    rebuilt = []
    for event in sorted((e for e in events if e["case_id"] == case_id), key=lambda e: e["seq"]):
        event = rehash({**event, "prev_hash": head})
        head = event["hash"]
        rebuilt.append(event)
    return [e for e in events if e["case_id"] != case_id] + rebuilt


@settings(max_examples=400, deadline=None)
@given(value=json_values)
def test_the_fast_canonical_json_is_rfc_8785(value: Any) -> None:
    try:
        expected = rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, UnicodeEncodeError):
        with pytest.raises(rfc8785.CanonicalizationError):
            verification.canonical_json(value)
        return
    assert verification.canonical_json(value) == expected


@settings(max_examples=150, deadline=None)
@given(details=st.dictionaries(tricky_text, json_values, max_size=4), seq=st.integers(1, 2**60))
def test_the_fast_event_hash_is_event_hash(details: dict[str, Any], seq: int) -> None:
    body = {name: "x" for name in verification.BODY_FIELDS} | {"seq": seq, "details": details}
    try:
        expected = event_hash(body)
    except (rfc8785.CanonicalizationError, UnicodeEncodeError):
        with pytest.raises(rfc8785.CanonicalizationError):
            verification.canonical_hash(body)
        return
    assert verification.canonical_hash(body) == expected


def test_an_untouched_trail_verifies_in_any_order(trail: Trail, tmp_path: Path) -> None:
    code, out, _ = run(write(tmp_path, trail))
    assert code == verify_audit.EXIT_OK, out
    assert out.startswith(
        f"VERIFIED {len(trail.events)} events of {len(trail.cases)} cases: 13 sealed, "
        "4 outside every checkpoint window (chain checks only); 4 of 4 checkpoints verified"
    ), out


def test_a_changed_field_is_named(trail: Trail, tmp_path: Path) -> None:
    changed = trail.event("a", 2)
    changed["actor_id"] = "reviewer:someone-else"
    first = rejected(write(tmp_path, trail))
    assert first.startswith(subject(changed)) and "hash does not match its content" in first


def test_a_rewritten_and_rechained_history_is_caught_by_its_checkpoint(
    trail: Trail, tmp_path: Path
) -> None:
    trail.event("a", 2)["details"]["days"] = 1
    events = rechain(trail.events, trail.cases["a"])
    first = rejected(write(tmp_path, trail, events))
    assert first.startswith(subject(trail.event("a", 2)))
    assert "differs from the event checkpoint 1 sealed" in first


def test_a_removed_sealed_event_is_named(trail: Trail, tmp_path: Path) -> None:
    removed = trail.event("a", 2)
    first = rejected(write(tmp_path, trail, trail.without(removed)))
    assert first.startswith(subject(removed))
    assert "checkpoint 1 sealed it, but the export does not hold it" in first


def test_a_removed_unsealed_event_breaks_its_chain(trail: Trail, tmp_path: Path) -> None:
    first = rejected(write(tmp_path, trail, trail.without(trail.event("g", 2))))
    assert first.startswith(subject(trail.event("g", 3)))
    assert "seq 2 is missing before it" in first


def test_the_newest_events_removed_are_named(trail: Trail, tmp_path: Path) -> None:
    newest = trail.checkpoints[3]
    kept = [e for e in trail.events if e["occurred_at"] <= newest["after"]]
    first = rejected(write(tmp_path, trail, kept))
    case_id, seq, event_id, _ = newest["leaves"][0]
    assert first.startswith(f"event {event_id} (case {case_id}, seq {seq})")
    assert "checkpoint 4 sealed it" in first


def test_two_swapped_events_are_named(trail: Trail, tmp_path: Path) -> None:
    second, third = trail.event("a", 2), trail.event("a", 3)
    second["seq"], third["seq"] = 3, 2
    first = rejected(write(tmp_path, trail))
    assert first.startswith(subject(third)) and "hash does not match its content" in first


def test_a_forged_event_inserted_into_a_sealed_window_is_named(
    trail: Trail, tmp_path: Path
) -> None:
    last = trail.event("c", 2)
    forged = rehash(
        {
            **last,
            "event_id": "01KFORGED0000000000000000X",
            "seq": 3,
            "action": "delete_content",
            "occurred_at": "2026-11-20T09:07:00.000Z",
            "prev_hash": last["hash"],
        }
    )
    first = rejected(write(tmp_path, trail, [*trail.events, forged]))
    assert first.startswith(subject(forged))
    assert "not sealed by checkpoint 2, whose window holds its time" in first


def test_an_event_inserted_mid_chain_and_rechained_is_named(trail: Trail, tmp_path: Path) -> None:
    case_id = trail.cases["a"]
    for event in trail.events:
        if event["case_id"] == case_id and event["seq"] >= 2:
            event["seq"] += 1
    inserted = {**trail.event("a", 3), "event_id": "01KFORGED0000000000000000Y", "seq": 2}
    events = rechain([*trail.events, inserted], case_id)
    first = rejected(write(tmp_path, trail, events))
    assert first.startswith(f"event 01KFORGED0000000000000000Y (case {case_id}, seq 2")
    assert "differs from the event checkpoint 1 sealed" in first


def test_a_whole_case_removed_is_named(trail: Trail, tmp_path: Path) -> None:
    case_id = trail.cases["b"]
    first = rejected(write(tmp_path, trail, [e for e in trail.events if e["case_id"] != case_id]))
    assert first.startswith(subject(trail.event("b", 1)))
    assert "checkpoint 1 sealed it, but the export does not hold it" in first


def _new_root(checkpoint: dict[str, Any]) -> None:
    checkpoint["root"] = "00" * 32


def _borrowed_signature(checkpoint: dict[str, Any]) -> None:
    checkpoint["signature"] = base64.b64encode(b"\x30\x06\x02\x01\x01\x02\x01\x01").decode()


def _dropped_leaf(checkpoint: dict[str, Any]) -> None:
    # Someone without the key rebuilds the tree consistently; only the signature tells.
    leaves = checkpoint["leaves"][1:]
    checkpoint["leaves"], checkpoint["tree_size"] = leaves, len(leaves)
    checkpoint["root"] = merkle.root(bytes.fromhex(leaf[3]) for leaf in leaves).hex()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (_new_root, "its root does not match the tree of its leaves"),
        (_borrowed_signature, "its signature does not verify with the audit key"),
        (_dropped_leaf, "its signature does not verify with the audit key"),
    ],
)
def test_a_changed_checkpoint_is_named(
    trail: Trail, tmp_path: Path, change: Callable[[dict[str, Any]], None], reason: str
) -> None:
    change(trail.checkpoints[1])
    first = rejected(write(tmp_path, trail))
    assert first == f"checkpoint 2 (0000000002.json): {reason}"


def test_a_missing_checkpoint_is_named(trail: Trail, tmp_path: Path) -> None:
    del trail.checkpoints[1]
    first = rejected(write(tmp_path, trail))
    assert first == "checkpoint 2: missing (checkpoint 3 (0000000003.json) follows checkpoint 1)"


def test_the_csv_form_verifies_and_shows_a_change(trail: Trail, tmp_path: Path) -> None:
    good, bad = tmp_path / "good", tmp_path / "bad"
    good.mkdir()
    bad.mkdir()
    code, out, _ = run(write(good, trail, form="csv"))
    assert code == verify_audit.EXIT_OK, out
    changed = trail.event("d", 3)
    changed["details"]["days"] = 90
    first = rejected(write(bad, trail, form="csv"))
    assert first.startswith(subject(changed)) and "hash does not match its content" in first


def test_a_time_range_export_verifies_against_the_checkpoints_of_its_range(
    trail: Trail, tmp_path: Path
) -> None:
    second, third = trail.checkpoints[1], trail.checkpoints[2]
    ranged = [e for e in trail.events if second["after"] < e["occurred_at"] <= third["through"]]
    argv = write(tmp_path, trail, ranged)
    code, out, _ = run([*argv, "--from", second["after"], "--to", third["through"]])
    assert code == verify_audit.EXIT_OK, out
    # b's and c's chains start at seq 2, after the events that checkpoint 1 sealed.
    assert "2 chains start after seq 1, 2 of them at an event a checkpoint sealed" in out
    # Taken for the whole trail, the export lacks what checkpoints 1 and 4 sealed.
    assert rejected(argv).startswith(subject(trail.event("a", 1)))


def test_progress_goes_to_stderr_unless_quiet(
    trail: Trail, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(verify_audit, "PROGRESS_EVERY", 5)
    argv = write(tmp_path, trail)
    _, _, told = run(argv, quiet=False)
    assert "verify_audit: 5 events read (" in told and "%)" in told
    assert run(argv)[2] == ""


def test_unreadable_input_exits_2(trail: Trail, tmp_path: Path) -> None:
    argv = write(tmp_path, trail)
    export = Path(argv[0])
    export.write_text(export.read_text() + "{not json\n")
    code, _, told = run(argv)
    assert code == verify_audit.EXIT_UNREADABLE and "not JSON" in told
    export.write_text("")
    Path(argv[-1]).write_text("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
    assert run(argv)[0] == verify_audit.EXIT_UNREADABLE


def test_it_runs_standalone_without_aws(trail: Trail, tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    for package in ("boto3", "botocore"):
        (blocked / package).mkdir(parents=True)
        (blocked / package / "__init__.py").write_text("raise ImportError('no AWS here')\n")
    (tmp_path / "trail").mkdir()
    argv = write(tmp_path / "trail", trail)
    done = subprocess.run(
        [sys.executable, "-m", "tools.verify_audit", *argv],
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": f"{blocked}{os.pathsep}{ROOT}"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("VERIFIED ") and "events read (100%)" in done.stderr


def canonical_lines(events: list[Event]) -> list[bytes]:
    """Return the events as the service exports them: each its RFC 8785 form, hash included."""
    return [verification.canonical_json(e) + b"\n" for e in events]


def test_an_export_as_the_service_writes_it_verifies_line_by_line_as_sealed(
    trail: Trail, tmp_path: Path
) -> None:
    argv = write(tmp_path, trail)
    export = Path(argv[0])
    export.write_bytes(b"".join(canonical_lines(trail.events)))
    code, out, _ = run(argv)
    assert code == verify_audit.EXIT_OK, out
    # A sealed line is taken as it is, for the fields the checkpoint vouches for.
    verifier = verification.Verifier(verification.public_key(trail.public_key_pem.encode()))
    for checkpoint in trail.checkpoints:
        verifier.checkpoint(checkpoint, checkpoint_key(checkpoint["seq"]).split("/")[-1])
    for event, line in zip(trail.events, canonical_lines(trail.events), strict=True):
        fields = (event["case_id"], event["seq"], event["event_id"], event["occurred_at"])
        expected = (*fields, event["prev_hash"], event["hash"])
        sealed = verifier.sealed_hash(event["case_id"], event["seq"]) is not None
        assert verify_audit.sealed_line(line, verifier) == (expected if sealed else None)

    changed = trail.event("a", 2)
    changed["details"]["days"] = 7
    export.write_bytes(b"".join(canonical_lines(trail.events)))
    first = rejected(argv)
    assert first.startswith(subject(changed)) and "hash does not match its content" in first


@pytest.fixture
def trail_once(trail: Trail) -> Trail:
    return trail


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_sealed_line_changed_anywhere_is_not_taken_as_sealed(
    data: st.DataObject, trail_once: Trail
) -> None:
    # The fixture is only read here, so one copy serves every example.
    verifier = verification.Verifier(verification.public_key(trail_once.public_key_pem.encode()))
    for checkpoint in trail_once.checkpoints:
        verifier.checkpoint(checkpoint, checkpoint_key(checkpoint["seq"]).split("/")[-1])
    sealed = [
        e for e in trail_once.events if verifier.sealed_hash(e["case_id"], e["seq"]) is not None
    ]
    assert len(sealed) == 13
    event = data.draw(st.sampled_from(sealed))
    line = verification.canonical_json(event)
    assert verify_audit.sealed_line(line, verifier) is not None
    at = data.draw(st.integers(0, len(line) - 1))
    byte = data.draw(st.integers(0, 255).filter(lambda b: b != line[at]))
    changed = line[:at] + bytes([byte]) + line[at + 1 :]
    assert verify_audit.sealed_line(changed, verifier) is None
    cut = data.draw(st.integers(0, len(line) - 1))
    assert verify_audit.sealed_line(line[:cut] + line[cut + 1 :], verifier) is None
