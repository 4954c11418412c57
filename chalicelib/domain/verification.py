"""Verify a stretch of the audit trail against the signed checkpoints that seal it.

One verifier serves the auditor's route and the offline command alike: feed it checkpoints in
sequence order, then events in any order, then finish. It checks every event's hash, every case's
chain (in sequence order), every checkpoint's signature, root and link to the one before, and the
events against the checkpoints' leaves: an event missing from the checkpoint whose window holds
its time was forged or inserted; a leaf no event shows was removed. Problems are kept in trail
order (checkpoints by number, then events by case and sequence, the order checkpoints seal them)
so the first one named is the cause, not a symptom. Pure: no AWS, no files.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import json
import re
import sys
from bisect import bisect_left
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any, NamedTuple

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from . import merkle
from .audit import EVENT_FIELDS, GENESIS_HASH
from .clock import iso

BODY_FIELDS = tuple(name for name in EVENT_FIELDS if name != "hash")
_TEXT_FIELDS = tuple(name for name in EVENT_FIELDS if name not in ("seq", "from_status", "details"))
SIGNING_ALGORITHM = "ECDSA_SHA_256"  # the audit key signs with it, in KMS
CHECKPOINT_FIELDS: dict[str, type] = {
    "version": int,
    "seq": int,
    "previous_hash": str,
    "after": str,
    "through": str,
    "tree_size": int,
    "root": str,
    "leaves": list,
    "sealed_at": str,
    "key_id": str,
    "signing_algorithm": str,
    "signature": str,
}

_SAFE_INTEGER = 2**53 - 1
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")
_HASH = re.compile(r"[0-9a-f]{64}")

# An event's place in the trail: (1, case_id, seq, rank, event_id); checkpoints sort first as
# (0, seq, rank, name). Within one event, a wrong hash outranks a wrong seal, which outranks a
# broken link: the earlier cause explains the later symptom.
RANK_CONTENT, RANK_SEAL, RANK_CHAIN = 0, 1, 2
Key = tuple[Any, ...]
Text = str | Callable[[], str]


class PublicKeyError(ValueError):
    """A public key that is not the audit key's kind: EC P-256, PEM."""


def public_key(pem: bytes) -> ec.EllipticCurvePublicKey:
    """Return the audit key's public half from PEM, or raise PublicKeyError."""
    try:
        key = load_pem_public_key(pem)
    except ValueError as error:
        raise PublicKeyError(str(error)) from None
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
        raise PublicKeyError("not an EC P-256 public key")
    return key


def canonical_json(value: Any, plain: bool | None = None) -> bytes:
    """Return RFC 8785 canonical JSON, by the C encoder wherever it writes the same bytes.

    Raise rfc8785.CanonicalizationError for what has none.
    """
    if _plain(value) if plain is None else plain:
        try:
            text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
            return text.encode()
        except (UnicodeEncodeError, RecursionError):
            pass
    try:
        return rfc8785.dumps(value)
    except (UnicodeEncodeError, RecursionError) as error:
        # rfc8785 lets a lone surrogate in a key, or deep nesting, escape as these.
        raise rfc8785.CanonicalizationError(str(error) or "nested too deeply") from None


def canonical_hash(body: dict[str, Any]) -> str:
    """Return event_hash(body) for a body of the event's fields and types: SHA-256, hex."""
    # Only details and seq can hold what the C encoder writes differently.
    plain = -_SAFE_INTEGER <= body["seq"] <= _SAFE_INTEGER and _plain(body["details"])
    return hashlib.sha256(canonical_json(body, plain)).hexdigest()


def _plain(value: Any) -> bool:
    # json.dumps escapes exactly what RFC 8785 does; it differs only on floats, integers beyond
    # 2**53 - 1, key order once keys leave the BMP (ASCII keys sort alike), and lone surrogates
    # (which fail to encode). Anything else takes the reference path.
    pending = [value]
    while pending:
        item = pending.pop()
        kind = type(item)
        if kind is str or item is None or kind is bool:
            continue
        if kind is int:
            if not -_SAFE_INTEGER <= item <= _SAFE_INTEGER:
                return False
        elif kind is dict:
            if not "".join(item).isascii():
                return False
            pending.extend(item.values())
        elif kind is list:
            pending.extend(item)
        else:
            return False
    return True


