"""Start `python -m tools.devstack` as a subprocess and wait until it is ready to serve."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3

PROJECT_DIR = Path(__file__).resolve().parent.parent
READY_LINE = "Ready."
START_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def port_is_free(port: int) -> bool:
    """Return whether a server could bind the port on 127.0.0.1 again."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@dataclass
class RunningStack:
    """A running devstack: its URLs, the app's environment and the demo users."""

    process: subprocess.Popen[str]
    app_url: str
    aws_endpoint: str
    region: str
    environment: dict[str, str]
    demo_users: dict[str, dict[str, str]]
    physical_ids: dict[str, str]
    state_file: Path
    output: list[str] = field(default_factory=list)

    def client(self, service: str) -> Any:
        """Return a boto3 client that talks to the stack's local AWS."""
        return boto3.client(
            service,
            endpoint_url=self.aws_endpoint,
            region_name=self.region,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def url(self, path: str) -> str:
        """Return the app URL of the path."""
        return self.app_url.rstrip("/") + "/" + path.lstrip("/")

    def stop(self, timeout: float = STOP_TIMEOUT) -> int:
        """Send SIGINT to the stack's process group and return its exit code."""
        return _stop(self.process, timeout)


@contextlib.contextmanager
def running_stack(
    port: int | None = None,
    aws_port: int | None = None,
    *,
    timeout: float = START_TIMEOUT,
    project_dir: Path = PROJECT_DIR,
    via_make: bool = False,
    extra_args: tuple[str, ...] = (),
    parameters: Mapping[str, str] | None = None,
) -> Iterator[RunningStack]:
    """Run the devstack (or `make run`) on the given or free ports until the block ends, with
    `parameters` of the template besides the local ones."""
    given = [f"{name}={value}" for name, value in (parameters or {}).items()]
    port = port or free_port()
    aws_port = aws_port or free_port()
    with tempfile.TemporaryDirectory(prefix="devstack-") as scratch:
        state_file = Path(scratch) / "stack.json"
        command = [
            sys.executable,
            "-m",
            "tools.devstack",
            "--port",
            str(port),
            "--aws-port",
            str(aws_port),
            "--state-file",
            str(state_file),
            *(argument for text in given for argument in ("--parameter", text)),
            *extra_args,
        ]
        if via_make:
            command = ["make", "--no-print-directory", "run", f"PORT={port}"]
            command += [f"AWS_PORT={aws_port}", f"STATE={state_file}"]
            command += [f"PARAMETERS={' '.join(given)}"] if given else []
        process = subprocess.Popen(
            command,
            cwd=project_dir,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        output: list[str] = []
        ready = threading.Event()
        reader = threading.Thread(
            target=_drain, args=(process, output, ready), name="devstack-output", daemon=True
        )
        reader.start()
        try:
            if not ready.wait(timeout) or READY_LINE not in output:
                tail = "\n".join(output[-40:])
                raise RuntimeError(
                    f"devstack did not get {READY_LINE!r} in {timeout:.0f} s:\n{tail}"
                )
            state = json.loads(state_file.read_text())
            yield RunningStack(
                process=process,
                app_url=state["app_url"],
                aws_endpoint=state["aws_endpoint"],
                region=state["region"],
                environment=state["environment"],
                demo_users=state["demo_users"],
                physical_ids=state["physical_ids"],
                state_file=state_file,
                output=output,
            )
        finally:
            with contextlib.suppress(subprocess.TimeoutExpired):
                _stop(process, STOP_TIMEOUT)
            reader.join(STOP_TIMEOUT)


def _stop(process: subprocess.Popen[str], timeout: float) -> int:
    """Interrupt the process group, and kill it if it has not exited within the timeout."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise
    return process.returncode


def _drain(process: subprocess.Popen[str], output: list[str], ready: threading.Event) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        output.append(line.rstrip("\n"))
        if line.strip() == READY_LINE:
            ready.set()
    ready.set()
