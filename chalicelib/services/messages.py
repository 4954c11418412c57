"""What the service writes to claimants, in Korean and English: the words, moments and measures
of the receipt and the status page (web/texts, web/reader, web/measures), and the case's link."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..domain.vocabulary import Lang, MeasureKind

if TYPE_CHECKING:
    from ..domain.decisions import AppliedMeasure
    from ..web.reader import Reader


def _reader(lang: Lang) -> Reader:
    from ..web.reader import Reader

    return Reader.of(lang.value)


def _mail(lang: Lang) -> dict[str, Any]:
    mail: dict[str, Any] = _reader(lang).texts["mail"]
    return mail


def acknowledgement(lang: Lang, case_id: str, received_at: str, status_url: str) -> tuple[str, str]:
    """Return the subject and body that confirm a report was received."""
    words = _mail(lang)["acknowledgement"]
    values = {"case_id": case_id, "received_at": _when(lang, received_at), "status_url": status_url}
    return words["subject"].format(**values), words["body"].format(**values)


def decision(
    lang: Lang,
    case_id: str,
    measures: Sequence[AppliedMeasure],
    facts: str,
    information: tuple[str, str] | None,
    status_url: str,
) -> tuple[str, str]:
    """Return the subject and body that tell the claimant of a decision, measures as the status
    page words them (their names, until when, a rejection's reason)."""
    mail = _mail(lang)
    words = mail["decision"]
    lines = "\n".join(_measure_line(lang, applied) for applied in measures)
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
    lang: Lang, case_id: str, requested_at: str, statement: str, status_url: str
) -> tuple[str, str]:
    """Return the mail that tells the claimant the poster asked to re-post, and when."""
    reader = _reader(lang)
    words = reader.texts["mail"]["reposting_requested"]
    intro = _dated(reader.texts["claimant_reposting_intro"], lang, requested_at)
    # They may answer once, in the words of the status page's answer form.
    answer = reader.texts["reposting_answer_intro"]
    return words["subject"].format(case_id=case_id), intro + "\n\n" + words["body"].format(
        case_id=case_id, statement=statement, answer=answer, status_url=status_url
    )


def reposting_decided(
    lang: Lang, case_id: str, outcome: str, decided_at: str, facts: str, status_url: str
) -> tuple[str, str]:
    """Return the mail that tells the claimant how the re-posting request was decided, and when,
    as the status page says it."""
    reader = _reader(lang)
    words = reader.texts["mail"]["reposting_decided"]
    said = reader.texts["claimant_reposting_outcomes"][_OUTCOMES[outcome]]
    return words["subject"].format(case_id=case_id), words["body"].format(
        case_id=case_id,
        outcome=_dated(said, lang, decided_at),
        facts=facts,
        status_url=status_url,
    )


# A reviewer's decision on a re-posting request, as the status page names its outcome.
_OUTCOMES = {"reinstate": "reinstated", "uphold": "upheld"}


def _measure_line(lang: Lang, applied: AppliedMeasure) -> str:
    """Return one measure as a line of the mail: the status page's name, end and reason."""
    from ..web.measures import measure

    said = measure(applied, _reader(lang), poster=False)
    line = f"- {said['label']}"
    if said["ends_at"] and applied.type != MeasureKind.REQUEST_INFORMATION:
        line += f" ({said['until'].format(date=said['ends_at']['text'])})"
    if said["reason"]:
        line += f": {said['reason']}"
    return line


def _dated(text: str, lang: Lang, iso_text: str) -> str:
    """Return `text` with its {date} as the mail's reader reads the moment."""
    return text.replace("{date}", _when(lang, iso_text))


def recovery(lang: Lang, case_id: str, link: str, valid_until: str) -> tuple[str, str]:
    """Return the mail that carries a one-time link to the case, and until when it works."""
    from ..web.texts import TEXTS

    words = TEXTS[lang.value]["recovery_mail"]
    values = {"case_id": case_id, "link": link, "valid_until": _when(lang, valid_until)}
    return words["subject"].format(**values), words["body"].format(**values)


def _when(lang: Lang, iso_text: str) -> str:
    """Return a stored moment as the mail's reader reads it: Korea's time, the zone named."""
    from ..web.reader import moment_text

    return moment_text(iso_text, _reader(lang).texts)


def unfounded_warning(lang: Lang, count: int, days: int) -> str:
    """Return the paragraph that warns a claimant whose notices were often found unfounded."""
    warning: str = _reader(lang).texts["misuse"]["warning"]
    return warning.format(count=count, days=days)


def suspension(
    lang: Lang,
    case_id: str,
    ends_at: str,
    reasons: tuple[str, str],
    standing: tuple[int, int],
    contest_url: str,
) -> tuple[str, str]:
    """Return the mail that states the reasons of a suspension of the claimant's reports, until
    when it lasts, and how to contest it; `reasons` is (ground, facts), `standing` (count, days)."""
    words = _reader(lang).texts["misuse"]["suspension_mail"]
    values = {
        "case_id": case_id,
        "ends_at": _when(lang, ends_at),
        "ground": reasons[0],
        "facts": reasons[1],
        "count": standing[0],
        "days": standing[1],
        "contest_url": contest_url,
    }
    return words["subject"].format(**values), words["body"].format(**values)


def suspension_lifted(lang: Lang, case_id: str, lifted_at: str, facts: str) -> tuple[str, str]:
    """Return the mail that tells the claimant their suspension was lifted, and why."""
    words = _reader(lang).texts["misuse"]["lifted_mail"]
    values = {"case_id": case_id, "lifted_at": _when(lang, lifted_at), "facts": facts}
    return words["subject"].format(**values), words["body"].format(**values)
