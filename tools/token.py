"""Print the access token of a demo staff user of the running local stack (`make token`)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tools.devstack import DEFAULT_STATE_FILE


class NoToken(Exception):
    """Why no token can be printed: the stack is not running, or there is no such role."""


def main(argv: Sequence[str] | None = None) -> int:
    """Print the access token of the role's demo user on stdout, or say why not and return 1."""
    parser = argparse.ArgumentParser(prog="python -m tools.token", description=__doc__)
    parser.add_argument(
        "--role", default="reviewer", help="reviewer, auditor, admin or trusted_flagger"
    )
    parser.add_argument(
        "--state-file",
        type=Path,
        default=DEFAULT_STATE_FILE,
        help="the state file that `make run` writes (its STATE=)",
    )
    args = parser.parse_args(argv)
    try:
        token = access_token(args.state_file, args.role)
    except NoToken as error:
        print(f"token: {error}", file=sys.stderr)
        return 1
    print(token)
    return 0


def access_token(state_file: Path, role: str) -> str:
    """Sign the demo user of `role` in to the stack of `state_file` and return its access token."""
    state = _running_stack(state_file)
    users: dict[str, dict[str, str]] = state.get("demo_users", {})
    if role not in users:
        known = ", ".join(sorted(users)) or "none (the stack has no demo users)"
        raise NoToken(f"unknown role {role!r}; the demo roles are: {known}")
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError

    cognito = boto3.client(
        "cognito-idp",
        endpoint_url=state["aws_endpoint"],
        region_name=state["region"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 (the local AWS accepts any key)
        config=Config(connect_timeout=2, read_timeout=10, retries={"max_attempts": 1}),
    )
    try:
        result = cognito.admin_initiate_auth(
            UserPoolId=state["environment"]["USER_POOL_ID"],
            ClientId=state["environment"]["USER_POOL_CLIENT_ID"],
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={
                "USERNAME": users[role]["username"],
                "PASSWORD": users[role]["password"],
            },
        )
    except (BotoCoreError, ClientError) as error:
        raise NoToken(
            f"the local AWS at {state['aws_endpoint']} did not sign {role} in "
            f"({type(error).__name__}); is `make run` still running?"
        ) from None
    return str(result["AuthenticationResult"]["AccessToken"])


def _running_stack(state_file: Path) -> dict[str, Any]:
    try:
        state: dict[str, Any] = json.loads(state_file.read_text())
    except FileNotFoundError:
        raise NoToken(
            f"no local stack: {state_file} does not exist; start one with `make run`"
        ) from None
    except ValueError:
        raise NoToken(
            f"{state_file} is not a stack state file; start a stack with `make run`"
        ) from None
    pid = state.get("pid")
    if isinstance(pid, int) and not _alive(pid):
        raise NoToken(
            f"the local stack of {state_file} (pid {pid}) is not running; start it with `make run`"
        )
    return state


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


if __name__ == "__main__":
    raise SystemExit(main())
