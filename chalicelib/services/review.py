"""Use cases of a reviewer (the queue, a case, a decision) and of a poster (the notice)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit

from pydantic import ConfigDict, Field, ValidationError

from ..config import misuse_policy, settings
from ..domain import (
    claims,
    cursors,
    lifecycle,
    misuse,
    queues,
    remedies,
    rules,
    suspensions,
    working_days,
)
from ..domain.audit import AuditEvent
from ..domain.base import Model
from ..domain.case import Case, Claim, EvidenceFile, claimant_view
from ..domain.clock import iso, parse_iso
from ..domain.decisions import AppliedMeasure, Decision, parse_decision
from ..domain.dsa_statements import SOURCE_TRUSTED_FLAGGER
from ..domain.errors import FieldError, InvalidRequest, NotFound
from ..domain.notes import Note, NoteBody, ensure_notable, notes_full
from ..domain.notice import PosterNotice, poster_notice
from ..domain.outbox import Effect, EffectKind, EffectState
from ..domain.queues import WorkQueue, is_work_queue, waiting_since, work_queue
from ..domain.related import MAX_RELATED, RelatedCase, related_cases
from ..domain.reports import field_errors, parse_body
from ..domain.rules import DecisionRules
from ..domain.secrets import token_hash, token_matches
from ..domain.vocabulary import CaseStatus, Ground, Lang, Surface
from ..ports import (
    CaseStore,
    Evidence,
    IdempotencyKeyTaken,
    NotesFull,
    NoticeKeys,
    StaleCase,
    evidence_key,
)
from . import commit, messages
from .commit import Plan, is_case_id
from .effects import enforcement_effects, mail_effect
from .evidence import attach_files, named_files
from .links import status_address
from .outbox import EffectRecord

log = logging.getLogger("irc.review")

DOWNLOAD_LINK_SECONDS = 300
CLAIM_ATTEMPTS = 3  # reads of a case whose claim moved between reading and writing it
A = TypeVar("A", bound=Model)


class QueueQuery(Model):
    """Which cases a reviewer wants to see, and how many at a time."""

    model_config = ConfigDict(extra="forbid")

    queue: WorkQueue | None = Field(
        default=None, description="A work queue; `received` when neither it nor `status` is given."
    )
    status: CaseStatus | None = Field(
        default=None,
        description="The cases in this status (a case with an undecided appeal is listed in "
        "the `appeals` queue instead); not with `queue`.",
    )
    surface: Surface | None = None
    ground: Ground | None = None
    cursor: str | None = Field(default=None, description=cursors.DESCRIPTION)
    limit: int = Field(default=25, ge=1, le=100)


class CountsQuery(Model):
    """Which cases the counts of the work queues count."""

    model_config = ConfigDict(extra="forbid")

    surface: Surface | None = None
    ground: Ground | None = None


class QueueItem(Model):
    """One case in a queue, with how long it has waited, by when it is due, and who holds it."""

    case_id: str
    status: CaseStatus
    queue: str = Field(description="The queue the case is listed in.")
    received_at: str
    age_seconds: int
    waiting_since: str = Field(description="When the case entered the queue it is listed in.")
    decide_by: str | None = Field(
        description="24:00 in Seoul at the end of Korean working day "
        f"{working_days.DECISION_WORKING_DAYS} after the day it began waiting (null in a status "
        "no reviewer works on)."
    )
    overdue: bool = Field(description="Whether `decide_by` has passed.")
    working_days_waited: int = Field(
        description="Korean working days wholly passed since the day it began waiting."
    )
    surface: Surface
    target_by: Literal["url", "content_ref"] = Field(
        description="Whether the report names the content by its address or its in-app reference."
    )
    grounds: list[Ground]
    requested_action: str
    evidence_count: int
    version: int
    claim: Claim | None = Field(description="The live claim of a reviewer, or null.")
    trusted_flagger: bool = Field(
        default=False,
        description="Whether a trusted flagger reported it: such cases come first in a queue.",
    )


class QueueCount(Model):
    """How many cases wait in one work queue, and how many of them are overdue."""

    queue: WorkQueue
    count: int
    overdue: int
    at_least: bool = Field(
        description="True when the count stopped at its page budget: there are at least this many."
    )


class QueueCounts(Model):
    """The counts of the five work queues."""

    queues: list[QueueCount]


class ClaimView(Model):
    """A case's live claim after a claim or a release (null: no one holds it)."""

    case_id: str
    claim: Claim | None


