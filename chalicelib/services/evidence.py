"""Attach uploaded files to a case: check each on the server, and promise its copy into the
locked store (an outbox effect, delivered once the case has committed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ..domain.case import EvidenceFile, EvidenceKind, Upload
from ..domain.clock import parse_iso
from ..domain.errors import Conflict, FieldError, InvalidRequest
from ..domain.evidence import FileRefusal, uploaded_file_refusal
from ..domain.outbox import Effect, EffectKind
from ..ports import CaseStore, Evidence, StagedFile, StagedFileChanged, checked_key, evidence_key

UPLOAD_LIFETIME = timedelta(days=1)

# (field name in the request, upload id, kind of file)
Named = list[tuple[str, str, EvidenceKind]]


def named_files(field: str, upload_ids: list[str], kind: EvidenceKind) -> Named:
    """Name each upload of a list field as the request does: evidence[0], evidence[1], ..."""
    return [(f"{field}[{i}]", upload_id, kind) for i, upload_id in enumerate(upload_ids)]


def keep_files(
    store: Evidence,
    named: Named,
    uploads: dict[str, Upload],
    case_id: str,
    now: datetime,
) -> tuple[list[EvidenceFile], list[Effect]]:
    """Check every named upload and fix its bytes and hash; refuse all if one fails.

    Return the case's files and the effects that preserve them once the case commits.
    """
    problems: list[FieldError] = []
    claimed: list[FieldError] = []
    ready: list[tuple[str, EvidenceKind, Upload, StagedFile]] = []
    for field_name, upload_id, kind in named:
        upload = uploads.get(upload_id)
        checked_file = check_staged(store, field_name, upload, now)
        if isinstance(checked_file, FieldError):
            (claimed if checked_file.code == "conflict" else problems).append(checked_file)
        elif upload is not None:
            ready.append((field_name, kind, upload, checked_file))
    if problems:
        raise InvalidRequest("Some attached files cannot be accepted.", problems + claimed)
    if claimed:
        raise Conflict("Some uploads are already attached to another case.", claimed)
    files: list[EvidenceFile] = []
    effects: list[Effect] = []
    changed: list[FieldError] = []
    for field_name, kind, upload, staged in ready:
        checked = checked_key(case_id, upload.upload_id)
        try:
            # Only the very object inspected is copied: one posted again meanwhile is refused.
            sha256 = store.check_upload(upload.staging_key, checked, str(staged.etag))
        except StagedFileChanged:
            changed.append(
                FieldError(field_name, "file changed while it was checked; upload it again")
            )
            continue
        file = EvidenceFile(
            upload_id=upload.upload_id,
            kind=kind,
            filename=upload.filename,
            content_type=upload.content_type,
            size=int(staged.size or 0),
            sha256=sha256,
            key=evidence_key(case_id, upload.upload_id),
        )
        files.append(file)
        effects.append(
            Effect(
                effect_id=f"copy-{file.upload_id}",
                kind=EffectKind.EVIDENCE_COPY,
                case_id=case_id,
                payload={"source_key": checked, "target_key": file.key, "sha256": file.sha256},
            )
        )
    if changed:
        raise InvalidRequest("Some attached files cannot be accepted.", changed)
    return files, effects


@dataclass(frozen=True)
class StagedRefusal(FieldError):
    """A staged file refused for what it holds, with why (a code a form can word)."""

    refusal: FileRefusal | None = None


def check_staged(
    store: Evidence, field_name: str, upload: Upload | None, now: datetime
) -> StagedFile | FieldError:
    """Check one named upload as a report does: the one home of what an upload must be.

    Return what storage holds for it, or what is wrong: a FieldError coded "conflict" when a
    case claimed it, a StagedRefusal when its file may not be evidence. Reads at most the
    first SNIFF_BYTES of the file.
    """
    if upload is None:
        return FieldError(field_name, "names no upload; upload the file first")
    if upload.case_id is not None:
        return FieldError(field_name, "is already attached to another case", "conflict")
    if parse_iso(upload.created_at) + UPLOAD_LIFETIME < now:
        return FieldError(field_name, "has expired; upload the file again")
    staged = store.inspect(upload.staging_key)
    refusal = uploaded_file_refusal(
        upload.content_type, staged.size, staged.head, staged.content_type
    )
    if refusal or staged.size is None:
        message = refusal.message if refusal else "was never uploaded"
        return StagedRefusal(field_name, f"file {message}", "evidence", refusal)
    return staged


def attach_files(
    repository: CaseStore, store: Evidence, named: Named, case_id: str, now: datetime
) -> tuple[list[EvidenceFile], list[Effect]]:
    """Read the named uploads, check them and keep them under the case."""
    uploads, _ = repository.load_for_submission([upload_id for _, upload_id, _ in named], None)
    return keep_files(store, named, uploads, case_id, now)


def claimed_conflict(named: Named, upload_ids: list[str]) -> Conflict:
    """Return the conflict that names the uploads another case claimed first."""
    return Conflict(
        "Some uploads are already attached to another case.",
        [
            FieldError(name, "is already attached to another case", "conflict")
            for name, upload_id, _ in named
            if upload_id in upload_ids
        ],
    )
