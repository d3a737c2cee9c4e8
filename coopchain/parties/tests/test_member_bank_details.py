"""A household's bank account: chosen from the list of banks, digits checked, kept as personal
data, and carried through the member page, the API and the members list in Excel."""

from datetime import date

import pytest
from django.urls import reverse

from coopchain.accounts.services import issue_api_token
from coopchain.errors import InvalidInput
from coopchain.parties import banks, exchange, services
from coopchain.parties.models import Member
from coopchain.parties.services import MemberData
from coopchain.parties.tests.factories import MemberFactory
from coopchain.parties.tests.sheets import MEMBER_HEADERS, member_row, read_xlsx, xlsx

AGRIBANK = "970405"


def household(**bank: str) -> MemberData:
    return MemberData(
        code="TV100", head_of_household="Y Bhim Niê", joined_on=date(2020, 1, 15), **bank
    )


def test_banks_are_found_by_short_name_code_bin_or_full_name_typed_loosely():
    assert banks.find_bank("agribank").bin == AGRIBANK
    assert banks.find_bank("VBA").bin == AGRIBANK
    assert banks.find_bank("970405").bin == AGRIBANK
    assert banks.find_bank("ngan hang nong nghiep va phat trien nong thon viet nam").bin == (
        AGRIBANK
    )
    assert banks.find_bank("LienVietPostBank").short_name == "LPBank"
    assert banks.find_bank("Ngân hàng Mặt Trăng") is None


def test_every_bank_has_a_six_digit_bin_of_its_own():
    bins = [bank.bin for bank in banks.BANKS]
    assert all(len(b) == 6 and b.isdigit() for b in bins)
    assert len(set(bins)) == len(bins)


def test_an_account_number_is_kept_as_digits_and_the_holder_defaults_to_the_head(coop, manager):
    member = services.create_member(
        organization=coop,
        data=household(bank_bin=AGRIBANK, bank_account="5200 2051 23456"),
        by=manager,
    )

    assert (member.bank.short_name, member.bank_account, member.bank_account_holder) == (
        "Agribank",
        "5200205123456",
        "Y Bhim Niê",
    )


@pytest.mark.parametrize(
    ("bank", "field", "reason"),
    [
        ({"bank_bin": AGRIBANK, "bank_account": "52002051A"}, "bank_account", "6 to 19 digits"),
        ({"bank_bin": AGRIBANK, "bank_account": "12345"}, "bank_account", "6 to 19 digits"),
        ({"bank_account": "5200205123456"}, "bank_bin", "required with an account number"),
        ({"bank_bin": AGRIBANK}, "bank_account", "required with a bank"),
        ({"bank_bin": "999999", "bank_account": "5200205123456"}, "bank_bin", "not a bank"),
    ],
)
def test_bad_bank_details_are_refused_by_field(coop, manager, bank, field, reason):
    with pytest.raises(InvalidInput) as refused:
        services.create_member(organization=coop, data=household(**bank), by=manager)

    assert [(e.field, reason in e.reason) for e in refused.value.errors] == [(field, True)]
    assert "5200205123456" not in str(refused.value)


def test_the_account_number_is_masked_like_a_national_id():
    member = Member(bank_account="5200205123456")

    assert member.bank_account_masked == "••••••••••456"


def test_the_manager_enters_bank_details_on_the_member_page(client, coop, manager):
    member = MemberFactory(organization=coop, head_of_household="H'Hoa Byă")
    client.force_login(manager)
    form = {
        "head_of_household": "H'Hoa Byă",
        "ward_code": "",
        "bank_bin": "970418",
        "bank_account": "31410000123456",
        "bank_account_holder": "",
    }

    client.post(reverse("parties:member_edit", args=[member.pk]), form)
    page = client.get(reverse("parties:member_detail", args=[member.pk])).content.decode()

    assert "BIDV · 31410000123456 · H&#x27;Hoa Byă" in page


def test_the_member_list_in_excel_carries_bank_details_and_a_masked_number_keeps_them(
    coop, manager, officer
):
    MemberFactory(organization=coop, code="TV001", bank_bin=AGRIBANK, bank_account="5200205123456")
    sheet = exchange._MemberSheet(coop)
    member = Member.objects.get(code="TV001")

    exported = read_xlsx(exchange.export_members(user=manager, organization=coop, fmt="xlsx"))
    masked_row = sheet.export_row(member, officer)
    masked_file = xlsx([MEMBER_HEADERS, [*masked_row[:10], "15/01/2020", *masked_row[11:]]])
    report = exchange.import_members(
        organization=coop, file=masked_file, filename="tv.xlsx", dry_run=False, by=manager
    )

    assert exported[1][-3:-1] == ["Agribank", "5200205123456"]
    assert masked_row[-2] == "••••••••••456"
    assert report.ok
    member.refresh_from_db()
    assert member.bank_account == "5200205123456"


def test_an_import_names_a_bank_it_does_not_know_without_repeating_the_account(coop, manager):
    rows = [
        MEMBER_HEADERS,
        member_row("TV001", **{"Ngân hàng": "Agribank", "Số tài khoản": "5200 205 123 456"}),
        member_row("TV002", **{"Ngân hàng": "Ngân hàng Mặt Trăng", "Số tài khoản": "123456789"}),
    ]

    report = exchange.import_members(
        organization=coop, file=xlsx(rows), filename="tv.xlsx", dry_run=True, by=manager
    )

    assert [(e.row, e.field) for e in report.errors] == [(3, "Ngân hàng")]
    assert "123456789" not in str(report.as_dict())


def test_the_api_gives_the_bank_and_takes_bank_details(client, coop, manager):
    _token, secret = issue_api_token(user=manager)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    created = client.post(
        f"/api/v1/organizations/{coop.pk}/members",
        {
            "code": "TV200",
            "head_of_household": "Nguyễn Văn An",
            "joined_on": "2020-01-15",
            "bank_bin": "970436",
            "bank_account": "0071000123456",
        },
        content_type="application/json",
        **headers,
    )
    refused = client.post(
        f"/api/v1/organizations/{coop.pk}/members",
        {
            "code": "TV201",
            "head_of_household": "Nguyễn Văn Bình",
            "joined_on": "2020-01-15",
            "bank_account": "0071000123457",
        },
        content_type="application/json",
        **headers,
    )

    body = created.json()
    assert (body["bank_name"], body["bank_account"], body["bank_account_holder"]) == (
        "Vietcombank",
        "0071000123456",
        "Nguyễn Văn An",
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "bank_bin"


def test_an_excel_cell_keeps_the_account_number_as_text(coop, manager):
    rows = [
        MEMBER_HEADERS,
        member_row("TV001", **{"Ngân hàng": "BIDV", "Số tài khoản": "0123456789"}),
    ]

    exchange.import_members(
        organization=coop, file=xlsx(rows), filename="tv.xlsx", dry_run=False, by=manager
    )

    assert Member.objects.get(code="TV001").bank_account == "0123456789"
