"""The public addresses the service hands out: one home for each link's shape."""


def status_address(base_url: str, case_id: str) -> str:
    """The claimant's status address of a case: it carries no secret (the browser proves it)."""
    return f"{base_url}/status/{case_id}"


def notice_address(base_url: str, case_id: str) -> str:
    """The poster's notice page of a case, before its token is added."""
    return f"{base_url}/notices/{case_id}"


def recovery_address(base_url: str, case_id: str, code: str) -> str:
    """The one-time link a recovery mail carries: its code is short-lived and opens once."""
    return f"{base_url}/status/{case_id}/recovery?code={code}"
