"""Text helpers for Vietnamese: search that ignores diacritics and case."""

import unicodedata

# NFD does not decompose đ/Đ (a letter of its own, not d with a mark), so map it by hand.
# Apostrophes go: names like Cư M'gar or H'Linh are written with ', ’ or ʼ, or typed without.
_EXTRA = str.maketrans({"đ": "d", "Đ": "D", "'": None, "’": None, "‘": None, "ʼ": None})


def fold(text: str) -> str:
    """'Nguyễn Thị Đào' -> 'nguyen thi dao': lower case, no diacritics or apostrophes,
    single spaces."""
    decomposed = unicodedata.normalize("NFD", text.translate(_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def normalise_name(text: str) -> str:
    """Composed (NFC) form with single spaces, so the same name typed twice compares equal."""
    return " ".join(unicodedata.normalize("NFC", text).split())