class QueuePageView(Model):
    """One page of the queue and the cursor of the next (null at the end)."""

    cases: list[QueueItem]
    next_cursor: str | None


class EvidenceLink(Model):
    """An evidence file with its hash and a link that lives a few minutes."""

    upload_id: str
    kind: str
    filename: str
    content_type: str
    size: int
    sha256: str
    download_url: str
    view_url: str = Field(description="A link that shows the file in the browser, as its type.")
    link_expires_at: str


class CaseFile(Model):
    """Everything about a case, for the reviewer who decides it, and where its effects are."""

    case: dict[str, Any]
    evidence: list[EvidenceLink]
    decisions: list[Decision]
    history: list[AuditEvent]
    effects: list[EffectRecord]
    version: int
    related: list[RelatedCase] = Field(
        description=f"Up to {MAX_RELATED} other cases with the same target address or in-app "
        "reference, or an "
        "evidence file of the same SHA-256, newest first."
    )
    notes: list[Note] = Field(description="The staff's internal notes, oldest first.")
    account_history: misuse.AccountHistory | None = Field(
        default=None,
        description="The strikes standing against the account that posted the content (when "
        "the report named its account reference), and the policy's suggested next step.",
    )
    claimant_standing: misuse.ClaimantStanding | None = Field(
        default=None,
        description="How many of the claimant's notices were rejected as manifestly unfounded "
        "lately, whether they were warned, may be suspended, or are.",
    )


class SuspensionOutcome(Model):
    """What a suspension, its contest or its lifting recorded, and its effects."""

    case_id: str
    version: int
    suspension: misuse.Suspension
    effects: list[EffectView]


class EffectView(Model):
    """Where one effect of a change is on its way out: pending, delivered or parked."""

    effect_id: str
    kind: EffectKind
    state: EffectState


class ClaimantPreview(Model):
    """What the claimant would read of a decision: its mail, and its part of the status page."""

    subject: str
    body: str
    html: str = Field(
        description='The decision\'s <li class="card decision"> of the status page, escaped HTML.'
    )


class PosterPreview(Model):
    """What the poster would read of a decision: the notice page's main part."""

    html: str = Field(
        description='The content of the notice page\'s <main id="main"> element, escaped HTML.'
    )


class DecisionPreview(Model):
    """What each side would read of a decision, in both languages, if it were sent now."""

    case_id: str
    expected_version: int
    measures: list[AppliedMeasure]
    claimant: dict[Lang, ClaimantPreview]
    poster: dict[Lang, PosterPreview] | None = Field(
        description="Null when the decision takes no measure the poster is told of."
    )
    enforcement_messages: int


class DecisionOutcome(Model):
    """What a decision did: the case's new status and version, the decision, its effects."""

    case_id: str
    status: CaseStatus
    version: int
    decision: Decision
    enforcement_messages: int
    effects: list[EffectView]


def _now() -> datetime:
    return datetime.now(UTC)


def _new_id(moment: datetime) -> str:
    from ulid import ULID

    return str(ULID.from_datetime(moment))


