from coopchain.lib.text import fold, normalise_name


def test_fold_drops_diacritics_case_and_the_d_with_stroke():
    assert fold("Nguyễn Thị Đào") == "nguyen thi dao"
    assert fold("ĐẮK LẮK") == "dak lak"


def test_fold_ignores_apostrophes_of_every_kind_and_extra_spaces():
    assert fold("Xã Cư M’gar") == fold("xa cu m'gar") == fold("Xa  Cu Mgar") == "xa cu mgar"


def test_normalise_name_composes_and_collapses_spaces():
    decomposed = "Nguye\u0302\u0303n  Văn"
    assert normalise_name(decomposed) == "Nguyễn Văn"
