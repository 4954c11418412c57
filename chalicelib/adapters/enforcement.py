"""Enforcement messages for the messaging platform, on an SQS FIFO queue (in order per case)."""

from __future__ import annotations

import json
from typing import Any

from ..config import settings
from .aws import client

BATCH = 10


class EnforcementQueue:
    """Queue one message per measure; the platform applies it and shows the poster a notice."""

    def publish(self, messages: list[dict[str, Any]]) -> None:
        """Send messages, in order, grouped by case and deduplicated by their event id."""
        queue_url = settings().enforcement_queue_url
        for start in range(0, len(messages), BATCH):
            batch = messages[start : start + BATCH]
            answer = client("sqs").send_message_batch(
                QueueUrl=queue_url,
                Entries=[
                    {
                        "Id": str(index),
                        "MessageBody": json.dumps(message, ensure_ascii=False),
                        "MessageGroupId": str(message["case_id"]),
                        "MessageDeduplicationId": str(message["message_id"]),
                    }
                    for index, message in enumerate(batch)
                ],
            )
            if answer.get("Failed"):
                codes = sorted({str(f.get("Code")) for f in answer["Failed"]})
                raise RuntimeError(f"enforcement messages refused: {', '.join(codes)}")