def checkpoint_body_digest(body: dict[str, Any]) -> bytes:
    """Return what the audit key signs: the SHA-256 of the body's RFC 8785 canonical JSON."""
    return hashlib.sha256(canonical_json(body)).digest()


def checkpoint_hash(checkpoint: dict[str, Any]) -> str:
    """Return the hash the next checkpoint chains to: SHA-256 of its RFC 8785 JSON."""
    return hashlib.sha256(canonical_json(checkpoint)).hexdigest()


def signature_holds(checkpoint: dict[str, Any], key: ec.EllipticCurvePublicKey) -> bool:
    """Return whether the audit key signed the checkpoint's body (all but the signature)."""
    body = {name: value for name, value in checkpoint.items() if name != "signature"}
    try:
        signature = base64.b64decode(checkpoint["signature"], validate=True)
        # KMS signs the 32-byte digest as a RAW message, so it is hashed once more.
        key.verify(signature, checkpoint_body_digest(body), ec.ECDSA(hashes.SHA256()))
    except (binascii.Error, InvalidSignature, rfc8785.CanonicalizationError):
        return False
    return True


def sealing_deadline(now: datetime, period: timedelta, lag: timedelta) -> str:
    """Return the moment before which an unsealed event is overdue: two periods and the lag ago."""
    return iso(now - 2 * period - lag)


def event_shape_fault(event: dict[str, Any]) -> str | None:
    """Return why a decoded event lacks an event's fields or types, or None."""
    missing = [name for name in EVENT_FIELDS if name not in event]
    if missing:
        return f"no {', '.join(missing)}"
    wrong = [name for name in _TEXT_FIELDS if not isinstance(event[name], str)]
    if type(event["seq"]) is not int:
        wrong.append("seq")
    if not (event["from_status"] is None or isinstance(event["from_status"], str)):
        wrong.append("from_status")
    if not isinstance(event["details"], dict):
        wrong.append("details")
    return f"{', '.join(wrong)} of the wrong type" if wrong else None


def checkpoint_shape_fault(checkpoint: Any) -> str | None:
    """Return why a decoded checkpoint lacks a checkpoint's fields and types, or None."""
    if not isinstance(checkpoint, dict):
        return "not a JSON object"
    for name, kind in CHECKPOINT_FIELDS.items():
        value = checkpoint.get(name)
        if not isinstance(value, kind) or isinstance(value, bool):
            article = "an" if kind is int else "a"
            return f"{name} is missing or not {article} {kind.__name__}"
    for leaf in checkpoint["leaves"]:
        if not (
            isinstance(leaf, list)
            and len(leaf) == 4
            and isinstance(leaf[0], str)
            and type(leaf[1]) is int
            and isinstance(leaf[2], str)
            and isinstance(leaf[3], str)
        ):
            return "a leaf is not [case_id, seq, event_id, event_hash]"
    return None


def checkpoint_fault(
    checkpoint: dict[str, Any], name: str, key: ec.EllipticCurvePublicKey
) -> str | None:
    """Return why a checkpoint does not verify on its own, or None if it does."""
    seq, leaves = checkpoint["seq"], checkpoint["leaves"]
    if name != f"{seq:010d}.json":
        return f"its file name does not match its seq {seq}"
    if checkpoint["version"] != 1 or checkpoint["signing_algorithm"] != SIGNING_ALGORITHM:
        return "not a version 1 checkpoint signed with ECDSA_SHA_256"
    if not all(TIMESTAMP.fullmatch(checkpoint[f]) for f in ("after", "through", "sealed_at")):
        return "after, through or sealed_at is not a timestamp"
    if not checkpoint["after"] < checkpoint["through"]:
        return "its window ends before it starts"
    if checkpoint["tree_size"] != len(leaves):
        return f"tree_size {checkpoint['tree_size']} but {len(leaves)} leaves"
    if not all(_HASH.fullmatch(leaf[3]) for leaf in leaves):
        return "a leaf's event hash is not 64 lowercase hex digits"
    places = [(leaf[0], leaf[1]) for leaf in leaves]
    if any(a >= b for a, b in pairwise(places)):
        return "its leaves are not in strict (case_id, seq) order"
    hasher = merkle.TreeHasher()
    for leaf in leaves:
        hasher.append(bytes.fromhex(leaf[3]))
    if hasher.root().hex() != checkpoint["root"]:
        return "its root does not match the tree of its leaves"
    if not signature_holds(checkpoint, key):
        return "its signature does not verify with the audit key"
    return None


