"""Fuzz the API from its own OpenAPI document on a fresh local stack (`make fuzz`).

Starts `python -m tools.devstack` on free ports, signs the demo staff users in, and runs
schemathesis (from its own virtual environment) against `/openapi.json` for a bounded time,
every staff route with the token of a group that may call it. Fails on any 5xx, and on any
answer whose status, content type or body the document does not describe.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from tools.provision import GENEROUS_LIMITS, PROJECT_DIR

DEFAULT_SCHEMATHESIS = PROJECT_DIR / ".venv-fuzz" / "bin" / "schemathesis"
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)
READY_LINE = "Ready."
START_TIMEOUT = 90.0
STOP_TIMEOUT = 10.0


def main(argv: Sequence[str] | None = None) -> int:
    """Run schemathesis against a fresh local stack; return its exit code (0: nothing found)."""
    parser = argparse.ArgumentParser(prog="python -m tools.fuzz", description=__doc__)
    parser.add_argument("--schemathesis", type=Path, default=DEFAULT_SCHEMATHESIS)
    parser.add_argument("--max-time", type=int, default=75, help="seconds of fuzzing in all")
    parser.add_argument("--seed", type=int, default=None, help="repeat the run of this seed")
    args = parser.parse_args(argv)
    if not args.schemathesis.exists():
        print(f"fuzz: no {args.schemathesis}; `make fuzz` installs it", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="fuzz-") as scratch, _stack(Path(scratch)) as stack:
        config = Path(scratch) / "schemathesis.toml"
        config.write_text(staff_config(stack.state_file))
        command = [
            str(args.schemathesis.resolve()),
            "--no-color",
            "--config-file",
            str(config),
            "run",
            f"{stack.app_url}/openapi.json",
            "--url",
            stack.app_url,
            "--checks",
            ",".join(CHECKS),
            "--max-time",
            str(args.max_time),
            "--workers",
            "1",
            "--request-timeout",
            "20",
            *(["--seed", str(args.seed)] if args.seed is not None else []),
        ]
        run = subprocess.run(command, cwd=scratch, check=False, timeout=args.max_time + 240)
        if run.returncode != 0:
            failures = [line for line in stack.output if "unhandled" in line or "Error" in line]
            print("\n".join(["The local stack said:", *failures[-40:]]), flush=True)
        return run.returncode


def staff_config(state_file: Path) -> str:
    """Return a schemathesis config that calls each staff route with a token of its group."""
    from chalicelib.api.access import ROUTE_GROUPS
    from tools.token import access_token

    users = json.loads(state_file.read_text())["demo_users"]
    tokens: dict[str, str] = {}
    sections = []
    for (method, path), groups in sorted(ROUTE_GROUPS.items()):
        role = next(role for role, user in sorted(users.items()) if user["group"] in groups)
        if role not in tokens:
            tokens[role] = access_token(state_file, role)
        # A staff sign-out is fuzzed against a name no token belongs to: signing a demo user
        # out would leave every later call of that user's routes at 401, untested.
        fixed = (
            'parameters = { "path.username" = "fuzz-no-such-member" }\n'
            if "{username}" in path
            else ""
        )
        sections.append(
            "[[operations]]\n"
            f"include-name = {json.dumps(f'{method} {path}')}\n"
            f"headers = {{ Authorization = {json.dumps('Bearer ' + tokens[role])} }}\n" + fixed
        )
    return "\n".join(sections)


class _Stack:
    def __init__(self, process: subprocess.Popen[str], state_file: Path) -> None:
        self.process, self.state_file = process, state_file
        self.output: list[str] = []
        self.ready = threading.Event()
        self.app_url = ""

    def drain(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line.rstrip("\n"))
            if line.strip() == READY_LINE:
                self.ready.set()
        self.ready.set()


@contextlib.contextmanager
def _stack(scratch: Path) -> Iterator[_Stack]:
    """Run the local stack on free ports until the block ends, then stop it."""
    state_file = scratch / "stack.json"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tools.devstack",
            *("--port", "0", "--aws-port", "0", "--state-file", str(state_file)),
            # Every request comes from 127.0.0.1: with the real limits the fuzz would soon meet
            # only 429s on the public writes and test nothing behind them.
            *(f"--parameter={name}={value}" for name, value in GENEROUS_LIMITS.items()),
        ],
        cwd=PROJECT_DIR,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    stack = _Stack(process, state_file)
    reader = threading.Thread(target=stack.drain, name="devstack-output", daemon=True)
    reader.start()
    try:
        if not stack.ready.wait(START_TIMEOUT) or READY_LINE not in stack.output:
            tail = "\n".join(stack.output[-40:])
            raise SystemExit(f"fuzz: the local stack did not get ready:\n{tail}")
        stack.app_url = json.loads(state_file.read_text())["app_url"]
        yield stack
    finally:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        reader.join(STOP_TIMEOUT)


if __name__ == "__main__":
    raise SystemExit(main())
