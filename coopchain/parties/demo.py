"""The demo world behind `coopchain demo`: the cooperatives, enterprises, officers and
member households of the documents the project grew from, and a user for every role.

Everything is keyed by its natural key (tax code, member code within its cooperative,
facility code, username) and generated from fixed seeds, so loading twice changes nothing.
"""

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import translation

from coopchain.lib.text import fold
from coopchain.parties import services
from coopchain.parties.models import (
    AdminUnit,
    Facility,
    Member,
    Membership,
    Organization,
    Role,
)
from coopchain.parties.services import FacilityData, MemberData
from coopchain.parties.tenancy import SYSTEM

DEMO_PASSWORD = "coopchain-demo"  # noqa: S105 - published in the README for trying the platform

# --- Organizations ------------------------------------------------------------------------

COFFEE = "coffee"
DAK_LIENG = "dak_lieng"
DAIRY = "dairy"
CINNAMON = "cinnamon"
VEGETABLES = "vegetables"
DIEN_BIEN = "dien_bien"
MUONG_LUAN = "muong_luan"
PROCESSOR = "processor"
EXPORTER = "exporter"
AUTHORITY = "authority"
CERTIFIER = "certifier"

ACTIVE = Organization.Status.ACTIVE
SUSPENDED = Organization.Status.SUSPENDED
DISSOLVED = Organization.Status.DISSOLVED


@dataclass(frozen=True)
class StatusChange:
    status: str
    effective_on: date
    note: str


@dataclass(frozen=True)
class OrgPlan:
    key: str
    kind: str
    name: str
    short_name: str
    tax_code: str
    province_code: str
    ward: str  # the commune/ward's name; empty for a provincial authority
    founded_on: date
    history: tuple[StatusChange, ...] = ()


ORGANIZATIONS: tuple[OrgPlan, ...] = (
    OrgPlan(
        COFFEE,
        Organization.Kind.COOPERATIVE,
        "Hợp tác xã Nông nghiệp Dịch vụ Cà phê Ea Tul",
        "HTX Cà phê Ea Tul",
        "6001432178",
        "66",
        "Xã Ea Tul",
        date(2014, 3, 18),
    ),
    OrgPlan(
        DAK_LIENG,
        Organization.Kind.COOPERATIVE,
        "Hợp tác xã Nông nghiệp Đắk Liêng",
        "HTX Đắk Liêng",
        "6001689254",
        "66",
        "Xã Đắk Liêng",
        date(2019, 8, 12),
    ),
    OrgPlan(
        DAIRY,
        Organization.Kind.COOPERATIVE,
        "Hợp tác xã Chăn nuôi Bò sữa Ba Vì",
        "HTX Bò sữa Ba Vì",
        "0500563184",
        "01",
        "Xã Ba Vì",
        date(2009, 6, 5),
    ),
    OrgPlan(
        CINNAMON,
        Organization.Kind.COOPERATIVE,
        "Hợp tác xã Quế hồi Hữu cơ Trấn Yên",
        "HTX Quế Trấn Yên",
        "5200834615",
        "15",
        "Xã Trấn Yên",
        date(2016, 5, 20),
    ),
    OrgPlan(
        VEGETABLES,
        Organization.Kind.COOPERATIVE,
        "Hợp tác xã Rau an toàn Lâm Thao",
        "HTX Rau Lâm Thao",
        "2600951372",
        "25",
        "Xã Lâm Thao",
        date(2016, 2, 15),
    ),
    OrgPlan(
        DIEN_BIEN,
        Organization.Kind.COOPERATIVE,
        "Hợp tác xã Rau quả Mường Thanh",
        "HTX Rau quả Mường Thanh",
        "5600247819",
        "11",
        "Phường Mường Thanh",
        date(2015, 4, 10),
        history=(
            StatusChange(
                SUSPENDED,
                date(2021, 7, 1),
                "Tạm ngừng hoạt động: thiếu vốn, rau VietGAP không cạnh tranh được về giá",
            ),
            StatusChange(
                ACTIVE,
                date(2023, 3, 1),
                "Đại hội thành viên bầu giám đốc mới, hoạt động trở lại",
            ),
            StatusChange(
                SUSPENDED,
                date(2025, 5, 1),
                "Tạm ngừng hoạt động: giá bán không bù được chi phí sản xuất",
            ),
        ),
    ),
    OrgPlan(
        MUONG_LUAN,
        Organization.Kind.COOPERATIVE,
        "Hợp tác xã Dịch vụ Nông nghiệp Tổng hợp Mường Luân",
        "HTX Mường Luân",
        "5600312564",
        "11",
        "Xã Mường Luân",
        date(2022, 3, 15),
        history=(
            StatusChange(
                SUSPENDED,
                date(2024, 9, 1),
                "Sản xuất, tiêu thụ kém hiệu quả; không có hợp đồng bao tiêu dài hạn",
            ),
            StatusChange(
                DISSOLVED,
                date(2025, 4, 30),
                "Giải thể theo nghị quyết đại hội thành viên",
            ),
        ),
    ),
    OrgPlan(
        PROCESSOR,
        Organization.Kind.ENTERPRISE,
        "Công ty Cổ phần Sữa Tản Viên",
        "Sữa Tản Viên",
        "0500412736",
        "01",
        "Phường Sơn Tây",
        date(2005, 9, 1),
    ),
    OrgPlan(
        EXPORTER,
        Organization.Kind.ENTERPRISE,
        "Công ty TNHH Cà phê Xuất khẩu Ban Mê",
        "Cà phê Ban Mê",
        "6000458713",
        "66",
        "Xã Hòa Phú",
        date(2003, 11, 20),
    ),
    OrgPlan(
        AUTHORITY,
        Organization.Kind.AUTHORITY,
        "Sở Nông nghiệp và Môi trường tỉnh Đắk Lắk",
        "Sở NN&MT Đắk Lắk",
        "6000201394",
        "66",
        "",
        # The department of agriculture and that of natural resources merged in March 2025.
        date(2025, 3, 1),
    ),
    OrgPlan(
        CERTIFIER,
        Organization.Kind.CERTIFIER,
        "Công ty Cổ phần Chứng nhận Nông sản An Tâm",
        "Chứng nhận An Tâm",
        "0105893214",
        "01",
        "Phường Cầu Giấy",
        date(2012, 7, 9),
    ),
)

