"""Checks of complaint attachments: the extension must be allowed AND the content must be what it claims.

Allowed: photos (jpg, png), documents (pdf, docx) and recordings (mp3, wav), up to
``settings.CAREBRIDGE["COMPLAINT_ATTACHMENT_MAX_BYTES"]`` (10 MB by default). The whole container is
verified, not only its first bytes: a photo must decode as an image and end where the image ends (a JPEG
header followed by an executable is refused), a PDF must end with its trailer, a docx must be a Word
package whose entries are few and whose total uncompressed size and compression ratio are bounded (a zip
bomb named .docx is refused), a WAV's RIFF size must match the file.
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# A Word document's package: entries, their total size once uncompressed, and the compression ratio.
DOCX_MAX_ENTRIES = 1000
DOCX_MAX_UNCOMPRESSED = 50 * 1024 * 1024
DOCX_MAX_RATIO = 100
TAIL_BYTES = 1024


def _tail(upload: Any) -> bytes:
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(max(0, size - TAIL_BYTES))
    tail = bytes(upload.read())
    upload.seek(0)
    return tail


def _decodes_as_image(upload: Any, image_format: str) -> bool:
    """The whole picture decodes (Pillow, with its decompression-bomb guard as an error)."""
    from PIL import Image

    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if image.format != image_format:
                    return False
                image.load()
        return True
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        return False
    finally:
        upload.seek(0)


def _is_jpeg(head: bytes, upload: Any) -> bool:
    # Ends with the end-of-image marker (some cameras pad a few zero bytes): nothing rides after it.
    ending = _tail(upload).rstrip(b"\x00")
    return (
        head.startswith(b"\xff\xd8\xff")
        and ending.endswith(b"\xff\xd9")
        and _decodes_as_image(upload, "JPEG")
    )


def _is_png(head: bytes, upload: Any) -> bool:
    ending = _tail(upload)
    return (
        head.startswith(b"\x89PNG\r\n\x1a\n")
        and ending.endswith(b"IEND\xaeB`\x82")
        and _decodes_as_image(upload, "PNG")
    )


def _is_pdf(head: bytes, upload: Any) -> bool:
    return head.startswith(b"%PDF-") and b"%%EOF" in _tail(upload)


def _is_docx(head: bytes, upload: Any) -> bool:
    if not head.startswith(b"PK\x03\x04"):
        return False
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            if "word/document.xml" not in names or "[Content_Types].xml" not in names:
                return False
            if len(entries) > DOCX_MAX_ENTRIES:
                return False
            total = sum(entry.file_size for entry in entries)
            squeezed = any(
                entry.file_size > DOCX_MAX_RATIO * max(entry.compress_size, 1) for entry in entries
            )
            return total <= DOCX_MAX_UNCOMPRESSED and not squeezed
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)


def _is_mp3(head: bytes, upload: Any) -> bool:
    # An ID3v2 tag, or an MPEG audio frame header (11 sync bits set).
    return head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)


def _is_wav(head: bytes, upload: Any) -> bool:
    if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return False
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(0)
    return int.from_bytes(head[4:8], "little") + 8 == size


@dataclass(frozen=True)
class FileKind:
    content_type: str
    sniff: Callable[[bytes, Any], bool]


ALLOWED: dict[str, FileKind] = {
    ".jpg": FileKind("image/jpeg", _is_jpeg),
    ".jpeg": FileKind("image/jpeg", _is_jpeg),
    ".png": FileKind("image/png", _is_png),
    ".pdf": FileKind("application/pdf", _is_pdf),
    ".docx": FileKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _is_docx),
    ".mp3": FileKind("audio/mpeg", _is_mp3),
    ".wav": FileKind("audio/wav", _is_wav),
}


def max_bytes() -> int:
    return int(getattr(settings, "CAREBRIDGE", {}).get("COMPLAINT_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def check_attachment(upload: Any) -> str:
    """Validate one upload; return its content type or raise ``ValidationError`` (nothing is stored)."""
    name = getattr(upload, "name", "") or ""
    suffix = PurePath(name).suffix.lower()
    kind = ALLOWED.get(suffix)
    if kind is None:
        raise ValidationError(
            _("%(name)s: files of this type are not accepted; allowed are %(types)s.")
            % {"name": name, "types": ", ".join(sorted({s.lstrip(".") for s in ALLOWED}))},
            code="file_type",
        )
    size = int(getattr(upload, "size", 0) or 0)
    if size > max_bytes():
        raise ValidationError(
            _("%(name)s is %(size)s; the largest file accepted is %(max)s.")
            % {"name": name, "size": filesizeformat(size), "max": filesizeformat(max_bytes())},
            code="file_size",
        )
    if size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name}, code="file_empty")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not kind.sniff(head, upload):
        raise ValidationError(
            _("%(name)s does not contain what its extension says (%(ext)s); it was refused.")
            % {"name": name, "ext": suffix.lstrip(".")},
            code="file_content",
        )
    return kind.content_type
