"""The banks in Viet Nam that a member's account may be held at, as data.

Each bank is keyed by its BIN, the six-digit number the NAPAS interbank network (and the
VietQR standard built on it) gives a bank; a BIN does not change when a bank renames itself
or changes its short code, as VietinBank (ICB, also written CTG) and LPBank (formerly
LienVietPostBank) have. The list, with the short codes and names banks use in transfer files,
follows the bank list published by VietQR (api.vietqr.io/v2/banks) and NAPAS, 2026; e-wallets
are left out, as a cooperative pays members into bank accounts.
"""

from dataclasses import dataclass

from coopchain.lib.text import fold


@dataclass(frozen=True)
class Bank:
    bin: str
    code: str
    short_name: str
    name: str

    def __str__(self) -> str:
        return self.short_name


BANKS: tuple[Bank, ...] = (
    Bank("970405", "VBA", "Agribank", "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam"),
    Bank("970418", "BIDV", "BIDV", "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam"),
    Bank("970436", "VCB", "Vietcombank", "Ngân hàng TMCP Ngoại thương Việt Nam"),
    Bank("970415", "ICB", "VietinBank", "Ngân hàng TMCP Công thương Việt Nam"),
    Bank("970446", "COOPBANK", "Co-opBank", "Ngân hàng Hợp tác xã Việt Nam"),
    Bank("970425", "ABB", "ABBANK", "Ngân hàng TMCP An Bình"),
    Bank("970416", "ACB", "ACB", "Ngân hàng TMCP Á Châu"),
    Bank("970409", "BAB", "BacABank", "Ngân hàng TMCP Bắc Á"),
    Bank("970438", "BVB", "BaoVietBank", "Ngân hàng TMCP Bảo Việt"),
    Bank("970431", "EIB", "Eximbank", "Ngân hàng TMCP Xuất Nhập khẩu Việt Nam"),
    Bank("970437", "HDB", "HDBank", "Ngân hàng TMCP Phát triển Thành phố Hồ Chí Minh"),
    Bank("970452", "KLB", "KienLongBank", "Ngân hàng TMCP Kiên Long"),
    Bank("970449", "LPB", "LPBank", "Ngân hàng TMCP Lộc Phát Việt Nam"),
    Bank("970422", "MB", "MBBank", "Ngân hàng TMCP Quân đội"),
    Bank("970414", "MBV", "MBV", "Ngân hàng TNHH MTV Việt Nam Hiện Đại"),
    Bank("970426", "MSB", "MSB", "Ngân hàng TMCP Hàng Hải Việt Nam"),
    Bank("970428", "NAB", "NamABank", "Ngân hàng TMCP Nam Á"),
    Bank("970419", "NCB", "NCB", "Ngân hàng TMCP Quốc Dân"),
    Bank("970448", "OCB", "OCB", "Ngân hàng TMCP Phương Đông"),
    Bank("970430", "PGB", "PGBank", "Ngân hàng TMCP Thịnh vượng và Phát triển"),
    Bank("970412", "PVCB", "PVcomBank", "Ngân hàng TMCP Đại Chúng Việt Nam"),
    Bank("970403", "STB", "Sacombank", "Ngân hàng TMCP Sài Gòn Thương Tín"),
    Bank("970400", "SGICB", "SaigonBank", "Ngân hàng TMCP Sài Gòn Công Thương"),
    Bank("970429", "SCB", "SCB", "Ngân hàng TMCP Sài Gòn"),
    Bank("970440", "SEAB", "SeABank", "Ngân hàng TMCP Đông Nam Á"),
    Bank("970443", "SHB", "SHB", "Ngân hàng TMCP Sài Gòn - Hà Nội"),
    Bank("970424", "SHBVN", "ShinhanBank", "Ngân hàng TNHH MTV Shinhan Việt Nam"),
    Bank("970407", "TCB", "Techcombank", "Ngân hàng TMCP Kỹ thương Việt Nam"),
    Bank("970423", "TPB", "TPBank", "Ngân hàng TMCP Tiên Phong"),
    Bank("970441", "VIB", "VIB", "Ngân hàng TMCP Quốc tế Việt Nam"),
    Bank("970427", "VAB", "VietABank", "Ngân hàng TMCP Việt Á"),
    Bank("970433", "VIETBANK", "VietBank", "Ngân hàng TMCP Việt Nam Thương Tín"),
    Bank("970454", "VCCB", "VietCapitalBank", "Ngân hàng TMCP Bản Việt"),
    Bank("970432", "VPB", "VPBank", "Ngân hàng TMCP Việt Nam Thịnh Vượng"),
    Bank("970457", "WVN", "Woori", "Ngân hàng TNHH MTV Woori Việt Nam"),
)

BY_BIN: dict[str, Bank] = {bank.bin: bank for bank in BANKS}

# Names people type for a bank: its BIN, short code, short name or full name, in any case,
# with or without diacritics and spaces; and the old names some banks are still called by.
_OLD_NAMES = {"lienvietpostbank": "970449", "ctg": "970415", "oceanbank": "970414"}


def _key(text: str) -> str:
    return "".join(ch for ch in fold(text) if ch.isalnum())


_BY_NAME: dict[str, str] = {
    **_OLD_NAMES,
    **{_key(bank.name): bank.bin for bank in BANKS},
    **{_key(bank.short_name): bank.bin for bank in BANKS},
    **{_key(bank.code): bank.bin for bank in BANKS},
    **{bank.bin: bank.bin for bank in BANKS},
}


def find_bank(text: str) -> Bank | None:
    """The bank `text` names (BIN, code, short or full name), or None."""
    bin_ = _BY_NAME.get(_key(text or ""))
    return BY_BIN.get(bin_) if bin_ else None


def choices() -> list[tuple[str, str]]:
    return [(bank.bin, f"{bank.short_name} — {bank.name}") for bank in BANKS]
