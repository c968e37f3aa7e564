"""SME size class (中小企业划型) under 《中小企业划型标准规定》(工信部联企业〔2011〕300号) 第四条.

Pure: industry code + 从业人员 (persons) + 营业收入 and 资产总额 (万元) in, a size class out. No ORM.

Reading of the document: "X及以上" includes X, "X以下" excludes X. An enterprise is an SME (中小微型企业) when
it is under *either* upper bound ("从业人员1000人以下或营业收入40000万元以下"); within the SMEs it is 中型 when it
meets *both* medium floors ("从业人员300人及以上，且营业收入2000万元及以上"), else 小型 when it meets both small
floors, else 微型 ("从业人员20人以下或营业收入300万元以下").
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Industry(models.TextChoices):
    """The sixteen industries of 300号 第四条, in the document's order."""

    AGRICULTURE = "agriculture", _("农、林、牧、渔业")
    INDUSTRIAL = "industrial", _("工业")
    CONSTRUCTION = "construction", _("建筑业")
    WHOLESALE = "wholesale", _("批发业")
    RETAIL = "retail", _("零售业")
    TRANSPORT = "transport", _("交通运输业")
    WAREHOUSING = "warehousing", _("仓储业")
    POSTAL = "postal", _("邮政业")
    ACCOMMODATION = "accommodation", _("住宿业")
    CATERING = "catering", _("餐饮业")
    INFORMATION_TRANSMISSION = "information_transmission", _("信息传输业")
    SOFTWARE_IT = "software_it", _("软件和信息技术服务业")
    REAL_ESTATE = "real_estate", _("房地产开发经营")
    PROPERTY_MANAGEMENT = "property_management", _("物业管理")
    LEASING_BUSINESS = "leasing_business", _("租赁和商务服务业")
    OTHER = "other", _("其他未列明行业")


class SizeClass(models.TextChoices):
    MEDIUM = "medium", _("中型企业")
    SMALL = "small", _("小型企业")
    MICRO = "micro", _("微型企业")
    NOT_SME = "not_sme", _("非中小企业")


# The three measures a threshold can use.
EMPLOYEES = "employees"
REVENUE = "revenue"
ASSETS = "assets"


@dataclass(frozen=True)
class Thresholds:
    """One industry's paragraph of 第四条. Each bound is a tuple of (measure, value) pairs.

    upper: SME when the enterprise is below ANY of these ("…以下或…以下").
    medium / small: 中型 / 小型 when the enterprise is at or above ALL of these ("…及以上，且…及以上").
    """

    upper: tuple[tuple[str, int], ...]
    medium: tuple[tuple[str, int], ...]
    small: tuple[tuple[str, int], ...]

    @property
    def measures(self) -> frozenset[str]:
        return frozenset(measure for bound in (self.upper, self.medium, self.small) for measure, _v in bound)


