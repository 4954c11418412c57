"""Verify an exported audit trail offline against the signed checkpoints, trusting nobody.

python -m tools.verify_audit EXPORT --checkpoints DIR --public-key KEY.pem [--from T] [--to T]

EXPORT holds the events as JSON Lines (.jsonl) or CSV (.csv, `details` as JSON, an empty
`from_status` for none), in any order. Every event's hash, every case's chain (sorted by sequence
here), every checkpoint's signature, root and link to the one before, and the export against the
checkpoints' leaves are checked. Exit 0 when everything verifies, 1 naming the first problem
(checkpoints by number, then events by case and sequence, the order checkpoints seal them), 2 when
an input cannot be read. Needs no AWS access.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import csv
import functools
import hashlib
import io
import json
import os
import re
import sys
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import IO, Any, NamedTuple

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from chalicelib.domain import merkle
from chalicelib.domain.audit import EVENT_FIELDS, GENESIS_HASH
from chalicelib.domain.clock import iso, parse_iso

BODY_FIELDS = tuple(name for name in EVENT_FIELDS if name != "hash")
_TEXT_FIELDS = tuple(name for name in EVENT_FIELDS if name not in ("seq", "from_status", "details"))
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
SIGNING_ALGORITHM = "ECDSA_SHA_256"
PROGRESS_EVERY = 10_000
EXIT_OK, EXIT_BAD, EXIT_UNREADABLE = 0, 1, 2

_SAFE_INTEGER = 2**53 - 1
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")
_HASH = re.compile(r"[0-9a-f]{64}")
_DIGITS = re.compile(r"[0-9]+")

# An event's place in the report: (1, case_id, seq, rank, event_id); checkpoints sort first as
# (0, seq, rank, name). Within one event, a wrong hash outranks a wrong seal, which outranks a
# broken link: the earlier cause explains the later symptom.
_RANK_CONTENT, _RANK_SEAL, _RANK_CHAIN = 0, 1, 2
Key = tuple[Any, ...]
Text = str | Callable[[], str]


class Unreadable(Exception):
    """An input that cannot be read as what it should be."""


class Problems:
    """Count every problem found; keep the first in trail order."""

    def __init__(self) -> None:
        self.count = 0
        self._first: tuple[Key, Text] | None = None

    def add(self, key: Key, text: Text) -> None:
        """Record a problem at `key`; `text` may be computed only if it is the one shown."""
        self.count += 1
        if self._first is None or key < self._first[0]:
            self._first = (key, text)

    def first(self) -> str | None:
        """Return the description of the first problem, if any."""
        if self._first is None:
            return None
        text = self._first[1]
        return text if isinstance(text, str) else text()


def _event_key(case_id: str, seq: int, rank: int, event_id: str = "") -> Key:
    return (1, case_id, seq, rank, event_id)


def _subject(case_id: str, seq: int, event_id: str | None = None, line: int | None = None) -> str:
    where = f"case {case_id}, seq {seq}" + (f", line {line}" if line is not None else "")
    return f"event {event_id} ({where})" if event_id else f"event ({where})"


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


def checkpoint_hash(checkpoint: dict[str, Any]) -> str:
    """Return the hash the next checkpoint chains to: SHA-256 of its RFC 8785 JSON."""
    return hashlib.sha256(canonical_json(checkpoint)).hexdigest()


def signature_holds(checkpoint: dict[str, Any], key: ec.EllipticCurvePublicKey) -> bool:
    """Return whether the audit key signed the checkpoint's body (all but the signature)."""
    body = {name: value for name, value in checkpoint.items() if name != "signature"}
    try:
        signature = base64.b64decode(checkpoint["signature"], validate=True)
        # KMS signs the 32-byte digest as a RAW message, so it is hashed once more.
        digest = hashlib.sha256(canonical_json(body)).digest()
        key.verify(signature, digest, ec.ECDSA(hashes.SHA256()))
    except (binascii.Error, InvalidSignature, rfc8785.CanonicalizationError):
        return False
    return True


