import pytest

from coopchain.compliance.tests.support import deforestation_free, harvest, make_plot


@pytest.fixture
def coffee_plot(member, manager):
    plot = make_plot(member, "EA-01", by=manager)
    deforestation_free(plot, by=manager)
    return plot


@pytest.fixture
def harvest_lot(coffee_plot, manager):
    return harvest(coffee_plot, by=manager)
