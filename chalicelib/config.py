"""Read the deployment's settings from the environment, once, when first asked."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Settings:
    stage: str
    cases_table: str
    audit_table: str
    uploads_bucket: str
    evidence_bucket: str
    mail_sender: str
    policy_version: str
    public_base_url: str | None


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
        policy_version=env.get("POLICY_VERSION", "2026-11"),
        public_base_url=env.get("PUBLIC_BASE_URL") or None,
    )