def load_checkpoint(path: Path) -> dict[str, Any]:
    """Read a checkpoint file, or raise Unreadable if it is not one."""
    try:
        checkpoint = _DECODER.decode(path.read_bytes().decode())
    except (OSError, ValueError, RecursionError) as error:
        raise Unreadable(f"{path}: {error}") from None
    if not isinstance(checkpoint, dict):
        raise Unreadable(f"{path}: not a JSON object")
    for name, kind in CHECKPOINT_FIELDS.items():
        value = checkpoint.get(name)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise Unreadable(f"{path}: {name} is missing or not a {kind.__name__}")
    for leaf in checkpoint["leaves"]:
        if not (
            isinstance(leaf, list)
            and len(leaf) == 4
            and isinstance(leaf[0], str)
            and type(leaf[1]) is int
            and isinstance(leaf[2], str)
            and isinstance(leaf[3], str)
        ):
            raise Unreadable(f"{path}: a leaf is not [case_id, seq, event_id, event_hash]")
    return checkpoint


def checkpoint_fault(
    checkpoint: dict[str, Any], name: str, key: ec.EllipticCurvePublicKey
) -> str | None:
    """Return why a checkpoint does not verify on its own, or None if it does."""
    seq, leaves = checkpoint["seq"], checkpoint["leaves"]
    if name != f"{seq:010d}.json":
        return f"its file name does not match its seq {seq}"
    if checkpoint["version"] != 1 or checkpoint["signing_algorithm"] != SIGNING_ALGORITHM:
        return "not a version 1 checkpoint signed with ECDSA_SHA_256"
    if not all(_TIMESTAMP.fullmatch(checkpoint[f]) for f in ("after", "through", "sealed_at")):
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


@dataclass
class Sealed:
    """What the verified checkpoints vouch for: their windows and every leaf."""

    read: int = 0
    verified: list[int] = field(default_factory=list)
    afters: list[str] = field(default_factory=list)
    throughs: list[str] = field(default_factory=list)
    paths: dict[int, Path] = field(default_factory=dict)
    in_range: set[int] = field(default_factory=set)
    # (case_id, seq) -> (event hash, checkpoint seq); an entry leaves once the export shows it.
    leaves: dict[tuple[str, int], tuple[str, int]] = field(default_factory=dict)

    def window_of(self, moment: str) -> int | None:
        """Return the verified checkpoint whose window (after, through] holds `moment`."""
        index = bisect_left(self.throughs, moment)
        if index < len(self.throughs) and self.afters[index] < moment:
            return self.verified[index]
        return None


def read_checkpoints(
    directory: Path,
    key: ec.EllipticCurvePublicKey,
    problems: Problems,
    since: str | None,
    until: str | None,
) -> Sealed:
    """Verify each checkpoint and their chain from the first; collect what the good ones seal."""
    if not directory.is_dir():
        raise Unreadable(f"{directory}: not a directory")
    sealed = Sealed()
    previous: tuple[int, str, str] | None = None  # seq, hash, through
    for path in sorted(directory.glob("*.json")):
        checkpoint = load_checkpoint(path)
        sealed.read += 1
        seq = checkpoint["seq"]
        label = f"checkpoint {seq} ({path.name})"
        fault = checkpoint_fault(checkpoint, path.name, key)
        if fault:
            problems.add((0, seq, 0, path.name), f"{label}: {fault}")
        else:
            _admit(sealed, checkpoint, path, problems, since, until)
        expected = previous[0] + 1 if previous else 1
        after_what = f"checkpoint {previous[0]}" if previous else "the start of the chain"
        if seq > expected:
            problems.add(
                (0, expected, 1, ""),
                f"checkpoint {expected}: missing ({label} follows {after_what})",
            )
        elif seq < expected:
            problems.add((0, seq, 1, path.name), f"{label}: out of order after {after_what}")
            continue
        elif checkpoint["previous_hash"] != (previous[1] if previous else GENESIS_HASH):
            problems.add(
                (0, seq, 1, path.name),
                f"{label}: previous_hash does not match the hash of {after_what}",
            )
        elif previous and checkpoint["after"] != previous[2]:
            problems.add(
                (0, seq, 1, path.name),
                f"{label}: its window starts at {checkpoint['after']}, "
                f"not where {after_what}'s ends ({previous[2]})",
            )
        try:
            chained_to = checkpoint_hash(checkpoint)
        except rfc8785.CanonicalizationError:
            chained_to = ""  # its signature failed already; nothing can chain to it
        previous = (seq, chained_to, checkpoint["through"])
    return sealed


