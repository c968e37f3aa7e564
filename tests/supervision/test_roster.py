"""The pilot roster: the .xlsx import with its row-by-row report, manual add and remove, service providers."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.credit_code import make_credit_code
from accounts.models import RosterEntry
from core.models import AuditEvent
from supervision import services
from supervision.models import RosterImport
from supervision.roster import COLUMNS

pytestmark = pytest.mark.django_db

GOOD1 = make_credit_code("91110113MA01AA001")
GOOD2 = make_credit_code("91110113MA01AA002")
ON_ROSTER = make_credit_code("91110113MA01AA003")
PROVIDER = make_credit_code("91110105MA02PR001")
BAD = GOOD1[:17] + ("0" if GOOD1[17] != "0" else "1")


def xlsx(rows, header=COLUMNS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, content, name="名单.xlsx"):
    return client.post(reverse("supervision:roster_import"), {"file": SimpleUploadedFile(name, content)})


def test_import_reports_each_rejected_row_and_imports_the_rest(personas, client_for):
    RosterEntry.objects.create(credit_code=ON_ROSTER, name="已在名单企业")
    content = xlsx(
        [
            [GOOD1, "北京好企业一有限公司", "北京服务商有限公司", PROVIDER],
            [BAD, "校验位错误企业", "", ""],
            [GOOD1.lower(), "重复企业", "", ""],
            [ON_ROSTER, "已在名单企业", "", ""],
            [GOOD2, "", "", ""],
            [None, None, None, None],
            ["", "缺代码企业", "", ""],
            [GOOD2, "北京好企业二有限公司", "", ""],
        ]
    )
    response = upload(client_for(personas.bureau), content)
    assert response.status_code == 302
    result = RosterImport.objects.get()
    assert response["Location"] == reverse("supervision:roster_import_report", args=[result.pk])
    rows = {r["row"]: r for r in result.report}
    assert rows[2]["status"] == "imported"
    assert "校验位错误" in rows[3]["reasons"][0]
    assert rows[4]["reasons"] == ["与本文件第2行重复。"]
    assert rows[5]["reasons"] == ["该企业已在试点名单中。"]
    assert rows[6]["reasons"] == ["缺少企业名称。"]
    assert 7 not in rows  # the empty row is skipped
    assert rows[8]["reasons"] == ["缺少统一社会信用代码。"]
    assert rows[9]["status"] == "imported"  # row 6 had no name, so this is the first good GOOD2
    assert (result.imported, result.rejected) == (2, 5)
    entry = RosterEntry.objects.get(credit_code=GOOD1)
    assert (
        entry.service_provider_name == "北京服务商有限公司" and entry.service_provider_credit_code == PROVIDER
    )
    assert RosterEntry.objects.filter(credit_code=GOOD2, name="北京好企业二有限公司").exists()
    assert AuditEvent.objects.filter(action="roster.import").count() == 1

    page = client_for(personas.bureau).get(response["Location"])
    body = page.content.decode()
    assert "导入2行，拒绝5行" in body and "与本文件第2行重复" in body
    download = client_for(personas.bureau).get(
        reverse("supervision:roster_import_download", args=[result.pk])
    )
    ws = load_workbook(BytesIO(download.content)).active
    values = list(ws.iter_rows(values_only=True))
    assert values[0][0] == "行号" and len(values) == 8
    assert values[2][5] == "已拒绝" and "校验位错误" in values[2][6]


def test_a_bad_service_provider_code_rejects_the_row(personas):
    result = services.import_roster(
        content=xlsx([[GOOD1, "企业", "服务商", "123"]]), file_name="a.xlsx", by=personas.bureau
    )
    assert result.imported == 0
    assert result.report[0]["reasons"][0].startswith("服务商统一社会信用代码应为18位")


def test_a_file_that_is_not_a_roster_is_refused_whole(personas, client_for):
    c = client_for(personas.bureau)
    response = upload(c, b"not a spreadsheet")
    assert response.status_code == 400 and "无法读取该文件" in response.content.decode()
    response = upload(c, xlsx([[GOOD1, "x"]], header=["代码", "名称"]))
    assert "表头应包含" in response.content.decode()
    response = upload(c, xlsx([]), name="roster.csv")
    assert "请上传 .xlsx 格式的文件" in response.content.decode()
    assert not RosterImport.objects.exists() and not RosterEntry.objects.exists()


def test_template_downloads_and_imports_with_its_header(personas, client_for):
    response = client_for(personas.bureau).get(reverse("supervision:roster_template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(BytesIO(response.content)).active
    assert [c.value for c in ws[1]] == COLUMNS


def test_manual_add_validates_the_code(personas, client_for):
    c = client_for(personas.bureau)
    response = c.post(reverse("supervision:roster"), {"credit_code": BAD, "name": "企业"})
    assert response.status_code == 400 and "校验位错误" in response.content.decode()
    response = c.post(
        reverse("supervision:roster"),
        {
            "credit_code": GOOD1,
            "name": "北京手工添加有限公司",
            "service_provider_name": "服务商甲",
            "service_provider_credit_code": PROVIDER,
        },
    )
    assert response.status_code == 302
    response = c.post(reverse("supervision:roster"), {"credit_code": GOOD1, "name": "again"})
    assert "已在试点名单中" in response.content.decode()
    assert RosterEntry.objects.get().service_provider_credit_code == PROVIDER


def test_remove_keeps_the_entry_with_the_reason_and_provider_can_change(personas, client_for):
    entry = RosterEntry.objects.create(credit_code=GOOD1, name="北京移出企业有限公司")
    c = client_for(personas.bureau)
    url = reverse("supervision:roster_entry", args=[entry.pk])
    response = c.post(
        url,
        {"action": "provider", "service_provider_name": "服务商乙", "service_provider_credit_code": "bad"},
    )
    assert response.status_code == 400
    assert (
        c.post(
            url,
            {
                "action": "provider",
                "service_provider_name": "服务商乙",
                "service_provider_credit_code": PROVIDER,
            },
        ).status_code
        == 302
    )
    assert c.post(url, {"action": "remove", "reason": ""}).status_code == 400
    assert c.post(url, {"action": "remove", "reason": "企业迁出顺义区"}).status_code == 302
    entry.refresh_from_db()
    assert not entry.active and entry.cancelled_reason == "企业迁出顺义区" and entry.cancelled_at
    assert entry.service_provider_name == "服务商乙"
    page = c.get(url).content.decode()
    assert "企业迁出顺义区" in page and "更新数字化转型服务商" in page
    assert c.get(reverse("supervision:roster") + "?status=cancelled").context["page"].object_list[0] == entry


def test_service_provider_of_an_enterprise(personas):
    from supervision.selectors import service_provider_of

    assert service_provider_of(personas.enterprise) is None
    RosterEntry.objects.create(
        credit_code=personas.enterprise.credit_code,
        name="x",
        service_provider_name="服务商丙",
        service_provider_credit_code=PROVIDER,
    )
    assert service_provider_of(personas.enterprise) == ("服务商丙", PROVIDER)


def test_the_template_uploaded_unchanged_skips_its_example_row_without_an_error(personas, client_for):
    """Download the template, upload it as it is: its example row is recognised and skipped as the example —
    not imported (there is no such enterprise), and not rejected as a bad code either."""
    c = client_for(personas.bureau)
    template = c.get(reverse("supervision:roster_template")).content
    response = upload(c, template, name="试点企业名单模板.xlsx")
    assert response.status_code == 302
    result = RosterImport.objects.get()
    assert (result.imported, result.rejected) == (0, 0)
    assert [r["status"] for r in result.report] == ["skipped"]
    assert not RosterEntry.objects.exists()
    page = c.get(response["Location"]).content.decode()
    assert "模板示例行，未导入" in page and "已拒绝" not in page and "table-danger" not in page
    assert "跳过示例行1行" in page
    report = load_workbook(
        BytesIO(c.get(reverse("supervision:roster_import_download", args=[result.pk])).content)
    )
    assert [row[5] for row in report.active.iter_rows(min_row=2, values_only=True)] == ["已跳过"]


def test_the_example_row_is_skipped_beside_real_rows_and_its_code_passes_validation(personas, client_for):
    from accounts.credit_code import validate_credit_code
    from supervision.roster import EXAMPLE

    validate_credit_code(EXAMPLE[0])  # the example shows a code of the right form, not "91110113MA01XXXXXX"
    c = client_for(personas.bureau)
    upload(c, xlsx([EXAMPLE, [GOOD1, "北京顺义真实企业有限公司", "", ""], [BAD, "坏代码企业", "", ""]]))
    result = RosterImport.objects.get()
    assert [r["status"] for r in result.report] == ["skipped", "imported", "rejected"]
    assert (result.imported, result.rejected) == (1, 1)
    assert list(RosterEntry.objects.values_list("credit_code", flat=True)) == [GOOD1]