ORGANIZATION_PLANS = {plan.key: plan for plan in ORGANIZATIONS}


# --- Facilities ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FacilityPlan:
    organization: str
    code: str
    kind: str
    name: str
    province_code: str
    ward: str
    address: str
    latitude: str
    longitude: str
    packing_house_code: str = ""


CENTRE = Facility.Kind.COLLECTION_CENTRE
WAREHOUSE = Facility.Kind.WAREHOUSE
PLANT = Facility.Kind.PROCESSING_PLANT
PACKING = Facility.Kind.PACKING_HOUSE

FACILITIES: tuple[FacilityPlan, ...] = (
    FacilityPlan(COFFEE, "ET-TM01", CENTRE, "Điểm thu mua cà phê Ea Tul", "66", "Xã Ea Tul", "Buôn Tul A", "12.803400", "108.136200"),
    FacilityPlan(COFFEE, "ET-TM02", CENTRE, "Điểm thu mua cà phê Ea Kiết", "66", "Xã Ea Kiết", "Thôn 4", "12.871500", "107.962800"),
    FacilityPlan(COFFEE, "ET-KHO1", WAREHOUSE, "Kho cà phê nhân Ea Tul", "66", "Xã Ea Tul", "Thôn 2", "12.798100", "108.129700"),
    FacilityPlan(DAK_LIENG, "DL-KHO1", WAREHOUSE, "Kho nông sản Đắk Liêng", "66", "Xã Đắk Liêng", "Buôn Dơng Bắk", "12.448900", "108.118400"),
    FacilityPlan(DAIRY, "BV-TG01", CENTRE, "Điểm thu gom sữa Ba Vì", "01", "Xã Ba Vì", "Thôn Yên Khoái", "21.081200", "105.372600"),
    FacilityPlan(DAIRY, "BV-TG02", CENTRE, "Điểm thu gom sữa Yên Bài", "01", "Xã Yên Bài", "Thôn Mít", "21.058700", "105.421300"),
    FacilityPlan(DAIRY, "BV-KHO1", WAREHOUSE, "Kho thức ăn chăn nuôi Ba Vì", "01", "Xã Ba Vì", "Thôn Yên Khoái", "21.083900", "105.369100"),
    FacilityPlan(CINNAMON, "QY-XS01", PLANT, "Xưởng sơ chế quế hữu cơ Đào Thịnh", "15", "Xã Trấn Yên", "Thôn Đào Thịnh", "21.771300", "104.796500"),
    FacilityPlan(CINNAMON, "QY-KHO1", WAREHOUSE, "Kho quế khô Trấn Yên", "15", "Xã Trấn Yên", "Thôn Đào Thịnh", "21.769800", "104.798900"),
    FacilityPlan(CINNAMON, "QY-TM01", CENTRE, "Điểm thu mua vỏ quế Mậu A", "15", "Xã Mậu A", "Thôn Đại Thắng", "21.878600", "104.690200"),
    FacilityPlan(VEGETABLES, "LT-DG01", PACKING, "Nhà sơ chế, đóng gói rau an toàn Lâm Thao", "25", "Xã Lâm Thao", "Khu 4", "21.316400", "105.298700", "VNPH-25-0147"),
    FacilityPlan(VEGETABLES, "LT-KHO1", WAREHOUSE, "Kho lạnh rau Lâm Thao", "25", "Xã Lâm Thao", "Khu 4", "21.317100", "105.299500"),
    FacilityPlan(DIEN_BIEN, "MT-KHO1", WAREHOUSE, "Kho sơ chế rau quả Mường Thanh", "11", "Phường Mường Thanh", "Tổ dân phố 9", "21.384600", "103.018900"),
    FacilityPlan(PROCESSOR, "TV-NM01", PLANT, "Nhà máy sữa Tản Viên", "01", "Phường Sơn Tây", "Đường Phú Hà", "21.134700", "105.497200"),
    FacilityPlan(PROCESSOR, "TV-KHO1", WAREHOUSE, "Kho lạnh thành phẩm Sơn Tây", "01", "Phường Sơn Tây", "Đường Phú Hà", "21.135900", "105.499800"),
    FacilityPlan(EXPORTER, "BM-NM01", PLANT, "Nhà máy chế biến cà phê nhân xuất khẩu Hòa Phú", "66", "Xã Hòa Phú", "Thôn 7", "12.602300", "107.986400"),
    FacilityPlan(EXPORTER, "BM-KHO1", WAREHOUSE, "Kho cà phê xuất khẩu Hòa Phú", "66", "Xã Hòa Phú", "Thôn 7", "12.603900", "107.984100"),
)  # fmt: skip


# --- Names --------------------------------------------------------------------------------

MALE = Member.Gender.MALE
FEMALE = Member.Gender.FEMALE
Weighted = tuple[tuple[str, int], ...]