def _admit(
    sealed: Sealed,
    checkpoint: dict[str, Any],
    path: Path,
    problems: Problems,
    since: str | None,
    until: str | None,
) -> None:
    seq, after, through = checkpoint["seq"], checkpoint["after"], checkpoint["through"]
    index = bisect_left(sealed.throughs, through)
    overlaps = (index < len(sealed.throughs) and sealed.afters[index] < through) or (
        index > 0 and sealed.throughs[index - 1] > after
    )
    if overlaps:
        problems.add((0, seq, 2, path.name), f"checkpoint {seq}: its window overlaps another's")
        return
    sealed.verified.insert(index, seq)
    sealed.afters.insert(index, after)
    sealed.throughs.insert(index, through)
    sealed.paths[seq] = path
    if (since is None or since <= after) and (until is None or through <= until):
        sealed.in_range.add(seq)
    leaves = sealed.leaves
    for case_id, event_seq, _, digest in checkpoint["leaves"]:
        place = (sys.intern(case_id), event_seq)
        if place in leaves:
            problems.add(
                (0, seq, 2, path.name),
                f"checkpoint {seq}: seals case {case_id}, seq {event_seq} again "
                f"(checkpoint {leaves[place][1]} sealed it)",
            )
            continue
        leaves[place] = (digest, seq)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # A repeated key would let a reader see one value while the hash covers another.
    found = dict(pairs)
    if len(found) != len(pairs):
        raise ValueError("a key appears twice in one object")
    return found


_DECODER = json.JSONDecoder(object_pairs_hook=_unique_keys)


