"""A farmer reads their passbook; the cooperative prepares, reviews, approves and pays a run
on its pages and through the API."""

from datetime import date

from django.urls import reverse

from coopchain.accounts.services import issue_api_token
from coopchain.contracts import services
from coopchain.contracts.models import PaymentRun
from coopchain.parties.tenancy import SYSTEM

NOV_1, NOV_15, NOV_30 = date(2025, 11, 1), date(2025, 11, 15), date(2025, 11, 30)


def entry(member, kind, amount, description):
    return services.add_ledger_entry(
        organization=member.organization,
        member=member,
        on=NOV_15,
        kind=kind,
        amount=amount,
        description=description,
        by=SYSTEM,
    )


def test_a_farmer_reads_what_the_cooperative_owes_them(client, farmer, member):
    entry(member, "produce", 12_000_000, "Cà phê tươi 1.000 kg")
    entry(member, "inputs", 2_500_000, "Phân bón trả chậm")
    client.force_login(farmer)

    page = client.get(reverse("contracts:passbook", args=[member.pk]))

    text = page.content.decode()
    assert "The cooperative owes you" in text
    assert "9,500,000 VND" in text
    assert "Phân bón trả chậm" in text


def test_a_farmer_who_owes_reads_how_much(client, farmer, member):
    entry(member, "advance", 3_000_000, "Tạm ứng đầu vụ")
    client.force_login(farmer)

    page = client.get(reverse("contracts:passbook", args=[member.pk]))

    assert "You owe the cooperative <strong>3,000,000 VND</strong>" in page.content.decode()


def test_a_farmer_does_not_open_a_neighbours_passbook(client, farmer, coop):
    from coopchain.parties.tests.factories import MemberFactory

    neighbour = MemberFactory(organization=coop)
    client.force_login(farmer)

    assert client.get(reverse("contracts:passbook", args=[neighbour.pk])).status_code == 404


def test_the_manager_prepares_reviews_approves_and_pays_a_run(client, manager, member):
    entry(member, "produce", 10_000_000, "Cà phê tươi")
    entry(member, "inputs", 8_000_000, "Phân bón")
    client.force_login(manager)

    prepared = client.post(
        reverse("contracts:payment_runs"),
        {"period_start": NOV_1, "period_end": NOV_30, "recovery_limit_percent": 50},
        follow=True,
    )
    run = PaymentRun.objects.get()
    action = reverse("contracts:payment_run_action", args=[run.pk])
    client.post(action, {"action": "approve"})
    paid = client.post(action, {"action": "paid"}, follow=True)

    assert "5,000,000 VND" in prepared.content.decode()
    assert "Recovered for inputs, advances and fees: 5,000,000 of 8,000,000 owed" in (
        prepared.content.decode()
    )
    assert "Payments recorded in each member&#x27;s ledger." in paid.content.decode()
    run.refresh_from_db()
    assert run.status == PaymentRun.Status.PAID


def test_the_api_shows_a_members_ledger_and_runs_a_payment(client, manager, member, coop):
    _token, secret = issue_api_token(user=manager)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    client.post(
        "/api/v1/ledger-entries",
        {
            "member_id": member.pk,
            "on": "2025-11-15",
            "kind": "produce",
            "amount": 4_000_000,
            "description": "Cà phê",
        },
        content_type="application/json",
        **headers,
    )
    run = client.post(
        "/api/v1/payment-runs",
        {"organization_id": coop.pk, "period_start": "2025-11-01", "period_end": "2025-11-30"},
        content_type="application/json",
        **headers,
    ).json()
    client.post(f"/api/v1/payment-runs/{run['id']}/approval", **headers)
    again = client.post(f"/api/v1/payment-runs/{run['id']}/approval", **headers)
    client.post(f"/api/v1/payment-runs/{run['id']}/payment", **headers)
    ledger = client.get(f"/api/v1/members/{member.pk}/ledger", **headers).json()

    assert run["lines"][0]["pay"] == 4_000_000
    assert again.status_code == 409
    assert [e["kind"] for e in ledger["entries"]] == ["produce", "payment"]
    assert ledger["balance"] == 0
