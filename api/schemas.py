"""The shapes the API answers with (and documents in its OpenAPI schema). Times are in Beijing time with the
zone (``2026-12-02T11:30:00+08:00``), as everywhere else on the site; codes come with their label in the
caller's language (Accept-Language)."""

from datetime import date, datetime

from django.utils.translation import gettext
from ninja import Schema

from assessments.framework import get_edition
from core.display import local


def _local(value: datetime | None) -> datetime | None:
    """Beijing time, to the second (as core.display.local_iso writes it)."""
    return local(value).replace(microsecond=0) if value else None


class Error(Schema):
    detail: str
    code: str


class GradingError(Error):
    field: str


class Enterprise(Schema):
    name: str
    credit_code: str
    industry: str
    industry_label: str

    @staticmethod
    def resolve_industry_label(obj) -> str:
        return str(obj.get_industry_display())


class Agency(Schema):
    name: str
    credit_code: str


class Application(Schema):
    number: str
    kind: str
    kind_label: str
    state: str
    state_label: str
    state_changed_at: datetime
    submitted_at: datetime | None
    self_level: int
    enterprise: Enterprise
    agency: Agency | None
    review_due: date | None
    site_due: date | None
    proposal_due: date | None
    certificate_number: str | None

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_state_changed_at(obj):
        return _local(obj.state_changed_at)

    @staticmethod
    def resolve_submitted_at(obj):
        return _local(obj.submitted_at)

    @staticmethod
    def resolve_certificate_number(obj) -> str | None:
        grade = getattr(obj, "grade", None)  # the reverse one-to-one raises an AttributeError when absent
        return grade.certificate_number if grade is not None else None


class Version(Schema):
    """One submitted version (第 n 版): when, and the self-assessed result the engine gave it."""

    number: int
    submitted_at: datetime
    edition: str
    score: str
    level: int

    @staticmethod
    def resolve_submitted_at(obj):
        return _local(obj.submitted_at)

    @staticmethod
    def resolve_score(obj) -> str:
        return obj.result["score"]

    @staticmethod
    def resolve_level(obj) -> int:
        return obj.result["level"]


class ApplicationDetail(Application):
    versions: list[Version]

    @staticmethod
    def resolve_versions(obj):
        return obj.versions.only("number", "submitted_at", "edition", "result").order_by("number")


class Grade(Schema):
    """A grade as the public verify page shows it: the holder, level and date frozen as approved, and
    whether it is valid or revoked — plus the SHA-256 of every signed certificate PDF issued for it."""

    certificate_number: str
    holder_name: str
    holder_credit_code: str
    level: int
    level_name: str
    approved_at: datetime
    valid: bool
    status: str
    status_label: str
    revoked_at: datetime | None
    application_number: str
    certificate_sha256: list[str]

    @staticmethod
    def resolve_level_name(obj) -> str:
        return get_edition(obj.edition).level_name(obj.level)

    @staticmethod
    def resolve_approved_at(obj):
        return _local(obj.approved_at)

    @staticmethod
    def resolve_revoked_at(obj):
        return _local(obj.revoked_at)

    @staticmethod
    def resolve_valid(obj) -> bool:
        return obj.is_valid

    @staticmethod
    def resolve_status(obj) -> str:
        return "valid" if obj.is_valid else "superseded" if obj.is_superseded else "revoked"

    @staticmethod
    def resolve_status_label(obj) -> str:
        labels = {"valid": gettext("有效"), "superseded": gettext("已被替换"), "revoked": gettext("已撤销")}
        return labels[Grade.resolve_status(obj)]

    @staticmethod
    def resolve_application_number(obj) -> str:
        return obj.case.number  # a grade superseded after a re-check reaches its case through its successor

    @staticmethod
    def resolve_certificate_sha256(obj) -> list[str]:
        return [f.sha256 for f in obj.certificate_files.all()]


class StateCount(Schema):
    state: str
    label: str
    count: int


class LevelCount(Schema):
    level: int
    name: str
    count: int


class IndustryCount(Schema):
    industry: str
    label: str
    count: int


class Statistics(Schema):
    total: int
    by_state: list[StateCount]
    by_level: list[LevelCount]
    valid_grades: int
    by_industry: list[IndustryCount]