THRESHOLDS: dict[str, Thresholds] = {
    # （一）营业收入20000万元以下; 中型 500万元及以上; 小型 50万元及以上.
    Industry.AGRICULTURE: Thresholds(((REVENUE, 20000),), ((REVENUE, 500),), ((REVENUE, 50),)),
    # （二）从业人员1000人以下或营业收入40000万元以下; 中型 300人且2000万元; 小型 20人且300万元.
    Industry.INDUSTRIAL: Thresholds(
        ((EMPLOYEES, 1000), (REVENUE, 40000)),
        ((EMPLOYEES, 300), (REVENUE, 2000)),
        ((EMPLOYEES, 20), (REVENUE, 300)),
    ),
    # （三）营业收入80000万元以下或资产总额80000万元以下; 中型 6000万元且资产5000万元; 小型 300万元且资产300万元.
    Industry.CONSTRUCTION: Thresholds(
        ((REVENUE, 80000), (ASSETS, 80000)),
        ((REVENUE, 6000), (ASSETS, 5000)),
        ((REVENUE, 300), (ASSETS, 300)),
    ),
    # （四）200人或40000万元; 中型 20人且5000万元; 小型 5人且1000万元.
    Industry.WHOLESALE: Thresholds(
        ((EMPLOYEES, 200), (REVENUE, 40000)),
        ((EMPLOYEES, 20), (REVENUE, 5000)),
        ((EMPLOYEES, 5), (REVENUE, 1000)),
    ),
    # （五）300人或20000万元; 中型 50人且500万元; 小型 10人且100万元.
    Industry.RETAIL: Thresholds(
        ((EMPLOYEES, 300), (REVENUE, 20000)),
        ((EMPLOYEES, 50), (REVENUE, 500)),
        ((EMPLOYEES, 10), (REVENUE, 100)),
    ),
    # （六）1000人或30000万元; 中型 300人且3000万元; 小型 20人且200万元.
    Industry.TRANSPORT: Thresholds(
        ((EMPLOYEES, 1000), (REVENUE, 30000)),
        ((EMPLOYEES, 300), (REVENUE, 3000)),
        ((EMPLOYEES, 20), (REVENUE, 200)),
    ),
    # （七）200人或30000万元; 中型 100人且1000万元; 小型 20人且100万元.
    Industry.WAREHOUSING: Thresholds(
        ((EMPLOYEES, 200), (REVENUE, 30000)),
        ((EMPLOYEES, 100), (REVENUE, 1000)),
        ((EMPLOYEES, 20), (REVENUE, 100)),
    ),
    # （八）1000人或30000万元; 中型 300人且2000万元; 小型 20人且100万元.
    Industry.POSTAL: Thresholds(
        ((EMPLOYEES, 1000), (REVENUE, 30000)),
        ((EMPLOYEES, 300), (REVENUE, 2000)),
        ((EMPLOYEES, 20), (REVENUE, 100)),
    ),
    # （九）300人或10000万元; 中型 100人且2000万元; 小型 10人且100万元.
    Industry.ACCOMMODATION: Thresholds(
        ((EMPLOYEES, 300), (REVENUE, 10000)),
        ((EMPLOYEES, 100), (REVENUE, 2000)),
        ((EMPLOYEES, 10), (REVENUE, 100)),
    ),
    # （十）同住宿业.
    Industry.CATERING: Thresholds(
        ((EMPLOYEES, 300), (REVENUE, 10000)),
        ((EMPLOYEES, 100), (REVENUE, 2000)),
        ((EMPLOYEES, 10), (REVENUE, 100)),
    ),
    # （十一）2000人或100000万元; 中型 100人且1000万元; 小型 10人且100万元.
    Industry.INFORMATION_TRANSMISSION: Thresholds(
        ((EMPLOYEES, 2000), (REVENUE, 100000)),
        ((EMPLOYEES, 100), (REVENUE, 1000)),
        ((EMPLOYEES, 10), (REVENUE, 100)),
    ),
    # （十二）300人或10000万元; 中型 100人且1000万元; 小型 10人且50万元.
    Industry.SOFTWARE_IT: Thresholds(
        ((EMPLOYEES, 300), (REVENUE, 10000)),
        ((EMPLOYEES, 100), (REVENUE, 1000)),
        ((EMPLOYEES, 10), (REVENUE, 50)),
    ),
    # （十三）营业收入200000万元或资产总额10000万元; 中型 1000万元且资产5000万元; 小型 100万元且资产2000万元.
    Industry.REAL_ESTATE: Thresholds(
        ((REVENUE, 200000), (ASSETS, 10000)),
        ((REVENUE, 1000), (ASSETS, 5000)),
        ((REVENUE, 100), (ASSETS, 2000)),
    ),
    # （十四）1000人或5000万元; 中型 300人且1000万元; 小型 100人且500万元.
    Industry.PROPERTY_MANAGEMENT: Thresholds(
        ((EMPLOYEES, 1000), (REVENUE, 5000)),
        ((EMPLOYEES, 300), (REVENUE, 1000)),
        ((EMPLOYEES, 100), (REVENUE, 500)),
    ),
    # （十五）从业人员300人或资产总额120000万元; 中型 100人且资产8000万元; 小型 10人且资产100万元.
    Industry.LEASING_BUSINESS: Thresholds(
        ((EMPLOYEES, 300), (ASSETS, 120000)),
        ((EMPLOYEES, 100), (ASSETS, 8000)),
        ((EMPLOYEES, 10), (ASSETS, 100)),
    ),
    # （十六）从业人员300人以下; 中型 100人及以上; 小型 10人及以上.
    Industry.OTHER: Thresholds(((EMPLOYEES, 300),), ((EMPLOYEES, 100),), ((EMPLOYEES, 10),)),
}

# Industries whose thresholds use 资产总额: the registration form requires it only for these.
ASSET_INDUSTRIES: frozenset[str] = frozenset(code for code, t in THRESHOLDS.items() if ASSETS in t.measures)


def size_class(
    industry: str,
    employees: int | None,
    revenue: Decimal | int | None,
    total_assets: Decimal | int | None = None,
) -> SizeClass | None:
    """中型 / 小型 / 微型 / 非中小企业 for an enterprise, or None when a figure the industry needs is missing
    (or the industry is not one of 300号's)."""
    thresholds = THRESHOLDS.get(industry)
    if thresholds is None:
        return None
    values = {EMPLOYEES: employees, REVENUE: revenue, ASSETS: total_assets}
    if any(values[m] is None for m in thresholds.measures):
        return None
    values = {m: Decimal(v) for m, v in values.items() if v is not None}
    if not any(values[m] < limit for m, limit in thresholds.upper):
        return SizeClass.NOT_SME
    if all(values[m] >= floor for m, floor in thresholds.medium):
        return SizeClass.MEDIUM
    if all(values[m] >= floor for m, floor in thresholds.small):
        return SizeClass.SMALL
    return SizeClass.MICRO
