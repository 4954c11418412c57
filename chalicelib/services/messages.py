"""What the service writes to claimants, in Korean and English."""

from __future__ import annotations

from ..domain.vocabulary import Lang

_ACKNOWLEDGEMENT = {
    Lang.KO: (
        "[권리침해 신고센터] 신고가 접수되었습니다 ({case_id})",
        "신고가 접수되었습니다.\n\n"
        "사건 번호: {case_id}\n"
        "접수 일시: {received_at} (UTC)\n\n"
        "신고 후 화면에 표시된 접수 토큰과 사건 번호로 처리 상황을 확인할 수 있습니다:\n"
        "{status_url}\n\n"
        "접수 토큰은 보안을 위해 이 메일에 포함하지 않습니다. 안전하게 보관해 주세요.\n"
        "결정이 내려지면 이 주소로 알려 드립니다.\n",
    ),
    Lang.EN: (
        "[Infringement Report Center] Your report was received ({case_id})",
        "Your report was received.\n\n"
        "Case ID: {case_id}\n"
        "Received: {received_at} (UTC)\n\n"
        "Follow your case with the case ID and the receipt token shown when you submitted:\n"
        "{status_url}\n\n"
        "For your safety the receipt token is not in this mail. Keep it somewhere safe.\n"
        "We will write to this address when a decision is made.\n",
    ),
}


def acknowledgement(lang: Lang, case_id: str, received_at: str, status_url: str) -> tuple[str, str]:
    """Return the subject and body that confirm a report was received."""
    subject, body = _ACKNOWLEDGEMENT[lang]
    values = {"case_id": case_id, "received_at": received_at, "status_url": status_url}
    return subject.format(**values), body.format(**values)
