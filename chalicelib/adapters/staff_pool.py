"""Ask the staff pool, not the token, whether a sign-in still stands and which groups it holds."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Generic, TypeVar

from ..domain.staff import StaffEntry
from ..ports import UnknownStaff
from .aws import client
from .identity import IdentityUnavailable, InvalidToken, Staff, StaffGroup, staff_groups

# How long one answer of the pool is reused. With the gateway's policy cache (POLICY_TTL_SECONDS
# in chalicelib/api/auth.py) it bounds how late a sign-out, a disabled user or a removed group
# takes effect.
ANSWER_MAX_AGE_SECONDS = 30.0
# Answers kept per process and kind (a few hundred bytes each): far more than there are staff.
MAX_ANSWERS = 1024
# A member is in a handful of groups; more pages than this is not a staff member of ours.
MAX_GROUP_PAGES = 5
# The staff list reads at most this many pages of users (60 a page) from the pool, and of each
# staff group's members: far more than the staff there are.
MAX_USER_PAGES = 10
USERS_PER_PAGE = 60
# What Cognito answers for a token that no longer signs anyone in: signed out, revoked, disabled
# (AdminDisableUser revokes the user's tokens), deleted, or made to reset the password.
_REFUSED = {
    "NotAuthorizedException",
    "UserNotFoundException",
    "UserNotConfirmedException",
    "PasswordResetRequiredException",
}

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class _Answers(Generic[K, V]):
    """Answers by key, each reused while younger than `max_age`; the least used beyond `size`
    are forgotten."""

    def __init__(self, max_age: float, size: int) -> None:
        self.max_age = max_age
        self.size = size
        self._entries: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, now: float) -> tuple[V] | None:
        """Return (answer,) if one younger than max_age is kept for `key`, else None."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            answered_at, answer = entry
            # A clock that went back makes an answer of unknown age: ask again.
            if not 0 <= now - answered_at < self.max_age:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return (answer,)

    def put(self, key: K, answer: V, now: float) -> None:
        """Keep `answer` for `key`, as given at `now`."""
        with self._lock:
            self._entries[key] = (now, answer)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


