"""What officers keep on their pages: linkage models with their contracts, targets and the
province's output value, support programmes per cooperative — and no one else keeps them."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from coopchain.contracts import services as contract_services
from coopchain.contracts.models import LinkageContract
from coopchain.contracts.tests.factories import make_contract
from coopchain.monitoring import services
from coopchain.monitoring.models import (
    LinkageModel,
    ProvinceOutput,
    ProvinceTarget,
    SupportAllocation,
    SupportProgramme,
)
from coopchain.parties.models import AdminUnit
from coopchain.parties.tenancy import SYSTEM
from coopchain.parties.tests.factories import CooperativeFactory, EnterpriseFactory
from coopchain.trace.tests import factories as trace

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(db):
    return EnterpriseFactory(name="Công ty Cà phê Ban Mê", province_code="66")


@pytest.fixture
def model(coop, buyer):
    return services.register_linkage_model(
        ward=coop.ward, name="Cà phê Ea Tul – Ban Mê", commodity="coffee", cooperative=coop,
        enterprise=buyer, started_on=date(2024, 1, 1),
    )  # fmt: skip


def model_form(coop, buyer, **overrides):
    return {
        "name": "Cà phê đặc sản Ea Tul",
        "ward": coop.ward_id,
        "commodity": "coffee",
        "cooperative": coop.pk,
        "enterprise": buyer.pk,
        "started_on": "2025-03-01",
        "status": "active",
        **overrides,
    }


def test_an_officer_registers_a_linkage_model_that_the_commune_then_counts(
    client, officer, coop, buyer
):
    client.force_login(officer)

    response = client.post(reverse("monitoring:linkage_models"), model_form(coop, buyer))

    model = LinkageModel.objects.get()
    assert response.url == reverse("monitoring:linkage_model", args=[model.pk])
    assert (model.province_id, model.cooperative, model.enterprise) == ("66", coop, buyer)
    commune = client.get(reverse("monitoring:commune", args=[coop.ward_id])).content.decode()
    assert "Cà phê đặc sản Ea Tul" in commune


def test_a_linked_contracts_deliveries_are_the_output_value_through_the_model(
    client, officer, coop, buyer, member, model
):
    today = timezone.localdate()
    contract = make_contract(
        buyer, coop, number="HĐ-EA-01", price_kind=LinkageContract.PriceKind.FIXED,
        fixed_price=100_000, floor_price=None, starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=100), windows=[],
    )  # fmt: skip
    contract_services.record_contract_delivery(
        contract=contract, lot=trace.harvest(member, quantity=300), quantity_kg=Decimal(300),
        delivered_on=today, by=SYSTEM,
    )  # fmt: skip
    client.force_login(officer)
    url = reverse("monitoring:linkage_model", args=[model.pk])

    form = client.get(url).content.decode()
    client.post(
        url,
        model_form(coop, buyer, name=model.name, started_on="2024-01-01", contracts=[contract.pk]),
    )
    page = client.get(url).content.decode()

    assert "HĐ-EA-01" in form
    assert list(model.contracts.all()) == [contract]
    assert '<dd id="model-flow">30,000,000</dd>' in page


def test_a_contract_sold_by_a_cooperative_outside_the_model_is_refused(coop, buyer, model):
    stranger = CooperativeFactory(name="HTX Khác", province_code="66")
    contract = make_contract(buyer, stranger, number="HĐ-KHAC")
    data = services.LinkageModelData(
        ward=coop.ward, name=model.name, commodity="coffee", cooperative=coop, enterprise=buyer,
        started_on=date(2024, 1, 1), contracts=[contract],
    )  # fmt: skip

    with pytest.raises(services.InvalidInput) as refused:
        services.record_linkage_model(data=data, by=SYSTEM, model=model)

    assert refused.value.errors[0].field == "contracts"
    assert "HĐ-KHAC is not sold by a cooperative of this model" in refused.value.errors[0].reason


def test_an_officer_of_another_province_can_neither_see_nor_register_dak_lak_models(
    client, officer_elsewhere, coop, buyer, model
):
    client.force_login(officer_elsewhere)

    assert client.get(reverse("monitoring:linkage_model", args=[model.pk])).status_code == 404
    response = client.post(reverse("monitoring:linkage_models"), model_form(coop, buyer))
    listing = client.get(reverse("monitoring:linkage_models")).content.decode()

    assert response.status_code == 400
    assert LinkageModel.objects.count() == 1
    assert model.name not in listing


def test_the_cooperative_of_a_model_reads_it_but_cannot_change_it(client, manager, coop, model):
    client.force_login(manager)
    url = reverse("monitoring:linkage_model", args=[model.pk])

    page = client.get(url)
    response = client.post(url, {"name": "Đổi tên", "status": "ended"})

    assert page.status_code == 200
    assert 'id="edit-model"' not in page.content.decode()
    assert response.status_code == 403
    model.refresh_from_db()
    assert (model.name, model.status) == ("Cà phê Ea Tul – Ban Mê", "active")
    assert client.get(reverse("monitoring:linkage_models")).status_code == 404
    assert client.get(reverse("monitoring:targets")).status_code == 404
    assert client.get(reverse("monitoring:support")).status_code == 404


def test_an_officer_sets_a_target_and_the_years_output_value_and_the_dashboard_uses_them(
    client, officer
):
    client.force_login(officer)
    url = reverse("monitoring:targets")

    client.post(url, {"form": "output", "year": 2025, "value": 600_000_000_000})
    client.post(url, {
        "form": "target", "code": "output-share-2030", "title": "Hơn 35 % giá trị sản xuất",
        "source": "Nghị quyết 20/2025/NQ-HĐND", "measure": "output_share",
        "target_percent": "35", "due_year": 2030,
    })  # fmt: skip
    dashboard = client.get(reverse("monitoring:province")).content.decode()

    output = ProvinceOutput.objects.get()
    assert (output.province_id, output.year, output.agricultural_output_value) == (
        "66", 2025, 600_000_000_000,
    )  # fmt: skip
    target = ProvinceTarget.objects.get()
    assert (target.province_id, target.target_percent) == ("66", Decimal(35))
    assert "Hơn 35 % giá trị sản xuất" in dashboard


def test_an_officer_records_support_and_sees_committed_and_disbursed_per_cooperative(
    client, officer, coop
):
    client.force_login(officer)
    url = reverse("monitoring:support")

    client.post(url, {
        "form": "programme", "name": "Khuyến công 2025", "source": "Nghị định 45/2012",
        "starts_year": 2025, "ends_year": 2026,
    })  # fmt: skip
    programme = SupportProgramme.objects.get()
    refused = client.post(url, {
        "form": "allocation", "programme": programme.pk, "beneficiary": coop.pk,
        "committed": 100_000_000, "disbursed": 150_000_000,
    })  # fmt: skip
    client.post(url, {
        "form": "allocation", "programme": programme.pk, "beneficiary": coop.pk,
        "committed": 200_000_000, "disbursed": 50_000_000, "purpose": "Máy sấy cà phê",
    })  # fmt: skip
    page = client.get(url).content.decode()

    assert refused.status_code == 400
    assert "cannot exceed what was committed" in refused.content.decode()
    assert programme.province_id == "66"
    assert SupportAllocation.objects.get().disbursed == 50_000_000
    assert "<td>Máy sấy cà phê</td><td>200,000,000</td><td>50,000,000</td>" in page
    assert "50,000,000 (25.0 %)" in page


def test_another_provinces_officer_cannot_give_out_dak_lak_support(client, officer_elsewhere, coop):
    programme = SupportProgramme.objects.create(
        province_id="66", name="Chương trình Đắk Lắk", starts_year=2025, ends_year=2026
    )
    client.force_login(officer_elsewhere)

    response = client.post(reverse("monitoring:support"), {
        "form": "allocation", "programme": programme.pk, "beneficiary": coop.pk,
        "committed": 1, "disbursed": 0,
    })  # fmt: skip
    page = client.get(reverse("monitoring:support")).content.decode()

    assert response.status_code == 400
    assert not SupportAllocation.objects.exists()
    assert "Chương trình Đắk Lắk" not in page
    with pytest.raises(services.NotFound):
        services.record_support_allocation(
            programme=programme, beneficiary=coop, committed=1, disbursed=0, by=officer_elsewhere
        )
    assert AdminUnit.objects.get(code="11").name in page


def test_the_workbook_carries_the_linkage_models_and_each_programmes_cooperatives(
    client, officer, coop, model
):
    programme = SupportProgramme.objects.create(
        province_id="66", name="Khuyến nông 2025", starts_year=2025, ends_year=2025
    )
    SupportAllocation.objects.create(
        programme=programme, beneficiary=coop, committed=80_000_000, disbursed=20_000_000
    )
    client.force_login(officer)

    book = load_workbook(io.BytesIO(client.get(reverse("monitoring:province_export")).content))

    assert {"Targets by year", "Support programmes", "Linkage models"} <= set(book.sheetnames)
    support = list(book["Support programmes"].iter_rows(values_only=True))
    assert support[1] == ("Khuyến nông 2025", coop.name, None, 80_000_000, 20_000_000)
    models = list(book["Linkage models"].iter_rows(values_only=True))
    assert models[1][:5] == (
        model.name,
        coop.ward.name,
        "coffee",
        coop.name,
        "Công ty Cà phê Ban Mê",
    )
