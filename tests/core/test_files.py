"""Every private file leaves through core.files.serve_private_file, with the same headers."""

import ast
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.core.files.base import ContentFile

from assessments import services
from core.files import content_disposition, serve_private_file
from tests.assessments.conftest import pdf

APPS = ["core", "accounts", "assessments", "experts", "supervision", "documents", "shunyi_eval"]


def _headers(response):
    return response["Content-Disposition"], response["X-Content-Type-Options"], response["Cache-Control"]


def test_a_chinese_name_travels_as_rfc5987_with_an_ascii_fallback():
    header = content_disposition("评测报告 2024.pdf")
    assert header.startswith('attachment; filename="')
    fallback = header.split('filename="')[1].split('"')[0]
    assert fallback.isascii() and fallback.endswith(".pdf")
    assert unquote(header.split("filename*=UTF-8''")[1]) == "评测报告 2024.pdf"


def test_quotes_and_line_breaks_in_a_name_cannot_split_the_header():
    header = content_disposition('a"b\r\nSet-Cookie: x=1;.pdf', inline=True)
    assert header.startswith("inline; ")
    assert "\r" not in header and "\n" not in header
    fallback = header.split('filename="')[1].split('"')[0]
    assert '"' not in fallback and ";" not in fallback


def test_stored_files_and_bytes_get_the_same_headers(tmp_path):
    stored = serve_private_file(ContentFile(b"%PDF-1.4", name="x.pdf"), filename="证书.pdf")
    made = serve_private_file(b"PK\x03\x04", filename="名单.xlsx")
    for response in (stored, made):
        disposition, nosniff, cache = _headers(response)
        assert "filename*=UTF-8''" in disposition
        assert nosniff == "nosniff"
        assert cache == "private, no-store"
    assert stored["Content-Type"] == "application/pdf"
    assert made["Content-Type"].startswith("application/vnd.openxmlformats")


def test_no_view_serves_a_file_any_other_way():
    """FileResponse (and hand-made Content-Disposition headers) appear only in core/files.py."""
    offenders = []
    for app in APPS:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if path.name == "files.py" and path.parent.name == "core":
                continue
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                if isinstance(node, ast.Name) and node.id == "FileResponse":
                    offenders.append(f"{path}:{node.lineno}")
                if isinstance(node, ast.Constant) and node.value == "Content-Disposition":
                    offenders.append(f"{path}:{node.lineno}")
    assert offenders == []


def test_the_enterprise_evidence_download_carries_them(personas, client_for, working):
    ev = services.upload_evidence(
        assessment=working,
        target="Q2",
        upload=pdf("台账.pdf"),
        content_type="application/pdf",
        by=personas.owner,
    )
    response = client_for(personas.owner).get(f"/enterprise/evidence/{ev.pk}/")
    disposition, nosniff, cache = _headers(response)
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "台账.pdf"
    assert (nosniff, cache) == ("nosniff", "private, no-store")
