"""The public certificate check (证书查验): no login; it shows the enterprise, the level, the date and whether
the grade is valid or revoked — nothing more. The enterprise is the holder as approved (`Grade.holder_name`),
never its current, self-edited name. It also lists the SHA-256 of every signed certificate PDF issued for the
grade, so a file shown by the holder can be checked against what the bureau issued. A grade a re-check changed
says it was superseded and by which certificate, and every certificate of the chain lists the history."""

import functools
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO

import segno
from django.db import connections, router
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from ..models import Grade


@dataclass
class PublicGrade:
    """What the verify page shows of a grade, read in one query (`_lookup`): the grade, the number of the
    certificate that replaced it, and its certificate files. Nothing is kept between requests, so a grade
    revoked or superseded a moment ago shows so on the next request."""

    pk: int
    certificate_number: str
    holder_name: str
    level: int
    approved_at: datetime
    revoked_at: datetime | None
    supersedes_id: int | None
    superseded_by_number: str | None
    # (sha256, issued_at) of each signed certificate PDF, newest first.
    files: list[tuple[str, datetime]] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None

    @property
    def is_superseded(self) -> bool:
        return self.revoked_at is not None and self.superseded_by_number is not None

    def history(self) -> list[Grade]:
        """The chain of certificates, newest first; only a grade that replaced or was replaced by another has
        one (read link by link by Grade.history(), its neighbours with it); a single grade costs no query."""
        if self.supersedes_id is None and self.superseded_by_number is None:
            return []
        return Grade.objects.select_related("supersedes", "superseded_by").get(pk=self.pk).history()


def _rows(number: str):
    """The page's one query: one row per certificate file (one row with NULLs when there is none), by LEFT JOINs
    of the grade's certificate files and of the grade that superseded it (a one-to-one: one row at most). The
    files are put in order here, not by the database (a grade has a few; the sort was a fifth of the query)."""
    return (
        Grade.objects.filter(certificate_number=number)
        .order_by()
        .values_list("pk", "certificate_number", "holder_name", "level", "approved_at", "revoked_at",
                     "supersedes_id", "superseded_by__certificate_number", "certificate_files__sha256",
                     "certificate_files__issued_at", "certificate_files__id")
    )  # fmt: skip


@functools.cache
def _compiled(alias: str):
    """`_rows` compiled to SQL once per process and database: building the query costs the ORM several times
    what running it does, and the page is the public one, asked by anyone. The query itself still runs on every
    request (the certificate number its only parameter); the ORM's converters still read the values."""
    compiler = _rows(_PLACEHOLDER).query.get_compiler(alias)
    sql, params = compiler.as_sql()
    if tuple(params) != (_PLACEHOLDER,):  # pragma: no cover - the ORM changed how it writes the query
        raise RuntimeError(f"unexpected parameters of the verify query: {params!r}")
    # The converters of the selected columns (SQLite's datetimes; none on PostgreSQL), as results_iter() finds them.
    converters = compiler.get_converters(
        [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
    )
    return compiler, sql, converters


_PLACEHOLDER = "\x00certificate-number"


def _lookup(number: str):
    number = (number or "").strip().upper()[:30]
    if not number:
        return number, None
    alias = router.db_for_read(Grade)
    compiler, sql, converters = _compiled(alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [number])
        rows = cursor.fetchall()
    if converters:
        rows = compiler.apply_converters(rows, converters)
    grade, files = None, []
    for *columns, successor, sha256, issued_at, file_id in rows:
        if grade is None:
            grade = PublicGrade(*columns, superseded_by_number=successor)
        if sha256 is not None:
            files.append((issued_at, file_id, sha256))
    if grade is not None:
        grade.files = [(sha256, issued_at) for issued_at, _id, sha256 in sorted(files, reverse=True)]
    return number, grade


@functools.cache
def _words(language: str) -> dict:
    """The result's words in one language, translated once per process and language (a process's catalogs do not
    change while it runs): the page is the one anyone asks for, and a {% translate %} tag per label was a sixth of
    its rendering. The certificate history, shown for few grades, keeps its tags."""
    with translation.override(language):
        colon = gettext("：")
        return {
            "number": gettext("证书编号") + colon,
            "holder": gettext("企业名称") + colon,
            "level": gettext("数字化水平等级") + colon,
            "level_of": gettext("%(level)s级"),
            "approved": gettext("认定日期") + colon,
            "files": gettext("电子签名证书文件 SHA-256") + colon,
            "issued": gettext("（") + gettext("签发时间"),
            "close": gettext("）"),
            "open": gettext("（"),
            "colon": colon,
            "valid": gettext("有效"),
            "superseded": gettext("已被替换"),
            "reissued": gettext("经抽验复核换发新证书"),
            "revoked": gettext("已撤销"),
            "not_found": gettext("未查询到该证书编号，请核对后重试。"),
        }


def _page(request, number, grade, status=200):
    # Anyone may open the page. A signed-in user keeps the site's frame with its menus (base.html); everyone else
    # gets the lean public frame (base_public.html: the same stylesheet and navigation bar, none of the per-user
    # parts), since this is the page anyone, and every QR code, asks for.
    base = "base.html" if request.user.is_authenticated else "base_public.html"
    words = _words(translation.get_language())
    level = words["level_of"] % {"level": grade.level} if grade is not None else None
    context = {"base_template": base, "number": number, "grade": grade, "words": words, "level": level}
    return render(request, "supervision/verify.html", context, status=status)


@require_GET
def verify(request):
    number, grade = _lookup(request.GET.get("number"))
    return _page(request, number, grade)


@require_GET
def verify_number(request, number):
    """The address a certificate's QR code encodes."""
    number, grade = _lookup(number)
    return _page(request, number, grade, status=200 if grade else 404)


@require_GET
def verify_qr(request, number):
    number, grade = _lookup(number)
    if grade is None:
        raise Http404
    url = request.build_absolute_uri(reverse("verify:number", args=[grade.certificate_number]))
    out = BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=4, border=2)
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")
