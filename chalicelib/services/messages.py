"""What the service writes to claimants, in Korean and English (the words in web/texts)."""

from __future__ import annotations

from typing import Any

from ..domain.vocabulary import Lang, MeasureKind


def _mail(lang: Lang) -> dict[str, Any]:
    from ..web.texts import TEXTS

    mail: dict[str, Any] = TEXTS[lang.value]["mail"]
    return mail


def acknowledgement(lang: Lang, case_id: str, received_at: str, status_url: str) -> tuple[str, str]:
    """Return the subject and body that confirm a report was received."""
    words = _mail(lang)["acknowledgement"]
    values = {"case_id": case_id, "received_at": _when(lang, received_at), "status_url": status_url}
    return words["subject"].format(**values), words["body"].format(**values)


def decision(
    lang: Lang,
    case_id: str,
    measures: list[tuple[str, str | None]],
    facts: str,
    information: tuple[str, str] | None,
    status_url: str,
) -> tuple[str, str]:
    """Return the subject and body that tell the claimant of a decision."""
    mail = _mail(lang)
    words = mail["decision"]
    lines = "\n".join(
        f"- {mail['measures'][kind]}"
        + (
            f" ({words['until'].format(date=_when(lang, ends_at))})"
            if ends_at and kind != MeasureKind.REQUEST_INFORMATION
            else ""
        )
        for kind, ends_at in measures
    )
    return words["subject"].format(case_id=case_id), words["body"].format(
        case_id=case_id,
        measures=lines,
        facts=facts,
        information=words["information"].format(
            message=information[0], due_at=_when(lang, information[1])
        )
        if information
        else "",
        status_url=status_url,
    )


def reposting_requested(
    lang: Lang, case_id: str, statement: str, status_url: str
) -> tuple[str, str]:
    """Return the mail that tells the claimant the poster asked to re-post."""
    words = _mail(lang)["reposting_requested"]
    return words["subject"].format(case_id=case_id), words["body"].format(
        case_id=case_id, statement=statement, status_url=status_url
    )


def reposting_decided(
    lang: Lang, case_id: str, outcome: str, facts: str, status_url: str
) -> tuple[str, str]:
    """Return the mail that tells the claimant how the re-posting request was decided."""
    words = _mail(lang)["reposting_decided"]
    return words["subject"].format(case_id=case_id), words["body"].format(
        case_id=case_id, outcome=words["outcomes"][outcome], facts=facts, status_url=status_url
    )


def recovery(lang: Lang, case_id: str, link: str, valid_until: str) -> tuple[str, str]:
    """Return the mail that carries a one-time link to the case, and until when it works."""
    from ..web.texts import TEXTS

    words = TEXTS[lang.value]["recovery_mail"]
    values = {"case_id": case_id, "link": link, "valid_until": _when(lang, valid_until)}
    return words["subject"].format(**values), words["body"].format(**values)


def _when(lang: Lang, iso_text: str) -> str:
    """Return a stored moment as the mail's reader reads it: Korea's time, the zone named."""
    from ..web.reader import moment_text, words

    return moment_text(iso_text, words(lang.value))
