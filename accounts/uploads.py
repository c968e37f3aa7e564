"""Checks for uploaded files: by extension AND by content (evidence, photos, the enterprise verification
documents)."""

import zipfile
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
# extension → (content type, magic prefix, part a ZIP-based Office file must contain)
EVIDENCE_TYPES = {
    "pdf": ("application/pdf", b"%PDF-", None),
    "jpg": ("image/jpeg", b"\xff\xd8\xff", None),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff", None),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n", None),
    "doc": ("application/msword", OLE, None),
    "xls": ("application/vnd.ms-excel", OLE, None),
    "ppt": ("application/vnd.ms-powerpoint", OLE, None),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP, "word/"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP, "xl/"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ZIP, "ppt/"),
}


def sniff_evidence(upload) -> str:
    """Check an uploaded file by its extension AND its content; return its content type or raise ValidationError."""
    ext = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if ext not in EVIDENCE_TYPES:
        raise forms.ValidationError(
            _(
                "不支持的文件类型“.%(ext)s”：请上传 PDF、图片（JPG/PNG）或 Office 文件（DOC/DOCX/XLS/XLSX/PPT/PPTX）。"
            )
            % {"ext": ext or "?"},
            code="extension",
        )
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise forms.ValidationError(
            _("文件过大（%(size)s MB）：单个文件不能超过 %(limit)s MB。")
            % {
                "size": round(upload.size / 1048576, 1),
                "limit": round(settings.EVIDENCE_MAX_BYTES / 1048576, 1),
            },
            code="size",
        )
    if upload.size == 0:
        raise forms.ValidationError(_("文件是空的。"), code="empty")
    content_type, magic, zip_part = EVIDENCE_TYPES[ext]
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    mismatch = forms.ValidationError(
        _("文件内容与扩展名“.%(ext)s”不符，请上传真实的 %(ext)s 文件。") % {"ext": ext}, code="content"
    )
    if head != magic:
        raise mismatch
    if zip_part:
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError):
            raise mismatch from None
        finally:
            upload.seek(0)
        if not any(name.startswith(zip_part) for name in names):
            raise mismatch
    return content_type
