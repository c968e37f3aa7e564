"""The JSON API (数据接口) for the bureau's and the city's systems: `/api/…`, its OpenAPI schema at
`/api/openapi.json` and a self-hosted docs page at `/api/docs` (Swagger UI from django-ninja's packaged static
files: no CDN, under the site's Content Security Policy).

Every operation needs a token (api.auth) and counts against its rate limit. Errors are JSON
``{"detail": <message in the caller's language>, "code": <stable code>}``; a grading error also names the
offending ``field`` exactly as `manage.py grade` does."""

from datetime import date

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError, Throttled, ValidationError
from ninja.openapi.docs import DocsBase
from ninja.pagination import CursorPagination, paginate
from ninja.renderers import JSONRenderer

from assessments.engine import GradingInputError, grade_json, loads
from assessments.framework import FrameworkError
from core.replica import replica_reads

from . import schemas, selectors
from .auth import TokenAuth, TokenRateThrottle

PAGE_SIZE, MAX_PAGE_SIZE = 50, 200


class Renderer(JSONRenderer):
    """UTF-8 JSON (Chinese as itself, not \\u escapes)."""

    json_dumps_params = {"ensure_ascii": False}


class Docs(DocsBase):
    """Swagger UI served from this site's static files (django-ninja's pinned copy), set up by
    static/js/api-docs.js: no inline script, nothing from another host."""

    def render_page(self, request, api, **kwargs):
        config = {
            "url": self.get_openapi_url(api, kwargs),
            "layout": "BaseLayout",
            "deepLinking": True,
            "validatorUrl": None,  # Swagger UI would otherwise send the schema to an outside validator
        }
        return render(request, "api/docs.html", {"config": config})


class Api(NinjaAPI):
    def create_response(self, request, data, *args, **kwargs):
        response = super().create_response(request, data, *args, **kwargs)
        response["Cache-Control"] = "no-store"  # case data: never kept by a shared cache
        return response


api = Api(
    title=gettext_lazy("顺义区中小企业数字化水平评测平台 数据接口"),
    version="1.0",
    description=gettext_lazy(
        "供区经信局和市级系统使用的只读数据接口与评分接口。每个请求须带访问令牌：Authorization: Bearer …"
    ),
    urls_namespace="api",
    auth=TokenAuth(),
    throttle=[TokenRateThrottle()],
    renderer=Renderer(),
    docs=Docs(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def error(request, status: int, code: str, detail: str, **extra):
    return api.create_response(request, {"detail": detail, "code": code, **extra}, status=status)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    if isinstance(exc, Throttled):
        return error(request, 429, "rate_limited", _("请求过于频繁，请稍后再试。"))
    code = getattr(exc, "code", "forbidden" if exc.status_code == 403 else "error")
    return error(request, exc.status_code, code, str(exc))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error(request, 404, "not_found", _("未找到，或无权查看。"))


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    return error(request, 422, "invalid_parameters", _("请求参数有误。"), errors=exc.errors)


# ---- grading: RULES.md §6, the same function as `manage.py grade` -------------------------------------------


class AssessmentInput(Schema):
    """For the schema only: the body is read exactly by the engine (decimals stay exact, duplicate keys are
    refused), never by a second parser."""

    framework: str | None = None
    answers: dict[str, int | list[int]]
    scenarios: dict[str, int | list[bool]]
    data: dict | None = None


_ONE = AssessmentInput.model_json_schema()
GRADE_DOC = {
    "requestBody": {
        "required": True,
        "description": gettext_lazy("RULES.md 第6节：一个评测对象，或评测对象数组（按顺序评分）。"),
        "content": {"application/json": {"schema": {"oneOf": [_ONE, {"type": "array", "items": _ONE}]}}},
    }
}


@api.post(
    "/grade",
    response={200: dict | list, 400: schemas.GradingError, 413: schemas.Error},
    openapi_extra=GRADE_DOC,
    summary=gettext_lazy("评分（与 manage.py grade 相同）"),
)
def grade(request):
    try:
        body = request.body
    except RequestDataTooBig:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return Status(
            413, {"detail": _("请求体过大（上限 %(limit)d 字节）。") % {"limit": limit}, "code": "too_large"}
        )
    try:
        result = grade_json(loads(body))
    except (GradingInputError, FrameworkError) as exc:
        return Status(400, {"detail": exc.message, "code": exc.code, "field": exc.where})
    return result


# ---- applications -------------------------------------------------------------------------------------------


class ApplicationFilter(Schema):
    state: str | None = None


@api.get(
    "/applications",
    response=list[schemas.Application],
    summary=gettext_lazy("评测申请列表"),
)
@paginate(CursorPagination, ordering=("-id",), page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def applications(request, filters: Query[ApplicationFilter]):
    qs = selectors.applications_for(request.auth)
    return qs.filter(state=filters.state) if filters.state else qs


@api.get(
    "/applications/{number}",
    response={200: schemas.ApplicationDetail, 404: schemas.Error},
    summary=gettext_lazy("评测申请详情"),
)
def application(request, number: str):
    found = selectors.application_for(request.auth, number)
    if found is None:
        raise Http404
    return found


# ---- grades ----------------------------------------------------------------------------------------------


@api.get("/grades", response=list[schemas.Grade], summary=gettext_lazy("认定结果列表"))
@paginate(CursorPagination, ordering=("-id",), page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def grades(request):
    return selectors.grades_for(request.auth)


@api.get(
    "/grades/{certificate_number}",
    response={200: schemas.Grade, 404: schemas.Error},
    summary=gettext_lazy("认定结果（证书查验）"),
)
def grade_detail(request, certificate_number: str):
    found = selectors.grade_for(request.auth, certificate_number)
    if found is None:
        raise Http404
    return found


# ---- statistics -----------------------------------------------------------------------------------------


class StatisticsFilter(Schema):
    start: date | None = None
    end: date | None = None
    industry: str = ""
    agency: int | None = None


@api.get(
    "/statistics",
    response={200: schemas.Statistics, 403: schemas.Error},
    summary=gettext_lazy("统计（与监督管理首页相同）"),
)
def statistics(request, filters: Query[StatisticsFilter]):
    if not selectors.may_read_statistics(request.auth):
        return Status(403, {"detail": _("统计数据仅对区经信局令牌开放。"), "code": "forbidden"})
    with replica_reads():  # the dashboard's figures: a read replica's few seconds of lag are fine here
        return selectors.statistics(
            start=filters.start, end=filters.end, industry=filters.industry, agency_id=filters.agency
        )
