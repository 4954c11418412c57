"""The words of the hosted pages, in Korean and English (placeholders in braces)."""

from __future__ import annotations

from typing import Any, Final

KO: Final[dict[str, Any]] = {
    "site_name": "권리침해 신고센터",
    "skip_to_content": "본문으로 건너뛰기",
    "language_nav": "언어 선택",
    "site_nav": "주요 메뉴",
    "nav_report": "신고하기",
    "nav_status": "처리 상황 확인",
    "footer": (
        "카카오톡 이용자의 권리를 보호하기 위한 신고 절차입니다. "
        "카카오 운영정책 「이용자 권리 보호」에 따라 처리합니다."
    ),
    "required_note": "* 표시는 필수 항목입니다.",
    "required_text": "(필수)",
    "optional_text": "(선택)",
    # The report form.
    "form_title": "권리침해 신고",
    "form_intro": (
        "카카오톡에 올라온 정보가 내 개인정보, 사생활, 명예 등 권리를 침해한다면 "
        "이 양식으로 해당 정보의 삭제 또는 접근 차단을 요청할 수 있습니다."
    ),
    "form_who_may": (
        "권리를 침해당한 본인 또는 위임을 받은 대리인만 신고할 수 있으며, "
        "침해 사실을 보여 주는 소명 자료를 함께 제출해야 합니다."
    ),
    "noscript": (
        "이 신고 양식은 파일을 올리기 위해 JavaScript가 필요합니다. "
        "브라우저에서 JavaScript를 켠 뒤 다시 열어 주세요. "
        "처리 상황 확인은 JavaScript 없이도 할 수 있습니다."
    ),
    "section_claimant": "1. 신고하는 분",
    "relationship_legend": "누가 신고하나요?",
    "relationships": {
        "self": {
            "label": "본인",
            "hint": "권리를 침해당한 당사자입니다.",
        },
        "agent": {
            "label": "대리인",
            "hint": "권리를 침해당한 분을 대신해 신고합니다. 위임장이 필요합니다.",
        },
    },
    "name_label": "이름",
    "email_label": "이메일",
    "email_hint": "접수 확인과 처리 결과를 이 주소로 알려 드립니다.",
    "phone_label": "전화번호",
    "phone_hint": "예: 010-1234-5678",
    "principal_label": "권리를 침해당한 분의 이름",
    "principal_hint": "대리인으로 신고할 때, 신고를 맡긴 분의 이름을 적어 주세요.",
    "poa_label": "위임장",
    "poa_hint": (
        "권리를 침해당한 분이 신고를 맡겼음을 보여 주는 위임장 파일 한 개 "
        "(PDF 또는 이미지, {max_mb}MB까지)."
    ),
    "section_target": "2. 신고할 내용",
    "surface_legend": "어디에 올라온 내용인가요?",
    "surface_note": "이 신고 절차는 아래 다섯 가지 서비스에 올라온 내용만 다룹니다.",
    "surfaces": {
        "kakaotalk_profile": {
            "label": "카카오톡 프로필",
            "hint": "카카오톡 프로필의 사진, 배경, 이름, 상태메시지 등",
        },
        "talk_board": {
            "label": "일반채팅 그룹채팅방 톡게시판(게시글·댓글)",
            "hint": "일반채팅 그룹채팅방의 톡게시판에 올라온 게시글이나 댓글",
        },
        "open_chat_board": {
            "label": "오픈채팅 그룹채팅방 공지·일정·투표 게시판",
            "hint": "오픈채팅 그룹채팅방의 공지, 일정, 투표 게시판에 올라온 내용",
        },
        "open_chat_cover": {
            "label": "오픈채팅방 정보(커버)",
            "hint": "오픈채팅방의 이름, 대표 사진, 소개 등 채팅방 정보",
        },
        "open_profile": {
            "label": "오픈프로필 및 오픈프로필 게시물",
            "hint": "오픈채팅에서 쓰는 오픈프로필과 오픈프로필에 올린 게시물",
        },
    },
    "url_label": "내용의 주소(URL)",
    "url_hint": (
        "http:// 또는 https://로 시작하는 링크를 붙여 넣어 주세요. "
        "예: 오픈채팅방 링크 https://open.kakao.com/o/…"
    ),
    "description_label": "내용을 찾는 방법",
    "description_hint": (
        "게시 날짜, 게시자 닉네임, 게시물 제목 등 "
        "해당 내용을 찾는 데 도움이 되는 정보를 적어 주세요."
    ),
    "section_grounds": "3. 신고 사유와 요청",
    "grounds_legend": "어떤 권리를 침해당했나요?",
    "grounds_hint": "해당하는 것을 모두 고르세요.",
    "grounds": {
        "privacy": {
            "label": "개인정보 유포·사생활 침해",
            "hint": "연락처, 주소 같은 개인정보를 퍼뜨리거나 사생활과 자유를 침해하는 내용",
        },
        "portrait": {
            "label": "초상권 침해",
            "hint": "허락 없이 내 사진이나 영상을 올려 초상권 등 인격권을 침해하는 내용",
        },
        "defamation": {
            "label": "명예훼손",
            "hint": (
                "비방할 목적으로 공공연하게 모욕하거나, 사실 또는 거짓 사실을 드러내 "
                "명예를 훼손하는 내용"
            ),
        },
        "intellectual_property": {
            "label": "지식재산권 침해",
            "hint": (
                "허락 없이 내 상표나 저작물을 사용·실행·양도하는 등 특허권, 상표권, 디자인권, "
                "저작권을 침해하는 내용"
            ),
        },
        "other_rights": {
            "label": "기타 권리 침해",
            "hint": "그 밖에 정당한 권한 없이 내 권리를 침해하는 내용",
        },
    },
    "ip_right_label": "어떤 지식재산권인가요?",
    "ip_right_placeholder": "선택해 주세요",
    "ip_rights": {
        "patent": "특허권",
        "trademark": "상표권",
        "design": "디자인권",
        "copyright": "저작권",
    },
    "action_legend": "어떤 조치를 요청하나요?",
    "actions": {
        "block": {
            "label": "접근 차단(임시조치)",
            "hint": (
                "내용을 최대 30일 동안 보이지 않게 가립니다. "
                "게시자는 그동안 재게시를 요청할 수 있습니다."
            ),
        },
        "delete": {
            "label": "삭제",
            "hint": "내용을 완전히 지워 달라고 요청합니다.",
        },
    },
    "statement_label": "신고 내용",
    "statement_hint": (
        "어떤 내용이 내 권리를 어떻게 침해하는지 구체적으로 적어 주세요 "
        "({min}자 이상 {max}자 이하)."
    ),
    "section_evidence": "4. 소명 자료",
    "evidence_label": "소명 자료 파일",
    "evidence_hint": (
        "침해 사실을 보여 주는 화면 캡처, 문서, 영상을 {max_files}개까지 올려 주세요. "
        "{types} 파일, 파일당 {max_mb}MB까지 올릴 수 있습니다. 파일을 고르면 바로 올라갑니다."
    ),
    "section_declaration": "5. 확인",
    "declaration_label": "신고 내용이 사실이며 선의로 신고함을 확인합니다.",
    "declaration_hint": ("사실과 다른 신고로 다른 사람의 권리를 침해하면 책임을 질 수 있습니다."),
    "submit": "신고하기",
    "errors_title": "입력 내용을 확인해 주세요",
    # The receipt, shown in place of the form.
    "receipt_title": "신고가 접수되었습니다",
    "receipt_intro": "아래 사건 번호와 접수 토큰으로 처리 상황을 확인할 수 있습니다.",
    "case_id_label": "사건 번호",
    "receipt_token_label": "접수 토큰",
    "received_at_label": "접수 일시",
    "copy_label": "복사",
    "copy_case_id": "사건 번호 복사",
    "copy_token": "접수 토큰 복사",
    "receipt_warning_title": "접수 토큰은 지금 한 번만 표시됩니다",
    "receipt_warning": (
        "이 화면을 닫으면 접수 토큰을 다시 볼 수 없습니다. "
        "보안을 위해 이메일로도 보내 드리지 않습니다. "
        "사건 번호와 함께 복사해 안전한 곳에 보관해 주세요. "
        "처리 상황을 확인할 때 두 가지가 모두 필요합니다."
    ),
    "receipt_status_link": "처리 상황 확인하기",
    "receipt_no_mail_title": "접수 확인 메일은 보내지 않았습니다",
    "receipt_no_mail": (
        "입력하신 이메일 주소로 하루(한국 시간 오전 9시부터 다음 날 오전 9시까지)에 보낼 수 "
        "있는 접수 확인 메일을 이미 모두 보내, 이번 신고의 확인 메일은 보내지 않았습니다. "
        "신고는 정상적으로 접수되었습니다. "
        "이 화면의 사건 번호와 접수 토큰이 유일한 접수 확인이니 꼭 보관해 주세요."
    ),
    # The status page.
    "status_title": "처리 상황 확인",
    "status_intro": "신고할 때 받은 사건 번호와 접수 토큰을 입력해 주세요.",
    "status_case_id_hint": "영문과 숫자 26자리입니다.",
    "status_token_hint": "신고를 마쳤을 때 한 번 표시된 값입니다.",
    "status_submit": "확인하기",
    "status_not_found": (
        "사건 번호와 접수 토큰이 일치하는 신고를 찾지 못했습니다. "
        "두 값을 빠짐없이 정확하게 입력했는지 확인해 주세요."
    ),
    "status_missing": "입력해 주세요.",
    "status_unavailable": "지금은 처리 상황을 확인할 수 없습니다. 잠시 뒤 다시 시도해 주세요.",
    "status_busy": (
        "지금은 요청이 몰려 처리 상황을 확인할 수 없습니다. 몇 초 뒤 다시 시도해 주세요."
    ),
    "withdraw_unknown": (
        "취하가 처리되었는지 지금은 알 수 없습니다. 잠시 뒤 처리 상황을 다시 확인해 주세요. "
        "아직 취하되지 않았다면 다시 취하할 수 있습니다."
    ),
    "status_too_long": "입력한 내용이 너무 깁니다. 사건 번호와 접수 토큰만 입력해 주세요.",
    "result_title": "사건 {case_id}",
    "status_label": "처리 상태",
    "updated_at_label": "최근 변경",
    "surface_label": "신고한 곳",
    "grounds_label": "신고 사유",
    "action_label": "요청한 조치",
    "files_label": "첨부 파일",
    "decisions_title": "결정",
    "no_decisions": (
        "아직 내려진 결정이 없습니다. 결정이 내려지면 결정 사유와 함께 이곳에 표시되고, "
        "신고할 때 적은 이메일로도 알려 드립니다."
    ),
    "no_decisions_closed": "결정이 내려지기 전에 끝난 사건입니다.",
    "decision_heading": "{date} 결정",
    "decision_measures_label": "조치",
    "decision_reasons_label": "결정 사유",
    "until": "{date}까지",
    "answer_by": "{date}까지 답변",
    "reject_reason_label": "조치하지 않은 이유",
    "reject_reasons": {
        "not_rights_holder": (
            "신고한 분이 권리를 침해당한 본인이나 위임받은 대리인임을 확인하지 못했습니다."
        ),
        "insufficient_evidence": "권리침해 여부를 판단하기에는 소명 자료가 부족합니다.",
        "out_of_scope": "이 신고 절차가 다루는 서비스나 권리침해에 해당하지 않습니다.",
        "not_infringing": "검토 결과 신고한 내용이 권리를 침해한다고 보기 어렵습니다.",
        "duplicate": "이미 접수된 다른 신고와 같은 내용입니다.",
    },
    "information_message_label": "요청 내용",
    "decision_ground_label": "판단 근거",
    "decision_grounds": {
        "DECISION_GROUND_ILLEGAL_CONTENT": "불법 정보",
        "DECISION_GROUND_INCOMPATIBLE_CONTENT": "운영정책 위반",
    },
    "legal_ground_label": "관련 법령",
    "policy_ground_label": "관련 정책",
    "automated_label": "결정 방식",
    "automated": {
        "AUTOMATED_DECISION_NOT_AUTOMATED": "담당자가 직접 검토해 결정했습니다.",
        "AUTOMATED_DECISION_PARTIALLY": "자동화된 방식의 도움을 받아 담당자가 결정했습니다.",
        "AUTOMATED_DECISION_FULLY": "자동화된 방식으로 결정했습니다.",
    },
    "redress_label": "이의 제기와 구제",
    "redress": {
        "reposting_request": (
            "게시자는 임시조치 기간 동안 재게시를 요청할 수 있으며, 요청이 있으면 다시 검토합니다."
        ),
        "appeal": "이용 제한을 받은 이용자는 이의를 제기해 다시 검토받을 수 있습니다.",
        "kcsc": "결정에 동의하지 않으면 방송통신심의위원회에 심의를 신청할 수 있습니다.",
        "court": "법원에 소송을 제기해 다툴 수도 있습니다.",
    },
    "check_another": "다른 사건 확인하기",
    # Answering a request for information.
    "information_title": "추가 자료를 보내 주세요",
    "information_intro": (
        "결정을 내리려면 아래 내용이 더 필요합니다. 기한 안에 답변과 자료를 보내 주세요."
    ),
    "information_requested_at_label": "요청 일시",
    "information_due_label": "답변 기한",
    "information_overdue": "답변 기한이 지나 이 요청에는 더 이상 답변할 수 없습니다.",
    "answer_title": "답변하기",
    "answer_noscript": (
        "답변과 파일을 보내려면 JavaScript가 필요합니다. "
        "브라우저에서 JavaScript를 켠 뒤 처리 상황을 다시 확인해 주세요. "
        "신고 취하는 JavaScript 없이도 할 수 있습니다."
    ),
    "answer_statement_label": "답변 내용",
    "answer_statement_hint": "요청받은 내용에 대해 설명해 주세요 ({min}자 이상 {max}자 이하).",
    "answer_evidence_label": "추가 소명 자료",
    "answer_evidence_hint": (
        "필요하면 파일을 {max_files}개까지 올려 주세요. "
        "{types} 파일, 파일당 {max_mb}MB까지 올릴 수 있습니다. 파일을 고르면 바로 올라갑니다."
    ),
    "answer_submit": "답변 보내기",
    "answer_sent": "답변을 보냈습니다. 담당자가 다시 검토합니다.",
    # Read by status.js, over the words of form.js.
    "answer_js": {
        "server_error": (
            "처리 중 문제가 생겼습니다. 잠시 뒤 다시 답변 보내기를 눌러 주세요. "
            "이미 접수되었더라도 두 번 기록되지는 않습니다."
        ),
        "network_error": "서버에 연결하지 못했습니다. 잠시 뒤 다시 답변 보내기를 눌러 주세요.",
        "answer_sent": "답변을 보냈습니다. 처리 상황을 다시 불러오는 중…",
        "status_errors": {
            "404": "사건 번호와 접수 토큰이 맞지 않습니다. 처리 상황을 다시 확인해 주세요.",
        },
        "errors": {
            "statement|missing": "답변 내용을 적어 주세요.",
            "statement|string_too_short": "답변 내용을 {min}자 이상 적어 주세요.",
            "statement|string_too_long": "답변 내용은 {max}자 이하로 줄여 주세요.",
            "statement|deadline": "답변 기한이 지나 더 이상 답변할 수 없습니다.",
            "evidence|too_long": "파일은 {max_files}개까지만 첨부할 수 있습니다.",
            "status|transition": (
                "이미 답변이 접수되었거나 사건 상태가 바뀌었습니다. 처리 상황을 다시 확인해 주세요."
            ),
            "status|stale": "그사이 사건이 바뀌었습니다. 잠시 뒤 다시 답변 보내기를 눌러 주세요.",
        },
    },
    # Withdrawing a report.
    "withdraw_title": "신고 취하",
    "withdraw_intro": (
        "결정이 내려지기 전에는 신고를 취하할 수 있습니다. "
        "취하하면 검토가 끝나며 되돌릴 수 없습니다."
    ),
    "withdraw_confirm": "신고를 취하하면 되돌릴 수 없다는 것을 이해했습니다.",
    "withdraw_submit": "신고 취하하기",
    "withdraw_confirm_missing": "취하하려면 먼저 아래 확인란에 표시해 주세요.",
    "withdrawn_done": "신고를 취하했습니다. 이 사건은 더 이상 검토하지 않습니다.",
    "withdraw_decided": (
        "그사이 결정이 내려져 신고를 취하할 수 없습니다. 아래에서 결정 내용을 확인해 주세요."
    ),
    "withdraw_stale": "그사이 사건 상태가 바뀌었습니다. 아래 내용을 확인한 뒤 다시 시도해 주세요.",
    "withdraw_already": "이미 취하된 신고입니다.",
    # The poster's Rights Infringement Notice.
    "notice_title": "권리침해 신고에 따른 조치 안내",
    "notice_intro": (
        "회원님이 올린 내용이 다른 사람의 권리를 침해한다는 신고가 접수되었습니다. "
        "검토한 결과 아래와 같이 조치했음을 알려 드립니다."
    ),
    "notice_content_title": "대상 내용",
    "notice_where_label": "게시된 곳",
    "notice_url_label": "내용의 주소",
    "notice_grounds_label": "신고된 사유",
    "notice_status_label": "현재 상태",
    "notice_decisions_title": "조치 내용과 이유",
    "notice_measures": {
        "block_content": {
            "label": "게시물 접근 차단(임시조치)",
            "explanation": (
                "다른 이용자가 이 내용을 볼 수 없도록 가렸습니다. "
                "임시조치는 최대 30일 동안 유지됩니다."
            ),
        },
        "delete_content": {
            "label": "게시물 삭제",
            "explanation": "이 내용을 삭제했습니다.",
        },
        "restrict_room": {
            "label": "오픈채팅방 이용 제한",
            "explanation": "이 내용이 있는 오픈채팅방의 이용을 제한했습니다.",
        },
        "restrict_user_kakaotalk": {
            "label": "카카오톡 이용 제한",
            "explanation": "정해진 기간 동안 카카오톡을 이용할 수 없습니다.",
        },
        "restrict_user_open_chat": {
            "label": "오픈채팅 이용 제한",
            "explanation": "정해진 기간 동안 오픈채팅을 이용할 수 없습니다.",
        },
    },
    "notice_rights_title": "회원님이 할 수 있는 일",
    "notice_reposting": (
        "임시조치가 끝나는 {date}까지 게시물을 다시 게시해 달라고 요청할 수 있습니다. "
        "요청하면 담당자가 다시 검토해 재게시 여부를 결정합니다. "
        "기간 안에 요청하지 않으면 임시조치 기간이 끝날 때 게시물이 삭제됩니다."
    ),
    "notice_reposting_form_title": "재게시 요청하기",
    "notice_reposting_once": "재게시 요청은 한 번만 할 수 있습니다.",
    "notice_reposting_reason_label": "재게시를 요청하는 이유",
    "notice_reposting_reason_hint": (
        "게시물이 다른 사람의 권리를 침해하지 않는다고 보는 이유를 적어 주세요 "
        "({min}자 이상 {max}자 이하)."
    ),
    "notice_reposting_evidence_label": "소명 자료",
    "notice_reposting_evidence_hint": (
        "주장을 뒷받침하는 파일이 있으면 {max_files}개까지 올려 주세요. "
        "{types} 파일, 파일당 {max_mb}MB까지 올릴 수 있습니다. 파일을 고르면 바로 올라갑니다."
    ),
    "notice_reposting_noscript": (
        "파일을 첨부하려면 JavaScript가 필요합니다. JavaScript가 꺼져 있어도 파일 없이 "
        "요청을 보낼 수 있습니다."
    ),
    "notice_reposting_submit": "재게시 요청 보내기",
    "notice_appeal_form_title": "{measure}에 이의 제기",
    "notice_appeal_reason_label": "이의 제기 이유",
    "notice_appeal_reason_hint": (
        "제한이 부당하다고 생각하는 이유를 적어 주세요 ({min}자 이상 {max}자 이하). "
        "제한마다 한 번 이의를 제기할 수 있습니다."
    ),
    "notice_appeal_submit": "이의 제기 보내기",
    "notice_appeal_until": "{date}까지 제한됩니다.",
    "notice_sent": {
        "reposting": "재게시 요청을 보냈습니다. 담당자가 검토한 뒤 결과를 알려 드립니다.",
        "appeal": "이의 제기를 보냈습니다. 담당자가 제한을 다시 검토합니다.",
    },
    "notice_form_failed": "요청을 보내지 못했습니다. 아래 내용을 확인해 주세요.",
    "notice_refused_title": "요청을 보내지 못했습니다",
    "notice_too_long": (
        "보낸 내용이 너무 깁니다. 앱에 표시된 링크를 다시 열고, 이유를 5000자 이하로 적어 "
        "다시 보내 주세요."
    ),
    # The state of each measure, and of the poster's requests against them.
    "measures_now_title": "조치 현황",
    "measure_states": {
        "in_force": "{date}까지 유지",
        "in_force_undated": "유지 중",
        "deleted": "삭제됨",
        "ended": "{date}에 종료",
        "ended_undated": "종료됨",
        "lifted": "{date}에 해제",
        "lifted_undated": "해제됨",
        "reinstated": "{date}에 재게시",
        "reinstated_undated": "재게시됨",
    },
    "measure_notes": {
        "deleted_no_request": "기간 안에 재게시 요청이 없어 게시물을 삭제했습니다.",
        "deleted_upheld": "재게시 요청이 받아들여지지 않아 게시물을 삭제했습니다.",
        "delete_at_end": (
            "재게시 요청이 받아들여지지 않아, 임시조치가 끝나면 게시물이 삭제됩니다."
        ),
        "back_at_cap": (
            "임시조치는 30일을 넘길 수 없어, 재게시 요청을 검토하는 동안 게시물이 다시 보입니다."
        ),
        "reinstated": "재게시 요청을 받아들여 게시물을 다시 게시했습니다.",
        "lifted": "이의 제기를 받아들여 제한을 해제했습니다.",
        "restriction_ended": "제한 기간이 끝났습니다.",
    },
    "appeal_states": {
        "filed": "{date}에 이의를 제기했습니다.",
        "pending": "담당자가 검토하고 있습니다.",
        "lifted": "{date}: 이의를 받아들여 제한을 해제했습니다.",
        "upheld": "{date}: 이의를 받아들이지 않아 제한을 유지합니다.",
    },
    "appeal_statement_label": "이의 제기 이유",
    "reposting_request_title": "재게시 요청",
    "reposting_requested_at_label": "요청 일시",
    "reposting_statement_label": "요청 이유",
    "reposting_files_label": "첨부 파일",
    "reposting_outcome_label": "결과",
    "reposting_outcomes": {
        "pending": "담당자가 검토하고 있습니다. 결정되면 이 안내와 앱에서 알려 드립니다.",
        "reinstated": "{date}에 게시물을 다시 게시하기로 결정했습니다.",
        "upheld": "{date}에 조치를 유지하기로 결정했습니다.",
    },
    "referral_label": "회부",
    "referrals": {
        "kcsc": "방송통신심의위원회",
        "court": "법원",
        "none": "회부하지 않음",
    },
    "claimant_reposting_title": "게시자의 재게시 요청",
    "claimant_reposting_intro": "게시자가 {date}에 차단된 내용을 다시 게시해 달라고 요청했습니다.",
    "claimant_reposting_statement_label": "게시자의 의견",
    "claimant_reposting_outcomes": {
        "pending": "담당자가 검토하고 있습니다. 결정되면 이메일로 알려 드립니다.",
        "reinstated": "{date}에 게시물을 다시 게시하기로 결정했습니다.",
        "upheld": "{date}에 조치를 유지하기로 결정했습니다.",
    },
    "claimant_reposting_redress": (
        "재게시 여부와 별개로, 이 사안은 방송통신심의위원회에 심의를 신청하거나 "
        "법원에 소송을 제기해 다툴 수 있습니다."
    ),
    # Read by notice.js, over the words of form.js.
    "notice_js": {
        "server_error": (
            "처리 중 문제가 생겼습니다. 잠시 뒤 다시 보내 주세요. "
            "이미 접수되었더라도 두 번 기록되지는 않습니다."
        ),
        "network_error": "서버에 연결하지 못했습니다. 잠시 뒤 다시 보내 주세요.",
        "sent": "보냈습니다. 안내를 다시 불러오는 중…",
        "status_errors": {
            "404": "이 링크로는 더 이상 요청할 수 없습니다. 앱에 표시된 링크를 다시 열어 주세요.",
        },
        "errors": {
            "statement|missing": "이유를 적어 주세요.",
            "statement|string_too_short": "이유를 {min}자 이상 적어 주세요.",
            "statement|string_too_long": "이유는 {max}자 이하로 줄여 주세요.",
            "statement|once": (
                "재게시 요청은 이미 보냈습니다. 요청 내용과 결과는 이 안내에서 확인할 수 있습니다."
            ),
            "statement|no_block": "차단 중인 게시물이 없어 재게시를 요청할 수 없습니다.",
            "evidence|too_long": "파일은 {max_files}개까지만 첨부할 수 있습니다.",
            "measure_id|measure": "이의를 제기할 수 없는 조치입니다.",
            "measure_id|once": "이 제한에는 이미 이의를 제기했습니다.",
            "measure_id|not_in_force": "이미 끝났거나 해제된 제한에는 이의를 제기할 수 없습니다.",
            "measure_id|too_late": "제한을 받은 지 180일이 지나 이의를 제기할 수 없습니다.",
            "status|transition": (
                "그사이 사건 상태가 바뀌어 지금은 요청할 수 없습니다. "
                "이 안내를 다시 열어 현재 상태를 확인해 주세요."
            ),
            "expected_version|stale": "그사이 사건이 바뀌었습니다. 잠시 뒤 다시 보내 주세요.",
        },
    },
    "notice_appeal": "이용 제한이 부당하다고 생각하면 이의를 제기해 다시 검토받을 수 있습니다.",
    "notice_redress": (
        "이 조치에 동의하지 않으면 누구든지 방송통신심의위원회에 심의를 신청하거나 "
        "법원에 소송을 제기해 구제를 받을 수 있습니다."
    ),
    "notice_statuses": {
        "actioned": {
            "label": "조치 중",
            "explanation": "아래 조치가 유지되고 있습니다.",
        },
        "reposting_requested": {
            "label": "재게시 요청 검토 중",
            "explanation": "재게시 요청을 받아 담당자가 다시 검토하고 있습니다.",
        },
        "reinstated": {
            "label": "재게시됨",
            "explanation": "재게시 요청을 검토한 결과 게시물을 다시 게시했습니다.",
        },
        "upheld": {
            "label": "조치 유지",
            "explanation": "재게시 요청을 검토한 결과 조치를 유지하기로 했습니다.",
        },
        "closed": {
            "label": "종결",
            "explanation": (
                "이 사건의 처리가 끝났습니다. 각 조치가 어떻게 끝났는지는 아래에 있습니다."
            ),
        },
    },
    "notice_invalid_title": "안내를 열 수 없습니다",
    "notice_invalid": (
        "이 링크는 유효하지 않습니다. 앱에 표시된 링크를 빠짐없이 그대로 열었는지 확인해 주세요."
    ),
    "notice_unavailable": "지금은 안내를 보여 드릴 수 없습니다. 잠시 뒤 다시 열어 주세요.",
    "page_unavailable": "지금은 이 페이지를 보여 드릴 수 없습니다. 잠시 뒤 다시 열어 주세요.",
    "notice_busy": "지금은 요청이 몰려 안내를 보여 드릴 수 없습니다. 몇 초 뒤 다시 열어 주세요.",
    "notice_unknown_title": "요청이 접수되었는지 알 수 없습니다",
    "notice_send_unknown": (
        "보내신 요청이 접수되었는지 지금은 알 수 없습니다. 잠시 뒤 안내 링크를 다시 열어 확인해 "
        "주세요. 접수된 요청은 안내에 표시되며, 표시되지 않았다면 다시 보낼 수 있습니다."
    ),
    "statuses": {
        "received": {
            "label": "접수됨",
            "explanation": "신고가 접수되어 검토를 기다리고 있습니다.",
        },
        "in_review": {
            "label": "검토 중",
            "explanation": "담당자가 신고 내용과 소명 자료를 검토하고 있습니다.",
        },
        "information_requested": {
            "label": "추가 자료 요청",
            "explanation": (
                "검토에 자료가 더 필요합니다. 아래 요청 내용을 확인하고 기한 안에 답변해 주세요."
            ),
        },
        "rejected": {
            "label": "조치하지 않음",
            "explanation": "검토 결과 조치하지 않기로 했습니다. 아래 결정 사유를 확인해 주세요.",
        },
        "actioned": {
            "label": "조치됨",
            "explanation": "신고한 내용에 조치를 취했습니다.",
        },
        "reposting_requested": {
            "label": "재게시 요청됨",
            "explanation": "게시자가 재게시를 요청하여 다시 검토하고 있습니다.",
        },
        "reinstated": {
            "label": "재게시됨",
            "explanation": "재게시 요청을 검토한 결과 내용이 다시 게시되었습니다.",
        },
        "upheld": {
            "label": "조치 유지",
            "explanation": "재게시 요청을 검토한 결과 조치를 유지하기로 했습니다.",
        },
        "closed": {
            "label": "종결",
            "explanation": (
                "사건 처리가 끝났습니다. 각 조치가 어떻게 끝났는지는 아래 조치 현황에서 "
                "확인할 수 있습니다."
            ),
        },
        "closed_no_response": {
            "label": "답변 없이 종결",
            "explanation": (
                "요청한 자료를 기한 안에 받지 못해 사건을 종결했습니다. "
                "필요하면 자료를 갖추어 새로 신고할 수 있습니다."
            ),
        },
        "withdrawn": {
            "label": "취하됨",
            "explanation": "신고를 취하했습니다.",
        },
    },
    "file_kinds": {
        "evidence": "소명 자료",
        "power_of_attorney": "위임장",
    },
    "measures": {
        "block_content": "접근 차단(임시조치)",
        "delete_content": "삭제",
        "restrict_room": "오픈채팅방 이용 제한",
        "restrict_user": "게시자 이용 제한",
        "restrict_user_kakaotalk": "게시자의 카카오톡 이용 제한",
        "restrict_user_open_chat": "게시자의 오픈채팅 이용 제한",
        "reject": "조치하지 않음",
        "request_information": "추가 자료 요청",
        "reinstate": "재게시",
    },
    "date_format": "{year}년 {month_name} {day}일 {hh}:{mm} (한국 시간)",
    "month_names": [f"{month}월" for month in range(1, 13)],
    "type_names": {
        "application/pdf": "PDF",
        "image/png": "PNG",
        "image/jpeg": "JPEG",
        "image/gif": "GIF",
        "image/webp": "WebP",
        "video/mp4": "MP4",
        "text/plain": "텍스트(TXT)",
    },
    "size_units": ["{n}바이트", "{n}KB", "{n}MB"],
    # Read by form.js (in a JSON block of the page).
    "js": {
        "uploading": "올리는 중…",
        "uploaded": "올림 완료",
        "upload_failed": "올리지 못했습니다. 삭제한 뒤 다시 골라 주세요.",
        "refused_type": ("이 형식의 파일은 올릴 수 없습니다. {types} 파일만 올릴 수 있습니다."),
        "refused_size": "{max_mb}MB보다 큰 파일은 올릴 수 없습니다.",
        "refused_empty": "빈 파일은 올릴 수 없습니다.",
        "refused_count": "파일은 {max_files}개까지만 올릴 수 있습니다.",
        "remove": "삭제",
        "remove_named": "{name} 삭제",
        "waiting_uploads": "파일을 다 올릴 때까지 기다리는 중입니다…",
        "submitting": "보내는 중…",
        "not_sent_title": "신고를 아직 보내지 못했습니다",
        "limit_reports": (
            "지금 쓰고 계신 인터넷 연결(IP 주소)에서 한 시간 동안 받을 수 있는 신고 수를 "
            "넘었습니다. 회사·카페·이동통신망처럼 여러 사람이 함께 쓰는 연결이면 다른 분의 "
            "신고도 함께 셉니다. {time} 이후에 다시 신고하기를 눌러 주세요. 입력한 내용은 "
            "그대로 남아 있습니다."
        ),
        "limit_uploads": (
            "지금 쓰고 계신 인터넷 연결(IP 주소)에서 한 시간 동안 받을 수 있는 파일 수를 "
            "넘었습니다. 여러 사람이 함께 쓰는 연결이면 다른 분의 파일도 함께 셉니다. "
            "{time} 이후에 이 파일을 삭제한 뒤 다시 골라 주세요."
        ),
        "network_error": (
            "서버에 연결하지 못했습니다. 잠시 뒤 다시 신고하기를 눌러 주세요. "
            "같은 신고가 두 번 접수되지는 않습니다."
        ),
        "server_error": (
            "처리 중 문제가 생겼습니다. 잠시 뒤 다시 신고하기를 눌러 주세요. "
            "같은 신고가 두 번 접수되지는 않습니다."
        ),
        "summary_count": "{n}개 항목을 확인해 주세요.",
        "counter": "{n} / {max}자",
        "copied": "복사했습니다",
        "copy_failed": "복사하지 못했습니다. 직접 선택해 복사해 주세요.",
        "errors": {
            "missing": "입력해 주세요.",
            "string_too_short": "너무 짧습니다.",
            "string_too_long": "너무 깁니다.",
            "value_error": "형식이 올바르지 않습니다.",
            "enum": "목록에서 골라 주세요.",
            "too_short": "하나 이상 골라 주세요.",
            "too_long": "너무 많이 골랐습니다.",
            "required_by_rule": "이 항목이 필요합니다.",
            "string_pattern_mismatch": "올리지 않은 파일입니다. 삭제한 뒤 다시 골라 주세요.",
            "conflict": "이미 다른 신고에 첨부된 파일입니다. 삭제한 뒤 다시 골라 주세요.",
            "evidence": (
                "이 파일은 받을 수 없습니다. 비어 있거나, 내용이 파일 형식과 다르거나, "
                "허용되지 않는 형식입니다. 삭제한 뒤 다른 파일을 골라 주세요."
            ),
            "invalid": "파일이 확인되지 않거나 만료되었습니다. 삭제한 뒤 다시 골라 주세요.",
            "header": "요청을 보내지 못했습니다. 페이지를 새로 고친 뒤 다시 신고해 주세요.",
            "reused": (
                "이미 다른 내용으로 접수된 요청입니다. 페이지를 새로 고친 뒤 다시 신고해 주세요."
            ),
            "claimant.name|missing": "이름을 입력해 주세요.",
            "claimant.email|missing": "이메일 주소를 입력해 주세요.",
            "claimant.email|value_error": (
                "이메일 주소 형식으로 입력해 주세요. 예: name@example.com"
            ),
            "claimant.phone|value_error": "전화번호는 숫자, 공백, +, -, 괄호로만 입력해 주세요.",
            "claimant.relationship|missing": "본인인지 대리인인지 골라 주세요.",
            "claimant.principal_name|required_by_rule": (
                "대리인으로 신고할 때는 권리를 침해당한 분의 이름이 필요합니다."
            ),
            "target.surface|missing": "신고할 내용이 올라온 곳을 골라 주세요.",
            "target.surface|enum": "이 신고 절차는 위 다섯 가지 서비스의 내용만 다룹니다.",
            "target.url|missing": "내용의 주소(URL)를 입력해 주세요.",
            "target.url|value_error": "http:// 또는 https://로 시작하는 주소를 입력해 주세요.",
            "grounds|missing": "신고 사유를 하나 이상 골라 주세요.",
            "grounds|too_short": "신고 사유를 하나 이상 골라 주세요.",
            "ip_right|required_by_rule": "어떤 지식재산권인지 골라 주세요.",
            "requested_action|missing": "요청할 조치를 골라 주세요.",
            "statement|missing": "신고 내용을 적어 주세요.",
            "statement|string_too_short": "신고 내용을 {min}자 이상 적어 주세요.",
            "statement|string_too_long": "신고 내용은 {max}자 이하로 줄여 주세요.",
            "evidence|missing": "소명 자료 파일을 하나 이상 올려 주세요.",
            "evidence|too_short": "소명 자료 파일을 하나 이상 올려 주세요.",
            "evidence|too_long": "파일은 {max_files}개까지만 첨부할 수 있습니다.",
            "power_of_attorney|required_by_rule": "대리인으로 신고할 때는 위임장을 올려야 합니다.",
            "declaration|missing": "신고 내용이 사실임을 확인하는 칸에 표시해 주세요.",
            "declaration|literal_error": "신고 내용이 사실임을 확인하는 칸에 표시해 주세요.",
        },
    },
}

