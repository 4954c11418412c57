"""Run the app locally: moto's server with the template's resources, and Chalice's local server."""

from __future__ import annotations

import argparse
import functools
import json
import logging
import os
import re
import signal
import socket
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tools.provision import LOCAL_PARAMETERS, PROJECT_DIR, LocalStack, provision

DEFAULT_STATE_FILE = PROJECT_DIR / ".local" / "stack.json"
CHALICE_STAGE = "dev"
STREAM_POLL_SECONDS = 0.25
_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def main(argv: Sequence[str] | None = None) -> int:
    """Serve the app and its local AWS until SIGINT or SIGTERM, then stop both and return 0."""
    args = _parse_args(argv)
    signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    _configure_process()
    app_port = args.port or _free_port(args.host)
    display_host = "127.0.0.1" if args.host in ("", "0.0.0.0") else args.host
    app_url = f"http://{display_host}:{app_port}"

    moto_server = _serial_moto_server(args.aws_port)
    moto_server.start()
    aws_port = moto_server.get_host_and_port()[1]
    aws_endpoint = f"http://127.0.0.1:{aws_port}"
    os.environ["AWS_ENDPOINT_URL"] = aws_endpoint
    try:
        stack = provision(
            parameters={
                **LOCAL_PARAMETERS,
                "AllowedOrigin": app_url,
                "PublicBaseUrl": app_url,
                **dict(args.parameter),
            }
        )
        chalice_server = _chalice_server(stack, app_url, args.host, app_port)
    except BaseException:
        moto_server.stop()
        raise
    serving = threading.Thread(
        target=chalice_server.server.serve_forever,
        kwargs={"poll_interval": 0.1},
        name="chalice-local",
        daemon=True,
    )
    serving.start()
    stopping = threading.Event()
    schedules = _fire_schedules(chalice_server.app_object, stopping, args.timer_seconds)
    schedules += _feed_streams(chalice_server.app_object, stack, stopping)
    _write_state(args.state_file, app_url, aws_endpoint, stack)
    _print_banner(app_url, aws_endpoint, stack, args.state_file)

    received = signal.sigwait(_STOP_SIGNALS)
    print(f"Stopping ({signal.Signals(received).name}).", flush=True)
    stopping.set()
    for thread in schedules:
        thread.join()
    chalice_server.server.shutdown()
    chalice_server.server.server_close()
    serving.join()
    moto_server.stop()
    return 0


def _serial_moto_server(port: int) -> Any:
    """Return moto's server, handling one request at a time, as DynamoDB is atomic per request.

    moto checks a transaction's conditions and then writes, without a lock: two requests at once
    could both pass a condition that real DynamoDB lets only one pass (two reviewers, one case).
    """
    from moto.moto_server.threaded_moto_server import ThreadedMotoServer
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    class OneAtATime:
        def __init__(self, app: Any) -> None:
            self.app, self.lock = app, threading.Lock()

        def __call__(self, environ: Any, start_response: Any) -> Any:
            with self.lock:
                return list(self.app(environ, start_response))

    class SerialMotoServer(ThreadedMotoServer):
        def _server_entry(self) -> None:
            app = OneAtATime(DomainDispatcherApplication(create_backend_app))
            self._server = make_server(
                self._ip_address, self._port, app, True, request_handler=MotoRequestHandler
            )
            self._server_ready_event.set()
            self._server.serve_forever()

    return SerialMotoServer(ip_address="127.0.0.1", port=port, verbose=False)


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tools.devstack", description=__doc__)
    parser.add_argument("--port", type=int, default=8000, help="app port (0: any free port)")
    parser.add_argument("--aws-port", type=int, default=0, help="local AWS port (0: any free port)")
    parser.add_argument("--host", default="127.0.0.1", help="address the app listens on")
    parser.add_argument(
        "--timer-seconds",
        type=float,
        default=None,
        help="fire scheduled functions this often instead of on their rate",
    )
    parser.add_argument(
        "--state-file",
        type=Path,
        default=DEFAULT_STATE_FILE,
        help="where to write the endpoints, environment and demo users as JSON",
    )
    parser.add_argument(
        "--parameter",
        type=_parameter,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a parameter of infra/template.yaml, e.g. ReportsPerClientPerHour=100 (repeatable)",
    )
    return parser.parse_args(argv)