KINH_FAMILIES: Weighted = (
    ("Nguyễn", 31), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Phan", 4),
    ("Vũ", 4), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 1), ("Ngô", 1), ("Dương", 1),
    ("Đinh", 1), ("Lương", 1), ("Trịnh", 1),
)  # fmt: skip
# Settlers from the centre brought their family names to the highlands.
CENTRAL_FAMILIES: Weighted = (("Võ", 4), ("Huỳnh", 2), ("Phan", 2), ("Hồ", 1))
# Family names of the old Sơn Tây land around Ba Vì.
SON_TAY_FAMILIES: Weighted = (("Phùng", 5), ("Khuất", 4), ("Kiều", 3), ("Đỗ", 3))
KINH_MIDDLE = {
    MALE: (("Văn", 40), ("Đình", 8), ("Hữu", 8), ("Đức", 8), ("Minh", 6), ("Quang", 6),
           ("Công", 5), ("Xuân", 5), ("Ngọc", 4), ("Thanh", 4), ("Bá", 3), ("Trọng", 3)),
    FEMALE: (("Thị", 70), ("Ngọc", 6), ("Thu", 6), ("Thanh", 5), ("Kim", 4), ("Hồng", 5),
             ("Minh", 4)),
}  # fmt: skip
KINH_GIVEN = {
    MALE: ("Hùng", "Dũng", "Tuấn", "Minh", "Nam", "Thắng", "Cường", "Hải", "Sơn", "Long",
           "Quân", "Phúc", "Tâm", "Toàn", "Bình", "Hòa", "Khánh", "Lợi", "Nghĩa", "Thành",
           "Tiến", "Trung", "Vinh", "Đạt", "Hiếu", "Lâm", "Phong", "Quyết", "Thịnh", "Tùng",
           "Hưng", "Kiên", "Lực", "Mạnh", "Sáng", "Tài", "Thuận", "Tú", "Việt", "Chiến",
           "Hậu", "Luận", "Tuyên", "Đông"),
    FEMALE: ("Lan", "Hương", "Hoa", "Mai", "Hằng", "Thảo", "Nga", "Loan", "Dung", "Huệ",
             "Liên", "Nhung", "Phượng", "Thủy", "Yến", "Hạnh", "Tuyết", "Xuân", "Oanh",
             "Đào", "Lụa", "Hiền", "Thơm", "Nhàn", "Chinh", "Thắm", "Vân", "Gấm", "Liễu",
             "Quyên", "Sen"),
}  # fmt: skip
EDE_CLANS = ("Niê", "Êban", "Mlô", "Byă", "Ksơr", "Adrơng", "Hđơk", "Mdrang", "Knul",
             "Ktla", "Kbuôr", "Ayŭn", "Hmok", "Buôn Yă", "Ênuôl", "Niê Kdăm", "Êya")  # fmt: skip
EDE_GIVEN = {
    MALE: ("Bhim", "Jút", "Khoa", "Wai", "Blin", "Kông", "Ngông", "Dhăm", "Brơm", "Sinh",
           "Thuân", "Điêng", "Ông", "Nguêh", "Kriêng", "Phi", "Yơn", "Bliêng"),
    FEMALE: ("Linh", "Hen", "Ngun", "Bla", "Yam", "Nhi", "Duen", "Mai", "Xíu", "Bhiết",
             "Lin", "Nga", "Juen", "Rin", "Đăm", "Hlin"),
}  # fmt: skip
MNONG_CLANS = ("Bkrông", "Liêng Hót", "Rơ Ông", "Mlô", "Liêng", "Ndu", "Bon Jốc")
MNONG_GIVEN = {
    MALE: ("Thanh", "Nhơi", "Pri", "Brông", "Ju", "Krang", "Dũng", "Hiu", "Lăng", "Tơr"),
    FEMALE: ("Thủy", "Ruth", "Mơ", "Blăm", "Nguyên", "Hương", "Sri", "Nhung"),
}  # fmt: skip
THAI_FAMILIES = (("Lò", 6), ("Lường", 4), ("Quàng", 4), ("Cà", 3), ("Tòng", 3), ("Lù", 2),
                 ("Điêu", 2), ("Bạc", 1), ("Vì", 2))  # fmt: skip
THAI_GIVEN = {
    MALE: ("Đức", "Pọm", "Inh", "Khánh", "Xôm", "Tiến", "Ún", "Pánh", "Chăn", "Hặc", "Minh",
           "Phong", "Thoát", "Ngoan", "Hoan", "Bun"),
    FEMALE: ("Ơn", "Xiêng", "Ánh", "Hoa", "Biên", "Thoan", "Dung", "Lả", "Ỏn", "Xuân",
             "Hương", "Ngân", "Phương"),
}  # fmt: skip
HMONG_FAMILIES = (("Giàng", 5), ("Sùng", 4), ("Vàng", 4), ("Mùa", 3), ("Thào", 3), ("Lý", 2),
                  ("Hạng", 2), ("Cứ", 1), ("Lầu", 2), ("Vừ", 2), ("Sình", 1), ("Tráng", 1))  # fmt: skip
HMONG_GIVEN = {
    MALE: ("A Páo", "A Dình", "A Lử", "A Sử", "Seo Chứ", "A Pó", "A Dế", "A Tủa", "Seo Của",
           "A Chồng", "A Lồng"),
    FEMALE: ("Thị Mỷ", "Thị Dở", "Thị Sua", "Thị Chá", "Thị Pà", "Thị Máy", "Thị Say",
             "Thị Dua"),
}  # fmt: skip
DAO_FAMILIES = (("Triệu", 5), ("Bàn", 4), ("Đặng", 3), ("Lý", 2), ("Phùn", 1), ("Chảo", 1),
                ("Tẩn", 1))  # fmt: skip
DAO_GIVEN = {
    MALE: ("Văn Phú", "Văn Sinh", "Văn Quý", "Văn Dìn", "Tiến Phin", "Văn Vần", "Văn Kiên",
           "Láo Lở", "Láo Sử", "Văn Thắng"),
    FEMALE: ("Thị Mẩy", "Thị Chiêm", "Thị Kiều", "Thị Nhất", "Thị Dần", "Thị Phấy",
             "Thị Sứ", "Thị Xuân"),
}  # fmt: skip
TAY_FAMILIES = (("Hoàng", 5), ("Nông", 4), ("Hà", 3), ("Ma", 2), ("Lương", 2), ("Lục", 1))
MUONG_FAMILIES = (("Đinh", 4), ("Quách", 2), ("Bạch", 2), ("Hà", 2), ("Bùi", 3))


def _pick(rng: random.Random, weighted: Weighted) -> str:
    names = [name for name, _ in weighted]
    weights = [weight for _, weight in weighted]
    return rng.choices(names, weights)[0]