@dataclass(frozen=True)
class Problem:
    """The first problem found: what is wrong, and the event or checkpoint it is about."""

    text: str
    event_id: str | None = None
    case_id: str | None = None
    seq: int | None = None
    checkpoint: int | None = None


class Problems:
    """Count every problem found; keep the first in trail order."""

    def __init__(self) -> None:
        self.count = 0
        self._first: tuple[Key, Text, Text | None] | None = None

    def add(self, key: Key, text: Text, event_id: Text | None = None) -> None:
        """Record a problem at `key`; `text` may be computed only if it is the one shown."""
        self.count += 1
        if self._first is None or key < self._first[0]:
            self._first = (key, text, event_id)

    def first(self) -> Problem | None:
        """Return the first problem, if any."""
        if self._first is None:
            return None
        key, text, event_id = self._first
        if key[0] == 0:
            return Problem(_text(text), checkpoint=key[1])
        return Problem(
            _text(text),
            event_id=_text(event_id) if event_id else key[4] or None,
            case_id=key[1],
            seq=key[2],
        )


def _text(text: Text) -> str:
    return text if isinstance(text, str) else text()


def event_key(case_id: str, seq: int, rank: int, event_id: str = "") -> Key:
    """Return an event problem's place in trail order."""
    return (1, case_id, seq, rank, event_id)


def subject(case_id: str, seq: int, event_id: str | None = None, line: int | None = None) -> str:
    """Return how a problem names an event."""
    where = f"case {case_id}, seq {seq}" + (f", line {line}" if line is not None else "")
    return f"event {event_id} ({where})" if event_id else f"event ({where})"


@dataclass
class Sealed:
    """What the verified checkpoints vouch for: their windows and every leaf."""

    read: int = 0
    verified: list[int] = field(default_factory=list)
    afters: list[str] = field(default_factory=list)
    throughs: list[str] = field(default_factory=list)
    sources: dict[int, Any] = field(default_factory=dict)
    in_range: set[int] = field(default_factory=set)
    # (case_id, seq) -> (event hash, checkpoint seq); an entry leaves once an event shows it.
    leaves: dict[tuple[str, int], tuple[str, int]] = field(default_factory=dict)

    def window_of(self, moment: str) -> int | None:
        """Return the verified checkpoint whose window (after, through] holds `moment`."""
        index = bisect_left(self.throughs, moment)
        if index < len(self.throughs) and self.afters[index] < moment:
            return self.verified[index]
        return None


class _Link(NamedTuple):
    prev_hash: str
    hash: str
    event_id: str
    line: int | None
    sealed: bool


@dataclass(slots=True)
class _Chain:
    next_seq: int = 0  # 0 while it is not known where the chain shown starts
    head: str = ""
    newest: int = 0
    pending: dict[int, _Link] = field(default_factory=dict)


@dataclass
class Report:
    """What was verified, and the problems found."""

    problems: Problems
    events: int = 0
    cases: int = 0
    sealed_events: int = 0
    unsealed_events: int = 0
    checkpoints: int = 0
    checkpoints_verified: int = 0
    anchored: int = 0
    unanchored: int = 0


