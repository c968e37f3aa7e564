"""The pilot roster (试点企业名单) file format: the columns of the .xlsx the bureau uploads, and its reading."""

from io import BytesIO
from zipfile import BadZipFile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from accounts.credit_code import make_credit_code, normalise, validate_credit_code
from core.errors import DomainError

COLUMNS = ["统一社会信用代码", "企业名称", "数字化转型服务商", "服务商统一社会信用代码"]
FIELDS = ["credit_code", "name", "service_provider_name", "service_provider_credit_code"]


#: The template's example row. Its code has the right form (the check character passes) but is reserved for
#: the example: a row with it is skipped as the example, never imported, so the template uploads unchanged.
EXAMPLE = [make_credit_code("91110113MA01EXAMP"), "北京顺义示例科技有限公司", "北京示例数字科技有限公司", ""]


class RosterFileError(DomainError):
    """The uploaded roster file cannot be read as a roster."""

    code = "roster_file_unreadable"


def template_workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "试点企业名单"
    ws.append(COLUMNS)
    ws.append(EXAMPLE)
    for col, width in zip("ABCD", (24, 36, 36, 26), strict=True):
        ws.column_dimensions[col].width = width
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(content: bytes) -> list[tuple[int, dict]]:
    """[(spreadsheet row number, {field: text})] for the non-empty rows under the header."""
    try:
        wb = load_workbook(BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as exc:
        raise RosterFileError(_("无法读取该文件，请上传 .xlsx 格式的名单（可下载模板）。")) from exc
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [_cell(v) for v in next(rows, ())]
    try:
        positions = [header.index(col) for col in COLUMNS[:2]]
    except ValueError as exc:
        raise RosterFileError(_("表头应包含“统一社会信用代码”和“企业名称”两列（可下载模板）。")) from exc
    optional = [header.index(col) if col in header else None for col in COLUMNS[2:]]
    result = []
    for number, row in enumerate(rows, start=2):
        row = list(row or ())
        if not any(_cell(v) for v in row):
            continue
        values = {}
        for field, pos in zip(FIELDS, positions + optional, strict=True):
            values[field] = _cell(row[pos]) if pos is not None and pos < len(row) else ""
        result.append((number, values))
    wb.close()
    return result


def is_example(values: dict) -> bool:
    """The template's example row (by its reserved code), left in the file or copied with other rows."""
    return normalise(values["credit_code"]) == EXAMPLE[0]


def check_row(values: dict, seen: dict[str, int], existing: dict[str, bool]) -> list[str]:
    """The reasons this row cannot be imported (empty when it can). `seen` maps codes to earlier row numbers."""
    reasons = []
    code = normalise(values["credit_code"])
    values["credit_code"] = code
    if not code:
        reasons.append(_("缺少统一社会信用代码。"))
    else:
        try:
            validate_credit_code(code)
        except ValidationError as exc:
            reasons.append(exc.messages[0])
    if not values["name"]:
        reasons.append(_("缺少企业名称。"))
    provider_code = normalise(values["service_provider_credit_code"])
    values["service_provider_credit_code"] = provider_code
    if provider_code:
        try:
            validate_credit_code(provider_code)
        except ValidationError as exc:
            reasons.append(_("服务商") + exc.messages[0])
    if code and code in seen:
        reasons.append(_("与本文件第%(row)d行重复。") % {"row": seen[code]})
    elif code in existing:
        reasons.append(
            _("该企业已在试点名单中。") if existing[code] else _("该企业已在名单中（资格已取消）。")
        )
    return reasons
