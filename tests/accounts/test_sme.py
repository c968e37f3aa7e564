"""中小企业划型 (工信部联企业〔2011〕300号): every industry, exactly at each threshold and one below it."""

from decimal import Decimal

import pytest

from accounts.sme import ASSET_INDUSTRIES, THRESHOLDS, Industry, SizeClass, size_class
from tests import factories

M, S, W, N = SizeClass.MEDIUM, SizeClass.SMALL, SizeClass.MICRO, SizeClass.NOT_SME

# industry, employees, revenue (万元), total assets (万元), expected — transcribed from 300号 第四条 by hand.
CASES = [
    # （一）农、林、牧、渔业: 营业收入20000以下; 中型 ≥500; 小型 ≥50.
    (Industry.AGRICULTURE, 0, 20000, None, N),
    (Industry.AGRICULTURE, 0, Decimal("19999.99"), None, M),
    (Industry.AGRICULTURE, 0, 500, None, M),
    (Industry.AGRICULTURE, 0, 499, None, S),
    (Industry.AGRICULTURE, 0, 50, None, S),
    (Industry.AGRICULTURE, 0, 49, None, W),
    # （二）工业: 1000人或40000万元以下; 中型 300人且2000万元; 小型 20人且300万元.
    (Industry.INDUSTRIAL, 1000, 40000, None, N),
    (Industry.INDUSTRIAL, 999, 40000, None, M),
    (Industry.INDUSTRIAL, 1000, 39999, None, M),
    (Industry.INDUSTRIAL, 300, 2000, None, M),
    (Industry.INDUSTRIAL, 299, 2000, None, S),
    (Industry.INDUSTRIAL, 300, 1999, None, S),
    (Industry.INDUSTRIAL, 20, 300, None, S),
    (Industry.INDUSTRIAL, 19, 300, None, W),
    (Industry.INDUSTRIAL, 20, 299, None, W),
    # （三）建筑业: 营业收入80000或资产总额80000以下; 中型 6000且5000; 小型 300且300.
    (Industry.CONSTRUCTION, 0, 80000, 80000, N),
    (Industry.CONSTRUCTION, 0, 79999, 80000, M),
    (Industry.CONSTRUCTION, 0, 80000, 79999, M),
    (Industry.CONSTRUCTION, 0, 6000, 5000, M),
    (Industry.CONSTRUCTION, 0, 5999, 5000, S),
    (Industry.CONSTRUCTION, 0, 6000, 4999, S),
    (Industry.CONSTRUCTION, 0, 300, 300, S),
    (Industry.CONSTRUCTION, 0, 299, 300, W),
    (Industry.CONSTRUCTION, 0, 300, 299, W),
    # （四）批发业: 200人或40000万元; 中型 20人且5000; 小型 5人且1000.
    (Industry.WHOLESALE, 200, 40000, None, N),
    (Industry.WHOLESALE, 199, 40000, None, M),
    (Industry.WHOLESALE, 200, 39999, None, M),
    (Industry.WHOLESALE, 20, 5000, None, M),
    (Industry.WHOLESALE, 19, 5000, None, S),
    (Industry.WHOLESALE, 20, 4999, None, S),
    (Industry.WHOLESALE, 5, 1000, None, S),
    (Industry.WHOLESALE, 4, 1000, None, W),
    (Industry.WHOLESALE, 5, 999, None, W),
    # （五）零售业: 300人或20000; 中型 50人且500; 小型 10人且100.
    (Industry.RETAIL, 300, 20000, None, N),
    (Industry.RETAIL, 299, 20000, None, M),
    (Industry.RETAIL, 300, 19999, None, M),
    (Industry.RETAIL, 50, 500, None, M),
    (Industry.RETAIL, 49, 500, None, S),
    (Industry.RETAIL, 50, 499, None, S),
    (Industry.RETAIL, 10, 100, None, S),
    (Industry.RETAIL, 9, 100, None, W),
    (Industry.RETAIL, 10, 99, None, W),
    # （六）交通运输业: 1000人或30000; 中型 300人且3000; 小型 20人且200.
    (Industry.TRANSPORT, 1000, 30000, None, N),
    (Industry.TRANSPORT, 999, 30000, None, M),
    (Industry.TRANSPORT, 1000, 29999, None, M),
    (Industry.TRANSPORT, 300, 3000, None, M),
    (Industry.TRANSPORT, 299, 3000, None, S),
    (Industry.TRANSPORT, 300, 2999, None, S),
    (Industry.TRANSPORT, 20, 200, None, S),
    (Industry.TRANSPORT, 19, 200, None, W),
    (Industry.TRANSPORT, 20, 199, None, W),
    # （七）仓储业: 200人或30000; 中型 100人且1000; 小型 20人且100.
    (Industry.WAREHOUSING, 200, 30000, None, N),
    (Industry.WAREHOUSING, 199, 30000, None, M),
    (Industry.WAREHOUSING, 200, 29999, None, M),
    (Industry.WAREHOUSING, 100, 1000, None, M),
    (Industry.WAREHOUSING, 99, 1000, None, S),
    (Industry.WAREHOUSING, 100, 999, None, S),
    (Industry.WAREHOUSING, 20, 100, None, S),
    (Industry.WAREHOUSING, 19, 100, None, W),
    (Industry.WAREHOUSING, 20, 99, None, W),
    # （八）邮政业: 1000人或30000; 中型 300人且2000; 小型 20人且100.
    (Industry.POSTAL, 1000, 30000, None, N),
    (Industry.POSTAL, 999, 30000, None, M),
    (Industry.POSTAL, 1000, 29999, None, M),
    (Industry.POSTAL, 300, 2000, None, M),
    (Industry.POSTAL, 299, 2000, None, S),
    (Industry.POSTAL, 300, 1999, None, S),
    (Industry.POSTAL, 20, 100, None, S),
    (Industry.POSTAL, 19, 100, None, W),
    (Industry.POSTAL, 20, 99, None, W),
    # （九）住宿业: 300人或10000; 中型 100人且2000; 小型 10人且100.
    (Industry.ACCOMMODATION, 300, 10000, None, N),
    (Industry.ACCOMMODATION, 299, 10000, None, M),
    (Industry.ACCOMMODATION, 300, 9999, None, M),
    (Industry.ACCOMMODATION, 100, 2000, None, M),
    (Industry.ACCOMMODATION, 99, 2000, None, S),
    (Industry.ACCOMMODATION, 100, 1999, None, S),
    (Industry.ACCOMMODATION, 10, 100, None, S),
    (Industry.ACCOMMODATION, 9, 100, None, W),
    (Industry.ACCOMMODATION, 10, 99, None, W),
    # （十）餐饮业: 同住宿业.
    (Industry.CATERING, 300, 10000, None, N),
    (Industry.CATERING, 299, 10000, None, M),
    (Industry.CATERING, 300, 9999, None, M),
    (Industry.CATERING, 100, 2000, None, M),
    (Industry.CATERING, 99, 2000, None, S),
    (Industry.CATERING, 100, 1999, None, S),
    (Industry.CATERING, 10, 100, None, S),
    (Industry.CATERING, 9, 100, None, W),
    (Industry.CATERING, 10, 99, None, W),
    # （十一）信息传输业: 2000人或100000; 中型 100人且1000; 小型 10人且100.
    (Industry.INFORMATION_TRANSMISSION, 2000, 100000, None, N),
    (Industry.INFORMATION_TRANSMISSION, 1999, 100000, None, M),
    (Industry.INFORMATION_TRANSMISSION, 2000, 99999, None, M),
    (Industry.INFORMATION_TRANSMISSION, 100, 1000, None, M),
    (Industry.INFORMATION_TRANSMISSION, 99, 1000, None, S),
    (Industry.INFORMATION_TRANSMISSION, 100, 999, None, S),
    (Industry.INFORMATION_TRANSMISSION, 10, 100, None, S),
    (Industry.INFORMATION_TRANSMISSION, 9, 100, None, W),
    (Industry.INFORMATION_TRANSMISSION, 10, 99, None, W),
    # （十二）软件和信息技术服务业: 300人或10000; 中型 100人且1000; 小型 10人且50.
    (Industry.SOFTWARE_IT, 300, 10000, None, N),
    (Industry.SOFTWARE_IT, 299, 10000, None, M),
    (Industry.SOFTWARE_IT, 300, 9999, None, M),
    (Industry.SOFTWARE_IT, 100, 1000, None, M),
    (Industry.SOFTWARE_IT, 99, 1000, None, S),
    (Industry.SOFTWARE_IT, 100, 999, None, S),
    (Industry.SOFTWARE_IT, 10, 50, None, S),
    (Industry.SOFTWARE_IT, 9, 50, None, W),
    (Industry.SOFTWARE_IT, 10, 49, None, W),
    # （十三）房地产开发经营: 营业收入200000或资产总额10000以下; 中型 1000且5000; 小型 100且2000.
    (Industry.REAL_ESTATE, 0, 200000, 10000, N),
    (Industry.REAL_ESTATE, 0, 199999, 10000, M),
    (Industry.REAL_ESTATE, 0, 200000, 9999, M),
    (Industry.REAL_ESTATE, 0, 1000, 5000, M),
    (Industry.REAL_ESTATE, 0, 999, 5000, S),
    (Industry.REAL_ESTATE, 0, 1000, 4999, S),
    (Industry.REAL_ESTATE, 0, 100, 2000, S),
    (Industry.REAL_ESTATE, 0, 99, 2000, W),
    (Industry.REAL_ESTATE, 0, 100, 1999, W),
    # （十四）物业管理: 1000人或5000; 中型 300人且1000; 小型 100人且500.
    (Industry.PROPERTY_MANAGEMENT, 1000, 5000, None, N),
    (Industry.PROPERTY_MANAGEMENT, 999, 5000, None, M),
    (Industry.PROPERTY_MANAGEMENT, 1000, 4999, None, M),
    (Industry.PROPERTY_MANAGEMENT, 300, 1000, None, M),
    (Industry.PROPERTY_MANAGEMENT, 299, 1000, None, S),
    (Industry.PROPERTY_MANAGEMENT, 300, 999, None, S),
    (Industry.PROPERTY_MANAGEMENT, 100, 500, None, S),
    (Industry.PROPERTY_MANAGEMENT, 99, 500, None, W),
    (Industry.PROPERTY_MANAGEMENT, 100, 499, None, W),
    # （十五）租赁和商务服务业: 从业人员300或资产总额120000以下; 中型 100人且资产8000; 小型 10人且资产100.
    (Industry.LEASING_BUSINESS, 300, 0, 120000, N),
    (Industry.LEASING_BUSINESS, 299, 0, 120000, M),
    (Industry.LEASING_BUSINESS, 300, 0, 119999, M),
    (Industry.LEASING_BUSINESS, 100, 0, 8000, M),
    (Industry.LEASING_BUSINESS, 99, 0, 8000, S),
    (Industry.LEASING_BUSINESS, 100, 0, 7999, S),
    (Industry.LEASING_BUSINESS, 10, 0, 100, S),
    (Industry.LEASING_BUSINESS, 9, 0, 100, W),
    (Industry.LEASING_BUSINESS, 10, 0, 99, W),
    # （十六）其他未列明行业: 300人以下; 中型 ≥100人; 小型 ≥10人.
    (Industry.OTHER, 300, 0, None, N),
    (Industry.OTHER, 299, 0, None, M),
    (Industry.OTHER, 100, 0, None, M),
    (Industry.OTHER, 99, 0, None, S),
    (Industry.OTHER, 10, 0, None, S),
    (Industry.OTHER, 9, 0, None, W),
]


