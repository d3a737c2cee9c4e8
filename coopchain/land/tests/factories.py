from decimal import Decimal

import factory

from coopchain.land.models import Plot
from coopchain.land.tests.shapes import square
from coopchain.lib.geometry import check_geometry
from coopchain.parties.tests.factories import MemberFactory


class PlotFactory(factory.django.DjangoModelFactory):
    """A plot saved directly, with its geometry's computed fields (no overlap check)."""

    class Meta:
        model = Plot

    class Params:
        lon_offset = factory.Sequence(lambda n: n * 0.002)

    member = factory.SubFactory(MemberFactory)
    organization = factory.LazyAttribute(lambda p: p.member.organization)
    code = factory.Sequence(lambda n: f"L{n:04d}")
    name = factory.Sequence(lambda n: f"Rẫy số {n}")
    ward = factory.LazyAttribute(lambda p: p.member.ward)
    geometry = factory.LazyAttribute(lambda p: square(lon=108.030001 + p.lon_offset))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        checked = check_geometry(
            kwargs["geometry"], declared_area_ha=kwargs.get("declared_area_ha")
        )
        assert checked.ok, checked.findings
        lon, lat = checked.centroid
        kwargs.update(
            geometry=checked.geometry,
            shape=checked.kind,
            area_ha=checked.area_ha,
            centroid_lon=Decimal(f"{lon:.6f}"),
            centroid_lat=Decimal(f"{lat:.6f}"),
            bbox_min_lon=checked.bbox[0],
            bbox_min_lat=checked.bbox[1],
            bbox_max_lon=checked.bbox[2],
            bbox_max_lat=checked.bbox[3],
        )
        return super()._create(model_class, *args, **kwargs)
