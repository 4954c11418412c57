"""The case store's recovery links, one contract over the fake and the moto adapter: a link is
written with the effect that mails it, read back by its code's hash, and used at most once, only
before it expires."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.domain.outbox import Effect, EffectKind, EffectState
from chalicelib.ports import CaseStore, RecoveryLink
from chalicelib.wiring import ADAPTERS
from tests import fakes

CASE_ID = "01KCASE0000000000000000001"
CODE_HASH = "c" * 64
CREATED = "2026-11-20T09:00:00Z"
EXPIRES = 1_800_000_000  # epoch seconds


@pytest.fixture(params=["fake", "moto"])
def store(request: pytest.FixtureRequest) -> Any:
    if request.param == "fake":
        return fakes.World().ports()["repository"]
    request.getfixturevalue("aws")
    return ADAPTERS["repository"]()


def link(**changes: Any) -> RecoveryLink:
    fields: dict[str, Any] = {
        "case_id": CASE_ID,
        "code_hash": CODE_HASH,
        "created_at": CREATED,
        "expires_at_epoch": EXPIRES,
    }
    return RecoveryLink(**{**fields, **changes})


def mail(effect_id: str = "recovery-mail-1") -> Effect:
    return Effect(
        effect_id=effect_id,
        kind=EffectKind.MAIL,
        case_id=CASE_ID,
        payload={"to": "minji@example.com", "subject": "Your case", "body": "The link."},
    )


def effects_of(store: CaseStore) -> list[tuple[str, str]]:
    _, effects = store.case_with_effects(CASE_ID)
    return [(e["effect_id"], e["state"]) for e in effects]


def test_a_link_is_kept_with_the_mail_that_sends_it(store: CaseStore) -> None:
    store.put_recovery(link(), mail())
    assert store.recovery_link(CASE_ID, CODE_HASH) == link()
    assert effects_of(store) == [("recovery-mail-1", EffectState.PENDING.value)]


def test_a_link_written_again_by_a_retry_stands_once_with_one_mail(store: CaseStore) -> None:
    store.put_recovery(link(), mail())
    store.put_recovery(link(), mail())
    assert store.recovery_link(CASE_ID, CODE_HASH) == link()
    assert effects_of(store) == [("recovery-mail-1", EffectState.PENDING.value)]


def test_an_unknown_code_finds_no_link(store: CaseStore) -> None:
    store.put_recovery(link(), mail())
    assert store.recovery_link(CASE_ID, "d" * 64) is None
    assert store.recovery_link("01KCASE0000000000000000002", CODE_HASH) is None


def test_a_link_is_used_once(store: CaseStore) -> None:
    store.put_recovery(link(), mail())
    assert store.redeem_recovery(CASE_ID, CODE_HASH, EXPIRES - 60, "2026-11-20T09:10:00Z")
    assert store.recovery_link(CASE_ID, CODE_HASH) == link(used_at="2026-11-20T09:10:00Z")
    assert not store.redeem_recovery(CASE_ID, CODE_HASH, EXPIRES - 30, "2026-11-20T09:11:00Z")
    assert store.recovery_link(CASE_ID, CODE_HASH) == link(used_at="2026-11-20T09:10:00Z")


def test_an_expired_link_is_not_used(store: CaseStore) -> None:
    store.put_recovery(link(), mail())
    assert not store.redeem_recovery(CASE_ID, CODE_HASH, EXPIRES, "2026-11-20T09:40:00Z")
    assert store.recovery_link(CASE_ID, CODE_HASH) == link()


def test_no_link_is_used_where_none_was_written(store: CaseStore) -> None:
    assert not store.redeem_recovery(CASE_ID, CODE_HASH, EXPIRES - 60, "2026-11-20T09:10:00Z")
    assert store.recovery_link(CASE_ID, CODE_HASH) is None
