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
import csv
import hashlib
import io
import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from cryptography.hazmat.primitives.asymmetric import ec

from chalicelib.domain.audit import EVENT_FIELDS
from chalicelib.domain.clock import iso, parse_iso
from chalicelib.domain.verification import (
    PublicKeyError,
    Report,
    Verifier,
    checkpoint_shape_fault,
    event_shape_fault,
    public_key,
)

PROGRESS_EVERY = 10_000
EXIT_OK, EXIT_BAD, EXIT_UNREADABLE = 0, 1, 2
_DIGITS = re.compile(r"[0-9]+")


class Unreadable(Exception):
    """An input that cannot be read as what it should be."""


def load_checkpoint(path: Path) -> dict[str, Any]:
    """Read a checkpoint file, or raise Unreadable if it is not one."""
    try:
        checkpoint = _DECODER.decode(path.read_bytes().decode())
    except (OSError, ValueError, RecursionError) as error:
        raise Unreadable(f"{path}: {error}") from None
    fault = checkpoint_shape_fault(checkpoint)
    if fault:
        raise Unreadable(f"{path}: {fault}")
    found: dict[str, Any] = checkpoint
    return found


def read_checkpoints(directory: Path, verifier: Verifier) -> None:
    """Feed every checkpoint file to the verifier, in sequence order."""
    if not directory.is_dir():
        raise Unreadable(f"{directory}: not a directory")
    for path in sorted(directory.glob("*.json")):
        verifier.checkpoint(load_checkpoint(path), path.name, path)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # A repeated key would let a reader see one value while the hash covers another.
    found = dict(pairs)
    if len(found) != len(pairs):
        raise ValueError("a key appears twice in one object")
    return found


_DECODER = json.JSONDecoder(object_pairs_hook=_unique_keys)


def _jsonl_events(stream: IO[bytes]) -> Iterator[tuple[int, dict[str, Any] | bytes]]:
    # Lines come raw: the verifier may take a line as it is (see `sealed_line`).
    for number, raw in enumerate(stream, 1):
        if raw.strip():
            yield number, raw


def _decode(raw: bytes, number: int) -> dict[str, Any]:
    try:
        event = _DECODER.decode(raw.decode())
    except (ValueError, RecursionError) as error:
        raise Unreadable(f"line {number}: not JSON ({error})") from None
    if not isinstance(event, dict):
        raise Unreadable(f"line {number}: not a JSON object")
    return event


# An event line exactly as the service exports it: the event's RFC 8785 form, hash included.
_STRING = rb'"(?:[^"\\\x00-\x1f]|\\u[0-9a-f]{4}|\\["\\bfnrt])*"'
_ID = rb'"([!#-\[\]-~]{1,200})"'  # printable ASCII, no quote or backslash
_LINE_HEAD = re.compile(
    rb'\{"action":'
    + _STRING
    + rb',"actor_id":'
    + _STRING
    + rb',"actor_role":'
    + _STRING
    + rb',"case_id":'
    + _ID
    + rb',"details":\{'
)
_LINE_TAIL = re.compile(
    rb'\},"event_id":' + _ID + rb',"from_status":(?:null|' + _STRING + rb'),"hash":"([0-9a-f]{64})"'
    rb',"occurred_at":"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)","policy_version":'
    + _STRING
    + rb',"prev_hash":"([0-9a-f]{64})","seq":([1-9][0-9]{0,14}),"to_status":'
    + _STRING
    + rb"\}"
)
_HASH_MEMBER = len(b'"hash":"",') + 64


def sealed_line(raw: bytes, verifier: Verifier) -> tuple[str, int, str, str, str, str] | None:
    """Return (case_id, seq, event_id, occurred_at, prev_hash, hash) of a line that is, byte for
    byte, an event a checkpoint sealed; None for any other line, which is then parsed in full.

    Such a line is the event's RFC 8785 form. Without its hash member it must hash to the hash the
    checkpoint sealed for its case and sequence number: then the line holds exactly the bytes
    the service hashed (SHA-256 has no known second preimage), so they need no parsing, no
    canonicalisation and no check of their shape: the fields the chain needs are read off them.
    """
    line = raw.rstrip(b"\n")
    head = _LINE_HEAD.match(line)
    if head is None:
        return None
    tail = _LINE_TAIL.fullmatch(line, line.rfind(b'},"event_id":', head.end() - 1))
    if tail is None:
        return None
    case_id, seq = head.group(1).decode(), int(tail.group(5))
    recorded = tail.group(2).decode()
    if verifier.sealed_hash(case_id, seq) != recorded:
        return None
    start = tail.start(2) - len(b'"hash":"')
    if hashlib.sha256(line[:start] + line[start + _HASH_MEMBER :]).hexdigest() != recorded:
        return None
    event_id, occurred_at, prev_hash = tail.group(1, 3, 4)
    return case_id, seq, event_id.decode(), occurred_at.decode(), prev_hash.decode(), recorded


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
    fault = event_shape_fault(event)
    if fault:
        raise Unreadable(f"line {line}: {fault}")


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


def read_public_key(path: Path) -> ec.EllipticCurvePublicKey:
    """Read the audit key's public half (PEM, EC P-256), or raise Unreadable."""
    try:
        return public_key(path.read_bytes())
    except (OSError, PublicKeyError) as error:
        raise Unreadable(f"{path}: {error}") from None


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
    verifier = Verifier(
        read_public_key(public_key),
        since=since,
        until=until,
        reload=load_checkpoint,
        shown="the export",
    )
    read_checkpoints(checkpoints, verifier)
    try:
        stream = export.open("rb")
    except OSError as error:
        raise Unreadable(f"{export}: {error}") from None
    with stream:
        progress = Progress(stream, quiet)
        events = 0
        for line, read in reader(stream):
            if isinstance(read, bytes):
                sealed = sealed_line(read, verifier)
                if sealed is not None:
                    verifier.place(*sealed, line=line)
                    events += 1
                    progress.tick(events)
                    continue
                read = _decode(read, line)
            _check_shape(read, line)
            verifier.event(read, line)
            events += 1
            progress.tick(events)
        progress.tick(events, final=True)
    return verifier.finish()


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
        shown = first.text if first else None
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
    print(f"NOT VERIFIED: {shown}")
    print(f"{report.problems.count} problem(s), the first shown; {summary}")
    return EXIT_BAD


if __name__ == "__main__":
    sys.exit(main())
