import pytest

from coopchain.land.crops import SEED_CROPS
from coopchain.land.models import Crop

pytestmark = pytest.mark.django_db


def test_the_catalogue_is_seeded_with_hs_heading_hints():
    assert Crop.objects.count() == len(SEED_CROPS)
    assert Crop.objects.get(code="coffee-robusta").hs_heading == "0901"
    assert Crop.objects.get(code="cinnamon").hs_heading == "0906"


def test_coffee_is_an_eudr_commodity_and_cinnamon_is_not():
    assert Crop.objects.get(code="coffee-arabica").eudr_commodity == Crop.Commodity.COFFEE
    assert Crop.objects.get(code="cinnamon").eudr_commodity == ""


def test_a_crop_is_named_in_the_language_in_use():
    from django.utils import translation

    crop = Crop.objects.get(code="cinnamon")
    with translation.override("vi"):
        assert str(crop) == "Quế"
    with translation.override("en"):
        assert str(crop) == "Cinnamon (cassia)"
