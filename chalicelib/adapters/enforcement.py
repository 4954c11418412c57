"""Enforcement messages for the messaging platform, on an SQS FIFO queue (in order per case)."""

from __future__ import annotations

import json
from typing import Any

from ..config import settings
from .aws import client


class EnforcementQueue:
    """Queue one message per measure; the platform applies it and shows the poster a notice."""

    def send(self, message: dict[str, Any]) -> None:
        """Send one message, grouped by case and deduplicated by its event id.

        SQS drops a second message with the same deduplication id within five minutes, so a
        relay that sent it but died before marking it delivered does not send it twice.
        """
        client("sqs").send_message(
            QueueUrl=settings().enforcement_queue_url,
            MessageBody=json.dumps(message, ensure_ascii=False),
            MessageGroupId=str(message["case_id"]),
            MessageDeduplicationId=str(message["message_id"]),
        )
