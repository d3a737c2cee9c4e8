"""A small coffee chain in Đắk Lắk, recorded the way the ledger records one."""

from dataclasses import dataclass

import pytest

from coopchain.parties.models import Member, Organization, Role
from coopchain.parties.tests.factories import (
    EnterpriseFactory,
    FacilityFactory,
    MemberFactory,
    UserFactory,
    grant,
)
from coopchain.trace.models import Event, Lot
from coopchain.trace.tests import factories as f


@dataclass
class CoffeeChain:
    coop: Organization
    exporter: Organization
    roaster: Organization
    members: list[Member]
    harvests: list[Lot]
    green: Lot
    export_lot: Lot
    container: Lot
    hulling: Event
    sale: Event
    export_shipment: Event


@pytest.fixture
def exporter(db):
    return EnterpriseFactory(name="Công ty Xuất khẩu Cà phê Tây Nguyên", province_code="66")


@pytest.fixture
def exporter_manager(exporter):
    return grant(UserFactory(username="exporter_manager"), exporter, Role.Name.MANAGER)


@pytest.fixture
def roaster(db):
    return EnterpriseFactory(name="Rang xay Sài Gòn", province_code="79")


@pytest.fixture
def roaster_manager(roaster):
    return grant(UserFactory(username="roaster_manager"), roaster, Role.Name.MANAGER)


@pytest.fixture
def chain(coop, exporter, roaster, member) -> CoffeeChain:
    """Three households' cherry -> the cooperative's green coffee -> the exporter's export
    lot -> a container shipped to the roaster."""
    cherry = f.ProductFactory(organization=coop, name="Cà phê quả tươi", commodity="coffee_cherry")
    green = f.ProductFactory(organization=coop, name="Cà phê nhân", commodity="green_coffee")
    export = f.ProductFactory(
        organization=exporter, name="Robusta S18 xuất khẩu", commodity="green_coffee"
    )
    plant = FacilityFactory(organization=coop, name="Xưởng sơ chế Ea Tul")
    members = [member, MemberFactory(organization=coop), MemberFactory(organization=coop)]
    harvests = [
        f.harvest(m, product=cherry, quantity=q)
        for m, q in zip(members, (500, 700, 800), strict=True)
    ]
    green_lot = f.process(coop, harvests, product=green, quantity=400, location=plant.location_uri)
    hulling = green_lot_event(green_lot)
    sale = f.ship(coop, [green_lot], to=exporter)
    f.receive(exporter, [green_lot])
    export_lot = f.process(exporter, [green_lot], product=export, quantity=400)
    container = f.new_lot(exporter, lot_number="CONT-001")
    f.aggregate(exporter, [export_lot], container)
    export_shipment = f.ship(exporter, [container], to=roaster)
    return CoffeeChain(
        coop=coop,
        exporter=exporter,
        roaster=roaster,
        members=members,
        harvests=harvests,
        green=green_lot,
        export_lot=export_lot,
        container=container,
        hulling=hulling,
        sale=sale,
        export_shipment=export_shipment,
    )


def green_lot_event(lot: Lot) -> Event:
    return Event.objects.get(event_objects__lot=lot, event_objects__role="output_class")
