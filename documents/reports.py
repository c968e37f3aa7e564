"""What each report shows, as plain data, and the SHA-256 of it.

A report is made from its content dict: the same content gives the same hash, so a retried task finds the
report it already made, and a changed case (a new version, a new proposal, a grade) gives a new hash and a new
report while the old one is kept. Labels (item names, level names) come from the framework edition at render
time; the edition code and `TEMPLATE_VERSION` are part of the hash.
"""

import hashlib
import json
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.engine import grade_partial
from core.display import local_date, local_iso
from core.errors import DomainError
from experts.selectors import case_record
from supervision.models import Grade

from .models import ReportKind

TEMPLATE_VERSION = 2  # 2: dates in Beijing time, points as decimals


class ReportUnavailable(DomainError):
    """The case does not (yet) hold what this report shows. The message is in the reader's language."""

    code = "report_unavailable"


def content_sha256(kind: str, content: dict) -> str:
    text = json.dumps(
        {"kind": kind, "template": TEMPLATE_VERSION, "content": content},
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _profile(application, version) -> dict:
    ent = application.enterprise
    profile = {
        "name": ent.name,
        "credit_code": ent.credit_code,
        "industry": ent.get_industry_display() if hasattr(ent, "get_industry_display") else ent.industry,
        "address": ent.address,
        "employees": ent.employees,
        "revenue": str(ent.revenue),
        "contact_name": ent.contact_name,
    }
    if version is not None and isinstance(version.profile, dict):
        # What the enterprise said about itself when it submitted (the frozen profile) wins over today's record.
        for key in profile:
            value = version.profile.get(key)
            if value not in (None, ""):
                profile[key] = str(value) if isinstance(value, Decimal) else value
        choices = dict(ent._meta.get_field("industry").choices or ())
        profile["industry"] = str(choices.get(profile["industry"], profile["industry"]))
    return profile


def self_content(application) -> dict:
    """自评报告: the latest submitted version's engine output, or the working assessment graded now."""
    version = application.latest_version
    if version is not None:
        result, edition, number = version.result, version.edition, version.number
        at = local_iso(version.submitted_at)
    else:
        a = application.assessment
        result = grade_partial(a.edition, a.answers, a.scenarios, a.data).to_json()
        edition, number, at = a.edition, 0, ""
    return {
        "number": str(application.number_label),  # a draft has no number yet: the neutral label
        "kind": application.get_kind_display(),
        "profile": _profile(application, version),
        "edition": edition,
        "version": number,
        "submitted_at": at,
        "result": result,
    }


def current_proposal(application):
    return (
        application.proposals.filter(returned_at__isnull=True)
        .select_related("team__agency")
        .order_by("-submitted_at", "-id")
        .first()
    )


def _field(obj, name, default=""):
    if isinstance(obj, dict):
        return obj.get(name, default)
    value = getattr(obj, name, default)
    return value() if callable(value) and name.startswith("get_") else value


def case_findings_and_interviews(application, record=None) -> tuple[list, list]:
    """Findings and interviews of the site inspections, from the experts' case record (plain data)."""
    record = record if record is not None else case_record(application)
    if not record:
        return [], []
    inspections = _field(record, "inspections", []) or []
    sources = inspections if inspections else [record]
    findings, interviews = [], []
    for source in sources:
        for f in _field(source, "findings", []) or []:
            findings.append(
                {"text": str(_field(f, "text")), "codes": [str(c) for c in (_field(f, "codes", []) or [])]}
            )
        for i in _field(source, "interviews", []) or []:
            role = _field(i, "role_label", "") or _field(i, "get_role_display", "") or _field(i, "role")
            interviews.append(
                {
                    "role": str(role),
                    "interviewee": str(_field(i, "interviewee")),
                    "record": str(_field(i, "record")),
                }
            )
    return findings, interviews


def review_content(application) -> dict:
    """评测报告: the frozen proposal (self vs verified), findings, interviews, the experts, the opinion."""
    proposal = current_proposal(application)
    if proposal is None:
        raise ReportUnavailable(_("评测机构尚未提交评测建议，暂不能生成评测报告。"))
    members = [
        {"name": m.expert.display_name, "role": m.get_role_display()}
        for m in proposal.team.members.filter(removed_at__isnull=True)
        .select_related("expert")
        .order_by("role", "id")
    ]
    findings, interviews = case_findings_and_interviews(application)
    return {
        "number": application.number,
        "profile": _profile(application, application.versions.order_by("-number").first()),
        "agency": proposal.team.agency.name,
        "proposal": proposal.pk,
        "submitted_at": local_iso(proposal.submitted_at),
        "level": proposal.level,
        "score": str(proposal.score),
        "opinion": proposal.opinion,
        "self_result": proposal.self_result,
        "verified_result": proposal.verified_result,
        "comparison": proposal.comparison,
        "members": members,
        "findings": findings,
        "interviews": interviews,
    }


def verification_url(certificate_number: str) -> str:
    """The public verification page of a certificate (the bureau's `verify:number`), absolute."""
    return settings.SITE_URL + reverse("verify:number", args=[certificate_number])


def certificate_content(application) -> dict:
    """等级证书: the published grade as approved (the frozen holder, level, score and edition), its number and the
    public verification address."""
    grade = Grade.objects.filter(application=application).first()
    if grade is None:
        raise ReportUnavailable(_("该申请尚未审定公布等级，暂不能生成证书。"))
    if not grade.is_valid:
        raise ReportUnavailable(_("该等级已被撤销，不能生成证书。"))
    return {
        "number": application.number,
        "certificate_number": grade.certificate_number,
        "enterprise": grade.holder_name,
        "credit_code": grade.holder_credit_code,
        "level": grade.level,
        "score": str(grade.score),
        "approved_at": local_date(grade.approved_at).isoformat(),
        "edition": grade.edition,
        "verify_url": verification_url(grade.certificate_number),
    }


CONTENT = {
    ReportKind.SELF: self_content,
    ReportKind.REVIEW: review_content,
    ReportKind.CERTIFICATE: certificate_content,
}

# The official documents, signed with the bureau's key (PAdES, documents/signing.py).
SIGNED = (ReportKind.REVIEW, ReportKind.CERTIFICATE)

TEMPLATES = {
    ReportKind.SELF: "pdf/self_assessment.html",
    ReportKind.REVIEW: "pdf/review.html",
    ReportKind.CERTIFICATE: "pdf/certificate.html",
}


def content_for(application, kind: str) -> dict:
    return CONTENT[kind](application)
