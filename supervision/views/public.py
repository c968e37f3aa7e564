"""The public certificate check (证书查验): no login; it shows the enterprise, the level, the date and whether
the grade is valid or revoked — nothing more. The enterprise is the holder as approved (`Grade.holder_name`),
never its current, self-edited name. It also lists the SHA-256 of every signed certificate PDF issued for the
grade, so a file shown by the holder can be checked against what the bureau issued. A grade a re-check changed
says it was superseded and by which certificate, and every certificate of the chain lists the history."""

from io import BytesIO

import segno
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from ..models import Grade


def _lookup(number: str):
    number = (number or "").strip().upper()[:30]
    if not number:
        return number, None
    grade = (
        Grade.objects.filter(certificate_number=number)
        .only("certificate_number", "holder_name", "level", "approved_at", "revoked_at", "supersedes")
        .prefetch_related("certificate_files")
        .first()
    )
    return number, grade


@require_GET
def verify(request):
    number, grade = _lookup(request.GET.get("number"))
    return render(request, "supervision/verify.html", {"number": number, "grade": grade})


@require_GET
def verify_number(request, number):
    """The address a certificate's QR code encodes."""
    number, grade = _lookup(number)
    return render(
        request, "supervision/verify.html", {"number": number, "grade": grade}, status=200 if grade else 404
    )


@require_GET
def verify_qr(request, number):
    number, grade = _lookup(number)
    if grade is None:
        raise Http404
    url = request.build_absolute_uri(reverse("verify:number", args=[grade.certificate_number]))
    out = BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=4, border=2)
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")
