"""What evidence may be: its types, its size, and how to recognise a type by its first bytes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
MAX_EVIDENCE_FILES = 10
SNIFF_BYTES = 512


@dataclass(frozen=True)
class EvidenceType:
    """A kind of file evidence may be: its content type, its names, how a file name ends."""

    content_type: str
    short: str
    name: str
    extensions: tuple[str, ...]
    looks_like: Callable[[bytes], bool]


# The one list of evidence types, in the order they are offered and recognised.
EVIDENCE_TYPES: tuple[EvidenceType, ...] = (
    EvidenceType(
        "application/pdf", "PDF", "PDF document", ("pdf",), lambda h: h.startswith(b"%PDF-")
    ),
    EvidenceType(
        "image/png", "PNG", "PNG image", ("png",), lambda h: h.startswith(b"\x89PNG\r\n\x1a\n")
    ),
    EvidenceType(
        "image/jpeg", "JPEG", "JPEG image", ("jpg", "jpeg"), lambda h: h.startswith(b"\xff\xd8\xff")
    ),
    EvidenceType(
        "image/gif", "GIF", "GIF image", ("gif",), lambda h: h.startswith((b"GIF87a", b"GIF89a"))
    ),
    EvidenceType(
        "image/webp",
        "WebP",
        "WebP image",
        ("webp",),
        lambda h: h[:4] == b"RIFF" and h[8:12] == b"WEBP",
    ),
    EvidenceType("video/mp4", "MP4", "MP4 video", ("mp4",), lambda h: h[4:8] == b"ftyp"),
    EvidenceType(
        "text/plain", "plain text", "plain text", ("txt",), lambda h: bool(h) and _is_plain_text(h)
    ),
)

ALLOWED_CONTENT_TYPES: dict[str, str] = {t.content_type: t.name for t in EVIDENCE_TYPES}
"""Each allowed content type and its name."""

EXTENSION_TYPES: dict[str, str] = {
    extension: t.content_type for t in EVIDENCE_TYPES for extension in t.extensions
}
"""The content type a file name's extension tells, for systems that give a file no type."""

_TEXT_CONTROL_BYTES = frozenset(range(0x00, 0x20)) - {0x09, 0x0A, 0x0C, 0x0D}


def sniff_content_type(head: bytes) -> str | None:
    """Return the allowed content type that these first bytes of a file show, if any."""
    return next((t.content_type for t in EVIDENCE_TYPES if t.looks_like(head)), None)


def _is_plain_text(head: bytes) -> bool:
    """Tell whether the bytes are UTF-8 text without control characters."""
    if any(byte in _TEXT_CONTROL_BYTES for byte in head):
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut by the end of the sniffed range is still text.
        return error.start >= len(head) - 3 and error.reason == "unexpected end of data"
    return True


_TYPE_LIST = ", ".join(t.short for t in EVIDENCE_TYPES[:-1]) + " or " + EVIDENCE_TYPES[-1].short


@dataclass(frozen=True)
class FileRefusal:
    """Why an uploaded file may not be evidence: a code a form can word, and the reason."""

    code: str  # not_uploaded, empty, too_large, stored_type, not_allowed, other_type
    message: str


def uploaded_file_refusal(
    declared_type: str, real_size: int | None, head: bytes, stored_type: str | None
) -> FileRefusal | None:
    """Return why an uploaded file may not be evidence, or None when it may.

    `stored_type` is the Content-Type storage holds for the file: it must be the declared one,
    exactly, as the upload's policy demands (it is what a download is served as).
    """
    if real_size is None:
        return FileRefusal(
            "not_uploaded", "was never uploaded, or its upload has expired; upload the file again"
        )
    if real_size == 0:
        return FileRefusal("empty", "is empty")
    if real_size > MAX_EVIDENCE_BYTES:
        mib = real_size / (1024 * 1024)
        limit = MAX_EVIDENCE_BYTES // (1024 * 1024)
        return FileRefusal("too_large", f"is {mib:.1f} MiB; the limit is {limit} MiB")
    if (stored_type or "").strip().lower() != declared_type:
        return FileRefusal(
            "stored_type",
            f"was declared as {declared_type} but uploaded as "
            f"{(stored_type or 'no content type')[:100]}; upload it again as {declared_type}",
        )
    found = sniff_content_type(head)
    if found is None:
        return FileRefusal("not_allowed", f"is not a file of an allowed type ({_TYPE_LIST})")
    if found != declared_type:
        return FileRefusal(
            "other_type",
            f"was declared as {ALLOWED_CONTENT_TYPES[declared_type]} "
            f"but its content is {ALLOWED_CONTENT_TYPES[found]}",
        )
    return None


def uploaded_file_problem(
    declared_type: str, real_size: int | None, head: bytes, stored_type: str | None
) -> str | None:
    """Return what is wrong with an uploaded file, or None when it may be evidence."""
    refusal = uploaded_file_refusal(declared_type, real_size, head, stored_type)
    return refusal.message if refusal else None


def short_type_name(content_type: str) -> str:
    """Return the short name of an allowed content type (PDF, PNG, ...), or the type itself."""
    return next((t.short for t in EVIDENCE_TYPES if t.content_type == content_type), content_type)
