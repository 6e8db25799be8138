"""Attachments: allowed types by extension and sniffed content, size limited; refusals store nothing."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from carebridge.complaints.models import Complaint, ComplaintAttachment
from carebridge.complaints.services.complaints import complaint_attach

pytestmark = pytest.mark.django_db


def _image(image_format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, image_format)
    return buffer.getvalue()


PNG = _image("PNG")
JPEG = _image("JPEG")
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
_WAV_BODY = b"WAVEfmt " + b"\x00" * 32
WAV = b"RIFF" + len(_WAV_BODY).to_bytes(4, "little") + _WAV_BODY
EXECUTABLE = b"MZ\x90\x00" + b"\x00" * 60 + b"This program cannot be run in DOS mode." * 20
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\x00" * 32


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.png", PNG),
        ("letter.pdf", PDF),
        ("call.wav", WAV),
        ("call.mp3", MP3),
        ("statement.docx", _docx()),
        ("photo.JPG", JPEG),
    ],
)
def test_allowed_files_are_stored(receive, agent_ann, settings, name, content):
    complaint = receive(agent_ann, attachments=[SimpleUploadedFile(name, content)])
    attachment = complaint.attachments.get()
    assert attachment.original_name == name and attachment.size == len(content)
    assert Path(attachment.file.path).read_bytes() == content
    assert name not in attachment.file.name  # stored under a random name


def test_an_oversized_file_is_refused_and_nothing_is_stored(receive, agent_ann, settings):
    settings.CAREBRIDGE = {**settings.CAREBRIDGE, "COMPLAINT_ATTACHMENT_MAX_BYTES": 1024}
    big = SimpleUploadedFile("scan.pdf", PDF + b"0" * 2048)
    with pytest.raises(ValidationError) as refused:
        receive(agent_ann, attachments=[big])
    assert "the largest file accepted is 1.0" in refused.value.message_dict["attachments"][0]
    assert not Complaint.objects.exists() and not ComplaintAttachment.objects.exists()
    assert _stored_files() == []


def test_the_default_limit_is_ten_megabytes():
    from carebridge.complaints.domain.attachments import DEFAULT_MAX_BYTES, max_bytes

    assert DEFAULT_MAX_BYTES == 10 * 1024 * 1024 == max_bytes()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("virus.exe", b"MZ\x90\x00", "not accepted"),
        ("invoice.pdf", b"MZ\x90\x00" + b"\x00" * 20, "does not contain what its extension says"),
        ("photo.png", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "does not contain what its extension says"),
        ("statement.docx", b"PK\x03\x04not really a zip", "does not contain what its extension says"),
    ],
)
def test_a_wrong_type_is_refused_and_nothing_is_stored(receive, agent_ann, name, content, expected):
    with pytest.raises(ValidationError) as refused:
        receive(agent_ann, attachments=[SimpleUploadedFile("ok.png", PNG), SimpleUploadedFile(name, content)])
    assert expected in " ".join(refused.value.message_dict["attachments"])
    assert not Complaint.objects.exists()
    assert _stored_files() == []


def test_attaching_later_refuses_all_when_one_is_bad(receive, agent_ann, settings):
    complaint = receive(agent_ann)
    with pytest.raises(ValidationError):
        complaint_attach(
            complaint=complaint,
            actor=agent_ann,
            uploads=[SimpleUploadedFile("a.png", PNG), SimpleUploadedFile("b.wav", b"nope" * 10)],
        )
    assert not complaint.attachments.exists() and _stored_files() == []
    complaint_attach(complaint=complaint, actor=agent_ann, uploads=[SimpleUploadedFile("a.png", PNG)])
    assert complaint.attachments.count() == 1


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/padding.bin", b"\x00" * (20 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.jpg", b"\xff\xd8\xff\xe0" + EXECUTABLE),  # a JPEG header, then a program
        ("photo.jpg", JPEG + EXECUTABLE),  # a real photo with a program after its end
        ("photo.png", PNG + EXECUTABLE),
        ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),  # a header and nothing of a picture
        ("statement.docx", _zip_bomb()),  # 20 MB of zeros squeezed into a few kilobytes
        ("letter.pdf", b"%PDF-1.4\n" + EXECUTABLE),
        ("call.wav", b"RIFF\x24\x00\x00\x00WAVE" + EXECUTABLE),
    ],
)
def test_the_whole_container_is_verified_not_only_its_first_bytes(receive, agent_ann, name, content):
    with pytest.raises(ValidationError, match="does not contain what its extension says"):
        receive(agent_ann, attachments=[SimpleUploadedFile(name, content)])
    assert _stored_files() == []
    assert not Complaint.objects.exists()
