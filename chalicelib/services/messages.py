"""What the service writes to claimants, in Korean and English."""

from __future__ import annotations

from ..domain.vocabulary import Lang, MeasureKind

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


_MEASURES = {
    Lang.KO: {
        "request_information": "추가 자료 요청",
        "reject": "신고 기각",
        "block_content": "게시물 접근 차단(임시조치)",
        "delete_content": "게시물 삭제",
        "restrict_room": "오픈채팅방 이용 제한",
        "restrict_user": "게시자 서비스 이용 제한",
    },
    Lang.EN: {
        "request_information": "more information requested",
        "reject": "report rejected",
        "block_content": "access to the content blocked (temporary measure)",
        "delete_content": "content deleted",
        "restrict_room": "Open Chat room restricted",
        "restrict_user": "the poster restricted from the service",
    },
}

_DECISION = {
    Lang.KO: (
        "[권리침해 신고센터] 신고에 대한 결정이 내려졌습니다 ({case_id})",
        "사건 {case_id}에 대한 결정이 내려졌습니다.\n\n"
        "조치:\n{measures}\n\n"
        "사유:\n{facts}\n\n"
        "{information}"
        "자세한 내용과 이의 제기 방법은 처리 상황 페이지에서 확인하세요:\n{status_url}\n"
        "결정에 동의하지 않으면 방송통신심의위원회 또는 법원에 구제를 청할 수 있습니다.\n",
        "요청 내용: {message}\n기한: {due_at} (UTC)\n\n",
    ),
    Lang.EN: (
        "[Infringement Report Center] A decision on your report ({case_id})",
        "A decision was made on case {case_id}.\n\n"
        "Measures:\n{measures}\n\n"
        "Reasons:\n{facts}\n\n"
        "{information}"
        "See the details and how to seek redress on the status page:\n{status_url}\n"
        "If you disagree, you may turn to the Korea Communications Standards Commission "
        "or a court.\n",
        "What we need: {message}\nDue by: {due_at} (UTC)\n\n",
    ),
}


def decision(
    lang: Lang,
    case_id: str,
    measures: list[tuple[str, str | None]],
    facts: str,
    information: tuple[str, str] | None,
    status_url: str,
) -> tuple[str, str]:
    """Return the subject and body that tell the claimant of a decision."""
    subject, body, asked = _DECISION[lang]
    until = {Lang.KO: "까지", Lang.EN: "until"}[lang]
    lines = "\n".join(
        f"- {_MEASURES[lang][kind]}"
        + (f" ({until} {ends_at})" if ends_at and kind != MeasureKind.REQUEST_INFORMATION else "")
        for kind, ends_at in measures
    )
    return subject.format(case_id=case_id), body.format(
        case_id=case_id,
        measures=lines,
        facts=facts,
        information=asked.format(message=information[0], due_at=information[1])
        if information
        else "",
        status_url=status_url,
    )


_REPOSTING = {
    Lang.KO: (
        "[권리침해 신고센터] 게시자가 재게시를 요청했습니다 ({case_id})",
        "사건 {case_id}에서 차단된 게시물의 게시자가 재게시를 요청했습니다.\n\n"
        "게시자의 의견:\n{statement}\n\n"
        "검토자가 재게시 여부를 결정하면 알려 드립니다. 이와 별도로 방송통신심의위원회에 "
        "심의를 신청하거나 법원에 소를 제기할 수 있습니다.\n{status_url}\n",
    ),
    Lang.EN: (
        "[Infringement Report Center] The poster asked to re-post the content ({case_id})",
        "The poster of the content blocked in case {case_id} asked for it to be re-posted.\n\n"
        "The poster's statement:\n{statement}\n\n"
        "We will tell you when a reviewer decides. You may also take the matter to the Korea "
        "Communications Standards Commission or a court.\n{status_url}\n",
    ),
}

_REPOSTING_DECIDED = {
    Lang.KO: (
        "[권리침해 신고센터] 재게시 요청에 대한 결정 ({case_id})",
        "사건 {case_id}의 재게시 요청에 대해 다음과 같이 결정했습니다: {outcome}\n\n"
        "사유:\n{facts}\n\n{status_url}\n",
        {"reinstate": "게시물 재게시", "uphold": "차단 유지"},
    ),
    Lang.EN: (
        "[Infringement Report Center] Decision on the re-posting request ({case_id})",
        "The re-posting request of case {case_id} was decided: {outcome}\n\nReasons:\n{facts}\n\n"
        "{status_url}\n",
        {"reinstate": "the content is re-posted", "uphold": "the block is upheld"},
    ),
}


def reposting_requested(
    lang: Lang, case_id: str, statement: str, status_url: str
) -> tuple[str, str]:
    """Return the mail that tells the claimant the poster asked to re-post."""
    subject, body = _REPOSTING[lang]
    return subject.format(case_id=case_id), body.format(
        case_id=case_id, statement=statement, status_url=status_url
    )


def reposting_decided(
    lang: Lang, case_id: str, outcome: str, facts: str, status_url: str
) -> tuple[str, str]:
    """Return the mail that tells the claimant how the re-posting request was decided."""
    subject, body, outcomes = _REPOSTING_DECIDED[lang]
    return subject.format(case_id=case_id), body.format(
        case_id=case_id, outcome=outcomes[outcome], facts=facts, status_url=status_url
    )