def _kinh_style(families: Weighted) -> Callable[[random.Random, str], str]:
    """Family name, middle name, given name — also how Tày and Mường names are written."""

    def name(rng: random.Random, gender: str) -> str:
        return " ".join(
            (_pick(rng, families), _pick(rng, KINH_MIDDLE[gender]), rng.choice(KINH_GIVEN[gender]))
        )

    return name


def _highland_style(
    clans: tuple[str, ...], given: dict[str, tuple[str, ...]]
) -> Callable[[random.Random, str], str]:
    """Ê Đê and M'nông: Y for men, H' for women, the given name, then the clan name."""

    def name(rng: random.Random, gender: str) -> str:
        prefix = "Y " if gender == MALE else "H'"
        return f"{prefix}{rng.choice(given[gender])} {rng.choice(clans)}"

    return name


def _clan_first(
    families: Weighted, given: dict[str, tuple[str, ...]], middle: dict[str, str] | None = None
) -> Callable[[random.Random, str], str]:
    """Thái, H'Mông and Dao: family name first, then the (middle and) given name."""

    def name(rng: random.Random, gender: str) -> str:
        parts = [_pick(rng, families)]
        if middle:
            parts.append(middle[gender])
        parts.append(rng.choice(given[gender]))
        return " ".join(parts)

    return name


VAN_THI = {MALE: "Văn", FEMALE: "Thị"}


@dataclass(frozen=True)
class People:
    """One group of the households around a cooperative."""

    ethnicity: str
    share: int
    name: Callable[[random.Random, str], str]
    # Provinces of birth by the codes that open a citizen ID number, with weights.
    born_in: Weighted
    villages: tuple[str, ...]
    women_heads: int = 25  # percent of households registered to a woman


THON = tuple(f"Thôn {n}" for n in range(1, 13))


# --- Member households --------------------------------------------------------------------


@dataclass(frozen=True)
class Leaving:
    reason: str
    between: tuple[date, date]
    households: int = 1
    rejoined_on: date | None = None


@dataclass(frozen=True)
class Featured:
    """The household a demo farmer logs in as: the first founding member."""

    name: str
    gender: str
    ethnicity: str
    village: str


@dataclass(frozen=True)
class CoopPlan:
    organization: str
    prefix: str
    households: int
    founders: int
    province_code: str
    wards: Weighted  # the cooperative's own commune first, then its neighbours
    peoples: tuple[People, ...]
    recruiting_until: date
    leavings: tuple[Leaving, ...] = ()
    featured: Featured | None = None
    # A dissolved cooperative's remaining members leave on the day it is dissolved.
    closed: tuple[date, str] | None = None


DAK_LAK_KINH_BIRTH: Weighted = (
    ("066", 60), ("034", 10), ("036", 8), ("040", 8), ("042", 7), ("038", 7),
)  # fmt: skip

