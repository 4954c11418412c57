"""Read the deployment's settings from the environment, once, when first asked."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from .domain.misuse import MisusePolicy


@dataclass(frozen=True)
class Settings:
    stage: str
    cases_table: str
    audit_table: str
    uploads_bucket: str
    evidence_bucket: str
    mail_sender: str
    enforcement_queue_url: str
    checkpoint_bucket: str
    audit_key_id: str
    notice_key_id: str
    policy_version: str
    public_base_url: str
    user_pool_id: str
    user_pool_client_id: str
    jwks_url: str
    token_issuer: str
    checkpoint_rate_minutes: int
    reports_per_client_per_hour: int
    uploads_per_client_per_hour: int
    acknowledgements_per_recipient_per_day: int
    evidence_retention_days: int
    customer_service_url: str
    strike_window_days: int = 180
    strikes_to_warn: int = 2
    strikes_to_restrict: int = 3
    suggested_restriction_days: int = 30
    unfounded_window_days: int = 180
    unfounded_to_warn: int = 3


@lru_cache(maxsize=1)
def settings() -> Settings:
    """Return the settings of this deployment (environment variables set by the template)."""
    env = os.environ
    return Settings(
        stage=env.get("STAGE", "dev"),
        cases_table=env["CASES_TABLE"],
        audit_table=env["AUDIT_TABLE"],
        uploads_bucket=env["UPLOADS_BUCKET"],
        evidence_bucket=env["EVIDENCE_BUCKET"],
        mail_sender=env["MAIL_SENDER"],
        enforcement_queue_url=env["ENFORCEMENT_QUEUE_URL"],
        checkpoint_bucket=env["CHECKPOINT_BUCKET"],
        audit_key_id=env["AUDIT_KEY_ID"],
        notice_key_id=env["NOTICE_KEY_ID"],
        policy_version=env.get("POLICY_VERSION", "2026-11"),
        public_base_url=_public_base_url(env["PUBLIC_BASE_URL"]),
        user_pool_id=env["USER_POOL_ID"],
        user_pool_client_id=env["USER_POOL_CLIENT_ID"],
        jwks_url=env.get("JWKS_URL") or f"{_cognito_issuer(env)}/.well-known/jwks.json",
        token_issuer=env.get("TOKEN_ISSUER") or _cognito_issuer(env),
        checkpoint_rate_minutes=int(env.get("CHECKPOINT_RATE_MINUTES", "5")),
        # A person reports a few items at a sitting; a NAT shares one address among several.
        reports_per_client_per_hour=int(env.get("REPORTS_PER_CLIENT_PER_HOUR", "10")),
        # Up to 11 files a report, and a failed file tried again.
        uploads_per_client_per_hour=int(env.get("UPLOADS_PER_CLIENT_PER_HOUR", "60")),
        # Enough for a claimant's own reports of a day; too few to flood someone else's mailbox.
        acknowledgements_per_recipient_per_day=int(
            env.get("ACKNOWLEDGEMENTS_PER_RECIPIENT_PER_DAY", "3")
        ),
        # The evidence bucket's Object Lock retention (the template's one number), for the pages.
        evidence_retention_days=int(env["EVIDENCE_RETENTION_DAYS"]),
        # Where a reader who cannot open a link is sent for help: the platform's customer service.
        customer_service_url=env.get("CUSTOMER_SERVICE_URL", "https://cs.kakao.com"),
        # The misuse policy (README, "Repeat infringers" and "Unfounded notices"): suggestions
        # for reviewers, never measures applied by themselves.
        strike_window_days=int(env.get("STRIKE_WINDOW_DAYS", "180")),
        strikes_to_warn=int(env.get("STRIKES_TO_WARN", "2")),
        strikes_to_restrict=int(env.get("STRIKES_TO_RESTRICT", "3")),
        suggested_restriction_days=int(env.get("SUGGESTED_RESTRICTION_DAYS", "30")),
        unfounded_window_days=int(env.get("UNFOUNDED_WINDOW_DAYS", "180")),
        unfounded_to_warn=int(env.get("UNFOUNDED_TO_WARN", "3")),
    )


def misuse_policy() -> MisusePolicy:
    """Return the misuse policy's thresholds as this deployment sets them."""
    from .domain.misuse import MisusePolicy

    s = settings()
    return MisusePolicy(
        strike_window_days=s.strike_window_days,
        strikes_to_warn=s.strikes_to_warn,
        strikes_to_restrict=s.strikes_to_restrict,
        suggested_restriction_days=s.suggested_restriction_days,
        unfounded_window_days=s.unfounded_window_days,
        unfounded_to_warn=s.unfounded_to_warn,
    )


def _public_base_url(configured: str) -> str:
    """Return the configured public address, refusing one that links could not be built from."""
    address = urlsplit(configured.strip())
    if (
        address.scheme not in ("https", "http")
        or not address.netloc
        or address.query
        or (address.fragment)
    ):
        raise ValueError("PUBLIC_BASE_URL must be an absolute http(s) address without a query")
    return configured.strip().rstrip("/")


def _cognito_issuer(env: Mapping[str, str]) -> str:
    """Return the issuer of the staff pool's tokens, as Cognito names it."""
    region = env.get("AWS_REGION") or env["AWS_DEFAULT_REGION"]
    return f"https://cognito-idp.{region}.amazonaws.com/{env['USER_POOL_ID']}"


def staff_sign_in_url() -> str:
    """Return where the console's script signs staff in (read when the console is served)."""
    return _staff_sign_in_url(os.environ)


def _staff_sign_in_url(env: Mapping[str, str]) -> str:
    """Return where the console's script signs staff in: the staff pool's regional endpoint, or
    the local AWS that the development stack points every client at."""
    configured = env.get("STAFF_SIGN_IN_URL") or env.get("AWS_ENDPOINT_URL_COGNITO_IDP")
    if configured or env.get("AWS_ENDPOINT_URL"):
        return (configured or env["AWS_ENDPOINT_URL"]).rstrip("/") + "/"
    region = env.get("AWS_REGION") or env["AWS_DEFAULT_REGION"]
    return f"https://cognito-idp.{region}.amazonaws.com/"
