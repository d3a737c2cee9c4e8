"""The whole province report as a PDF in Vietnamese: its targets, cooperatives at risk with
their reasons, and support — for the province's officers only."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from coopchain.monitoring import services
from coopchain.monitoring.models import ProvinceTarget, SupportAllocation, SupportProgramme
from coopchain.monitoring.tests.factories import report, strong
from coopchain.parties.models import AdminUnit, Organization
from coopchain.parties.tests.factories import CooperativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def province(coop):
    dak_lak = AdminUnit.objects.get(code="66")
    struggling = CooperativeFactory(
        name="HTX Rau Krông Búk", province_code="66", status=Organization.Status.SUSPENDED,
        status_since=date(2025, 5, 1),
    )  # fmt: skip
    report(coop, 2024, **strong(output_value=5_000_000_000))
    report(coop, 2025, **strong(output_value=6_000_000_000))
    report(struggling, 2025, revenue=100, cost=300, output_value=1_000_000_000)
    for year, value in ((2024, 40_000_000_000), (2025, 40_000_000_000)):
        services.set_province_output(province=dak_lak, year=year, value=value)
    services.set_province_target(
        province=dak_lak, code="output-share", title="Hơn 35 % giá trị sản xuất nông nghiệp",
        source="Nghị quyết 20/2025/NQ-HĐND", measure=ProvinceTarget.Measure.OUTPUT_SHARE,
        target_percent=Decimal(35), due_year=2030,
    )  # fmt: skip
    programme = SupportProgramme.objects.create(
        province=dak_lak, name="Chương trình OCOP Đắk Lắk", starts_year=2024, ends_year=2026
    )
    SupportAllocation.objects.create(
        programme=programme, beneficiary=coop, committed=300_000_000, disbursed=120_000_000
    )
    return struggling


def text_of(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_province_report_is_a_vietnamese_pdf_with_targets_risks_and_support(
    client, officer, coop, province
):
    client.force_login(officer)

    response = client.get(reverse("monitoring:province_pdf"))

    assert response["Content-Type"] == "application/pdf"
    assert "bao-cao-giam-sat-66.pdf" in response["Content-Disposition"]
    text = text_of(response.content)
    assert "Các hợp tác xã của Đắk Lắk" in text
    assert "Hơn 35 % giá trị sản xuất nông nghiệp" in text
    # 7 of 40 billion in 2025, 5 of 40 in 2024 (the suspended one did not report that year).
    assert "17,5 % / 35 %" in text
    assert "2024: 12,5 %" in text
    assert "Hợp tác xã có rủi ro" in text
    assert "HTX Rau Krông Búk" in text
    assert "Chương trình OCOP Đắk Lắk" in text
    assert "HTX Cà phê Ea Tul 300.000.000 120.000.000" in text


def test_another_provinces_officer_gets_their_own_report_and_no_dak_lak_cooperative(
    client, officer_elsewhere, province
):
    client.force_login(officer_elsewhere)

    text = text_of(client.get(reverse("monitoring:province_pdf")).content)

    assert "Điện Biên" in text
    assert "HTX Rau Krông Búk" not in text
    assert "Chương trình OCOP Đắk Lắk" not in text


def test_a_cooperative_manager_gets_no_province_report(client, manager, province):
    client.force_login(manager)

    assert client.get(reverse("monitoring:province_pdf")).status_code == 404