COOPERATIVES: tuple[CoopPlan, ...] = (
    CoopPlan(
        COFFEE,
        "ET",
        households=120,
        founders=18,
        province_code="66",
        wards=(
            ("Xã Ea Tul", 60),
            ("Xã Cư M’gar", 12),
            ("Xã Ea Kiết", 10),
            ("Xã Ea M’Droh", 8),
            ("Xã Quảng Phú", 6),
            ("Xã Cuôr Đăng", 4),
        ),
        peoples=(
            People(
                "Kinh", 62, _kinh_style(KINH_FAMILIES + CENTRAL_FAMILIES), DAK_LAK_KINH_BIRTH, THON
            ),
            People(
                "Ê Đê",
                38,
                _highland_style(EDE_CLANS, EDE_GIVEN),
                (("066", 1),),
                ("Buôn Tul A", "Buôn Tul B", "Buôn Knia", "Buôn Ea Bông", "Buôn Jut"),
                women_heads=55,
            ),
        ),
        recruiting_until=date(2025, 9, 30),
        leavings=(
            Leaving(
                "Chuyển sang trồng sầu riêng, không giao cà phê cho HTX nữa",
                (date(2023, 4, 1), date(2024, 6, 30)),
                households=2,
            ),
            Leaving(
                "Chủ hộ già yếu, con cái không tiếp tục sản xuất",
                (date(2021, 10, 1), date(2022, 3, 31)),
            ),
            Leaving("Chuyển nhượng vườn cà phê", (date(2020, 9, 1), date(2020, 12, 31))),
        ),
        featured=Featured("Y Bhim Niê", MALE, "Ê Đê", "Buôn Tul A"),
    ),
    CoopPlan(
        DAK_LIENG,
        "DL",
        households=30,
        founders=9,
        province_code="66",
        wards=(
            ("Xã Đắk Liêng", 65),
            ("Xã Liên Sơn Lắk", 15),
            ("Xã Nam Ka", 10),
            ("Xã Krông Nô", 10),
        ),
        peoples=(
            People(
                "M'nông",
                55,
                _highland_style(MNONG_CLANS, MNONG_GIVEN),
                (("066", 1),),
                ("Buôn Jun", "Buôn Dơng Bắk", "Buôn Yang Lah", "Buôn Tung"),
                women_heads=50,
            ),
            People(
                "Ê Đê",
                15,
                _highland_style(EDE_CLANS, EDE_GIVEN),
                (("066", 1),),
                ("Buôn Tung", "Buôn Yang Lah"),
                women_heads=55,
            ),
            People(
                "Kinh", 30, _kinh_style(KINH_FAMILIES + CENTRAL_FAMILIES), DAK_LAK_KINH_BIRTH, THON
            ),
        ),
        recruiting_until=date(2025, 6, 30),
        leavings=(Leaving("Chuyển đi làm ăn ở Bình Dương", (date(2023, 2, 1), date(2023, 8, 31))),),
    ),
    CoopPlan(
        DAIRY,
        "BV",
        households=90,
        founders=15,
        province_code="01",
        wards=(
            ("Xã Ba Vì", 45),
            ("Xã Yên Bài", 20),
            ("Xã Suối Hai", 10),
            ("Xã Vật Lại", 10),
            ("Xã Cổ Đô", 8),
            ("Xã Bất Bạt", 7),
        ),
        peoples=(
            People(
                "Kinh",
                82,
                _kinh_style(KINH_FAMILIES + SON_TAY_FAMILIES),
                (("001", 1),),
                (
                    "Thôn Yên Khoái",
                    "Thôn Mít",
                    "Thôn Hát Giang",
                    "Thôn Xuân Thọ",
                    "Thôn Bát Đầm",
                    "Thôn Đồng Chay",
                    "Thôn Muỗi",
                ),
            ),
            People(
                "Mường",
                12,
                _kinh_style(MUONG_FAMILIES),
                (("001", 1),),
                ("Thôn Yên Sơn", "Thôn Đồng Vỡ", "Thôn Gò Đình"),
            ),
            People(
                "Dao",
                6,
                _clan_first(DAO_FAMILIES, DAO_GIVEN),
                (("001", 1),),
                ("Thôn Yên Sơn", "Thôn Hợp Nhất"),
            ),
        ),
        recruiting_until=date(2025, 8, 31),
        leavings=(
            # The 2015 milk price fall around Hà Nội pushed small herds out of dairying.
            Leaving(
                "Bán bò, bỏ nghề khi giá sữa giảm năm 2015",
                (date(2015, 6, 1), date(2015, 10, 31)),
                households=3,
                rejoined_on=date(2019, 3, 1),
            ),
            Leaving(
                "Chuyển đi làm công nhân ở khu công nghiệp", (date(2018, 1, 1), date(2018, 12, 31))
            ),
            Leaving(
                "Không đáp ứng tiêu chuẩn chuồng trại khi thu mua theo chất lượng",
                (date(2021, 5, 1), date(2021, 9, 30)),
            ),
        ),
        featured=Featured("Khuất Thị Hằng", FEMALE, "Kinh", "Thôn Yên Khoái"),
    ),
    CoopPlan(
        CINNAMON,
        "QY",
        households=50,
        founders=10,
        province_code="15",
        wards=(
            ("Xã Trấn Yên", 45),
            ("Xã Quy Mông", 12),
            ("Xã Lương Thịnh", 10),
            ("Xã Việt Hồng", 8),
            ("Xã Hưng Khánh", 8),
            ("Xã Mậu A", 9),
            ("Xã Châu Quế", 8),
        ),
        peoples=(
            People(
                "Kinh",
                45,
                _kinh_style(KINH_FAMILIES),
                (("015", 1),),
                ("Thôn Đào Thịnh", "Thôn Hợp Thành", "Thôn Đồng Sông") + THON[:6],
            ),
            People(
                "Dao",
                35,
                _clan_first(DAO_FAMILIES, DAO_GIVEN),
                (("015", 1),),
                ("Thôn Khe Cảnh", "Thôn Khe Dứa", "Thôn Ngòi Lâu", "Thôn Khe Ron"),
            ),
            People(
                "Tày",
                20,
                _kinh_style(TAY_FAMILIES),
                (("015", 1),),
                ("Thôn Đồng Ruộng", "Thôn Cầu Khai", "Thôn Bản Lâu"),
            ),
        ),
        recruiting_until=date(2025, 7, 31),
        leavings=(
            Leaving(
                "Không theo được quy trình trồng quế hữu cơ", (date(2019, 3, 1), date(2019, 8, 31))
            ),
            Leaving("Chuyển đất sang trồng keo lấy gỗ", (date(2022, 1, 1), date(2022, 12, 31))),
        ),
    ),
    CoopPlan(
        VEGETABLES,
        "LT",
        households=40,
        founders=12,
        province_code="25",
        wards=(
            ("Xã Lâm Thao", 60),
            ("Xã Xuân Lũng", 15),
            ("Xã Phùng Nguyên", 15),
            ("Xã Bản Nguyên", 10),
        ),
        peoples=(
            People(
                "Kinh",
                100,
                _kinh_style(KINH_FAMILIES),
                (("025", 1),),
                ("Khu 1", "Khu 2", "Khu 3", "Khu 4", "Khu 5", "Khu 6", "Khu 7"),
                women_heads=40,
            ),
        ),
        recruiting_until=date(2025, 3, 31),
        leavings=(
            Leaving("Không duy trì được quy trình VietGAP", (date(2019, 6, 1), date(2019, 12, 31))),
            Leaving(
                "Cho thuê lại ruộng, không sản xuất nữa", (date(2023, 1, 1), date(2023, 6, 30))
            ),
        ),
    ),
    CoopPlan(
        DIEN_BIEN,
        "MT",
        households=20,
        founders=8,
        province_code="11",
        wards=(
            ("Phường Mường Thanh", 45),
            ("Xã Thanh Nưa", 20),
            ("Xã Thanh An", 15),
            ("Xã Thanh Yên", 10),
            ("Xã Sam Mứn", 10),
        ),
        peoples=(
            People(
                "Thái",
                60,
                _clan_first(THAI_FAMILIES, THAI_GIVEN, VAN_THI),
                (("011", 1),),
                ("Bản Him Lam", "Bản Co Mỵ", "Bản Noong Nhai", "Bản Pa Pốm", "Bản Phiêng Lơi"),
            ),
            People(
                "Kinh",
                30,
                _kinh_style(KINH_FAMILIES),
                (("011", 7), ("034", 3)),
                ("Tổ dân phố 9", "Tổ dân phố 11", "Đội 8", "Đội 10"),
            ),
            People(
                "H'Mông",
                10,
                _clan_first(HMONG_FAMILIES, HMONG_GIVEN),
                (("011", 1),),
                ("Bản Pú Hồng", "Bản Huổi Múa"),
            ),
        ),
        recruiting_until=date(2021, 3, 31),
        leavings=(
            Leaving(
                "Rau bán không bù được chi phí, bỏ sản xuất",
                (date(2021, 4, 1), date(2021, 9, 30)),
                households=3,
            ),
            Leaving("Chuyển đi làm công nhân ở Bắc Ninh", (date(2022, 2, 1), date(2022, 6, 30))),
        ),
    ),
    CoopPlan(
        MUONG_LUAN,
        "ML",
        households=20,
        founders=7,
        province_code="11",
        wards=(
            ("Xã Mường Luân", 60),
            ("Xã Na Son", 15),
            ("Xã Xa Dung", 10),
            ("Xã Pu Nhi", 10),
            ("Xã Phình Giàng", 5),
        ),
        peoples=(
            People(
                "Thái",
                60,
                _clan_first(THAI_FAMILIES, THAI_GIVEN, VAN_THI),
                (("011", 1),),
                ("Bản Pá Vạt", "Bản Co Kham", "Bản Na Khoang", "Bản Chóng"),
            ),
            People(
                "H'Mông",
                30,
                _clan_first(HMONG_FAMILIES, HMONG_GIVEN),
                (("011", 1),),
                ("Bản Háng Tàu", "Bản Pú Hồng"),
            ),
            People("Kinh", 10, _kinh_style(KINH_FAMILIES), (("011", 1),), ("Bản Chóng",)),
        ),
        recruiting_until=date(2024, 6, 30),
        leavings=(
            Leaving(
                "Không gắn bó, tự bán cho thương lái",
                (date(2023, 9, 1), date(2024, 3, 31)),
                households=2,
            ),
        ),
        closed=(date(2025, 4, 30), "HTX giải thể"),
    ),
)