def _jsonl_events(stream: IO[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, raw in enumerate(stream, 1):
        if not raw.strip():
            continue
        try:
            event = _DECODER.decode(raw.decode())
        except (ValueError, RecursionError) as error:
            raise Unreadable(f"line {number}: not JSON ({error})") from None
        if not isinstance(event, dict):
            raise Unreadable(f"line {number}: not a JSON object")
        yield number, event


def _csv_events(stream: IO[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.DictReader(text)
    try:
        columns = reader.fieldnames or []
        if len(set(columns)) != len(columns):
            raise Unreadable("line 1: a column appears twice")
        missing = [name for name in EVENT_FIELDS if name not in columns]
        if missing:
            raise Unreadable(f"line 1: no column {', '.join(missing)}")
        for row in reader:
            number = reader.line_num
            if None in row or None in row.values():
                raise Unreadable(f"line {number}: not as many cells as columns")
            event: dict[str, Any] = dict(row)
            if not _DIGITS.fullmatch(row["seq"]):
                raise Unreadable(f"line {number}: seq is not a number")
            event["seq"] = int(row["seq"])
            event["from_status"] = row["from_status"] or None
            try:
                event["details"] = _DECODER.decode(row["details"])
            except (ValueError, RecursionError) as error:
                raise Unreadable(f"line {number}: details is not JSON ({error})") from None
            yield number, event
    except (UnicodeDecodeError, csv.Error) as error:
        raise Unreadable(f"line {reader.line_num}: {error}") from None
    finally:
        text.detach()


def _check_shape(event: dict[str, Any], line: int) -> None:
    missing = [name for name in EVENT_FIELDS if name not in event]
    if missing:
        raise Unreadable(f"line {line}: no {', '.join(missing)}")
    wrong = [name for name in _TEXT_FIELDS if not isinstance(event[name], str)]
    if type(event["seq"]) is not int:
        wrong.append("seq")
    if not (event["from_status"] is None or isinstance(event["from_status"], str)):
        wrong.append("from_status")
    if not isinstance(event["details"], dict):
        wrong.append("details")
    if wrong:
        raise Unreadable(f"line {line}: {', '.join(wrong)} of the wrong type")


class _Link(NamedTuple):
    prev_hash: str
    hash: str
    event_id: str
    line: int


@dataclass(slots=True)
class _Chain:
    next_seq: int = 0  # 0 while it is not known where the exported chain starts
    head: str = ""
    pending: dict[int, _Link] = field(default_factory=dict)


class Chains:
    """Check each case's chain in sequence order, whatever order the events come in."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        self.cases: dict[str, _Chain] = {}
        self.anchored = 0
        self.unanchored = 0

    def add(self, case_id: str, seq: int, link: _Link) -> None:
        """Take one event; check every link it completes."""
        chain = self.cases.get(case_id)
        if chain is None:
            chain = self.cases[sys.intern(case_id)] = _Chain()
        if seq < 1:
            self._problem(case_id, seq, link, f"seq {seq} is not a positive number")
            return
        if chain.next_seq == 0 and seq == 1:
            chain.next_seq, chain.head = 1, GENESIS_HASH
        if (chain.next_seq and seq < chain.next_seq) or seq in chain.pending:
            self.problems.add(
                _event_key(case_id, seq, _RANK_CHAIN),
                f"{_subject(case_id, seq)}: this sequence number appears more than once",
            )
            return
        # An event that comes before its predecessor waits; an export in chain order keeps none.
        chain.pending[seq] = link
        while chain.next_seq in chain.pending:
            self._link(case_id, chain, chain.next_seq, chain.pending.pop(chain.next_seq))

    def finish(self, sealed: Sealed) -> None:
        """Check what is left: chains that start after seq 1, and chains with gaps."""
        for case_id, chain in self.cases.items():
            for seq in sorted(chain.pending):
                link = chain.pending[seq]
                if chain.next_seq == 0:
                    self._start(case_id, seq, chain, link, sealed)
                if seq != chain.next_seq:
                    gap = (
                        f"seq {chain.next_seq} is"
                        if seq == chain.next_seq + 1
                        else f"seqs {chain.next_seq} to {seq - 1} are"
                    )
                    self._problem(case_id, seq, link, f"{gap} missing before it")
                    chain.head = link.prev_hash
                self._link(case_id, chain, seq, link)
            chain.pending.clear()

    def _start(self, case_id: str, seq: int, chain: _Chain, link: _Link, sealed: Sealed) -> None:
        # The export begins this case mid-way: a checkpoint may vouch for the event before.
        before = sealed.leaves.get((case_id, seq - 1))
        chain.next_seq = seq
        if before is None:
            self.unanchored += 1
            chain.head = link.prev_hash
            return
        self.anchored += 1
        chain.head = before[0]
        if link.prev_hash != before[0]:
            self._problem(
                case_id,
                seq,
                link,
                f"prev_hash does not match seq {seq - 1} as checkpoint {before[1]} sealed it",
            )
            chain.head = link.prev_hash

    def _link(self, case_id: str, chain: _Chain, seq: int, link: _Link) -> None:
        if link.prev_hash != chain.head:
            before = "the genesis hash" if seq == 1 else f"the hash of seq {seq - 1}"
            self._problem(case_id, seq, link, f"prev_hash does not match {before}")
        chain.head, chain.next_seq = link.hash, seq + 1

    def _problem(self, case_id: str, seq: int, link: _Link, reason: str) -> None:
        self.problems.add(
            _event_key(case_id, seq, _RANK_CHAIN, link.event_id),
            f"{_subject(case_id, seq, link.event_id, link.line)}: {reason}",
        )


class Progress:
    """Tell how far the export has been read, on stderr, every PROGRESS_EVERY events."""

    def __init__(self, stream: IO[bytes], quiet: bool) -> None:
        self.stream = stream
        self.quiet = quiet
        try:
            self.total: int | None = os.fstat(stream.fileno()).st_size or None
        except (OSError, io.UnsupportedOperation):
            self.total = None

    def tick(self, events: int, final: bool = False) -> None:
        """Report after `events` events, if it is time to."""
        if self.quiet or not (final or events % PROGRESS_EVERY == 0):
            return
        done = ""
        if self.total:
            done = f" ({min(100, 100 * self.stream.tell() // self.total)}%)"
        print(f"verify_audit: {events:,} events read{done}", file=sys.stderr, flush=True)


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


def read_public_key(path: Path) -> ec.EllipticCurvePublicKey:
    """Read the audit key's public half (PEM, EC P-256), or raise Unreadable."""
    try:
        key = load_pem_public_key(path.read_bytes())
    except (OSError, ValueError) as error:
        raise Unreadable(f"{path}: {error}") from None
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
        raise Unreadable(f"{path}: not an EC P-256 public key")
    return key


def verify(
    export: Path,
    checkpoints: Path,
    public_key: Path,
    since: str | None = None,
    until: str | None = None,
    quiet: bool = False,
) -> Report:
    """Verify the export and the checkpoints; raise Unreadable if an input cannot be read."""
    readers = {".jsonl": _jsonl_events, ".csv": _csv_events}
    reader = readers.get(export.suffix.lower())
    if reader is None:
        raise Unreadable(f"{export}: not .jsonl or .csv")
    problems = Problems()
    sealed = read_checkpoints(checkpoints, read_public_key(public_key), problems, since, until)
    report = Report(problems, checkpoints=sealed.read, checkpoints_verified=len(sealed.verified))
    chains = Chains(problems)
    try:
        stream = export.open("rb")
    except OSError as error:
        raise Unreadable(f"{export}: {error}") from None
    with stream:
        progress = Progress(stream, quiet)
        for line, event in reader(stream):
            _check_shape(event, line)
            _verify_event(event, line, sealed, chains, report)
            report.events += 1
            progress.tick(report.events)
        progress.tick(report.events, final=True)
    chains.finish(sealed)
    _missing(sealed, problems)
    report.cases, report.anchored, report.unanchored = (
        len(chains.cases),
        chains.anchored,
        chains.unanchored,
    )
    return report


def _verify_event(
    event: dict[str, Any], line: int, sealed: Sealed, chains: Chains, report: Report
) -> None:
    problems = report.problems
    case_id, seq, event_id = event["case_id"], event["seq"], event["event_id"]
    recorded = event["hash"]

    def problem(rank: int, reason: str) -> None:
        subject = _subject(case_id, seq, event_id, line)
        problems.add(_event_key(case_id, seq, rank, event_id), f"{subject}: {reason}")

    extra = sorted(set(event) - set(EVENT_FIELDS))
    if extra:
        problem(_RANK_CONTENT, f"carries fields no hash covers: {', '.join(extra)}")
    try:
        content_hash = canonical_hash({name: event[name] for name in BODY_FIELDS})
    except rfc8785.CanonicalizationError as error:
        content_hash = ""
        problem(_RANK_CONTENT, f"has no canonical JSON ({error})")
    if content_hash and content_hash != recorded:
        problem(_RANK_CONTENT, "its hash does not match its content")
    if not _TIMESTAMP.fullmatch(event["occurred_at"]):
        problem(_RANK_CONTENT, "occurred_at is not a timestamp")

    window = sealed.window_of(event["occurred_at"])
    leaf = sealed.leaves.pop((case_id, seq), None)
    if leaf is not None:
        if leaf[0] != recorded:
            problem(_RANK_SEAL, f"differs from the event checkpoint {leaf[1]} sealed")
        elif window != leaf[1]:
            problem(_RANK_SEAL, f"sealed by checkpoint {leaf[1]}, outside its window")
        else:
            report.sealed_events += 1
    elif window is not None:
        problem(
            _RANK_SEAL,
            f"not sealed by checkpoint {window}, whose window holds its time: forged or inserted",
        )
    else:
        report.unsealed_events += 1
    chains.add(case_id, seq, _Link(event["prev_hash"], recorded, event_id, line))


def _missing(sealed: Sealed, problems: Problems) -> None:
    # Whatever a checkpoint within the export's range sealed and the export did not show.
    for (case_id, seq), (_, checkpoint) in sealed.leaves.items():
        if checkpoint in sealed.in_range:
            problems.add(
                _event_key(case_id, seq, _RANK_SEAL),
                functools.partial(_missing_text, sealed.paths[checkpoint], case_id, seq),
            )


def _missing_text(path: Path, case_id: str, seq: int) -> str:
    checkpoint = load_checkpoint(path)
    event_id = next((leaf[2] for leaf in checkpoint["leaves"] if leaf[:2] == [case_id, seq]), "?")
    return (
        f"{_subject(case_id, seq, event_id)}: checkpoint {checkpoint['seq']} sealed it, "
        "but the export does not hold it"
    )


def _moment(text: str) -> str:
    try:
        return iso(parse_iso(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO-8601 time: {text}") from None


def parser() -> argparse.ArgumentParser:
    """Return the command line's parser."""
    parse = argparse.ArgumentParser(
        prog="python -m tools.verify_audit",
        description="Verify an exported audit trail against the signed checkpoints, offline.",
    )
    parse.add_argument(
        "export", type=Path, metavar="EXPORT", help="the events, as .jsonl or .csv, in any order"
    )
    parse.add_argument(
        "--checkpoints", type=Path, required=True, metavar="DIR", help="the checkpoint files"
    )
    parse.add_argument(
        "--public-key",
        type=Path,
        required=True,
        metavar="KEY.pem",
        help="the audit key's public half (PEM, EC P-256)",
    )
    parse.add_argument(
        "--from",
        dest="since",
        type=_moment,
        metavar="TIME",
        help="the start of the export's time range (default: none); every checkpoint whose "
        "window lies within the range must be whole in the export",
    )
    parse.add_argument(
        "--to", dest="until", type=_moment, metavar="TIME", help="its end (default: none)"
    )
    parse.add_argument("--quiet", action="store_true", help="do not show progress")
    return parse


def main(argv: Sequence[str] | None = None) -> int:
    """Verify the trail the command line names; print the outcome; return the exit code."""
    args = parser().parse_args(argv)
    try:
        report = verify(
            args.export, args.checkpoints, args.public_key, args.since, args.until, args.quiet
        )
        first = report.problems.first()
    except Unreadable as error:
        print(f"verify_audit: cannot read {error}", file=sys.stderr)
        return EXIT_UNREADABLE
    summary = (
        f"{report.events} events of {report.cases} cases: {report.sealed_events} sealed, "
        f"{report.unsealed_events} outside every checkpoint window (chain checks only); "
        f"{report.checkpoints_verified} of {report.checkpoints} checkpoints verified"
    )
    if report.anchored or report.unanchored:
        summary += (
            f"; {report.anchored + report.unanchored} chains start after seq 1, "
            f"{report.anchored} of them at an event a checkpoint sealed"
        )
    if first is None:
        print(f"VERIFIED {summary}")
        return EXIT_OK
    print(f"NOT VERIFIED: {first}")
    print(f"{report.problems.count} problem(s), the first shown; {summary}")
    return EXIT_BAD


if __name__ == "__main__":
    sys.exit(main())
