"""Claims computed from a lot's origins and the certificates' scope and validity, never typed;
and each market's verdict with its reasons."""

from datetime import date

import pytest

from coopchain.compliance import services
from coopchain.compliance.claims import holding_claims, lot_claims
from coopchain.compliance.models import Certificate, Standard
from coopchain.compliance.readiness import lot_readiness
from coopchain.compliance.tests.support import blend, deforestation_free, harvest, make_plot
from coopchain.diary.tests.factories import make_product, spray
from coopchain.errors import InvalidInput


def certify(
    coop, manager, plots, *, standard=Standard.FOUR_C, valid_to=date(2027, 2, 28), number="4C-1"
):
    return services.create_certificate(
        organization=coop,
        data=services.CertificateData(
            standard=standard,
            holder_kind=Certificate.Holder.COOPERATIVE,
            number=number,
            certifier_name="An Tâm",
            valid_from=date(2024, 3, 1),
            valid_to=valid_to,
            plot_ids=tuple(p.pk for p in plots),
        ),
        by=manager,
    )


@pytest.fixture
def uncertified_plot(member, manager):
    plot = make_plot(member, "EA-02", by=manager, lon=108.040001)
    deforestation_free(plot, by=manager)
    return plot


def test_a_lot_from_certified_plots_claims_the_standard(coop, manager, coffee_plot, harvest_lot):
    certify(coop, manager, [coffee_plot])

    assert [c.standard for c in holding_claims(harvest_lot)] == [Standard.FOUR_C]


def test_mixing_a_certified_and_an_uncertified_plot_loses_the_claim(
    coop, manager, coffee_plot, uncertified_plot, harvest_lot
):
    certify(coop, manager, [coffee_plot])
    mixed = blend(coop, [harvest_lot, harvest(uncertified_plot, by=manager)], by=manager)

    (claim,) = lot_claims(mixed)

    assert not claim.holds
    assert "plot EA-02" in claim.reasons[0]
    assert "outside every certificate's scope" in claim.reasons[0]


def test_a_harvest_after_the_certificate_expired_claims_nothing(coop, manager, coffee_plot):
    certify(coop, manager, [coffee_plot], valid_to=date(2025, 6, 30))

    late = harvest(coffee_plot, by=manager, on=date(2025, 7, 1))
    in_time = harvest(coffee_plot, by=manager, on=date(2025, 6, 30))

    assert holding_claims(late) == []
    assert "was valid on 2025-07-01" in lot_claims(late)[0].reasons[0]
    assert [c.standard for c in holding_claims(in_time)] == [Standard.FOUR_C]


def test_a_withdrawn_certificate_claims_nothing(coop, manager, coffee_plot, harvest_lot):
    certificate = certify(coop, manager, [coffee_plot])

    services.change_certificate_status(
        certificate=certificate,
        status=Certificate.Status.WITHDRAWN,
        note="Quyết định thu hồi",
        by=manager,
    )

    assert holding_claims(harvest_lot) == []


def test_a_lot_the_diary_marks_not_eligible_loses_its_claims(coop, manager, coffee_plot):
    certify(coop, manager, [coffee_plot])
    paraquat = make_product(
        "Paraquat test 276 SL", kind="herbicide", banned=True, banned_reason="Banned"
    )
    spray(organization=coop, plot=coffee_plot, product=paraquat, on=date(2025, 10, 1), by=manager)

    lot = harvest(coffee_plot, by=manager, on=date(2025, 11, 10))

    (claim,) = lot_claims(lot)
    assert not claim.holds
    assert "is not eligible for certified claims" in claim.reasons[-1]


def test_a_scope_naming_another_cooperatives_plot_is_refused(
    coop, manager, other_coop, other_manager
):
    from coopchain.parties.tests.factories import MemberFactory

    foreign = make_plot(MemberFactory(organization=other_coop), "BV-01", by=other_manager)

    with pytest.raises(InvalidInput) as refused:
        certify(coop, manager, [foreign])

    assert [e.field for e in refused.value.errors] == ["plot_ids"]
    assert "BV-01" not in refused.value.errors[0].reason
    assert Certificate.objects.count() == 0


def test_readiness_per_market_with_reasons(
    coop, manager, coffee_plot, uncertified_plot, harvest_lot
):
    # EA-02 has land-use history but EA-03 has none: the EU's EUDR check fails on it.
    bare = make_plot(coffee_plot.member, "EA-03", by=manager, lon=108.050001)
    lot = blend(coop, [harvest_lot, harvest(bare, by=manager)], by=manager)

    verdicts = {r.market: r for r in lot_readiness(lot)}

    assert not verdicts["eu"].ready
    (unmet,) = verdicts["eu"].unmet
    assert (unmet.requirement.rule, unmet.reason) == ("eudr", "1 plot(s) fail: EA-03")
    assert verdicts["vn"].ready
    assert verdicts["us"].ready
    assert {
        r.status for r in verdicts["cn"].results if r.requirement.rule == "planting_area_code"
    } == {"not_applicable"}


def test_fresh_fruit_for_china_needs_planting_area_and_packing_house_codes(coop, manager, member):
    plot = make_plot(member, "SR-01", by=manager, crop="durian", planting_area_code="")
    lot = harvest(plot, by=manager, crop="durian", quantity="800")

    (china,) = lot_readiness(lot, ["cn"])

    unmet = {r.requirement.rule: r.reason for r in china.unmet}
    assert unmet["planting_area_code"] == "no code on plot(s) SR-01"
    assert unmet["packing_house_code"] == "no facility with a packing-house code handled the lot"
