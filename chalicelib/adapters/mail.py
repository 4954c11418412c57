"""Mail to claimants through SES."""

from __future__ import annotations

from ..config import settings
from .aws import client


class Mailer:
    """Send plain-text mail from the service's verified sender."""

    def send(self, to: str, subject: str, body: str) -> str:
        """Send one message and return SES's message id."""
        answer = client("ses").send_email(
            Source=settings().mail_sender,
            Destination={"ToAddresses": [to]},
            Message={
                "Subject": {"Data": subject, "Charset": "UTF-8"},
                "Body": {"Text": {"Data": body, "Charset": "UTF-8"}},
            },
        )
        return str(answer["MessageId"])
