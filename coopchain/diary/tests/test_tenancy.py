"""Who may read and write which diary: the household, its cooperative, and nobody else."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coopchain.diary import selectors
from coopchain.diary.models import Activity, LotEligibility
from coopchain.diary.tests.factories import harvest, make_plot, make_product, spray
from coopchain.errors import Forbidden, InvalidInput, NotFound
from coopchain.parties.models import Role
from coopchain.parties.tenancy import get_scoped
from coopchain.parties.tests.factories import MemberFactory, UserFactory, grant

DAY = timezone.localdate() - timedelta(days=5)


@pytest.fixture
def neighbour_plot(coop):
    return make_plot(MemberFactory(organization=coop), "HANG-XOM", crop="coffee-robusta")


def test_a_farmer_records_on_their_own_plot_but_not_on_a_neighbours(
    coop, farmer, plot, neighbour_plot, abamectin
):
    mine = spray(organization=coop, plot=plot, product=abamectin, on=DAY, by=farmer)

    with pytest.raises(InvalidInput) as refused:
        spray(organization=coop, plot=neighbour_plot, product=abamectin, on=DAY, by=farmer)

    assert mine.recorded_by == farmer
    assert refused.value.errors[0].field == "plots"
    assert Activity.objects.count() == 1


def test_a_farmer_sees_only_their_households_entries_and_lots(
    coop, farmer, staff, plot, neighbour_plot, abamectin
):
    mine = spray(organization=coop, plot=plot, product=abamectin, on=DAY, by=staff)
    theirs = harvest(organization=coop, plot=neighbour_plot, on=DAY, by=staff)

    assert list(selectors.activities(farmer)) == [mine]
    with pytest.raises(NotFound):
        get_scoped(Activity.objects.all(), farmer, pk=theirs.pk)
    with pytest.raises(NotFound):
        get_scoped(LotEligibility.objects.all(), farmer, lot_id=theirs.lot_id)
    assert {a.pk for a in selectors.activities(staff)} == {mine.pk, theirs.pk}


def test_another_cooperative_neither_sees_nor_records(coop, staff, other_manager, plot, abamectin):
    entry = spray(organization=coop, plot=plot, product=abamectin, on=DAY, by=staff)

    assert not selectors.activities(other_manager).exists()
    with pytest.raises(NotFound):
        get_scoped(Activity.objects.all(), other_manager, pk=entry.pk)
    with pytest.raises(InvalidInput):
        spray(organization=coop, plot=plot, product=abamectin, on=DAY, by=other_manager)


def test_a_cooperatives_own_product_cannot_be_used_by_another(
    coop, other_coop, other_manager, abamectin
):
    private = make_product("Thuốc riêng", organization=coop, phi={"coffee-robusta": 7})
    other_plot = make_plot(MemberFactory(organization=other_coop), "BV-1", crop="coffee-robusta")

    with pytest.raises(InvalidInput) as refused:
        spray(organization=other_coop, plot=other_plot, product=private, on=DAY, by=other_manager)

    assert refused.value.errors[0].field == "lines.0.product"


def test_an_auditor_reads_the_diary_but_cannot_write_it(coop, staff, plot, abamectin):
    auditor = grant(UserFactory(username="kiem_dinh"), coop, Role.Name.AUDITOR)
    entry = spray(organization=coop, plot=plot, product=abamectin, on=DAY, by=staff)

    assert list(selectors.activities(auditor)) == [entry]
    with pytest.raises(Forbidden):
        spray(organization=coop, plot=plot, product=abamectin, on=DAY, by=auditor)


def test_an_officer_sees_no_diary(coop, staff, officer, plot, abamectin):
    spray(organization=coop, plot=plot, product=abamectin, on=DAY, by=staff)

    assert not selectors.activities(officer).exists()
    assert selectors.findings_list(officer, organization=None) == []