# --- Users --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str  # a Role.Name, or "" for the platform administrator
    organization: str = ""
    farmer_of: str = ""  # the member code of a farmer's household


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("coffee_manager", Role.Name.MANAGER, COFFEE),
    DemoUser("coffee_staff", Role.Name.STAFF, COFFEE),
    DemoUser("coffee_collector", Role.Name.COLLECTOR, COFFEE),
    DemoUser("coffee_farmer", Role.Name.FARMER, COFFEE, farmer_of="ET-0001"),
    DemoUser("dairy_manager", Role.Name.MANAGER, DAIRY),
    DemoUser("dairy_collector", Role.Name.COLLECTOR, DAIRY),
    DemoUser("dairy_farmer", Role.Name.FARMER, DAIRY, farmer_of="BV-0001"),
    DemoUser("cinnamon_manager", Role.Name.MANAGER, CINNAMON),
    DemoUser("vegetable_manager", Role.Name.MANAGER, VEGETABLES),
    DemoUser("dienbien_manager", Role.Name.MANAGER, DIEN_BIEN),
    DemoUser("exporter_buyer", Role.Name.BUYER, EXPORTER),
    DemoUser("exporter_staff", Role.Name.STAFF, EXPORTER),
    DemoUser("processor_buyer", Role.Name.BUYER, PROCESSOR),
    DemoUser("auditor", Role.Name.AUDITOR, CERTIFIER),
    DemoUser("officer_daklak", Role.Name.OFFICER, AUTHORITY),
    DemoUser("admin", ""),
)

PLATFORM_ADMINISTRATOR = "Platform administrator"


@dataclass(frozen=True)
class DemoUserRow:
    username: str
    role: str
    organization: str
    created: bool


@dataclass(frozen=True)
class DemoSummary:
    created: dict[str, int]  # records this run added, by kind (all zero on a second run)
    present: dict[str, int]  # the demo's records now in the database, by kind
    users: tuple[DemoUserRow, ...]


def demo_user_rows() -> list[tuple[str, str, str]]:
    """Username, role and organization of every demo user, as the README lists them."""
    # In English whatever the active language, as the README is written.
    with translation.override("en"):
        return [
            (
                user.username,
                str(Role.Name(user.role).label) if user.role else PLATFORM_ADMINISTRATOR,
                ORGANIZATION_PLANS[user.organization].name if user.organization else "—",
            )
            for user in DEMO_USERS
        ]


# --- Loading ------------------------------------------------------------------------------


class _Wards:
    """Communes/wards of the demo's provinces by name, as the 2025 administration spells them."""

    def __init__(self) -> None:
        self._codes: dict[tuple[str, str], str] = {}

    @staticmethod
    def _key(name: str) -> str:
        # The source data writes "Cư M’gar" with a typographic apostrophe and some names
        # with doubled spaces; fold both away so a name matches however it is typed.
        return fold(name).replace("’", "'")

    def code(self, province_code: str, name: str) -> str:
        if not self._codes:
            provinces = {plan.province_code for plan in ORGANIZATIONS}
            for code, ward_name, province in AdminUnit.objects.filter(
                level=AdminUnit.Level.WARD, province_id__in=provinces
            ).values_list("code", "name", "province_id"):
                self._codes[(province, self._key(ward_name))] = code
        try:
            return self._codes[(province_code, self._key(name))]
        except KeyError:
            raise LookupError(
                f"No commune/ward {name!r} in province {province_code}: "
                "are the administrative units loaded (`coopchain migrate`)?"
            ) from None


@dataclass
class _Run:
    stdout: TextIO | None
    wards: _Wards = field(default_factory=_Wards)
    created: Counter[str] = field(default_factory=Counter)
    new_organizations: set[str] = field(default_factory=set)
    organizations: dict[str, Organization] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    new_users: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    national_ids: set[str] = field(default_factory=set)

    def say(self, line: str) -> None:
        if self.stdout is not None:
            self.stdout.write(line + "\n")

    def writer(self, key: str) -> Any | None:
        """A demo user who may change the organization's records through the services."""
        organization = self.organizations[key]
        if organization.status == DISSOLVED:
            return None
        for user in DEMO_USERS:
            if user.organization == key and user.role in (Role.Name.MANAGER, Role.Name.STAFF):
                return self.users[user.username]
        return None