@dataclass
class StaffDirectory:
    """The staff pool's own word on a verified token: does its sign-in stand, in which groups."""

    user_pool_id: str
    max_age: float = ANSWER_MAX_AGE_SECONDS
    size: int = MAX_ANSWERS
    clock: Callable[[], float] = time.monotonic
    cognito: Callable[[], Any] = field(default=lambda: client("cognito-idp"))

    def __post_init__(self) -> None:
        # Keyed by the token's SHA-256 (a token is never kept) and by username.
        self._sign_ins: _Answers[str, str | None] = _Answers(self.max_age, self.size)
        self._groups: _Answers[str, frozenset[StaffGroup]] = _Answers(self.max_age, self.size)

    def confirm(self, token: str, member: Staff) -> Staff:
        """Return `member`, whom `token` verifiably names, with the groups the pool holds now;
        raise InvalidToken if the pool no longer honours the sign-in, IdentityUnavailable if
        it cannot be asked."""
        now = self.clock()
        key = hashlib.sha256(token.encode()).hexdigest()
        kept = self._sign_ins.get(key, now)
        refusal = kept[0] if kept else self._ask_sign_in(token, member)
        if not kept:
            self._sign_ins.put(key, refusal, now)
        if refusal is not None:
            raise InvalidToken(refusal)
        held = self._groups.get(member.username, now)
        groups = held[0] if held else self._ask_groups(member.username)
        if not held:
            self._groups.put(member.username, groups, now)
        return replace(member, groups=groups)

    def _ask_sign_in(self, token: str, member: Staff) -> str | None:
        """Return why the pool refuses `token`, or None if its sign-in stands."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            user = self.cognito().get_user(AccessToken=token)
        except ClientError as error:
            code = _code(error)
            if code in _REFUSED:
                return "signed out, disabled or revoked"
            raise IdentityUnavailable(f"the staff pool did not answer GetUser ({code})") from None
        except BotoCoreError as error:
            raise IdentityUnavailable(
                f"the staff pool cannot be reached ({type(error).__name__})"
            ) from None
        if user.get("Username") != member.username:
            return "the pool names another user"
        return None

    def _ask_groups(self, username: str) -> frozenset[StaffGroup]:
        """Return the staff groups the pool holds `username` in now."""
        from botocore.exceptions import BotoCoreError, ClientError

        names: list[str] = []
        request: dict[str, Any] = {"UserPoolId": self.user_pool_id, "Username": username}
        try:
            for _ in range(MAX_GROUP_PAGES):
                page = self.cognito().admin_list_groups_for_user(**request)
                names += [group["GroupName"] for group in page.get("Groups", [])]
                if not page.get("NextToken"):
                    return staff_groups(names)
                request["NextToken"] = page["NextToken"]
        except ClientError as error:
            code = _code(error)
            if code == "UserNotFoundException":
                raise InvalidToken("no longer a member of the pool") from None
            raise IdentityUnavailable(
                f"the staff pool did not answer AdminListGroupsForUser ({code})"
            ) from None
        except BotoCoreError as error:
            raise IdentityUnavailable(
                f"the staff pool cannot be reached ({type(error).__name__})"
            ) from None
        raise InvalidToken("in more groups than a staff member")

    def list_staff(self) -> list[StaffEntry]:
        """Return every user of the pool with the staff groups each holds: ListUsers, then
        ListUsersInGroup for each known group (each at most MAX_USER_PAGES pages)."""
        users = self._pages("list_users", {})
        held: dict[str, set[StaffGroup]] = {}
        for group in StaffGroup:
            for user in self._pages("list_users_in_group", {"GroupName": group.value}):
                held.setdefault(user["Username"], set()).add(group)
        return [
            StaffEntry(
                subject=_attribute(user, "sub") or user["Username"],
                username=user["Username"],
                groups=frozenset(held.get(user["Username"], set())),
                enabled=bool(user.get("Enabled", True)),
            )
            for user in users
        ]

    def sign_out(self, username: str) -> None:
        """Sign `username` out of every sign-in by AdminUserGlobalSignOut (UnknownStaff if the
        pool has no such user)."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.cognito().admin_user_global_sign_out(
                UserPoolId=self.user_pool_id, Username=username
            )
        except ClientError as error:
            code = _code(error)
            if code == "UserNotFoundException":
                raise UnknownStaff(username) from None
            raise IdentityUnavailable(
                f"the staff pool did not answer AdminUserGlobalSignOut ({code})"
            ) from None
        except BotoCoreError as error:
            raise IdentityUnavailable(
                f"the staff pool cannot be reached ({type(error).__name__})"
            ) from None

    def _pages(self, operation: str, request: dict[str, Any]) -> list[dict[str, Any]]:
        """Return the users of up to MAX_USER_PAGES pages of a listing operation of the pool."""
        from botocore.exceptions import BotoCoreError, ClientError

        asked: dict[str, Any] = {"UserPoolId": self.user_pool_id, "Limit": USERS_PER_PAGE}
        asked.update(request)
        users: list[dict[str, Any]] = []
        token_name = "PaginationToken" if operation == "list_users" else "NextToken"
        try:
            for _ in range(MAX_USER_PAGES):
                page = getattr(self.cognito(), operation)(**asked)
                users += page.get("Users", [])
                if not page.get(token_name):
                    break
                asked[token_name] = page[token_name]
        except ClientError as error:
            raise IdentityUnavailable(
                f"the staff pool did not answer {operation} ({_code(error)})"
            ) from None
        except BotoCoreError as error:
            raise IdentityUnavailable(
                f"the staff pool cannot be reached ({type(error).__name__})"
            ) from None
        return users


def _attribute(user: dict[str, Any], name: str) -> str | None:
    for attribute in user.get("Attributes", []):
        if attribute.get("Name") == name:
            return str(attribute.get("Value"))
    return None


def _code(error: Any) -> str:
    return str(error.response.get("Error", {}).get("Code", "unknown"))


def directory() -> StaffDirectory:
    """Return the directory of this deployment's staff pool (built on first use)."""
    from ..config import settings

    return _directory(settings().user_pool_id)


@lru_cache(maxsize=4)
def _directory(user_pool_id: str) -> StaffDirectory:
    return StaffDirectory(user_pool_id=user_pool_id)


def reset_directory() -> None:
    """Forget every directory and its answers (tests switch pools between apps)."""
    _directory.cache_clear()
