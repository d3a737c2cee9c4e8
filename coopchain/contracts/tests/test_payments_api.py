"""Payment runs through /api/v1/: the review line by line, the second-person rule and its
refusal as a problem, the bank file and the statements of an approved run."""

import csv
import io
from datetime import date

import pytest

from coopchain.accounts.services import issue_api_token
from coopchain.contracts import services
from coopchain.parties.models import Role
from coopchain.parties.tenancy import SYSTEM
from coopchain.parties.tests.factories import UserFactory, grant


def bearer(user):
    _token, secret = issue_api_token(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def run(coop, member, manager):
    member.bank_bin, member.bank_account = "970418", "31410000123456"
    member.save()
    for kind, amount in (("produce", 6_000_000), ("advance", 1_000_000), ("inputs", 4_000_000)):
        services.add_ledger_entry(
            organization=coop,
            member=member,
            on=date(2025, 11, 10),
            kind=kind,
            amount=amount,
            description=kind,
            by=SYSTEM,
        )
    return services.prepare_payment_run(
        organization=coop,
        period_start=date(2025, 11, 1),
        period_end=date(2025, 11, 30),
        by=manager,
    )


def test_the_review_gives_each_deduction_in_order_within_the_limit(client, run, manager, member):
    review = client.get(f"/api/v1/payment-runs/{run.pk}/review", **bearer(manager)).json()

    line = review["lines"][0]
    assert review["recovery_order"] == ["fee", "advance", "inputs", "correction"]
    assert (line["member_code"], line["due"], line["limit"], line["pay"]) == (
        member.code,
        6_000_000,
        3_000_000,
        3_000_000,
    )
    assert line["deductions"] == [
        {"kind": "advance", "owed": 1_000_000, "taken": 1_000_000},
        {"kind": "inputs", "owed": 4_000_000, "taken": 2_000_000},
    ]
    assert line["still_owed"] == 2_000_000


def test_with_the_rule_on_the_preparer_is_refused_with_a_problem_that_says_why(
    client, run, manager, coop
):
    headers = bearer(manager)
    rule = client.put(
        f"/api/v1/organizations/{coop.pk}/payment-approval-rule",
        {"second_person": True},
        content_type="application/json",
        **headers,
    )
    refused = client.post(f"/api/v1/payment-runs/{run.pk}/approval", **headers)
    second = grant(UserFactory(username="second"), coop, Role.Name.MANAGER)
    approved = client.post(f"/api/v1/payment-runs/{run.pk}/approval", **bearer(second))

    assert rule.json() == {"organization_id": coop.pk, "second_person": True}
    assert refused.status_code == 403
    assert "another manager must approve it" in refused.json()["detail"]
    assert approved.json()["status"] == "approved"


def test_an_approved_runs_bank_file_and_statements_come_through_the_api(client, run, manager):
    headers = bearer(manager)
    draft_file = client.get(f"/api/v1/payment-runs/{run.pk}/bank-file?format=csv", **headers)
    services.approve_payment_run(run=run, by=manager)

    bank = client.get(f"/api/v1/payment-runs/{run.pk}/bank-file?format=csv", **headers)
    pdf = client.get(f"/api/v1/payment-runs/{run.pk}/statements.pdf", **headers)

    assert draft_file.status_code == 409
    rows = list(csv.reader(io.StringIO(bank.content.decode())))
    assert rows[1][2:6] == ["31410000123456", "BIDV", "970418", "3000000"]
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
