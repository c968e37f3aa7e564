"""Sample evidence files for the experts' demo data and tests: a tiny PNG and PDF, and `attach_evidence` (files
frozen into the latest version of an application)."""

import hashlib

from django.core.files.base import ContentFile

from assessments.models import Evidence

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00"
    b"\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


DEFAULT_FILES = (("Q2", "设备台账.png", PNG, "image/png"), ("S01.1", "设计软件.pdf", PDF, "application/pdf"))


def attach_evidence(app, *, by, files=DEFAULT_FILES):
    """Evidence files of the application's assessment, recorded in its latest version as submitted."""
    version = app.latest_version
    listed = list(version.evidence)
    for target, name, content, ctype in files:
        ev = Evidence(
            assessment=app.assessment,
            target=target,
            original_name=name,
            content_type=ctype,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=by,
        )
        ev.file.save(name, ContentFile(content), save=False)
        ev.save()
        listed.append({"id": ev.pk, "target": target, "name": name, "sha256": ev.sha256, "size": ev.size})
    version.evidence = listed
    version.save(update_fields=["evidence"])
    return version