@dataclass
class Review:
    """The reviewer's and the poster's use cases, with their ports, clock and ids."""

    repository: CaseStore
    evidence: Evidence
    notices: NoticeKeys
    cursor_key: Callable[[], bytes]
    clock: Callable[[], datetime] = _now
    new_id: Callable[[datetime], str] = _new_id

    def queue(self, params: dict[str, str]) -> QueuePageView:
        """Return one page of the queue, oldest first."""
        try:
            query = QueueQuery.model_validate(params)
        except ValidationError as error:
            errors = field_errors(error)
            raise InvalidRequest("The queue query has invalid parameters.", errors) from None
        if query.queue is not None and query.status is not None:
            raise InvalidRequest(
                "Ask for a work queue or a status, not both.",
                [FieldError("queue", "cannot be given with status", "exclusive")],
            )
        surface = query.surface.value if query.surface else None
        ground = query.ground.value if query.ground else None
        named = (
            {"status": query.status.value}
            if query.status is not None
            else {"queue": (query.queue or WorkQueue.RECEIVED).value}
        )
        queue = next(iter(named.values()))
        binding = {
            "route": "cases",
            **named,
            "surface": surface,
            "ground": ground,
            "limit": query.limit,
        }
        after = None
        if query.cursor:
            position = cursors.unseal(self.cursor_key(), binding, query.cursor)
            after = _queue_position(cursors.fields(position, after=str)["after"])
        page = self.repository.queue_page(queue, query.limit, after, surface=surface, ground=ground)
        now = self.clock()
        return QueuePageView(
            cases=[_queue_item(case, now) for case in page.cases],
            next_cursor=(
                cursors.seal(self.cursor_key(), binding, {"after": page.next_after})
                if page.next_after
                else None
            ),
        )

    def counts(self, params: dict[str, str]) -> QueueCounts:
        """Count the cases of each work queue, and those past their decision deadline."""
        try:
            query = CountsQuery.model_validate(params)
        except ValidationError as error:
            errors = field_errors(error)
            raise InvalidRequest("The counts query has invalid parameters.", errors) from None
        surface = query.surface.value if query.surface else None
        ground = query.ground.value if query.ground else None
        late_before = iso(working_days.overdue_before(self.clock()))
        counted = []
        for queue in WorkQueue:
            every = self.repository.count_queue(queue.value, None, surface, ground)
            late = self.repository.count_queue(queue.value, late_before, surface, ground)
            counted.append(
                QueueCount(
                    queue=queue,
                    count=every.count,
                    overdue=late.count,
                    at_least=not (every.complete and late.complete),
                )
            )
        return QueueCounts(queues=counted)

    def claim(self, case_id: str, subject: str, username: str) -> ClaimView:
        """Claim a case for the caller, or renew their claim; refused while another's lasts."""
        for _ in range(CLAIM_ATTEMPTS):
            case = self._claimable(case_id)
            taken = claims.claim(case, subject, username, self.clock())
            try:
                self.repository.set_claim(case.case_id, taken, case.claim)
            except StaleCase:
                continue  # the claim moved meanwhile: read it again
            return ClaimView(case_id=case.case_id, claim=taken)
        raise commit.changed_meanwhile()

    def release(self, case_id: str, subject: str) -> ClaimView:
        """Release the caller's claim on a case (none to release is no error)."""
        for _ in range(CLAIM_ATTEMPTS):
            case = self._claimable(case_id)
            now = self.clock()
            claims.release(case, subject, now)
            if claims.live_claim(case, now) is None:
                return ClaimView(case_id=case.case_id, claim=None)
            try:
                self.repository.set_claim(case.case_id, None, case.claim)
            except StaleCase:
                continue
            return ClaimView(case_id=case.case_id, claim=None)
        raise commit.changed_meanwhile()

    def _claimable(self, case_id: str) -> Case:
        return _found(case_id, self.repository.get_case(case_id) if is_case_id(case_id) else None)

    def case_file(self, case_id: str) -> CaseFile:
        """Return everything about a case, with download links that live five minutes: one Query
        of its partition, one of its trail, one per relation and one BatchGetItem."""
        reads = self.repository.case_file_reads(case_id) if is_case_id(case_id) else None
        case = _found(case_id, reads.case if reads else None)
        effects = reads.effects if reads else []
        now = self.clock()
        # An expired claim is none: the case file shows only a live one.
        held = case.model_copy(update={"claim": claims.live_claim(case, now)})
        return CaseFile(
            case=held.model_dump(
                mode="json", exclude={"receipt_token_hash", "notice_token_hashes", "decisions"}
            ),
            evidence=[self._link(f, now) for f in case.all_evidence],
            decisions=case.decisions,
            history=self.repository.case_events(case.case_id),
            effects=[EffectRecord.model_validate(e) for e in effects],
            version=case.version,
            related=related_cases(case.case_id, self.repository.related_hits(case, MAX_RELATED)),
            notes=reads.notes if reads else [],
            account_history=self._account_history(case, now),
            claimant_standing=self._claimant_standing(case, now),
        )

    def _account_history(self, case: Case, now: datetime) -> misuse.AccountHistory | None:
        """Return the account's standing strikes and the suggestion: one bounded Query."""
        if case.account_key is None:
            return None
        policy = misuse_policy()
        since = misuse.window_start(now, policy.strike_window_days)
        strikes = self.repository.account_strikes(case.account_key, since, misuse.MAX_STRIKES_READ)
        return misuse.account_history(strikes, now, policy)

    def _claimant_standing(self, case: Case, now: datetime) -> misuse.ClaimantStanding | None:
        """Return the claimant's unfounded notices and suspension: one bounded Query."""
        if case.claimant_key is None:
            return None
        unfounded, current = self.repository.claimant_record(
            case.claimant_key, misuse.MAX_UNFOUNDED_READ
        )
        return misuse.claimant_standing(unfounded, current, now, misuse_policy())

    def suspend_claimant(
        self,
        raw: object,
        actor: lifecycle.Actor,
        base_url: str,
        idempotency_key: str | None = None,
    ) -> tuple[SuspensionOutcome, bool]:
        """Suspend new reports from a case's claimant for a time, with a statement of reasons
        mailed to them with how to contest it; refused below the policy's threshold."""
        body = parse_body(misuse.SuspensionRequest, raw)

        def plan(case: Case) -> Plan[SuspensionOutcome]:
            now = self.clock()
            standing = self._claimant_standing(case, now)
            if standing is None:
                standing = misuse.claimant_standing([], None, now, misuse_policy())
            change = suspensions.suspend(case, body, standing, actor, self._context(now))
            decided = change.case.claimant_suspension
            assert decided is not None
            mail = messages.suspension(
                case.lang,
                case.case_id,
                decided.ends_at,
                (body.reasons.ground, body.reasons.facts),
                (standing.unfounded, standing.window_days),
                f"{base_url}/v1/claimants/suspensions/{case.case_id}/contest",
            )
            effects = [self._mail(case, mail, now)]
            return Plan(change, _suspension_outcome(change, effects), effects)

        asked = commit.ask(idempotency_key, "suspension", raw)
        outcome, replayed = self._commit(
            asked, body.case_id, self._reviewed, plan, SuspensionOutcome
        )
        log.info("claimant suspended", extra={"case_id": body.case_id})
        return outcome, replayed

    def lift_suspension(
        self,
        case_id: str,
        raw: object,
        actor: lifecycle.Actor,
        idempotency_key: str | None = None,
    ) -> tuple[SuspensionOutcome, bool]:
        """Lift the suspension decided on a case before its end; tell the claimant why."""

        def plan(case: Case) -> Plan[SuspensionOutcome]:
            body = parse_body(misuse.SuspensionLift, raw)
            now = self.clock()
            newest = None
            if case.claimant_key:
                _, newest = self.repository.claimant_record(case.claimant_key, 1)
            change = suspensions.lift(case, body, newest, actor, self._context(now))
            mail = messages.suspension_lifted(case.lang, case.case_id, iso(now), body.facts)
            effects = [self._mail(case, mail, now)]
            return Plan(change, _suspension_outcome(change, effects), effects)

        asked = commit.ask(idempotency_key, f"suspension-lift:{case_id}", raw)
        return self._commit(asked, case_id, self._reviewed, plan, SuspensionOutcome)

    def add_note(
        self,
        case_id: str,
        raw: object,
        author: tuple[str, str],
        idempotency_key: str | None = None,
    ) -> tuple[Note, bool]:
        """Write down an internal note on a case for other staff; `author` is (subject,
        username). Not a decision: the trail does not record it."""
        asked = commit.ask(idempotency_key, f"note:{case_id}", raw)
        found, stored = (
            self.repository.case_and_answer(case_id, asked.key_hash if asked else None)
            if is_case_id(case_id)
            else (None, None)
        )
        case = _found(case_id, found)
        if asked and stored:
            return commit.replay(stored, asked, Note), True
        body = parse_body(NoteBody, raw)
        ensure_notable(case)
        now = self.clock()
        subject, username = author
        note = Note(
            note_id=self.new_id(now),
            case_id=case.case_id,
            author=subject,
            author_name=username,
            at=iso(now),
            text=body.text,
        )
        try:
            self.repository.add_note(note, case.version, commit.answer_record(asked, note, now))
        except StaleCase:
            raise commit.changed_meanwhile() from None
        except NotesFull:
            raise notes_full() from None
        except IdempotencyKeyTaken:
            first = self.repository.stored_answer(asked.key_hash) if asked else None
            if first is None or asked is None:
                raise
            return commit.replay(first, asked, Note), True
        log.info("note added", extra={"case_id": case.case_id, "note_id": note.note_id})
        return note, False

    def decide(
        self,
        case_id: str,
        raw: object,
        actor: lifecycle.Actor,
        base_url: str,
        idempotency_key: str | None = None,
    ) -> tuple[DecisionOutcome, bool]:
        """Record a decision, its audit events and everything it promises, at once."""

        def plan(case: Case) -> Plan[DecisionOutcome]:
            return self._decision_plan(case, raw, actor, base_url)

        asked = commit.ask(idempotency_key, f"decision:{case_id}", raw)
        outcome, replayed = self._commit(
            asked, case_id, self._reviewed, plan, DecisionOutcome, explain=True
        )
        log.info(
            "decision recorded",
            extra={"case_id": case_id, "decision_id": outcome.decision.decision_id},
        )
        return outcome, replayed

    def preview_decision(
        self, case_id: str, raw: object, actor: lifecycle.Actor, base_url: str
    ) -> DecisionPreview:
        """Return what each side would read of a decision if it were sent; write nothing."""
        from ..web import preview
        from ..web.reader import Reader

        found = self.repository.get_case(case_id) if is_case_id(case_id) else None
        case = self._reviewed(found)
        planned = commit.planned_change(
            self.repository,
            case,
            lambda read: self._decision_plan(read, raw, actor, base_url, preview=True),
            explain=True,
        )
        change, decided = planned.change, planned.answer
        now = parse_iso(decided.decision.decided_at)
        readers = {lang: Reader.of(lang.value, urlsplit(base_url).path) for lang in Lang}
        view = claimant_view(change.case, now)
        claimant = {}
        for lang, reader in readers.items():
            subject, body = self._decision_words(change.case, decided.decision, base_url, lang)
            html = preview.claimant_decision(view, reader)
            claimant[lang] = ClaimantPreview(subject=subject, body=body, html=html)
        poster = None
        if lifecycle.is_enforcing(change):
            notice = poster_notice(change.case, now)
            poster = {
                lang: PosterPreview(html=preview.poster_notice_main(notice, reader))
                for lang, reader in readers.items()
            }
        return DecisionPreview(
            case_id=case.case_id,
            expected_version=case.version,
            measures=decided.decision.measures,
            claimant=claimant,
            poster=poster,
            enforcement_messages=decided.enforcement_messages,
        )

    def _decision_plan(
        self,
        case: Case,
        raw: object,
        actor: lifecycle.Actor,
        base_url: str,
        preview: bool = False,
    ) -> Plan[DecisionOutcome]:
        """Return what a decision on `case` commits; a preview derives no notice token."""
        request = parse_decision(raw)
        now = self.clock()
        change = lifecycle.decide(case, request, actor, self._context(now))
        decision = change.case.decisions[-1]
        noticed = None
        if lifecycle.is_enforcing(change):
            # Each enforcing decision gets a notice link of its own; every one keeps working.
            noticed = decision.decision_id
            if not preview:
                token = self.notices.token(case.case_id, decision.decision_id)
                hashes = [*change.case.notice_token_hashes, token_hash(token)]
                change = replace(
                    change, case=change.case.model_copy(update={"notice_token_hashes": hashes})
                )
        messages_out = enforcement_effects(change, _notice_url(case, base_url), noticed)
        mail = self._decision_words(change.case, decision, base_url, change.case.lang)
        if not preview:
            mail = self._warned(change.case, decision, mail, now)
        effects = [*messages_out, self._mail(change.case, mail, now)]
        outcome = DecisionOutcome(
            case_id=case.case_id,
            status=change.case.status,
            version=change.case.version,
            decision=decision,
            enforcement_messages=len(messages_out),
            effects=_pending(effects),
        )
        return Plan(change, outcome, effects)

    def _warned(
        self, case: Case, decision: Decision, mail: tuple[str, str], now: datetime
    ) -> tuple[str, str]:
        """Return the rejection mail with the warning paragraph when this rejection brings the
        claimant's unfounded notices to the policy's warning (one bounded Query, only then)."""
        rejected = [u for u in misuse.unfounded_of(case) if u.decision_id == decision.decision_id]
        if not rejected or case.claimant_key is None:
            return mail
        policy = misuse_policy()
        earlier, _ = self.repository.claimant_record(case.claimant_key, misuse.MAX_UNFOUNDED_READ)
        since = misuse.window_start(now, policy.unfounded_window_days)
        before = len(
            {u.decision_id for u in earlier if u.decided_at >= since} - {decision.decision_id}
        )
        if not misuse.warns(before, policy):
            return mail
        subject, body = mail
        warning = messages.unfounded_warning(case.lang, before + 1, policy.unfounded_window_days)
        return subject, warning + body

    def notice(self, case_id: str, notice_token: str | None) -> PosterNotice:
        """Return the poster's notice, or NotFound for a wrong id or token alike."""
        found = self.repository.get_case(case_id) if is_case_id(case_id) else None
        return poster_notice(_posters(found, notice_token), self.clock())

    def request_reposting(
        self,
        case_id: str,
        notice_token: str | None,
        raw: object,
        base_url: str,
        idempotency_key: str | None = None,
    ) -> tuple[PosterNotice, bool]:
        """Record the poster's request to bring blocked content back; tell the claimant."""

        def plan(case: Case) -> Plan[PosterNotice]:
            body = parse_body(remedies.RepostingRequestBody, raw)
            now = self.clock()
            remedies.ensure_reposting_allowed(case, now)  # before any file is checked
            named = named_files("evidence", body.evidence, "poster_evidence")
            files, copies = attach_files(self.repository, self.evidence, named, case.case_id, now)
            change = remedies.request_reposting(case, body.statement, files, self._context(now))
            mail = messages.reposting_requested(
                case.lang, case.case_id, iso(now), body.statement, _status_url(case, base_url)
            )
            effects = [*copies, self._mail(case, mail, now)]
            return Plan(change, poster_notice(change.case, now), effects, body.evidence, named)

        asked = commit.ask(idempotency_key, f"reposting-request:{case_id}", raw)
        return self._commit(
            asked, case_id, lambda found: _posters(found, notice_token), plan, PosterNotice
        )

    def file_appeal(
        self,
        case_id: str,
        notice_token: str | None,
        raw: object,
        idempotency_key: str | None = None,
    ) -> tuple[PosterNotice, bool]:
        """Record the restricted user's appeal against one restriction."""

        def plan(case: Case) -> Plan[PosterNotice]:
            body = parse_body(remedies.AppealBody, raw)
            now = self.clock()
            change = remedies.file_appeal(case, body.measure_id, body.statement, self._context(now))
            return Plan(change, poster_notice(change.case, now))

        asked = commit.ask(idempotency_key, f"appeal:{case_id}", raw)
        return self._commit(
            asked, case_id, lambda found: _posters(found, notice_token), plan, PosterNotice
        )

    def decide_reposting(
        self,
        case_id: str,
        raw: object,
        actor: lifecycle.Actor,
        base_url: str,
        idempotency_key: str | None = None,
    ) -> tuple[RemedyOutcome, bool]:
        """Reinstate the content or uphold the block; tell both sides."""

        def plan(case: Case) -> Plan[RemedyOutcome]:
            decision = parse_body(remedies.RepostingDecision, raw)
            now = self.clock()
            change = remedies.decide_reposting(case, decision, actor, self._context(now))
            mail = messages.reposting_decided(
                case.lang,
                case.case_id,
                decision.outcome,
                iso(now),
                decision.reasons.facts,
                _status_url(case, base_url),
            )
            messages_out = enforcement_effects(change, _notice_url(case, base_url))
            effects = [*messages_out, self._mail(case, mail, now)]
            return Plan(change, _remedy_outcome(change, len(messages_out), effects), effects)

        asked = commit.ask(idempotency_key, f"reposting-decision:{case_id}", raw)
        return self._commit(asked, case_id, self._reviewed, plan, RemedyOutcome, explain=True)

    def decide_appeal(
        self,
        case_id: str,
        raw: object,
        actor: lifecycle.Actor,
        base_url: str,
        idempotency_key: str | None = None,
    ) -> tuple[RemedyOutcome, bool]:
        """Lift an appealed restriction or uphold it; the poster is told through the platform."""

        def plan(case: Case) -> Plan[RemedyOutcome]:
            decision = parse_body(remedies.AppealDecision, raw)
            change = remedies.decide_appeal(case, decision, actor, self._context(self.clock()))
            effects = enforcement_effects(change, _notice_url(case, base_url))
            return Plan(change, _remedy_outcome(change, len(effects), effects), effects)

        asked = commit.ask(idempotency_key, f"appeal-decision:{case_id}", raw)
        return self._commit(asked, case_id, self._reviewed, plan, RemedyOutcome, explain=True)

    def erase(
        self, case_id: str, actor: lifecycle.Actor, idempotency_key: str | None = None
    ) -> tuple[RemedyOutcome, bool]:
        """Erase a closed case's personal data; its audit trail still verifies."""
        from ..domain.privacy import erase_personal_data

        def plan(case: Case) -> Plan[RemedyOutcome]:
            now = self.clock()
            change = erase_personal_data(case, actor, self._context(now))
            # Every version of its files is tagged once the erasure has committed; the bucket
            # deletes tagged files when their retention ends.
            erasure = Effect(
                effect_id=self.new_id(now),
                kind=EffectKind.EVIDENCE_ERASURE,
                case_id=case.case_id,
                payload={"prefix": evidence_key(case.case_id, "")},
            )
            return Plan(change, _remedy_outcome(change, 0, [erasure]), [erasure], erasing=True)

        asked = commit.ask(idempotency_key, f"erasure:{case_id}", None)
        outcome, replayed = self._commit(asked, case_id, self._reviewed, plan, RemedyOutcome)
        log.info("personal data erased", extra={"case_id": case_id})
        return outcome, replayed

    def download_origin(self) -> str:
        """Return the origin that evidence links point at (the console's CSP allows it)."""
        return self.evidence.download_origin

    def _commit(
        self,
        asked: commit.Ask | None,
        case_id: str,
        load: Callable[[Case | None], Case],
        plan: Callable[[Case], Plan[A]],
        answer_type: type[A],
        explain: bool = False,
    ) -> tuple[A, bool]:
        return commit.commit_once(
            self.repository, asked, case_id, load, plan, answer_type, self.clock, explain
        )

    def _reviewed(self, found: Case | None) -> Case:
        if found is None:
            raise NotFound("No case with this id.")
        return found

    def _context(self, now: datetime) -> lifecycle.Context:
        return lifecycle.Context(now, self.new_id, settings().policy_version)

    def _mail(self, case: Case, mail: tuple[str, str], now: datetime) -> Effect:
        return mail_effect(self.new_id(now), case, mail)

    def _decision_words(
        self, case: Case, decision: Decision, base_url: str, lang: Lang
    ) -> tuple[str, str]:
        """Return the subject and body that tell the claimant of `decision`, in `lang`."""
        information = case.information_request
        return messages.decision(
            lang,
            case.case_id,
            decision.measures,
            decision.statement.decision_facts,
            (information.message, information.due_at)
            if information and case.status == CaseStatus.INFORMATION_REQUESTED
            else None,
            _status_url(case, base_url),
        )

    def _link(self, file: EvidenceFile, now: datetime) -> EvidenceLink:
        return EvidenceLink(
            upload_id=file.upload_id,
            kind=file.kind,
            filename=file.filename,
            content_type=file.content_type,
            size=file.size,
            sha256=file.sha256,
            download_url=self.evidence.download_url(file.key, file.filename, DOWNLOAD_LINK_SECONDS),
            # Every evidence type was checked by its first bytes: each may be shown as itself.
            view_url=self.evidence.download_url(
                file.key, file.filename, DOWNLOAD_LINK_SECONDS, inline_as=file.content_type
            ),
            link_expires_at=iso(now + timedelta(seconds=DOWNLOAD_LINK_SECONDS)),
        )