@pytest.mark.parametrize(("industry", "employees", "revenue", "assets", "expected"), CASES)
def test_size_class_at_and_below_every_threshold(industry, employees, revenue, assets, expected):
    assert size_class(industry, employees, Decimal(revenue), assets) == expected


def test_every_industry_of_the_document_is_covered():
    assert set(THRESHOLDS) == set(Industry.values)
    assert len(Industry.values) == 16
    assert {case[0] for case in CASES} == set(Industry.values)


def test_assets_are_needed_exactly_for_construction_real_estate_and_leasing():
    assert {Industry.CONSTRUCTION, Industry.REAL_ESTATE, Industry.LEASING_BUSINESS} == ASSET_INDUSTRIES
    assert size_class(Industry.CONSTRUCTION, 10, Decimal(500), None) is None
    assert size_class(Industry.INDUSTRIAL, 10, Decimal(500), None) == SizeClass.MICRO
    assert size_class("unknown", 10, Decimal(500), None) is None


def test_upper_bound_is_either_measure_and_the_classes_need_both():
    # 2000 people but revenue under 40000万元: still an SME (…以下或…以下), and 中型 (300人且2000万元).
    assert size_class(Industry.INDUSTRIAL, 2000, Decimal(39999), None) == SizeClass.MEDIUM
    # Many people, tiny revenue: 微型 because revenue is under 300万元 ("…或营业收入300万元以下").
    assert size_class(Industry.INDUSTRIAL, 500, Decimal(100), None) == SizeClass.MICRO


def test_size_class_labels_are_chinese():
    assert [c.label for c in SizeClass] == ["中型企业", "小型企业", "微型企业", "非中小企业"]


@pytest.mark.django_db
def test_enterprise_size_class_property():
    ent = factories.enterprise(
        "划型测试", industry=Industry.INDUSTRIAL, employees=120, revenue=Decimal("8000")
    )
    assert ent.size_class == SizeClass.SMALL
    ent.industry, ent.total_assets = Industry.CONSTRUCTION, None
    assert ent.size_class is None
    ent.total_assets = Decimal("6000")
    assert ent.size_class == SizeClass.MEDIUM
