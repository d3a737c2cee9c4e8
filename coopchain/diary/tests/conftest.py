import pytest

from coopchain.diary.tests.factories import make_plot, make_product


@pytest.fixture
def plot(member):
    return make_plot(member, "EA-01", crop="coffee-robusta")


@pytest.fixture
def abamectin(db):
    return make_product(phi={"coffee-robusta": 14}, max_dose_per_ha="0.5", dose_unit="LTR")


@pytest.fixture
def paraquat(db):
    return make_product(
        "Paraquat test 20 SL",
        kind="herbicide",
        banned=True,
        banned_reason="Decision 278/QĐ-BNN-BVTV",
    )