def _found(case_id: str, found: Case | None) -> Case:
    if found is None:
        raise NotFound(f"No case {case_id}.")
    return found


def _posters(found: Case | None, notice_token: str | None) -> Case:
    """Return the case if the notice token is one of its own; NotFound alike for any mismatch."""
    hashes: list[str | None] = [*found.notice_token_hashes] if found else []
    # Compare against every hash (or one dummy) so a wrong token takes the same time.
    if not any([token_matches(notice_token, h) for h in hashes or [None]]) or not found:
        raise NotFound("No notice with this case id and notice token.")
    return found


def _status_url(case: Case, base_url: str) -> str:
    return status_address(base_url, case.case_id)


def _notice_url(case: Case, base_url: str) -> str:
    return f"{base_url}/notices/{case.case_id}"


def _pending(effects: list[Effect]) -> list[EffectView]:
    return [
        EffectView(effect_id=e.effect_id, kind=e.kind, state=EffectState.PENDING) for e in effects
    ]


class RemedyOutcome(Model):
    """What a decision on a re-posting request or an appeal (or an erasure) did."""

    case_id: str
    status: CaseStatus
    version: int
    actions: list[str]
    enforcement_messages: int
    effects: list[EffectView]


def _remedy_outcome(
    change: lifecycle.Change, enforcement_messages: int, effects: list[Effect]
) -> RemedyOutcome:
    return RemedyOutcome(
        case_id=change.case.case_id,
        status=change.case.status,
        version=change.case.version,
        actions=[event.action for event in change.events],
        enforcement_messages=enforcement_messages,
        effects=_pending(effects),
    )


