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
    "decision_at_label": "결정 일시",
    "decision_until_label": "조치 종료일",
    "decision_reasons_label": "결정 사유",
    "check_another": "다른 사건 확인하기",
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
            "explanation": "검토에 자료가 더 필요합니다. 이메일로 보낸 안내를 확인해 주세요.",
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
            "explanation": "사건 처리가 끝났습니다.",
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
        "restrict_user": "이용자 이용 제한",
        "reject": "조치하지 않음",
        "request_information": "추가 자료 요청",
        "reinstate": "재게시",
    },
    "date_format": "{year}년 {month_name} {day}일 {hh}:{mm} (한국 시간)",
    "month_names": [f"{month}월" for month in range(1, 13)],
    "utc_offset_hours": 9,
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
        "network_error": (
            "서버에 연결하지 못했습니다. 잠시 뒤 다시 신고하기를 눌러 주세요. "
            "같은 신고가 두 번 접수되지는 않습니다."
        ),
        "server_error": "처리 중 문제가 생겼습니다. 잠시 뒤 다시 신고하기를 눌러 주세요.",
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
    "decision_at_label": "Decided",
    "decision_until_label": "Measure ends",
    "decision_reasons_label": "Reasons",
    "check_another": "Check another case",
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
            "explanation": "We need more information to decide. Please read the email we sent.",
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
            "explanation": "Your case is closed.",
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
        "restrict_user": "User restricted",
        "reject": "No action taken",
        "request_information": "More information requested",
        "reinstate": "Re-posted",
    },
    "date_format": "{day} {month_name} {year}, {hh}:{mm} UTC",
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
    "utc_offset_hours": 0,
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
        "network_error": (
            "Could not reach the server. Wait a moment and press Submit again; "
            "your report will not be received twice."
        ),
        "server_error": "Something went wrong on our side. Wait a moment and press Submit again.",
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