def _parameter(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not name or not equals:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, not {text!r}")
    return name, value


def _configure_process() -> None:
    """Point boto3 at a fake account and write logs as the functions do in Lambda."""
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    from chalicelib import logs

    logs.install()  # the JSON lines of Lambda, on stderr
    logging.getLogger().setLevel(logging.INFO)
    for noisy in ("werkzeug", "botocore", "boto3", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def _fire_schedules(
    app: Any, stopping: threading.Event, override_seconds: float | None
) -> list[threading.Thread]:
    """Fire each scheduled function of the app on its rate, as EventBridge does in AWS."""
    from chalice.app import Rate, ScheduledEventConfig

    seconds_per = {Rate.MINUTES: 60, Rate.HOURS: 3600, Rate.DAYS: 86400}
    threads = []
    for source in app.event_sources:
        if not isinstance(source, ScheduledEventConfig):
            continue
        rate = source.schedule_expression
        if not isinstance(rate, Rate):
            continue
        every = override_seconds or rate.value * seconds_per[rate.unit]
        module_name, function_name = source.handler_string.rsplit(".", 1)
        handler = getattr(sys.modules[module_name], function_name)
        thread = threading.Thread(
            target=_fire_every,
            args=(handler, source.name, every, stopping),
            name=f"schedule-{source.name}",
            daemon=True,
        )
        thread.start()
        threads.append(thread)
        print(f"Schedule:   {source.name} every {every:g} s", flush=True)
    return threads


def _feed_streams(app: Any, stack: LocalStack, stopping: threading.Event) -> list[threading.Thread]:
    """Poll the cases table's stream and hand new records to the app's stream handlers, as
    Lambda's event source mapping does in AWS (it polls each shard a few times a second)."""
    from chalice.app import DynamoDBEventConfig

    from tools.streams import StreamPump

    threads = []
    for source in app.event_sources:
        if not isinstance(source, DynamoDBEventConfig):
            continue
        module_name, function_name = source.handler_string.rsplit(".", 1)
        handler = getattr(sys.modules[module_name], function_name)
        pump = StreamPump(stack.environment["CASES_TABLE"], handler, source.batch_size)
        thread = threading.Thread(
            target=_pump_every,
            args=(pump, source.name, STREAM_POLL_SECONDS, stopping),
            name=f"stream-{source.name}",
            daemon=True,
        )
        thread.start()
        threads.append(thread)
        print(f"Stream:     {source.name} on the cases table", flush=True)
    return threads


def _pump_every(pump: Any, name: str, seconds: float, stopping: threading.Event) -> None:
    while not stopping.wait(seconds):
        try:
            pump.pump()
        except Exception as error:  # the batch is handed on again at the next poll, as in AWS
            print(f"{name} failed: {type(error).__name__}", flush=True)


def _fire_every(handler: Any, name: str, seconds: float, stopping: threading.Event) -> None:
    while not stopping.wait(seconds):
        event = {
            "version": "0",
            "id": "local",
            "detail-type": "Scheduled Event",
            "source": "aws.events",
            "account": "123456789012",
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "region": os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
            "resources": [],
            "detail": {},
        }
        try:
            result = handler(event, None)
        except Exception as error:  # a failed run is reported; the next one tries again
            print(f"{name} failed: {type(error).__name__}", flush=True)
        else:
            print(f"{name} ran: {result}", flush=True)


def _chalice_server(stack: LocalStack, app_url: str, host: str, port: int) -> Any:
    """Load the app with the local stack's environment and bind Chalice's local server."""
    from chalice.cli.factory import CLIFactory
    from chalice.deploy.validate import validate_routes
    from chalice.local import ChaliceRequestHandler, LocalGatewayException, create_local_server

    factory = CLIFactory(project_dir=str(PROJECT_DIR), environ=os.environ)
    config = factory.create_config_obj(chalice_stage_name=CHALICE_STAGE)
    os.environ.update(config.environment_variables)
    os.environ.update(stack.environment)
    os.environ["STAGE"] = "local"
    # Local tokens name the real Cognito issuer, but their keys are published by the local AWS.
    pool_id = stack.environment["USER_POOL_ID"]
    os.environ["TOKEN_ISSUER"] = f"https://cognito-idp.{stack.region}.amazonaws.com/{pool_id}"
    os.environ["JWKS_URL"] = f"{os.environ['AWS_ENDPOINT_URL']}/{pool_id}/.well-known/jwks.json"
    app = factory.load_chalice_app()
    validate_routes(app.routes)
    server = create_local_server(app, config, host, port)

    refusals = gateway_refusals()

    class GatewayLikeRequestHandler(ChaliceRequestHandler):
        """Chalice's handler, answering as API Gateway would, with an access log of no secret."""

        def __getattr__(self, name: str) -> Any:
            # Every method (TRACE, QUERY, ...) reaches the app, which answers 405 for one that
            # no route takes, where the standard library's handler would answer 501 itself.
            if name.startswith("do_"):
                return self._generic_handle
            raise AttributeError(name)

        def log_message(self, format: str, *args: Any) -> None:
            super().log_message("%s", redact_query(format % args))

        def _send_error_response(self, error: LocalGatewayException) -> None:
            if error.CODE not in refusals:
                return super()._send_error_response(error)
            headers, body = refusals[error.CODE]
            return self._send_http_response(error.CODE, dict(headers), body)

    server.server.RequestHandlerClass = functools.partial(
        GatewayLikeRequestHandler, app_object=server.app_object, config=config
    )
    return server


def gateway_refusals() -> dict[int, tuple[dict[str, str], str]]:
    """Return the headers and body of the gateway's 401 and 403, as infra/template.yaml says."""
    import yaml

    from tools.provision import DEFAULT_TEMPLATE

    api = yaml.safe_load(DEFAULT_TEMPLATE.read_text())["Resources"]["RestAPI"]["Properties"]
    responses = api["DefinitionBody"]["x-amazon-apigateway-gateway-responses"]
    refusals = {}
    for kind in ("UNAUTHORIZED", "ACCESS_DENIED"):
        response = responses[kind]
        [(content_type, body)] = response["responseTemplates"].items()
        headers = {
            name.removeprefix("gatewayresponse.header."): value.strip("'")
            for name, value in response.get("responseParameters", {}).items()
        }
        refusals[int(response["statusCode"])] = ({**headers, "Content-Type": content_type}, body)
    return refusals


# A query value that opens something (a notice token, a presigned URL's signature or credential)
# must not reach the access log: the log outlives the link, and is read by more people.
_SECRET_QUERY_VALUE = re.compile(
    r"([?&;][^?&;=\s]*(?:token|key|signature|secret|password|credential|auth)[^?&;=\s]*=)"
    r"[^&;\s#]*",
    re.IGNORECASE,
)


def redact_query(line: str) -> str:
    """Return a log line with the value of every query parameter named like a secret redacted."""
    return _SECRET_QUERY_VALUE.sub(r"\1[redacted]", line)


def _write_state(path: Path, app_url: str, aws_endpoint: str, stack: LocalStack) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {
        "app_url": app_url,
        "aws_endpoint": aws_endpoint,
        "region": stack.region,
        "environment": stack.environment,
        "physical_ids": stack.physical_ids,
        "demo_users": stack.demo_users,
        "pid": os.getpid(),
    }
    path.write_text(json.dumps(state, indent=2) + "\n")


def _print_banner(app_url: str, aws_endpoint: str, stack: LocalStack, state_file: Path) -> None:
    lines = [
        f"App:        {app_url}/",
        f"Local AWS:  {aws_endpoint}  "
        f"(aws --endpoint-url {aws_endpoint} ... / boto3 endpoint_url={aws_endpoint!r})",
        f"Region:     {stack.region}",
        f"State:      {state_file}",
        *(
            [f"Not local:  {', '.join(stack.not_created)} (the app's own limits hold)"]
            if stack.not_created
            else []
        ),
        "Demo users:",
        *(
            f"  {role:<9} {user['username']:<14} password {user['password']}  "
            f"(group {user['group']})"
            for role, user in stack.demo_users.items()
        ),
        "Stop with Ctrl-C.",
        "Ready.",
    ]
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