EN: Final[dict[str, Any]] = {
    "site_name": "Infringement Report Center",
    "skip_to_content": "Skip to content",
    "language_nav": "Language",
    "site_nav": "Main menu",
    "nav_report": "Report",
    "nav_status": "Check a case",
    "footer": (
        "A reporting procedure that protects the rights of KakaoTalk users, "
        "under Kakao's operation policy \u201cProtect User Rights\u201d."
    ),
    "required_note": "Fields marked * are required.",
    "required_text": "(required)",
    "optional_text": "(optional)",
    "form_title": "Report a rights infringement",
    "form_intro": (
        "If information posted on KakaoTalk violates your rights, such as your privacy or your "
        "reputation, use this form to ask for it to be deleted or for access to it to be blocked."
    ),
    "form_who_may": (
        "Only the person whose rights were violated, or an agent they authorised, may report, "
        "and the report must include evidence that shows the infringement."
    ),
    "noscript": (
        "This form needs JavaScript to upload your files. Turn JavaScript on and open the page "
        "again. Checking a case works without JavaScript."
    ),
    "section_claimant": "1. About you",
    "relationship_legend": "Who is reporting?",
    "relationships": {
        "self": {
            "label": "Myself",
            "hint": "My own rights were violated.",
        },
        "agent": {
            "label": "An agent",
            "hint": (
                "I report for the person whose rights were violated. A power of attorney is needed."
            ),
        },
    },
    "name_label": "Your name",
    "email_label": "Email",
    "email_hint": "We confirm your report and send decisions to this address.",
    "phone_label": "Telephone",
    "phone_hint": "For example +82 10-1234-5678",
    "principal_label": "Name of the person whose rights were violated",
    "principal_hint": "As an agent, give the name of the person you report for.",
    "poa_label": "Power of attorney",
    "poa_hint": (
        "One file showing that the person whose rights were violated asked you to report "
        "(PDF or image, up to {max_mb} MB)."
    ),
    "section_target": "2. What you report",
    "surface_legend": "Where is the content?",
    "surface_note": "This procedure covers only content on the five services below.",
    "surfaces": {
        "kakaotalk_profile": {
            "label": "KakaoTalk Profile",
            "hint": "The photo, background, name or status message of a KakaoTalk profile",
        },
        "talk_board": {
            "label": "Talk Board (posts and comments) in a Regular Chat group room",
            "hint": "A post or comment on the Talk Board of a group chat room in Regular Chat",
        },
        "open_chat_board": {
            "label": "Announcement, schedule or voting board in an Open Chat group room",
            "hint": (
                "Something on the announcement, schedule or voting board of an Open Chat group room"
            ),
        },
        "open_chat_cover": {
            "label": "Open Chat room information (cover)",
            "hint": "The name, cover photo or description of an Open Chat room",
        },
        "open_profile": {
            "label": "Open Profile and Open Profile posts",
            "hint": "An Open Profile used in Open Chat, or a post on it",
        },
    },
    "url_label": "Address (URL) of the content",
    "url_hint": (
        "Paste a link starting with http:// or https://, for example the Open Chat room link "
        "https://open.kakao.com/o/…"
    ),
    "description_label": "How to find it",
    "description_hint": (
        "The date, the poster's nickname, the title of the post: anything that helps us find "
        "the content."
    ),
    "section_grounds": "3. Why, and what you ask for",
    "grounds_legend": "Which of your rights were violated?",
    "grounds_hint": "Choose all that apply.",
    "grounds": {
        "privacy": {
            "label": "Privacy",
            "hint": (
                "Spreads personal information such as your phone number or address, or violates "
                "your privacy and freedom"
            ),
        },
        "portrait": {
            "label": "Portrait rights",
            "hint": (
                "Photos or videos of you posted without your permission, violating your portrait "
                "and moral rights"
            ),
        },
        "defamation": {
            "label": "Defamation",
            "hint": (
                "Publicly insults you in order to slander you, or reveals true or false facts "
                "that damage your reputation"
            ),
        },
        "intellectual_property": {
            "label": "Intellectual property",
            "hint": (
                "Uses, performs or transfers your trademark or work without permission: "
                "a patent, trademark, design right or copyright"
            ),
        },
        "other_rights": {
            "label": "Other rights",
            "hint": "Any other violation of your rights without proper authority",
        },
    },
    "ip_right_label": "Which intellectual property right?",
    "ip_right_placeholder": "Choose one",
    "ip_rights": {
        "patent": "Patent",
        "trademark": "Trademark",
        "design": "Design right",
        "copyright": "Copyright",
    },
    "action_legend": "What do you ask us to do?",
    "actions": {
        "block": {
            "label": "Block access (temporary measure)",
            "hint": (
                "The content is hidden for at most 30 days. "
                "During that time the poster may ask for it to be re-posted."
            ),
        },
        "delete": {
            "label": "Delete",
            "hint": "Ask for the content to be removed for good.",
        },
    },
    "statement_label": "What happened",
    "statement_hint": (
        "Describe which content violates your rights, and how ({min} to {max} characters)."
    ),
    "section_evidence": "4. Evidence",
    "evidence_label": "Evidence files",
    "evidence_hint": (
        "Screenshots, documents or videos that show the infringement, up to {max_files} files. "
        "{types}, up to {max_mb} MB each. Each file uploads as soon as you choose it."
    ),
    "section_declaration": "5. Declaration",
    "declaration_label": "I declare that this report is accurate and made in good faith.",
    "declaration_hint": "A false report that harms someone else's rights may make you liable.",
    "submit": "Submit report",
    "errors_title": "Please check the form",
    "receipt_title": "Your report was received",
    "receipt_intro": "Follow your case with the case ID and the receipt token below.",
    "case_id_label": "Case ID",
    "receipt_token_label": "Receipt token",
    "received_at_label": "Received",
    "copy_label": "Copy",
    "copy_case_id": "Copy case ID",
    "copy_token": "Copy receipt token",
    "receipt_warning_title": "The receipt token is shown only this once",
    "receipt_warning": (
        "Once you leave this page the receipt token cannot be shown again, and for your safety "
        "it is not sent by email. Copy it with the case ID and keep both somewhere safe: you need "
        "both to check your case."
    ),
    "receipt_status_link": "Check the status of your case",
    "receipt_no_mail_title": "No acknowledgement email was sent",
    "receipt_no_mail": (
        "The email address you gave has already received as many acknowledgements as we send "
        "to one address in a day (a day starts at 00:00 UTC, 09:00 in Korea), so none was sent "
        "for this report. Your report was received all the same. The case ID and "
        "receipt token on this page are its only acknowledgement: keep them."
    ),
    "status_title": "Check your case",
    "status_intro": "Enter the case ID and the receipt token you were given when you reported.",
    "status_case_id_hint": "26 letters and digits.",
    "status_token_hint": "Shown once, when you finished your report.",
    "status_submit": "Check",
    "status_not_found": (
        "No case matches this case ID and receipt token. Check that you entered both exactly."
    ),
    "status_missing": "Enter this.",
    "status_unavailable": "We cannot show the status right now. Please try again in a moment.",
    "status_busy": (
        "We are busy right now and cannot show the status. Please try again in a few seconds."
    ),
    "withdraw_unknown": (
        "We cannot tell right now whether your withdrawal went through. Check the status again "
        "in a moment: if the report is not withdrawn yet, you can withdraw it again."
    ),
    "status_too_long": "What you entered is too long. Enter only the case ID and receipt token.",
    "result_title": "Case {case_id}",
    "status_label": "Status",
    "updated_at_label": "Last change",
    "surface_label": "Where",
    "grounds_label": "Grounds",
    "action_label": "You asked us to",
    "files_label": "Attached files",
    "decisions_title": "Decisions",
    "no_decisions": (
        "No decision has been made yet. When one is, it appears here with its reasons, and we "
        "write to the email address you gave."
    ),
    "no_decisions_closed": "This case ended before any decision was made.",
    "decision_heading": "Decision of {date}",
    "decision_measures_label": "Measures",
    "decision_reasons_label": "Reasons",
    "until": "until {date}",
    "answer_by": "answer by {date}",
    "reject_reason_label": "Why no action",
    "reject_reasons": {
        "not_rights_holder": (
            "We could not confirm that you are the person whose rights were violated, "
            "or an agent they authorised."
        ),
        "insufficient_evidence": (
            "The evidence is not enough to judge whether your rights were violated."
        ),
        "out_of_scope": (
            "The report is outside the services and infringements this procedure covers."
        ),
        "not_infringing": "After review, we do not find that the content violates your rights.",
        "duplicate": "The report repeats one that was already received.",
    },
    "information_message_label": "What we asked for",
    "decision_ground_label": "Ground",
    "decision_grounds": {
        "DECISION_GROUND_ILLEGAL_CONTENT": "Illegal content",
        "DECISION_GROUND_INCOMPATIBLE_CONTENT": "Against our operation policy",
    },
    "legal_ground_label": "Law relied on",
    "policy_ground_label": "Policy relied on",
    "automated_label": "How it was decided",
    "automated": {
        "AUTOMATED_DECISION_NOT_AUTOMATED": "A reviewer examined the case and decided.",
        "AUTOMATED_DECISION_PARTIALLY": "A reviewer decided with the help of automated means.",
        "AUTOMATED_DECISION_FULLY": "Decided by automated means.",
    },
    "redress_label": "Redress",
    "redress": {
        "reposting_request": (
            "The poster may request re-posting while the temporary measure lasts; "
            "we then review the case again."
        ),
        "appeal": "A restricted user may appeal to have the restriction reviewed again.",
        "kcsc": (
            "If you disagree with the decision, you may apply to the Korea Communications "
            "Standards Commission for a review."
        ),
        "court": "You may also take the matter to court.",
    },
    "check_another": "Check another case",
    "information_title": "Please send more information",
    "information_intro": (
        "We need what is asked for below to decide. Send your answer and any files by the deadline."
    ),
    "information_requested_at_label": "Asked on",
    "information_due_label": "Answer by",
    "information_overdue": "The deadline has passed; this request can no longer be answered.",
    "answer_title": "Your answer",
    "answer_noscript": (
        "Sending an answer and files needs JavaScript. Turn JavaScript on and check your case "
        "again. Withdrawing a report works without JavaScript."
    ),
    "answer_statement_label": "Your answer",
    "answer_statement_hint": "Explain what we asked about ({min} to {max} characters).",
    "answer_evidence_label": "More evidence",
    "answer_evidence_hint": (
        "If needed, upload up to {max_files} files. {types}, up to {max_mb} MB each. "
        "Each file uploads as soon as you choose it."
    ),
    "answer_submit": "Send answer",
    "answer_sent": "Your answer was sent. A reviewer will look at your case again.",
    "answer_js": {
        "server_error": (
            "Something went wrong on our side. Wait a moment and press Send again; "
            "if it was received already, it will not be recorded twice."
        ),
        "network_error": "Could not reach the server. Wait a moment and press Send again.",
        "answer_sent": "Your answer was sent. Loading the status of your case…",
        "status_errors": {
            "404": "The case ID and receipt token do not match. Check your case again.",
        },
        "errors": {
            "statement|missing": "Write your answer.",
            "statement|string_too_short": "Write at least {min} characters.",
            "statement|string_too_long": "Write at most {max} characters.",
            "statement|deadline": "The deadline has passed; you can no longer answer.",
            "evidence|too_long": "Attach at most {max_files} files.",
            "status|transition": (
                "Your answer was already received, or the case has changed. Check your case again."
            ),
            "status|stale": "The case changed meanwhile. Wait a moment and press Send again.",
        },
    },
    "withdraw_title": "Withdraw your report",
    "withdraw_intro": (
        "Until a decision is made you may withdraw your report. Withdrawing ends the review "
        "and cannot be undone."
    ),
    "withdraw_confirm": "I understand that withdrawing my report cannot be undone.",
    "withdraw_submit": "Withdraw my report",
    "withdraw_confirm_missing": "To withdraw, first tick the box below.",
    "withdrawn_done": "Your report was withdrawn. We will not review this case any further.",
    "withdraw_decided": (
        "A decision was made meanwhile, so the report can no longer be withdrawn. "
        "Read the decision below."
    ),
    "withdraw_stale": "The case changed meanwhile. Check it below and try again.",
    "withdraw_already": "This report was already withdrawn.",
    "notice_title": "Rights Infringement Notice",
    "notice_intro": (
        "Someone reported that content you posted violates their rights. After review, we took "
        "the measures below."
    ),
    "notice_content_title": "The content",
    "notice_where_label": "Where",
    "notice_url_label": "Address",
    "notice_grounds_label": "Reported as",
    "notice_status_label": "Current status",
    "notice_decisions_title": "What we did, and why",
    "notice_measures": {
        "block_content": {
            "label": "Access blocked (temporary measure)",
            "explanation": (
                "Other users cannot see this content. A temporary measure lasts at most 30 days."
            ),
        },
        "delete_content": {
            "label": "Content deleted",
            "explanation": "This content was removed.",
        },
        "restrict_room": {
            "label": "Open Chat room restricted",
            "explanation": "Access to the Open Chat room this content is in is restricted.",
        },
        "restrict_user_kakaotalk": {
            "label": "Restricted from KakaoTalk",
            "explanation": "You cannot use KakaoTalk for a set time.",
        },
        "restrict_user_open_chat": {
            "label": "Restricted from Open Chat",
            "explanation": "You cannot use Open Chat for a set time.",
        },
    },
    "notice_rights_title": "What you can do",
    "notice_reposting": (
        "Until the temporary measure ends on {date}, you can request that the content "
        "be re-posted. A reviewer then looks at the case again and decides. Without a request, "
        "the content is deleted when the temporary measure ends."
    ),
    "notice_reposting_form_title": "Request re-posting",
    "notice_reposting_once": "You can send one re-posting request.",
    "notice_reposting_reason_label": "Why the content should be re-posted",
    "notice_reposting_reason_hint": (
        "Explain why you believe the content does not violate anyone's rights "
        "({min} to {max} characters)."
    ),
    "notice_reposting_evidence_label": "Supporting files",
    "notice_reposting_evidence_hint": (
        "If you have files that support what you say, upload up to {max_files}. "
        "{types}, up to {max_mb} MB each. Each file uploads as soon as you choose it."
    ),
    "notice_reposting_noscript": (
        "Attaching files needs JavaScript. Without it, you can still send your request "
        "without files."
    ),
    "notice_reposting_submit": "Send re-posting request",
    "notice_appeal_form_title": "Appeal: {measure}",
    "notice_appeal_reason_label": "Why the restriction is wrong",
    "notice_appeal_reason_hint": (
        "Explain why you think the restriction is wrong ({min} to {max} characters). "
        "Each restriction can be appealed once."
    ),
    "notice_appeal_submit": "Send appeal",
    "notice_appeal_until": "Restricted until {date}.",
    "notice_sent": {
        "reposting": (
            "Your re-posting request was sent. A reviewer will look at it and tell you the outcome."
        ),
        "appeal": "Your appeal was sent. A reviewer will look at the restriction again.",
    },
    "notice_form_failed": "Your request was not sent. Please check below.",
    "notice_refused_title": "Your request was not sent",
    "notice_too_long": (
        "What you sent is too long. Open the link in the app again and send your reasons in at "
        "most 5000 characters."
    ),
    "measures_now_title": "Where the measures stand",
    "measure_states": {
        "in_force": "in force until {date}",
        "in_force_undated": "in force",
        "deleted": "deleted",
        "ended": "ended on {date}",
        "ended_undated": "ended",
        "lifted": "lifted on {date}",
        "lifted_undated": "lifted",
        "reinstated": "re-posted on {date}",
        "reinstated_undated": "re-posted",
    },
    "measure_notes": {
        "deleted_no_request": "No re-posting was requested in time, so the content was deleted.",
        "deleted_upheld": "The re-posting request was not granted, so the content was deleted.",
        "delete_at_end": (
            "The re-posting request was not granted; the content will be deleted when the "
            "temporary measure ends."
        ),
        "back_at_cap": (
            "A temporary measure may not last beyond 30 days, so the content is visible again "
            "while the re-posting request is reviewed."
        ),
        "reinstated": "The re-posting request was granted and the content was re-posted.",
        "lifted": "The restriction was lifted on appeal.",
        "restriction_ended": "The restriction has run its course.",
    },
    "appeal_states": {
        "filed": "Appeal filed on {date}.",
        "pending": "A reviewer is looking at it.",
        "lifted": "Decided on {date}: the restriction was lifted.",
        "upheld": "Decided on {date}: the restriction stays.",
    },
    "appeal_statement_label": "Your reasons",
    "reposting_request_title": "Your re-posting request",
    "reposting_requested_at_label": "Sent on",
    "reposting_statement_label": "Your reasons",
    "reposting_files_label": "Attached files",
    "reposting_outcome_label": "Outcome",
    "reposting_outcomes": {
        "pending": "A reviewer is looking at it. You will be told here and in the app.",
        "reinstated": "Decided on {date}: the content is re-posted.",
        "upheld": "Decided on {date}: the measure stays in place.",
    },
    "referral_label": "Referred to",
    "referrals": {
        "kcsc": "The Korea Communications Standards Commission",
        "court": "A court",
        "none": "Not referred",
    },
    "claimant_reposting_title": "The poster's re-posting request",
    "claimant_reposting_intro": (
        "On {date}, the poster asked for the blocked content to be re-posted."
    ),
    "claimant_reposting_statement_label": "The poster's statement",
    "claimant_reposting_outcomes": {
        "pending": "A reviewer is looking at it. We will write to you when it is decided.",
        "reinstated": "Decided on {date}: the content is re-posted.",
        "upheld": "Decided on {date}: the measure stays in place.",
    },
    "claimant_reposting_redress": (
        "Whatever the outcome, you may take the matter to the Korea Communications Standards "
        "Commission (방송통신심의위원회) or to a court."
    ),
    "notice_js": {
        "server_error": (
            "Something went wrong on our side. Wait a moment and send again; "
            "if it was received already, it will not be recorded twice."
        ),
        "network_error": "Could not reach the server. Wait a moment and send again.",
        "sent": "Sent. Loading the notice again…",
        "status_errors": {
            "404": (
                "This link can no longer be used to send a request. Open the link in the app again."
            ),
        },
        "errors": {
            "statement|missing": "Write your reasons.",
            "statement|string_too_short": "Write at least {min} characters.",
            "statement|string_too_long": "Write at most {max} characters.",
            "statement|once": (
                "Your re-posting request was already sent; this notice shows it and its outcome."
            ),
            "statement|no_block": (
                "No block of this content is in force, so re-posting cannot be requested."
            ),
            "evidence|too_long": "Attach at most {max_files} files.",
            "measure_id|measure": "This measure cannot be appealed.",
            "measure_id|once": "This restriction was already appealed.",
            "measure_id|not_in_force": "A restriction that ended or was lifted cannot be appealed.",
            "measure_id|too_late": (
                "More than 180 days have passed since the restriction; it can no longer be "
                "appealed."
            ),
            "status|transition": (
                "The case changed meanwhile, so this cannot be sent now. Open this notice again "
                "to see where it stands."
            ),
            "expected_version|stale": "The case changed meanwhile. Wait a moment and send again.",
        },
    },
    "notice_appeal": (
        "If you think the restriction is wrong, you may appeal to have it reviewed again."
    ),
    "notice_redress": (
        "If you disagree with this measure, you, like anyone, may seek redress from the Korea "
        "Communications Standards Commission or from a court."
    ),
    "notice_statuses": {
        "actioned": {
            "label": "Measure in force",
            "explanation": "The measures below are in force.",
        },
        "reposting_requested": {
            "label": "Re-posting request in review",
            "explanation": "We received a request to re-post the content and are reviewing it.",
        },
        "reinstated": {
            "label": "Re-posted",
            "explanation": "After reviewing the request, the content was re-posted.",
        },
        "upheld": {
            "label": "Measure upheld",
            "explanation": "After reviewing the request, the measure stays in place.",
        },
        "closed": {
            "label": "Closed",
            "explanation": "This case is closed. How each measure ended is shown below.",
        },
    },
    "notice_invalid_title": "This link cannot be opened",
    "notice_invalid": (
        "This link is not valid. Check that you opened the whole link exactly as the app showed it."
    ),
    "notice_unavailable": "We cannot show this notice right now. Please try again in a moment.",
    "page_unavailable": "We cannot show this page right now. Please try again in a moment.",
    "notice_busy": (
        "We are busy right now and cannot show this notice. Please open it again in a few seconds."
    ),
    "notice_unknown_title": "We cannot tell whether your request was received",
    "notice_send_unknown": (
        "We cannot tell right now whether your request was received. Open the link to this "
        "notice again in a moment: a request that was received is shown there, and if yours is "
        "not, you can send it again."
    ),
    "statuses": {
        "received": {
            "label": "Received",
            "explanation": "Your report was received and is waiting for review.",
        },
        "in_review": {
            "label": "In review",
            "explanation": "A reviewer is looking at your report and evidence.",
        },
        "information_requested": {
            "label": "Information requested",
            "explanation": (
                "We need more information to decide. Read the request below and answer by the "
                "deadline."
            ),
        },
        "rejected": {
            "label": "No action taken",
            "explanation": "After review we decided to take no action. The reasons are below.",
        },
        "actioned": {
            "label": "Action taken",
            "explanation": "We took action on the content you reported.",
        },
        "reposting_requested": {
            "label": "Re-posting requested",
            "explanation": "The poster asked for the content to be re-posted; we are reviewing it.",
        },
        "reinstated": {
            "label": "Re-posted",
            "explanation": "After reviewing the poster's request, the content was re-posted.",
        },
        "upheld": {
            "label": "Measure upheld",
            "explanation": "After reviewing the poster's request, the measure stays in place.",
        },
        "closed": {
            "label": "Closed",
            "explanation": (
                "Your case is closed. How each measure ended is shown below, under where the "
                "measures stand."
            ),
        },
        "closed_no_response": {
            "label": "Closed without an answer",
            "explanation": (
                "We did not receive the information we asked for by the deadline, so the case "
                "was closed. You may report again with that information."
            ),
        },
        "withdrawn": {
            "label": "Withdrawn",
            "explanation": "You withdrew your report.",
        },
    },
    "file_kinds": {
        "evidence": "Evidence",
        "power_of_attorney": "Power of attorney",
    },
    "measures": {
        "block_content": "Access blocked (temporary measure)",
        "delete_content": "Deleted",
        "restrict_room": "Open Chat room restricted",
        "restrict_user": "Poster restricted",
        "restrict_user_kakaotalk": "Poster restricted from KakaoTalk",
        "restrict_user_open_chat": "Poster restricted from Open Chat",
        "reject": "No action taken",
        "request_information": "More information requested",
        "reinstate": "Re-posted",
    },
    "date_format": "{day} {month_name} {year}, {hh}:{mm} KST",
    "month_names": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "type_names": {
        "application/pdf": "PDF",
        "image/png": "PNG",
        "image/jpeg": "JPEG",
        "image/gif": "GIF",
        "image/webp": "WebP",
        "video/mp4": "MP4",
        "text/plain": "plain text (TXT)",
    },
    "size_units": ["{n} bytes", "{n} KB", "{n} MB"],
    "js": {
        "uploading": "Uploading…",
        "uploaded": "Uploaded",
        "upload_failed": "Could not upload. Remove it and choose the file again.",
        "refused_type": "Files of this type cannot be uploaded. Allowed: {types}.",
        "refused_size": "Files larger than {max_mb} MB cannot be uploaded.",
        "refused_empty": "An empty file cannot be uploaded.",
        "refused_count": "You can attach at most {max_files} files.",
        "remove": "Remove",
        "remove_named": "Remove {name}",
        "waiting_uploads": "Waiting for your files to finish uploading…",
        "submitting": "Sending…",
        "not_sent_title": "Your report has not been sent yet",
        "limit_reports": (
            "We have received as many reports as we accept in one hour from your internet "
            "connection (its IP address). On a shared connection (an office, a cafe, a mobile "
            "network) other people's reports count too. Press Submit again after {time}; what "
            "you entered stays in the form."
        ),
        "limit_uploads": (
            "We have received as many files as we accept in one hour from your internet "
            "connection (its IP address); on a shared connection other people's files count "
            "too. After {time}, remove this file and choose it again."
        ),
        "network_error": (
            "Could not reach the server. Wait a moment and press Submit again; "
            "your report will not be received twice."
        ),
        "server_error": (
            "Something went wrong on our side. Wait a moment and press Submit again; "
            "your report will not be received twice."
        ),
        "summary_count": "{n} fields need your attention.",
        "counter": "{n} / {max} characters",
        "copied": "Copied",
        "copy_failed": "Could not copy. Select the text and copy it yourself.",
        "errors": {
            "missing": "Fill this in.",
            "string_too_short": "This is too short.",
            "string_too_long": "This is too long.",
            "enum": "Choose one of the options.",
            "too_short": "Choose at least one.",
            "too_long": "Too many chosen.",
            "required_by_rule": "This is needed.",
            "string_pattern_mismatch": "This file was not uploaded. Remove it and choose it again.",
            "conflict": (
                "This file is already attached to another case. Remove it and choose it again."
            ),
            "header": "The request could not be sent. Reload the page and submit again.",
            "claimant.name|missing": "Enter your name.",
            "claimant.email|missing": "Enter your email address.",
            "claimant.email|value_error": "Enter an email address such as name@example.com.",
            "claimant.phone|value_error": "Use only digits, spaces, +, - and brackets.",
            "claimant.relationship|missing": (
                "Choose whether you report for yourself or as an agent."
            ),
            "claimant.principal_name|required_by_rule": (
                "As an agent, give the name of the person whose rights were violated."
            ),
            "target.surface|missing": "Choose where the content is.",
            "target.surface|enum": "This procedure covers only the five services listed.",
            "target.url|missing": "Enter the address (URL) of the content.",
            "target.url|value_error": "Enter an address starting with http:// or https://.",
            "grounds|missing": "Choose at least one ground.",
            "grounds|too_short": "Choose at least one ground.",
            "ip_right|required_by_rule": "Choose which intellectual property right.",
            "requested_action|missing": "Choose what you ask us to do.",
            "statement|missing": "Describe what happened.",
            "statement|string_too_short": "Write at least {min} characters.",
            "statement|string_too_long": "Write at most {max} characters.",
            "evidence|missing": "Upload at least one evidence file.",
            "evidence|too_short": "Upload at least one evidence file.",
            "evidence|too_long": "Attach at most {max_files} files.",
            "power_of_attorney|required_by_rule": "As an agent, upload a power of attorney.",
            "declaration|missing": "Tick the box to declare that your report is accurate.",
            "declaration|literal_error": "Tick the box to declare that your report is accurate.",
        },
    },
}

TEXTS: Final[dict[str, dict[str, Any]]] = {"ko": KO, "en": EN}
