"""Reviewers' internal notes on a case: for staff only, never a decision, never on the trail."""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field

from .base import Model
from .case import Case
from .errors import Conflict, FieldError
from .privacy import ERASED_EMAIL

MAX_NOTES = 200
"""How many internal notes one case holds at most."""
MAX_NOTE_CHARS = 2000


class NoteBody(Model):
    """What a reviewer writes down about a case for other staff."""

    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, Field(min_length=1, max_length=MAX_NOTE_CHARS)]


class Note(Model):
    """An internal note on a case, with who wrote it and when."""

    note_id: str
    case_id: str
    author: str = Field(description="The staff pool's subject id of the note's writer.")
    author_name: str = Field(description="The writer's username, for display.")
    at: str
    text: str


def ensure_notable(case: Case) -> None:
    """Refuse a note on a case whose personal data was erased."""
    if case.claimant.email == ERASED_EMAIL:
        raise Conflict(
            "This case's personal data was erased; it takes no more notes.",
            [FieldError("case_id", "was erased", "erased")],
        )


def notes_full() -> Conflict:
    """Return the refusal of a note on a case that holds as many as it may."""
    return Conflict(
        f"This case holds {MAX_NOTES} notes, as many as a case may.",
        [FieldError("text", f"the case already holds {MAX_NOTES} notes", "too_many_notes")],
    )
