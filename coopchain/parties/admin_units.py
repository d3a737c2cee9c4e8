"""The provinces and communes/wards of the 2025 administration, from `vietnam-provinces`.

Codes are the official ones, zero-padded: provinces 2 digits, communes/wards 5.
"""

from typing import Any

from coopchain.lib.text import fold


def load_admin_units(admin_unit_model: Any) -> int:
    """Insert the units that are missing; existing rows keep their codes. Returns how many."""
    from vietnam_provinces import Province, Ward

    existing = set(admin_unit_model.objects.values_list("code", flat=True))
    provinces = [
        admin_unit_model(
            code=f"{p.code.value:02d}",
            name=p.name,
            division_type=p.division_type.value,
            level="province",
            search_name=fold(p.name),
        )
        for p in Province.iter_all()
        if f"{p.code.value:02d}" not in existing
    ]
    admin_unit_model.objects.bulk_create(provinces, batch_size=500)
    wards = [
        admin_unit_model(
            code=f"{w.code.value:05d}",
            name=w.name,
            division_type=w.division_type.value,
            level="ward",
            province_id=f"{w.province_code.value:02d}",
            search_name=fold(w.name),
        )
        for w in Ward.iter_all()
        if f"{w.code.value:05d}" not in existing
    ]
    admin_unit_model.objects.bulk_create(wards, batch_size=500)
    return len(provinces) + len(wards)