class Verifier:
    """Verify checkpoints (fed in sequence order), then events (in any order), then finish.

    `since`/`until` bound the range the events were taken from: every leaf of a checkpoint whose
    window lies within it must be shown. `case_id` narrows that to one case's leaves, for a
    case's own events. `first_seq` is the number of the first checkpoint fed (1: the chain from
    its start). With `contiguous` off, checkpoints may be fed with gaps between them (a case's
    checkpoints) and only consecutive ones are checked for their link. `reload` turns what a
    checkpoint was given as its source back into it, to name a removed event; `shown` names
    where the events came from. An event that occurred before `overdue_before` (see
    `sealing_deadline`) and that no checkpoint fed seals is named: sealing stopped or is stuck.
    """

    def __init__(
        self,
        key: ec.EllipticCurvePublicKey,
        *,
        since: str | None = None,
        until: str | None = None,
        case_id: str | None = None,
        first_seq: int = 1,
        contiguous: bool = True,
        reload: Callable[[Any], dict[str, Any]] | None = None,
        shown: str = "the trail",
        overdue_before: str | None = None,
    ) -> None:
        self.key = key
        self.overdue_before = overdue_before
        self.since, self.until, self.case_id = since, until, case_id
        self.contiguous = contiguous
        self.expected = first_seq
        self.reload = reload or (lambda source: source)
        self.shown = shown
        self.problems = Problems()
        self.sealed = Sealed()
        self.report = Report(self.problems)
        self.cases: dict[str, _Chain] = {}
        self._previous: tuple[int, str, str] | None = None  # seq, hash, through

    # Checkpoints

    def checkpoint_problem(self, seq: int, text: str, rank: int = 0, name: str = "") -> None:
        """Record a problem with checkpoint `seq`."""
        self.problems.add((0, seq, rank, name), text)

    def checkpoint(self, checkpoint: dict[str, Any], name: str, source: Any = None) -> None:
        """Take the next checkpoint (its shape checked); verify it and its link to the last."""
        sealed, problems = self.sealed, self.problems
        sealed.read += 1
        self.report.checkpoints += 1
        seq = checkpoint["seq"]
        label = f"checkpoint {seq} ({name})"
        fault = checkpoint_fault(checkpoint, name, self.key)
        if fault:
            self.checkpoint_problem(seq, f"{label}: {fault}", 0, name)
        else:
            self._admit(checkpoint, name, checkpoint if source is None else source)
        previous = self._previous
        linked = previous is not None and previous[0] + 1 == seq
        if self.contiguous or linked:
            expected = previous[0] + 1 if previous else self.expected
            after_what = f"checkpoint {previous[0]}" if previous else "the start of the chain"
            if seq > expected:
                self.checkpoint_problem(
                    expected, f"checkpoint {expected}: missing ({label} follows {after_what})", 1
                )
            elif seq < expected:
                self.checkpoint_problem(seq, f"{label}: out of order after {after_what}", 1, name)
                return
            elif previous is None and expected > 1:
                pass  # the chain is taken up mid-way: the caller vouches for where it starts
            elif checkpoint["previous_hash"] != (previous[1] if previous else GENESIS_HASH):
                problems.add(
                    (0, seq, 1, name),
                    f"{label}: previous_hash does not match the hash of {after_what}",
                )
            elif previous and checkpoint["after"] != previous[2]:
                problems.add(
                    (0, seq, 1, name),
                    f"{label}: its window starts at {checkpoint['after']}, "
                    f"not where {after_what}'s ends ({previous[2]})",
                )
        try:
            chained_to = checkpoint_hash(checkpoint)
        except rfc8785.CanonicalizationError:
            chained_to = ""  # its signature failed already; nothing can chain to it
        self._previous = (seq, chained_to, checkpoint["through"])

    def _admit(self, checkpoint: dict[str, Any], name: str, source: Any) -> None:
        sealed = self.sealed
        seq, after, through = checkpoint["seq"], checkpoint["after"], checkpoint["through"]
        index = bisect_left(sealed.throughs, through)
        overlaps = (index < len(sealed.throughs) and sealed.afters[index] < through) or (
            index > 0 and sealed.throughs[index - 1] > after
        )
        if overlaps:
            self.checkpoint_problem(
                seq, f"checkpoint {seq}: its window overlaps another's", 2, name
            )
            return
        self.report.checkpoints_verified += 1
        sealed.verified.insert(index, seq)
        sealed.afters.insert(index, after)
        sealed.throughs.insert(index, through)
        sealed.sources[seq] = source
        if (self.since is None or self.since <= after) and (
            self.until is None or through <= self.until
        ):
            sealed.in_range.add(seq)
        leaves = sealed.leaves
        for case_id, event_seq, _, digest in checkpoint["leaves"]:
            if self.case_id is not None and case_id != self.case_id:
                continue
            place = (sys.intern(case_id), event_seq)
            if place in leaves:
                self.checkpoint_problem(
                    seq,
                    f"checkpoint {seq}: seals case {case_id}, seq {event_seq} again "
                    f"(checkpoint {leaves[place][1]} sealed it)",
                    2,
                    name,
                )
                continue
            leaves[place] = (digest, seq)

    # Events

    def event_problem(
        self,
        case_id: str,
        seq: int,
        rank: int,
        reason: str,
        event_id: str = "",
        line: int | None = None,
    ) -> None:
        """Record a problem with an event."""
        self.problems.add(
            event_key(case_id, seq, rank, event_id),
            f"{subject(case_id, seq, event_id or None, line)}: {reason}",
        )

    def event(self, event: dict[str, Any], line: int | None = None) -> None:
        """Take one event (its fields and types checked): content, seal, then chain."""
        case_id, seq, event_id = event["case_id"], event["seq"], event["event_id"]
        recorded = event["hash"]
        extra = sorted(set(event) - set(EVENT_FIELDS))
        if extra:
            self.event_problem(
                case_id,
                seq,
                RANK_CONTENT,
                f"carries fields no hash covers: {', '.join(extra)}",
                event_id,
                line,
            )
        try:
            content_hash = canonical_hash({name: event[name] for name in BODY_FIELDS})
        except rfc8785.CanonicalizationError as error:
            content_hash = ""
            self.event_problem(
                case_id, seq, RANK_CONTENT, f"has no canonical JSON ({error})", event_id, line
            )
        if content_hash and content_hash != recorded:
            self.event_problem(
                case_id, seq, RANK_CONTENT, "its hash does not match its content", event_id, line
            )
        if not TIMESTAMP.fullmatch(event["occurred_at"]):
            self.event_problem(
                case_id, seq, RANK_CONTENT, "occurred_at is not a timestamp", event_id, line
            )
        self.place(case_id, seq, event_id, event["occurred_at"], event["prev_hash"], recorded, line)

    def sealed_hash(self, case_id: str, seq: int) -> str | None:
        """Return the hash a checkpoint sealed for this place, while no event has shown it."""
        leaf = self.sealed.leaves.get((case_id, seq))
        return leaf[0] if leaf else None

    def place(
        self,
        case_id: str,
        seq: int,
        event_id: str,
        occurred_at: str,
        prev_hash: str,
        recorded: str,
        line: int | None = None,
    ) -> None:
        """Take an event whose content was checked against `recorded`: its seal, then chain."""
        report = self.report
        report.events += 1
        sealed = self.sealed
        window = sealed.window_of(occurred_at)
        leaf = sealed.leaves.pop((case_id, seq), None)
        vouched = leaf is not None and leaf[0] == recorded
        if leaf is not None:
            if leaf[0] != recorded:
                reason = f"differs from the event checkpoint {leaf[1]} sealed"
                self.event_problem(case_id, seq, RANK_SEAL, reason, event_id, line)
            elif window != leaf[1]:
                reason = f"sealed by checkpoint {leaf[1]}, outside its window"
                self.event_problem(case_id, seq, RANK_SEAL, reason, event_id, line)
            else:
                report.sealed_events += 1
        elif window is not None:
            reason = (
                f"not sealed by checkpoint {window}, whose window holds its time: "
                "forged or inserted"
            )
            self.event_problem(case_id, seq, RANK_SEAL, reason, event_id, line)
        else:
            report.unsealed_events += 1
            overdue = self.overdue_before
            if overdue is not None and TIMESTAMP.fullmatch(occurred_at) and occurred_at < overdue:
                reason = (
                    f"unsealed too long: no checkpoint seals it, though every event before "
                    f"{overdue} should be sealed by now"
                )
                self.event_problem(case_id, seq, RANK_SEAL, reason, event_id, line)
        self._chain(case_id, seq, _Link(prev_hash, recorded, event_id, line, vouched))

    def _chain(self, case_id: str, seq: int, link: _Link) -> None:
        chain = self.cases.get(case_id)
        if chain is None:
            chain = self.cases[sys.intern(case_id)] = _Chain()
        if seq < 1:
            self._link_problem(case_id, seq, link, f"seq {seq} is not a positive number")
            return
        if chain.next_seq == 0 and seq == 1:
            chain.next_seq, chain.head = 1, GENESIS_HASH
        if (chain.next_seq and seq < chain.next_seq) or seq in chain.pending:
            self.event_problem(
                case_id, seq, RANK_CHAIN, "this sequence number appears more than once"
            )
            return
        # An event that comes before its predecessor waits; events in chain order keep none.
        chain.pending[seq] = link
        while chain.next_seq in chain.pending:
            self._link(case_id, chain, chain.next_seq, chain.pending.pop(chain.next_seq))

    def chain_starts(self) -> list[tuple[str, int]]:
        """Return (case_id, seq) of each chain shown from after seq 1 that nothing anchors yet.

        That is a chain whose first event shown no checkpoint sealed (a sealed one is vouched
        for, link and all) and whose predecessor no checkpoint fed sealed either: the caller may
        look the predecessor up and pass its hash to `finish`.
        """
        starts = []
        for case_id, chain in self.cases.items():
            if chain.next_seq == 0 and chain.pending:
                first = min(chain.pending)
                if (
                    not chain.pending[first].sealed
                    and (case_id, first - 1) not in self.sealed.leaves
                ):
                    starts.append((case_id, first))
        return starts

    def heads(self) -> dict[str, tuple[int, str]]:
        """Return each case's newest event shown so far: its seq and hash (after finish)."""
        return {case_id: (chain.newest, chain.head) for case_id, chain in self.cases.items()}

    def finish(self, anchors: Mapping[tuple[str, int], str] | None = None) -> Report:
        """Check what is left; return the report.

        Chains that start after seq 1 are anchored at the event before, as a checkpoint sealed it
        or as `anchors` ((case_id, seq) -> hash) vouch for it; chains with gaps are named.
        """
        for case_id, chain in self.cases.items():
            for seq in sorted(chain.pending):
                link = chain.pending[seq]
                if chain.next_seq == 0:
                    self._start(case_id, seq, chain, link, anchors or {})
                if seq != chain.next_seq:
                    gap = (
                        f"seq {chain.next_seq} is"
                        if seq == chain.next_seq + 1
                        else f"seqs {chain.next_seq} to {seq - 1} are"
                    )
                    self._link_problem(case_id, seq, link, f"{gap} missing before it")
                    chain.head = link.prev_hash
                self._link(case_id, chain, seq, link)
            chain.pending.clear()
        self._missing()
        self.report.cases = len(self.cases)
        return self.report

    def _start(
        self,
        case_id: str,
        seq: int,
        chain: _Chain,
        link: _Link,
        anchors: Mapping[tuple[str, int], str],
    ) -> None:
        # The events begin this case mid-way: a checkpoint, or the caller, may vouch for the
        # event before.
        chain.next_seq = seq
        before = self.sealed.leaves.get((case_id, seq - 1))
        vouched = (before[0], f"as checkpoint {before[1]} sealed it") if before else None
        if vouched is None and (case_id, seq - 1) in anchors:
            vouched = (anchors[(case_id, seq - 1)], "as the trail holds it")
        if vouched is None:
            self.report.unanchored += 1
            chain.head = link.prev_hash
            return
        self.report.anchored += 1
        chain.head = vouched[0]
        if link.prev_hash != vouched[0]:
            reason = f"prev_hash does not match seq {seq - 1} {vouched[1]}"
            self._link_problem(case_id, seq, link, reason)
            chain.head = link.prev_hash

    def _link(self, case_id: str, chain: _Chain, seq: int, link: _Link) -> None:
        if link.prev_hash != chain.head:
            before = "the genesis hash" if seq == 1 else f"the hash of seq {seq - 1}"
            self._link_problem(case_id, seq, link, f"prev_hash does not match {before}")
        chain.head, chain.next_seq, chain.newest = link.hash, seq + 1, seq

    def _link_problem(self, case_id: str, seq: int, link: _Link, reason: str) -> None:
        self.event_problem(case_id, seq, RANK_CHAIN, reason, link.event_id, link.line)

    def _missing(self) -> None:
        # Whatever a checkpoint within the range sealed and no event showed.
        sealed = self.sealed
        for (case_id, seq), (_, checkpoint) in sealed.leaves.items():
            if checkpoint in sealed.in_range:
                source = sealed.sources[checkpoint]
                self.problems.add(
                    event_key(case_id, seq, RANK_SEAL),
                    functools.partial(self._missing_text, source, case_id, seq),
                    functools.partial(self._leaf_event_id, source, case_id, seq),
                )

    def _leaf_event_id(self, source: Any, case_id: str, seq: int) -> str:
        checkpoint = self.reload(source)
        found = (leaf[2] for leaf in checkpoint["leaves"] if leaf[:2] == [case_id, seq])
        return str(next(found, "?"))

    def _missing_text(self, source: Any, case_id: str, seq: int) -> str:
        seq_of = self.reload(source)["seq"]
        return (
            f"{subject(case_id, seq, self._leaf_event_id(source, case_id, seq))}: "
            f"checkpoint {seq_of} sealed it, but {self.shown} does not hold it"
        )
