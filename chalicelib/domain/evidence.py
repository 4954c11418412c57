"""What evidence may be: its types, its size, and how to recognise a type by its first bytes."""

from __future__ import annotations

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
MAX_EVIDENCE_FILES = 10
SNIFF_BYTES = 512

ALLOWED_CONTENT_TYPES: dict[str, str] = {
    "application/pdf": "PDF document",
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
    "image/gif": "GIF image",
    "image/webp": "WebP image",
    "video/mp4": "MP4 video",
    "text/plain": "plain text",
}

_TEXT_CONTROL_BYTES = frozenset(range(0x00, 0x20)) - {0x09, 0x0A, 0x0C, 0x0D}


def sniff_content_type(head: bytes) -> str | None:
    """Return the allowed content type that these first bytes of a file show, if any."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        return "video/mp4"
    if head and _is_plain_text(head):
        return "text/plain"
    return None


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


def uploaded_file_problem(
    declared_type: str, real_size: int | None, head: bytes, stored_type: str | None
) -> str | None:
    """Return what is wrong with an uploaded file, or None when it may be evidence.

    `stored_type` is the Content-Type storage holds for the file: it must be the declared one,
    exactly, as the upload's policy demands (it is what a download is served as).
    """
    if real_size is None:
        return "was never uploaded, or its upload has expired; upload the file again"
    if real_size == 0:
        return "is empty"
    if real_size > MAX_EVIDENCE_BYTES:
        mib = real_size / (1024 * 1024)
        return f"is {mib:.1f} MiB; the limit is {MAX_EVIDENCE_BYTES // (1024 * 1024)} MiB"
    if (stored_type or "").strip().lower() != declared_type:
        return (
            f"was declared as {declared_type} but uploaded as "
            f"{(stored_type or 'no content type')[:100]}; upload it again as {declared_type}"
        )
    found = sniff_content_type(head)
    if found is None:
        return "is not a file of an allowed type (PDF, PNG, JPEG, GIF, WebP, MP4 or plain text)"
    if found != declared_type:
        return (
            f"was declared as {ALLOWED_CONTENT_TYPES[declared_type]} "
            f"but its content is {ALLOWED_CONTENT_TYPES[found]}"
        )
    return None