@transaction.atomic
def load_demo(*, stdout: TextIO | None = None) -> DemoSummary:
    """Load the demo organizations, facilities, member households and users.

    All or nothing, and idempotent: records already present (by tax code, facility code,
    member code or username) are left exactly as they are, passwords included.
    """
    run = _Run(stdout=stdout)
    _load_organizations(run)
    _load_users(run)
    _load_facilities(run)
    for plan in COOPERATIVES:
        _load_households(run, plan)
    _grant_farmer_roles(run)
    _apply_status_histories(run)
    # Imported here: land builds on parties, so parties may not import it at load time.
    from coopchain.diary.demo import load_diary_demo
    from coopchain.land.demo import load_land_demo

    load_land_demo(stdout=stdout)
    load_diary_demo(stdout=stdout)
    from coopchain.compliance.demo import load_compliance_demo

    load_compliance_demo(stdout=stdout)
    from coopchain.trace.demo import load_trace_demo

    load_trace_demo(stdout=stdout)
    from coopchain.dairy.demo import load_dairy_demo

    load_dairy_demo(stdout=stdout)
    from coopchain.monitoring.demo import load_monitoring_demo

    load_monitoring_demo(stdout=stdout)
    from coopchain.contracts.demo import load_contracts_demo

    load_contracts_demo(stdout=stdout)
    return _summarise(run)


def _load_organizations(run: _Run) -> None:
    for plan in ORGANIZATIONS:
        organization = Organization.objects.filter(tax_code=plan.tax_code).first()
        if organization is None:
            organization = services.register_organization(
                kind=plan.kind,
                name=plan.name,
                short_name=plan.short_name,
                tax_code=plan.tax_code,
                ward_code=run.wards.code(plan.province_code, plan.ward) if plan.ward else "",
                province_code=plan.province_code,
                founded_on=plan.founded_on,
            )
            run.created["organizations"] += 1
            run.new_organizations.add(plan.key)
        run.organizations[plan.key] = organization
    run.say(f"Organizations: {len(ORGANIZATIONS)} ({run.created['organizations']} new)")


def _load_users(run: _Run) -> None:
    User = get_user_model()
    for demo_user in DEMO_USERS:
        user = User.objects.filter(username=demo_user.username).first()
        if user is None:
            is_admin = not demo_user.role
            user = User(username=demo_user.username, is_staff=is_admin, is_superuser=is_admin)
            user.set_password(DEMO_PASSWORD)
            user.save()
            run.created["users"] += 1
            run.new_users.add(demo_user.username)
        run.users[demo_user.username] = user
    for demo_user in DEMO_USERS:
        if demo_user.role and demo_user.role != Role.Name.FARMER:
            _grant(run, demo_user)
    run.say(f"Users: {len(DEMO_USERS)} ({run.created['users']} new)")


def _grant(run: _Run, demo_user: DemoUser, member: Member | None = None) -> None:
    organization = run.organizations[demo_user.organization]
    user = run.users[demo_user.username]
    if not Role.objects.filter(user=user, organization=organization, name=demo_user.role).exists():
        run.created["roles"] += 1
    services.grant_role(user=user, organization=organization, name=demo_user.role, member=member)


def _load_facilities(run: _Run) -> None:
    for plan in FACILITIES:
        organization = run.organizations[plan.organization]
        if Facility.objects.filter(organization=organization, code=plan.code).exists():
            continue
        data = FacilityData(
            code=plan.code,
            name=plan.name,
            kind=plan.kind,
            ward_code=run.wards.code(plan.province_code, plan.ward),
            address=plan.address,
            latitude=Decimal(plan.latitude),
            longitude=Decimal(plan.longitude),
            packing_house_code=plan.packing_house_code,
        )
        # Where no demo user may write (a buyer's company, a closed cooperative), the
        # platform itself does, through the same service.
        writer = run.writer(plan.organization) or SYSTEM
        services.create_facility(organization=organization, data=data, by=writer)
        run.created["facilities"] += 1
    run.say(f"Facilities: {len(FACILITIES)} ({run.created['facilities']} new)")


HOUSEHOLD_SIZES: Weighted = (("2", 10), ("3", 20), ("4", 30), ("5", 22), ("6", 12), ("7", 6))
# Prefixes that mobile networks in Viet Nam hand out for 10-digit numbers.
PHONE_PREFIXES = ("032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097",
                  "098", "070", "076", "077", "078", "079", "089", "090", "093", "081", "082",
                  "083", "084", "085", "088", "091", "094", "056", "058", "059")  # fmt: skip


@dataclass(frozen=True)
class Period:
    joined_on: date
    left_on: date | None = None
    reason: str = ""


@dataclass(frozen=True)
class Household:
    data: MemberData
    periods: tuple[Period, ...]


def _plan_households(
    plan: CoopPlan,
    founded_on: date,
    ward_code: Callable[[str], str],
    phones: set[str],
    national_ids: set[str],
) -> list[Household]:
    """The cooperative's households, the same on every run: one seeded generator per
    cooperative, so adding another cooperative never changes this one's people."""
    rng = random.Random(f"coopchain-demo-{plan.organization}")  # noqa: S311 - demo data, not secrets
    joined = [founded_on] * plan.founders
    span = (plan.recruiting_until - founded_on).days
    joined += sorted(
        founded_on + timedelta(days=rng.randint(30, span))
        for _ in range(plan.households - plan.founders)
    )
    own_ward = plan.wards[0][0]
    seen_names: set[str] = set()
    households: list[Household] = []
    for index, joined_on in enumerate(joined):
        featured = plan.featured if index == 0 else None
        if featured is not None:
            people = next(p for p in plan.peoples if p.ethnicity == featured.ethnicity)
            gender, name, ward, village = featured.gender, featured.name, own_ward, featured.village
        else:
            people = rng.choices(plan.peoples, [p.share for p in plan.peoples])[0]
            gender = FEMALE if rng.randint(1, 100) <= people.women_heads else MALE
            name = people.name(rng, gender)
            for _ in range(5):
                if name not in seen_names:
                    break
                name = people.name(rng, gender)
            ward = _pick(rng, plan.wards)
            # The named villages are the home commune's; elsewhere a numbered one will do.
            village = (
                rng.choice(people.villages)
                if ward == own_ward
                else f"{_village_word(people)} {rng.randint(1, 15)}"
            )
        seen_names.add(name)
        birth_year = min(rng.randint(1950, 1992), joined_on.year - 20)
        data = MemberData(
            code=f"{plan.prefix}-{index + 1:04d}",
            head_of_household=name,
            joined_on=joined_on,
            gender=gender,
            ethnicity=people.ethnicity,
            birth_year=birth_year,
            phone=_phone(rng, phones),
            ward_code=ward_code(ward),
            address=village,
            national_id=_national_id(rng, people, gender, birth_year, national_ids),
            household_size=int(_pick(rng, HOUSEHOLD_SIZES)),
            public_consent=rng.random() < 0.6,
        )
        households.append(Household(data=data, periods=(Period(joined_on),)))
    _apply_leavings(rng, plan, households)
    return households


