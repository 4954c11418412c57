"""One in-process AWS (moto) for the whole test session, provisioned once from the template, and
put back as provisioned before each test: its data cleared, its users and identities restored.

Provisioning the template takes about a second; putting it back takes a few milliseconds. What a
test may change is data (items, objects, messages, mail sent), users (created, disabled, moved
between groups, signed out), pools and mail identities: all of it is restored. A test that needs
an empty AWS asks for `empty()`; the next test provisions again.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.model_instances import reset_model_data

from tools.provision import LocalStack, provision

REGION = "us-east-1"


class WarmAws:
    """The session's in-process AWS and the stack provisioned in it."""

    def __init__(self) -> None:
        self._mock = mock_aws()
        self._mock.start()
        self._stack: LocalStack | None = None
        self._parameters: dict[str, str] = {}
        self._saved: dict[str, Any] = {}
        self.provisioned = 0

    def stack(self, parameters: Mapping[str, str]) -> LocalStack:
        """Return the stack of `parameters`, as it was just after provisioning."""
        if self._stack is not None and dict(parameters) == self._parameters and self._restore():
            return self._stack
        self.empty()
        self._stack = provision(parameters=parameters)
        self._parameters = dict(parameters)
        self.provisioned += 1
        self._save()
        return self._stack

    def empty(self) -> None:
        """Remove every resource: the next `stack` provisions anew."""
        self._mock.reset()
        self._stack = None
        self._saved = {}

    def close(self) -> None:
        """Stop the in-process AWS."""
        self._mock.stop()

    def _save(self) -> None:
        dynamodb, s3, sqs, ses, cognito = _backends()
        self._saved = {
            "tables": set(dynamodb.tables),
            "buckets": set(s3.buckets),
            "queues": set(sqs.queues),
            "ses": {
                name: copy.copy(value)
                for name, value in vars(ses).items()
                if isinstance(value, dict | list | set)
            },
            "tagger": copy.deepcopy(s3.tagger.tags),
            "pools": {
                pool_id: copy.deepcopy((pool.users, pool.groups, pool.clients))
                for pool_id, pool in cognito.user_pools.items()
            },
        }

    def _restore(self) -> bool:
        """Put the stack back as provisioned; False if a test removed a part of it."""
        dynamodb, s3, sqs, ses, cognito = _backends()
        saved = self._saved
        if not (
            saved["tables"] <= set(dynamodb.tables)
            and saved["buckets"] <= set(s3.buckets)
            and saved["queues"] <= set(sqs.queues)
            and set(saved["pools"]) <= set(cognito.user_pools)
        ):
            return False
        for name in set(dynamodb.tables) - saved["tables"]:
            del dynamodb.tables[name]
        for table in dynamodb.tables.values():
            table.items.clear()
            if getattr(table, "stream_shard", None) is not None:
                table.stream_shard.items.clear()
        # Iterators hold on to the shards they were taken from (a cancelled transaction leaves
        # its table's copy behind): forget them, and what they hold with them.
        _streams().shard_iterators.clear()
        for name in set(s3.buckets) - saved["buckets"]:
            del s3.buckets[name]
        for bucket in s3.buckets.values():
            for name in list(bucket.keys):
                for key in bucket.keys.getlist(name):
                    if hasattr(key, "dispose"):
                        key.dispose()
            bucket.keys = type(bucket.keys)()
            bucket.multiparts = type(bucket.multiparts)()
        s3.tagger.tags = copy.deepcopy(saved["tagger"])
        for name in set(sqs.queues) - saved["queues"]:
            del sqs.queues[name]
        for queue in sqs.queues.values():
            with queue._messages_lock:
                queue._messages = []
                queue._pending_messages = set()
                queue.deleted_messages = set()
        for name, value in saved["ses"].items():
            setattr(ses, name, copy.copy(value))
        ses.sent_message_count = 0
        ses.rejected_messages_count = 0
        for pool_id in set(cognito.user_pools) - set(saved["pools"]):
            del cognito.user_pools[pool_id]
        for pool_id, members in saved["pools"].items():
            pool = cognito.user_pools[pool_id]
            pool.users, pool.groups, pool.clients = copy.deepcopy(members)
            for issued in (pool.access_tokens, pool.id_tokens, pool.refresh_tokens):
                issued.clear()  # a token of an earlier test signs nobody in
        # moto tracks every model it ever made (for its dashboard); let go of the old ones.
        reset_model_data()
        return True


def _backends() -> tuple[Any, Any, Any, Any, Any]:
    from moto.cognitoidp.models import cognitoidp_backends
    from moto.dynamodb.models import dynamodb_backends
    from moto.s3.models import s3_backends
    from moto.ses.models import ses_backends
    from moto.sqs.models import sqs_backends

    return (
        dynamodb_backends[DEFAULT_ACCOUNT_ID][REGION],
        s3_backends[DEFAULT_ACCOUNT_ID]["global"],
        sqs_backends[DEFAULT_ACCOUNT_ID][REGION],
        ses_backends[DEFAULT_ACCOUNT_ID][REGION],
        cognitoidp_backends[DEFAULT_ACCOUNT_ID][REGION],
    )


def _streams() -> Any:
    from moto.dynamodbstreams.models import dynamodbstreams_backends

    return dynamodbstreams_backends[DEFAULT_ACCOUNT_ID][REGION]
