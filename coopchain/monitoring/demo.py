"""Monitoring demo: several years of reports for the demo cooperatives — the Đắk Lắk coffee
cooperative healthy, Đắk Liêng getting by, the two Điện Biên ones struggling as their province
describes (no investment capital, unstable markets, no long-term purchase contract) — with
Đắk Lắk's targets under Resolution 20/2025/NQ-HĐND, linkage models in some communes, and a
support programme in each province.

Idempotent: a period already reported is left as it is; targets and models are matched by code
and name. The province's total output value is a round demo figure, not an official statistic.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TextIO

from django.db import transaction

from coopchain.monitoring import services
from coopchain.monitoring.models import (
    CooperativeReport,
    LinkageModel,
    ProvinceTarget,
    SupportProgramme,
)
from coopchain.parties.demo import ORGANIZATION_PLANS
from coopchain.parties.models import AdminUnit, Organization
from coopchain.parties.tenancy import SYSTEM

B = 1_000_000_000  # one billion VND
M = 1_000_000


@dataclass(frozen=True)
class DemoReport:
    organization: str
    year: int
    half: int
    figures: dict[str, Any]


def _coffee(year: int, revenue: int, linkage: int) -> DemoReport:
    return DemoReport(
        "coffee",
        year,
        0,
        {
            "revenue": revenue,
            "cost": revenue * 9 // 10,
            "workers": 14,
            "average_member_income": 72 * M,
            "charter_capital": 2 * B,
            "loans": 600 * M,
            "support_received": 300 * M if year == 2024 else 0,
            "output_value": revenue * 14 // 10,
            "linkage_output_value": linkage,
            "brand_registered": True,
            "traceability_in_use": True,
            "ocop_stars": 4,
        },
    )


REPORTS: tuple[DemoReport, ...] = (
    _coffee(2023, 38 * B, 20 * B),
    _coffee(2024, 42 * B, 27 * B),
    _coffee(2025, 47 * B, 33 * B),
    *(
        DemoReport(
            "dak_lieng",
            year,
            0,
            {
                "revenue": revenue,
                "cost": cost,
                "workers": 4,
                "average_member_income": 34 * M,
                "charter_capital": 450 * M,
                "loans": 200 * M,
                "support_received": 120 * M if year == 2025 else 0,
                "output_value": revenue,
                "linkage_output_value": linkage,
                "brand_registered": False,
                "ocop_stars": 3 if year == 2025 else 0,
            },
        )
        for year, revenue, cost, linkage in (
            (2023, 3 * B, 2_850 * M, 0),
            (2024, 3_300 * M, 3_100 * M, 800 * M),
            (2025, 3_500 * M, 3_300 * M, 1_100 * M),
        )
    ),
    # Mường Thanh: the seed's province averages — about VND 1 billion of revenue a half-year —
    # then losses with no buyer under contract, until it suspends in May 2025.
    *(
        DemoReport(
            "dien_bien",
            year,
            half,
            {
                "revenue": revenue,
                "cost": cost,
                "members": members,
                "workers": 3,
                "average_member_income": income,
                "charter_capital": 150 * M,
                "loans": 400 * M,
                "support_received": support,
                "output_value": revenue,
                "linkage_output_value": 0,
                "brand_registered": False,
                "traceability_in_use": False,
                "ocop_stars": 0,
            },
        )
        for year, half, revenue, cost, members, income, support in (
            (2023, 2, 1_040 * M, 940 * M, 15, 31 * M, 0),
            (2024, 1, 900 * M, 980 * M, 15, 24 * M, 100 * M),
            (2024, 2, 700 * M, 820 * M, 14, 18 * M, 0),
            (2025, 1, 300 * M, 410 * M, 14, 8 * M, 0),
        )
    ),
    DemoReport(
        "muong_luan",
        2023,
        0,
        {
            "revenue": 600 * M,
            "cost": 690 * M,
            "workers": 2,
            "average_member_income": 14 * M,
            "charter_capital": 100 * M,
            "loans": 250 * M,
            "support_received": 250 * M,
            "output_value": 600 * M,
            "linkage_output_value": 0,
            "brand_registered": False,
            "traceability_in_use": False,
            "ocop_stars": 0,
        },
    ),
)

RESOLUTION = "Resolution 20/2025/NQ-HĐND (Đắk Lắk)"
TARGETS: tuple[dict[str, Any], ...] = (
    {
        "code": "output-share-2030",
        "title": "More than 35 % of agricultural output value from cooperative and linkage models",
        "measure": ProvinceTarget.Measure.OUTPUT_SHARE,
        "target_percent": Decimal(35),
        "due_year": 2030,
    },
    {
        "code": "linkages-per-commune-2030",
        "title": "At least two production–consumption linkage models in every commune",
        "measure": ProvinceTarget.Measure.COMMUNES_WITH_LINKAGES,
        "target_percent": Decimal(100),
        "due_year": 2030,
        "per_commune": 2,
    },
    {
        "code": "traceability-2030",
        "title": "Cooperatives with traceability in use",
        "measure": ProvinceTarget.Measure.TRACEABILITY_SHARE,
        "target_percent": Decimal(50),
        "due_year": 2030,
    },
)
# Demo figures for the share's denominator, in VND.
DAK_LAK_OUTPUT = {2023: 520 * B, 2024: 560 * B, 2025: 600 * B}

LINKAGE_MODELS: tuple[tuple[str, str, str, str, date], ...] = (
    ("coffee", "Xã Ea Tul", "Cà phê nhân xuất khẩu Ea Tul – Ban Mê", "coffee", date(2021, 10, 1)),
    ("coffee", "Xã Ea Tul", "Cà phê đặc sản Ea Tul – Ban Mê", "coffee", date(2024, 10, 1)),
    ("dak_lieng", "Xã Đắk Liêng", "Cà phê Đắk Liêng – Ban Mê", "coffee", date(2024, 3, 1)),
)


# Two programmes the seeds name, with what each gave the demo cooperatives (matching the support
# their reports show): (province, programme, source, years, [(cooperative, committed, disbursed,
# purpose)]).
SUPPORT: tuple[
    tuple[str, str, str, tuple[int, int], tuple[tuple[str, int, int, str], ...]], ...
] = (
    (
        "66",
        "Hỗ trợ hợp tác xã theo Nghị quyết 20/2025",
        RESOLUTION,
        (2024, 2030),
        (
            ("coffee", 300 * M, 300 * M, "Máy sấy và kho cà phê"),
            ("dak_lieng", 150 * M, 120 * M, "Đăng ký nhãn hiệu, truy xuất nguồn gốc"),
        ),
    ),
    (
        "11",
        "Quỹ hỗ trợ phát triển hợp tác xã tỉnh Điện Biên",
        "Quỹ hỗ trợ phát triển HTX tỉnh (vốn điều lệ 3 tỷ đồng)",
        (2023, 2025),
        (
            ("muong_luan", 250 * M, 250 * M, "Sơ chế, đóng gói trái cây"),
            ("dien_bien", 150 * M, 100 * M, "Vốn lưu động sản xuất rau VietGAP"),
        ),
    ),
)


def _load_support(created: dict[str, int]) -> None:
    for province_code, name, source, (first, last), allocations in SUPPORT:
        province = AdminUnit.objects.get(code=province_code)
        programme = SupportProgramme.objects.filter(province=province, name=name).first()
        if programme is None:
            programme = services.record_support_programme(
                province=province, name=name, source=source, starts_year=first, ends_year=last,
                by=SYSTEM,
            )  # fmt: skip
            created["support programmes"] += 1
        for key, committed, disbursed, purpose in allocations:
            beneficiary = _organization(key)
            if beneficiary is None:
                continue
            services.record_support_allocation(
                programme=programme, beneficiary=beneficiary, committed=committed,
                disbursed=disbursed, purpose=purpose, by=SYSTEM,
            )  # fmt: skip


def _organization(key: str) -> Organization | None:
    return Organization.objects.filter(tax_code=ORGANIZATION_PLANS[key].tax_code).first()


@transaction.atomic
def load_monitoring_demo(*, stdout: TextIO | None = None) -> dict[str, int]:
    created = {"reports": 0, "linkage models": 0, "support programmes": 0}
    organizations = {key: _organization(key) for key in {r.organization for r in REPORTS}}
    reported = {
        (r.organization_id, r.year, r.half)
        for r in CooperativeReport.objects.filter(
            organization__in=[o for o in organizations.values() if o]
        )
    }
    for plan in REPORTS:
        organization = organizations[plan.organization]
        if organization is None or (organization.pk, plan.year, plan.half) in reported:
            continue
        services.submit_report(
            organization=organization,
            year=plan.year,
            half=plan.half,
            data=services.ReportData(**plan.figures),
            by=SYSTEM,
        )
        created["reports"] += 1
    dak_lak = AdminUnit.objects.get(code="66")
    for target in TARGETS:
        services.set_province_target(province=dak_lak, source=RESOLUTION, **target)
    for year, value in DAK_LAK_OUTPUT.items():
        services.set_province_output(province=dak_lak, year=year, value=value)
    exporter = _organization("exporter")
    for key, ward_name, name, commodity, started_on in LINKAGE_MODELS:
        cooperative = _organization(key)
        ward = AdminUnit.objects.filter(province_id="66", name=ward_name).first()
        if cooperative is None or ward is None:
            continue
        if LinkageModel.objects.filter(ward=ward, name=name).exists():
            continue
        services.register_linkage_model(
            ward=ward,
            name=name,
            commodity=commodity,
            cooperative=cooperative,
            enterprise=exporter,
            started_on=started_on,
        )
        created["linkage models"] += 1
    _load_support(created)
    if stdout is not None:
        stdout.write(
            f"Monitoring: {created['reports']} reports, "
            f"{created['linkage models']} linkage models, "
            f"{created['support programmes']} support programmes new\n"
        )
    return created
