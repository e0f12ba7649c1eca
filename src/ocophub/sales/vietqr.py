"""VietQR: the NAPAS profile of the EMVCo merchant-presented QR code, for a bank transfer.

A VietQR payload is a string of TLV fields (two-digit ID, two-digit decimal length, value) that every
Vietnamese banking app reads to pre-fill a NAPAS 247 transfer: ID 38 names the beneficiary (NAPAS GUID,
bank BIN, account or card number, service code), ID 54 the amount in đồng, ID 62/08 the transfer
message, and ID 63 a CRC-16/CCITT-FALSE over everything before its own value.
"""

import re
import unicodedata

import segno

NAPAS_GUID = "A000000727"
ACCOUNT_TRANSFER = "QRIBFTTA"
CARD_TRANSFER = "QRIBFTTC"
SERVICES = frozenset({ACCOUNT_TRANSFER, CARD_TRANSFER})
MESSAGE_MAX_LENGTH = 25
AMOUNT_MAX_DIGITS = 13
STATIC = "11"
DYNAMIC = "12"

_BIN = re.compile(r"[0-9]{6}")
_ACCOUNT = re.compile(r"[0-9A-Za-z]{1,19}")
_TWO_DIGITS = re.compile(r"[0-9]{2}")
_WHITESPACE = re.compile(r"\s+")
_NOT_MESSAGE = re.compile(r"[^A-Za-z0-9 ]+")


def crc16_ccitt(data: str) -> str:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection) of the UTF-8 bytes, as 4 hex digits."""
    crc = 0xFFFF
    for byte in data.encode("utf-8"):
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def fold_message(message: str) -> str:
    """The transfer message as banks accept it.

    Diacritics are dropped keeping case (NFD, marks removed, `đ`→`d`, `Đ`→`D`), whitespace becomes one
    space, every other character outside [A-Za-z0-9 ] is removed (so "ĐH-000123" gives "DH000123"), and the
    result is cut to 25 characters (the VietQR limit for ID 62/08) without a trailing space.
    """
    text = message.replace("đ", "d").replace("Đ", "D")
    text = "".join(char for char in unicodedata.normalize("NFD", text) if not unicodedata.combining(char))
    text = _NOT_MESSAGE.sub("", _WHITESPACE.sub(" ", text))
    return " ".join(text.split())[:MESSAGE_MAX_LENGTH].rstrip()


def payload(
    *,
    bank_bin: str,
    account: str,
    amount: int | None = None,
    message: str = "",
    dynamic: bool | None = None,
    service: str = ACCOUNT_TRANSFER,
) -> str:
    """The VietQR text for a transfer to `account` (or a card number with `CARD_TRANSFER`) at bank `bank_bin`.

    The initiation method is dynamic ("12") when an amount is given and static ("11") otherwise, unless
    `dynamic` says otherwise. The amount is whole đồng (VND has no minor unit), so floats are refused.
    The message is folded by `fold_message` and left out when nothing remains.
    """
    if not isinstance(bank_bin, str) or not _BIN.fullmatch(bank_bin):
        raise ValueError(f"bank BIN must be exactly 6 digits, got {bank_bin!r}")
    if not isinstance(account, str) or not _ACCOUNT.fullmatch(account):
        raise ValueError(f"account must be 1 to 19 letters or digits, got {account!r}")
    if service not in SERVICES:
        raise ValueError(f"service must be one of {sorted(SERVICES)}, got {service!r}")
    if amount is not None:
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise ValueError(f"amount must be a whole number of đồng, got {amount!r}")
        if amount <= 0 or len(str(amount)) > AMOUNT_MAX_DIGITS:
            raise ValueError(f"amount must be positive and at most {AMOUNT_MAX_DIGITS} digits, got {amount}")
    if not isinstance(message, str):
        raise ValueError(f"message must be text, got {message!r}")
    if dynamic is None:
        dynamic = amount is not None

    beneficiary = _tlv("00", bank_bin) + _tlv("01", account)
    merchant = _tlv("00", NAPAS_GUID) + _tlv("01", beneficiary) + _tlv("02", service)
    text = _tlv("00", "01") + _tlv("01", DYNAMIC if dynamic else STATIC) + _tlv("38", merchant)
    text += _tlv("53", "704")
    if amount is not None:
        text += _tlv("54", str(amount))
    text += _tlv("58", "VN")
    purpose = fold_message(message)
    if purpose:
        text += _tlv("62", _tlv("08", purpose))
    text += "6304"
    return text + crc16_ccitt(text)


def fields(text: str) -> dict[str, str]:
    """Split one level of TLV fields (ID → value), without looking at any CRC; nested values stay text."""
    result: dict[str, str] = {}
    position = 0
    while position < len(text):
        tag, size = text[position : position + 2], text[position + 2 : position + 4]
        if not (_TWO_DIGITS.fullmatch(tag) and _TWO_DIGITS.fullmatch(size)):
            raise ValueError(
                f"malformed TLV header at position {position}: {text[position : position + 4]!r}"
            )
        end = position + 4 + int(size)
        if end > len(text):
            raise ValueError(f"field {tag} at position {position} runs past the end of the text")
        if tag in result:
            raise ValueError(f"field {tag} appears twice")
        result[tag] = text[position + 4 : end]
        position = end
    return result


def parse(text: str) -> dict[str, str]:
    """The top-level fields of a VietQR text, after checking that it ends with a correct ID 63 CRC."""
    result = fields(text)
    if text[-8:-4] != "6304" or result.get("63") != text[-4:]:
        raise ValueError("the text does not end with a 4-character CRC field (ID 63)")
    expected = crc16_ccitt(text[:-4])
    if text[-4:].upper() != expected:
        raise ValueError(f"CRC mismatch: the text says {text[-4:]}, its content gives {expected}")
    return result


def svg(text: str) -> str:
    """The QR code of `text` as an inline <svg> element (no XML declaration), error correction level M."""
    return segno.make_qr(text, error="m", boost_error=False).svg_inline(scale=4)


def _tlv(tag: str, value: str) -> str:
    """One TLV field; the length is two decimal digits, so a value longer than 99 characters is refused."""
    if len(value) > 99:
        raise ValueError(f"field {tag} is {len(value)} characters long; a VietQR field holds at most 99")
    return f"{tag}{len(value):02d}{value}"