def _village_word(people: People) -> str:
    word = people.villages[0].split()[0]
    return word if word in ("Thôn", "Khu") else "Thôn"


def _phone(rng: random.Random, taken: set[str]) -> str:
    # Some older heads of household have no phone of their own.
    if rng.random() < 0.05:
        return ""
    while True:
        phone = rng.choice(PHONE_PREFIXES) + f"{rng.randint(0, 9_999_999):07d}"
        if phone not in taken:
            taken.add(phone)
            return phone


def _national_id(
    rng: random.Random, people: People, gender: str, birth_year: int, taken: set[str]
) -> str:
    """Citizen ID: province of birth (3 digits), century and sex (1), year of birth (2), then
    six serial digits."""
    century = (birth_year // 100 - 19) * 2 + (1 if gender == FEMALE else 0)
    while True:
        number = (
            f"{_pick(rng, people.born_in)}{century}{birth_year % 100:02d}"
            f"{rng.randint(0, 999_999):06d}"
        )
        if number not in taken:
            taken.add(number)
            return number


def _apply_leavings(rng: random.Random, plan: CoopPlan, households: list[Household]) -> None:
    leaving_indexes: set[int] = set()
    for leaving in plan.leavings:
        start, end = leaving.between
        candidates = [
            i
            for i, household in enumerate(households)
            if i > 0
            and i not in leaving_indexes
            and household.periods[0].joined_on <= start - timedelta(days=365)
        ]
        for position, i in enumerate(rng.sample(candidates, leaving.households)):
            leaving_indexes.add(i)
            left_on = start + timedelta(days=rng.randint(0, (end - start).days))
            periods = [Period(households[i].periods[0].joined_on, left_on, leaving.reason)]
            if leaving.rejoined_on is not None and position == 0:
                periods.append(Period(leaving.rejoined_on))
            households[i] = Household(households[i].data, tuple(periods))
    if plan.closed is not None:
        closed_on, reason = plan.closed
        for i, household in enumerate(households):
            last = household.periods[-1]
            if last.left_on is None:
                closed = Period(last.joined_on, closed_on, reason)
                households[i] = Household(household.data, (*household.periods[:-1], closed))


def _load_households(run: _Run, plan: CoopPlan) -> None:
    organization = run.organizations[plan.organization]
    households = _plan_households(
        plan,
        ORGANIZATION_PLANS[plan.organization].founded_on,
        lambda name: run.wards.code(plan.province_code, name),
        run.phones,
        run.national_ids,
    )
    existing = set(Member.objects.filter(organization=organization).values_list("code", flat=True))
    new = [h for h in households if h.data.code not in existing]
    writer = run.writer(plan.organization) or SYSTEM
    for household in new:
        _create_household(organization, household, writer)
    run.created["members"] += len(new)
    run.created["memberships"] += sum(len(h.periods) for h in new)
    run.say(f"{organization.short_name}: {len(households)} households ({len(new)} new)")


def _create_household(organization: Organization, household: Household, by: Any) -> None:
    member = services.create_member(organization=organization, data=household.data, by=by)
    for number, period in enumerate(household.periods):
        if number > 0:
            services.record_member_rejoining(member=member, joined_on=period.joined_on, by=by)
        if period.left_on is not None:
            services.record_member_leaving(
                member=member, left_on=period.left_on, reason=period.reason, by=by
            )


def _grant_farmer_roles(run: _Run) -> None:
    for demo_user in DEMO_USERS:
        if demo_user.role == Role.Name.FARMER:
            member = Member.objects.get(
                organization=run.organizations[demo_user.organization], code=demo_user.farmer_of
            )
            _grant(run, demo_user, member=member)


def _apply_status_histories(run: _Run) -> None:
    for plan in ORGANIZATIONS:
        # Written once, with the registration: a second run would append the changes again.
        if plan.key not in run.new_organizations:
            continue
        organization = run.organizations[plan.key]
        for change in plan.history:
            services.change_organization_status(
                organization=organization,
                status=change.status,
                effective_on=change.effective_on,
                note=change.note,
            )
            run.created["status changes"] += 1


def _summarise(run: _Run) -> DemoSummary:
    organizations = list(run.organizations.values())
    present = {
        "organizations": len(organizations),
        "facilities": Facility.objects.filter(organization__in=organizations).count(),
        "members": Member.objects.filter(organization__in=organizations).count(),
        "memberships": Membership.objects.filter(organization__in=organizations).count(),
        "users": len(run.users),
        "roles": Role.objects.filter(user__in=run.users.values()).count(),
    }
    created = {kind: run.created[kind] for kind in (*present, "status changes")}
    users = tuple(
        DemoUserRow(username, role, organization, username in run.new_users)
        for username, role, organization in demo_user_rows()
    )
    return DemoSummary(created=created, present=present, users=users)