def _suspension_outcome(change: lifecycle.Change, effects: list[Effect]) -> SuspensionOutcome:
    suspension = change.case.claimant_suspension
    assert suspension is not None
    return SuspensionOutcome(
        case_id=change.case.case_id,
        version=change.case.version,
        suspension=suspension,
        effects=_pending(effects),
    )


def _queue_item(case: Case, now: datetime) -> QueueItem:
    queue = work_queue(case)
    since = parse_iso(waiting_since(case))
    due = working_days.decide_by(since) if is_work_queue(queue) else None
    return QueueItem(
        case_id=case.case_id,
        status=case.status,
        queue=queue,
        received_at=case.received_at,
        age_seconds=int((now - parse_iso(case.received_at)).total_seconds()),
        waiting_since=iso(since),
        decide_by=iso(due) if due else None,
        overdue=due is not None and working_days.is_overdue(since, now),
        working_days_waited=working_days.working_days_waited(since, now),
        claim=claims.live_claim(case, now),
        surface=case.target.surface,
        target_by="url" if case.target.url else "content_ref",
        grounds=case.grounds,
        requested_action=case.requested_action.value,
        evidence_count=len(case.all_evidence),
        version=case.version,
        trusted_flagger=case.source_type == SOURCE_TRUSTED_FLAGGER,
    )


def _queue_position(after: str) -> str:
    """Return a queue position (`<waiting_since>#<case_id>`, marked when the case comes
    first), or refuse one of another shape."""
    cursors.moment_and_id(after.removeprefix(queues.FIRST), None, None)
    return after


def decision_rules() -> DecisionRules:
    """Return what a decision may say, with the reason templates in both languages."""
    from ..web.texts import TEXTS

    return rules.decision_rules(
        {lang.value: TEXTS[lang.value]["reason_templates"] for lang in Lang}
    )
