"""Notice tokens derived in KMS: none is stored, and each can always be derived again."""

from __future__ import annotations

import base64

from ..config import settings
from .aws import client

_LABEL = "irc/notice-token/v1"


class NoticeKeys:
    """Derive the poster's notice token of one decision with the notice key (HMAC in KMS)."""

    def token(self, case_id: str, decision_id: str) -> str:
        """Return the notice token of a decision: the same every time, and only KMS can make it."""
        answer = client("kms").generate_mac(
            KeyId=settings().notice_key_id,
            Message=f"{_LABEL}\x00{case_id}\x00{decision_id}".encode(),
            MacAlgorithm="HMAC_SHA_256",
        )
        return base64.urlsafe_b64encode(answer["Mac"]).decode().rstrip("=")
