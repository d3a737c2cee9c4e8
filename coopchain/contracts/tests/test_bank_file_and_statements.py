"""An approved run goes to the bank as a file (CSV and Excel) and to each member as a statement
in Vietnamese (a page to print and a PDF); members without a bank account are paid in cash."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from coopchain.contracts import bank_export, services, statements
from coopchain.errors import Conflict
from coopchain.parties.models import Member
from coopchain.parties.tenancy import SYSTEM
from coopchain.parties.tests.factories import MemberFactory

NOV_1, NOV_10, NOV_30 = date(2025, 11, 1), date(2025, 11, 10), date(2025, 11, 30)


def entry(member, kind, amount, description):
    services.add_ledger_entry(
        organization=member.organization,
        member=member,
        on=NOV_10,
        kind=kind,
        amount=amount,
        description=description,
        by=SYSTEM,
    )


@pytest.fixture
def run(coop, member, manager):
    """Đào banks at Agribank: 10,000,000 for coffee less a 500,000 fee and 1,000,000 of
    fertiliser. Bình has no account: 3,000,000 for coffee, paid in cash."""
    member.bank_bin, member.bank_account = "970405", "0052002051234"
    member.bank_account_holder = "Nguyễn Thị Đào"
    member.save()
    cash_member = MemberFactory(organization=coop, code="TV900", head_of_household="Lê Văn Bình")
    entry(member, "produce", 10_000_000, "Cà phê tươi 1.000 kg")
    entry(member, "fee", 500_000, "Phí dịch vụ năm 2025")
    entry(member, "inputs", 1_000_000, "Phân bón NPK")
    entry(cash_member, "produce", 3_000_000, "Cà phê tươi 300 kg")
    run = services.prepare_payment_run(
        organization=coop, period_start=NOV_1, period_end=NOV_30, by=manager
    )
    return services.approve_payment_run(run=run, by=manager)


def test_the_bank_csv_has_one_transfer_per_account_in_ascii_and_whole_dong(run, member):
    rows = list(csv.reader(io.StringIO(bank_export.export_csv(run).decode("ascii"))))

    assert rows[0] == list(bank_export.TRANSFER_HEADERS)
    assert len(rows) == 2
    number, holder, account, bank, bin_, amount, description, code = rows[1]
    assert (holder, account, bank, bin_, amount, code) == (
        "NGUYEN THI DAO",
        "0052002051234",
        "Agribank",
        "970405",
        "8500000",
        member.code,
    )
    assert description.isascii()
    assert description.endswith(f"TT {member.code} KY 01/11-30/11/2025")


def test_members_without_an_account_are_listed_apart_for_cash(run):
    rows = list(csv.reader(io.StringIO(bank_export.export_csv(run, cash=True).decode())))

    assert rows[0] == list(bank_export.CASH_HEADERS)
    assert [r[1:4] for r in rows[1:]] == [["TV900", "Lê Văn Bình", "3000000"]]


def test_the_bank_workbook_keeps_the_leading_zero_and_lists_cash_on_its_own_sheet(run):
    book = load_workbook(io.BytesIO(bank_export.export_xlsx(run)))

    transfers, cash = book["Chuyen khoan"], book["Tien mat"]
    row = [c.value for c in transfers[2]]
    assert row[2] == "0052002051234"
    assert row[5] == 8_500_000
    assert transfers.max_row == 2
    assert [c.value for c in cash[2]][1:4] == ["TV900", "Lê Văn Bình", 3_000_000]
    transfer_total = sum(r[5] for r in transfers.iter_rows(min_row=2, values_only=True))
    cash_total = sum(r[3] for r in cash.iter_rows(min_row=2, values_only=True))
    assert transfer_total + cash_total == 11_500_000


def test_ascii_text_drops_diacritics_and_characters_a_transfer_cannot_carry():
    assert bank_export.ascii_text("HTX Cà phê Ea Tul, Đắk Lắk (2025)") == (
        "HTX Ca phe Ea Tul Dak Lak 2025"
    )
    assert bank_export.ascii_text("H'Hoa Byă") == "HHoa Bya"


def test_a_draft_run_does_not_go_to_the_bank(client, coop, member, manager):
    entry(member, "produce", 1_000_000, "Cà phê")
    draft = services.prepare_payment_run(
        organization=coop, period_start=NOV_1, period_end=NOV_30, by=manager
    )
    client.force_login(manager)

    with pytest.raises(Conflict):
        bank_export.export_xlsx(draft)
    answer = client.get(reverse("contracts:payment_bank_file", args=[draft.pk]), follow=True)

    assert "Only an approved payment run goes to the bank; approve this one first." in (
        answer.content.decode()
    )


def test_the_manager_downloads_the_bank_file_and_a_collector_cannot(client, run, coop):
    from coopchain.parties.models import Role
    from coopchain.parties.tests.factories import UserFactory, grant

    collector = grant(UserFactory(username="collector"), coop, Role.Name.COLLECTOR)
    url = reverse("contracts:payment_bank_file", args=[run.pk])
    client.force_login(run.approved_by)
    download = client.get(url, {"format": "csv"})
    client.force_login(collector)
    refused = client.get(url, {"format": "csv"})

    assert download["Content-Disposition"].startswith('attachment; filename="chuyen-khoan-')
    assert b"0052002051234" in download.content
    assert refused.status_code == 403


def test_the_printable_statement_is_in_vietnamese_with_each_figure(client, run, member, manager):
    client.force_login(manager)

    page = client.get(reverse("contracts:statements", args=[run.pk])).content.decode()

    mine = page.split(f'id="statement-{member.code}"')[1].split("</article>")[0]
    assert "PHIẾU THANH TOÁN CHO THÀNH VIÊN" in mine
    for shown in (
        "Nông sản HTX mua: Cà phê tươi 1.000 kg",
        "10.000.000 đ",
        "Phí (nợ 500.000 đ)",
        "Vật tư bán chịu (nợ 1.000.000 đ)",
        "− 1.500.000 đ",
        "8.500.000 đ",
        "Agribank ••••••••••234",
    ):
        assert shown in mine
    assert "0052002051234" not in page
    assert 'id="statement-TV900"' in page


def test_the_statement_pdf_has_one_page_per_member_and_the_sums(client, run, member, manager):
    client.force_login(manager)

    answer = client.get(reverse("contracts:statements", args=[run.pk]), {"format": "pdf"})

    assert answer["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(answer.content))
    assert len(reader.pages) == 2
    first = " ".join(reader.pages[0].extract_text().split())
    for shown in (
        "PHIẾU THANH TOÁN CHO THÀNH VIÊN",
        member.head_of_household,
        "10.000.000 đ",
        "− 1.500.000 đ",
        "8.500.000 đ",
        "Thành viên ký nhận",
    ):
        assert shown in first
    assert "Tiền mặt tại HTX" in reader.pages[1].extract_text()


def test_one_members_statement_is_printed_alone(run, member):
    chosen = statements.statements(run, member.code)

    assert [s.line.member for s in chosen] == [member]
    assert [(d.label, d.taken) for d in chosen[0].deductions] == [
        ("Phí", 500_000),
        ("Vật tư bán chịu", 1_000_000),
    ]


def test_a_farmer_opens_their_own_statement_from_the_passbook_and_no_one_elses(
    client, run, member, farmer, coop
):
    cash_member = Member.objects.get(code="TV900")
    client.force_login(farmer)

    passbook = client.get(reverse("contracts:passbook", args=[member.pk])).content.decode()
    own = client.get(reverse("contracts:member_statement", args=[member.pk, run.pk]))
    neighbour = client.get(reverse("contracts:member_statement", args=[cash_member.pk, run.pk]))

    assert reverse("contracts:member_statement", args=[member.pk, run.pk]) in passbook
    text = PdfReader(io.BytesIO(own.content)).pages[0].extract_text()
    assert "8.500.000 đ" in " ".join(text.split())
    assert neighbour.status_code == 404


def test_a_draft_runs_statement_is_not_given_to_the_member(client, coop, member, farmer, manager):
    entry(member, "produce", 1_000_000, "Cà phê")
    draft = services.prepare_payment_run(
        organization=coop, period_start=NOV_1, period_end=NOV_30, by=manager
    )
    client.force_login(farmer)

    answer = client.get(reverse("contracts:member_statement", args=[member.pk, draft.pk]))

    assert answer.status_code == 404
