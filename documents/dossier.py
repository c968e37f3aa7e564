"""The case dossier (案卷) for the bureau: one zip with the application, its evidence (checked against the
SHA-256 recorded at upload), the reports, findings, decisions and the audit trail of the case."""

import csv
import hashlib
import io
import json
import zipfile
from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.engine import format_points
from assessments.models import Evidence
from core.actions import param_text
from core.display import local_iso, local_text
from core.errors import DomainError
from core.inputs import csv_value
from experts.models import InspectionPhoto
from experts.selectors import case_record

from .models import Report, ReportKind
from .reports import case_findings_and_interviews, content_sha256
from .storage import store_report


class DossierError(DomainError):
    """The dossier cannot be built honestly (an evidence file is missing or does not match its hash)."""

    code = "dossier_unverifiable"


def _shown(value):
    """A value as the dossier shows it: times in Beijing time with the zone, scores as decimals (65.63)."""
    if isinstance(value, datetime):
        return local_iso(value)
    if isinstance(value, Decimal):
        return format_points(value)
    return str(value)


def _json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=_shown).encode()


def _csv(header, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([csv_value(value) for value in row] for row in rows)  # formulas as text
    return ("\ufeff" + out.getvalue()).encode()  # BOM: Excel opens UTF-8 CSV as Chinese text


def _sha256_of(field) -> str:
    digest = hashlib.sha256()
    with field.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _versions(application) -> list[dict]:
    return [
        {
            "number": v.number,
            "edition": v.edition,
            "answers": v.answers,
            "scenarios": v.scenarios,
            "data": v.data,
            "result": v.result,
            "evidence": v.evidence,
            "profile": v.profile,
            "pledge_at": v.pledge_at,
            "submitted_at": v.submitted_at,
            "submitted_by": v.submitted_by_id,
        }
        for v in application.versions.order_by("number")
    ]


def _decisions(application) -> list[list]:
    rows = []
    for event in (
        application.audit_events.filter(action__startswith="application.")
        .select_related("actor")
        .order_by("at", "id")
    ):
        rows.append(
            [
                local_iso(event.at),
                event.action_label,
                event.actor_name,
                event.text,
                (event.detail or {}).get("reason", ""),
            ]
        )
    for p in application.proposals.order_by("submitted_at", "id"):
        rows.append(
            [
                local_iso(p.submitted_at),
                _("提交评测建议"),
                "",
                _("建议等级 %(level)s，核定得分 %(score)s")
                % {"level": p.level, "score": format_points(p.score)},
                p.opinion,
            ]
        )
        if p.returned_at:
            rows.append(
                [local_iso(p.returned_at), _("退回评测建议"), "", _("评测建议被退回"), p.returned_reason]
            )
    grade = getattr(application, "grade", None) if hasattr(application, "grade") else None
    if grade is not None:
        rows.append(
            [
                local_iso(grade.approved_at),
                _("审定并公布"),
                grade.approved_by.display_name,
                _("认定等级 %(level)s，证书编号 %(number)s")
                % {"level": grade.level, "number": grade.certificate_number},
                "",
            ]
        )
        if grade.revoked_at:
            rows.append(
                [
                    local_iso(grade.revoked_at),
                    _("撤销认定结果"),
                    "",
                    grade.revoked_basis,
                    grade.revoked_reason,
                ]
            )
    rows.sort(key=lambda r: r[0])
    return rows


def _audit(application) -> list[dict]:
    return [
        {
            "at": local_iso(e.at),
            "actor": e.actor_name,
            "actor_snapshot": e.actor_snapshot,
            "action": e.action,
            "action_label": e.action_label,
            "object": f"{e.object_type}:{e.object_id}",
            "object_label": e.object_label,
            "summary": e.text,
            "detail": e.detail,
            "client_address": e.client_address,
        }
        for e in application.audit_events.select_related("actor").order_by("at", "id")
    ]


def _photos(application) -> list[tuple]:
    """The site-inspection photos themselves (not only their record), each with its manifest entry."""
    out = []
    for p in InspectionPhoto.objects.filter(inspection__team__application=application).order_by("at", "id"):
        ext = p.original_name.rsplit(".", 1)[-1][:5] if "." in p.original_name else "jpg"
        entry = {
            "id": p.pk,
            "caption": p.caption,
            "name": p.original_name,
            "sha256": p.sha256,
            "size": p.size,
            "at": local_iso(p.at),
            "path": f"review/photos/{p.pk}.{ext}",
        }
        out.append((p, entry))
    return out


def _summary(application, versions, evidence, reports, findings, decisions) -> str:
    ent = application.enterprise
    lines = [
        _("案卷摘要"),
        "",
        f"{_('申请编号')}：{application.number}",
        f"{_('企业名称')}：{ent.name}",
        f"{_('统一社会信用代码')}：{ent.credit_code}",
        f"{_('申请类型')}：{application.get_kind_display()}",
        f"{_('当前状态')}：{application.get_state_display()}",
        f"{_('自评等级')}：{application.self_level}",
        f"{_('评测机构')}：{application.agency.name if application.agency else '-'}",
        f"{_('提交版本数')}：{len(versions)}",
        f"{_('佐证材料')}：{len(evidence)}",
        f"{_('报告')}：{len(reports)}",
        f"{_('查验发现')}：{len(findings)}",
        "",
        _("审核与决定（北京时间）") + "：",
    ]
    lines += [f"  {row[0][:16].replace('T', ' ')}  {row[3]}  {row[4]}".rstrip() for row in decisions]
    lines += ["", f"{_('生成时间')}：{local_text(timezone.now())} (UTC+8)", ""]
    return "\n".join(lines)


def build(application, *, by=None, progress=lambda p, m: None) -> Report:

    versions = _versions(application)
    evidence = list(Evidence.objects.filter(assessment=application.assessment).order_by("pk"))
    reports = list(application.reports.exclude(kind=ReportKind.DOSSIER).order_by("created_at", "id"))
    record = case_record(application)
    findings, interviews = case_findings_and_interviews(application, record)
    decisions = _decisions(application)
    audit = _audit(application)
    progress(10, _("正在校验佐证材料"))

    manifest = []
    for n, ev in enumerate(evidence, start=1):
        try:
            actual = _sha256_of(ev.file)
        except (FileNotFoundError, OSError) as exc:
            raise DossierError(_("佐证材料“%(name)s”文件缺失。") % {"name": ev.original_name}) from exc
        if actual != ev.sha256:
            raise DossierError(_("佐证材料“%(name)s”与上传时的校验值不一致。") % {"name": ev.original_name})
        manifest.append(
            {
                "id": ev.pk,
                "target": ev.target,
                "name": ev.original_name,
                "sha256": ev.sha256,
                "size": ev.size,
                "removed": bool(ev.removed_at),
                "path": f"evidence/{ev.pk}-{ev.original_name}",
            }
        )
        progress(10 + 50 * n // max(1, len(evidence)), _("正在校验佐证材料"))

    photos = _photos(application)
    for photo, _entry in photos:  # the photos are evidence of the site visit: checked like the files
        try:
            actual = _sha256_of(photo.file)
        except (FileNotFoundError, OSError) as exc:
            raise DossierError(_("现场照片“%(name)s”文件缺失。") % {"name": photo.original_name}) from exc
        if actual != photo.sha256:
            raise DossierError(
                _("现场照片“%(name)s”与上传时的校验值不一致。") % {"name": photo.original_name}
            )

    content = {
        "number": application.number,
        "state": application.state,
        "versions": versions,
        "evidence": manifest,
        "photos": [[p["sha256"], p["path"]] for _p, p in photos],
        "reports": [[r.kind, r.content_sha256, r.file_sha256] for r in reports],
        "findings": findings,
        "interviews": interviews,
        "decisions": decisions,
        # The documents app's own events (a report generated or downloaded) are in the zip but not in the hash,
        # so building the dossier (or a retry of it) does not by itself make the next dossier "changed".
        "audit": [a for a in audit if not a["action"].startswith("report.")],
    }
    digest = content_sha256(ReportKind.DOSSIER, content)
    existing = application.reports.filter(kind=ReportKind.DOSSIER, content_sha256=digest).first()
    if existing is not None:
        return existing

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("summary.txt", _summary(application, versions, manifest, reports, findings, decisions))
        z.writestr("application/versions.json", _json(versions))
        z.writestr(
            "application/application.json",
            _json(
                {
                    "number": application.number,
                    "enterprise": application.enterprise.name,
                    "credit_code": application.enterprise.credit_code,
                    "kind": application.kind,
                    "state": application.state,
                    "self_level": application.self_level,
                    "submitted_at": application.submitted_at,
                    "agency": application.agency.name if application.agency else None,
                }
            ),
        )
        for ev, entry in zip(evidence, manifest, strict=True):
            with ev.file.open("rb") as fh:
                z.writestr(entry["path"], fh.read())
        z.writestr(
            "evidence/manifest.csv",
            _csv(
                [
                    _("编号"),
                    _("佐证对象"),
                    _("文件名"),
                    "SHA-256",
                    _("大小（字节）"),
                    _("已移除"),
                    _("档案内路径"),
                ],
                [
                    [
                        m["id"],
                        param_text("field", m["target"]),  # "5. 信息系统", never the item's code
                        m["name"],
                        m["sha256"],
                        m["size"],
                        _("是") if m["removed"] else _("否"),
                        m["path"],
                    ]
                    for m in manifest
                ],
            ),
        )
        for photo, entry in photos:
            with photo.file.open("rb") as fh:
                z.writestr(entry["path"], fh.read())
        z.writestr(
            "review/photos/manifest.csv",
            _csv(
                [
                    _("编号"),
                    _("说明"),
                    _("文件名"),
                    "SHA-256",
                    _("大小（字节）"),
                    _("拍摄时间"),
                    _("档案内路径"),
                ],
                [
                    [m[k] for k in ("id", "caption", "name", "sha256", "size", "at", "path")]
                    for _p, m in photos
                ],
            ),
        )
        progress(70, _("正在打包报告"))
        for r in reports:
            with r.file.open("rb") as fh:
                z.writestr(f"reports/{r.download_name}", fh.read())
        z.writestr(
            "reports/manifest.csv",
            _csv(
                [_("文件"), _("类型"), _("生成时间"), "SHA-256"],
                [
                    [r.download_name, r.get_kind_display(), local_iso(r.created_at), r.file_sha256]
                    for r in reports
                ],
            ),
        )
        z.writestr("review/findings.json", _json({"findings": findings, "interviews": interviews}))
        if record:
            # The experts' whole record: team, verdicts on evidence, verifications, supplements, inspections.
            z.writestr(
                "review/case_record.json", _json({k: v for k, v in dict(record).items() if k != "proposal"})
            )
        z.writestr(
            "review/proposals.json",
            _json(
                [
                    {
                        "level": p.level,
                        "score": p.score,
                        "opinion": p.opinion,
                        "comparison": p.comparison,
                        "submitted_at": p.submitted_at,
                        "returned_at": p.returned_at,
                        "returned_reason": p.returned_reason,
                    }
                    for p in application.proposals.order_by("submitted_at", "id")
                ]
            ),
        )
        z.writestr(
            "decisions.csv", _csv([_("时间"), _("事项"), _("操作人"), _("摘要"), _("理由")], decisions)
        )
        z.writestr("audit/audit.json", _json(audit))
        z.writestr(
            "audit/audit.csv",
            _csv(
                [_("时间"), _("操作人"), _("操作"), _("对象"), _("摘要"), _("来源地址")],
                [
                    [
                        a["at"],
                        a["actor"],
                        a["action_label"],
                        a["object_label"],
                        a["summary"],
                        a["client_address"],
                    ]
                    for a in audit
                ],
            ),
        )
    progress(90, _("正在保存"))
    return store_report(
        application=application,
        kind=ReportKind.DOSSIER,
        digest=digest,
        data=buffer.getvalue(),
        pages=0,
        title=f"{application.enterprise.name} {_('案卷')}",
        by=by,
    )
