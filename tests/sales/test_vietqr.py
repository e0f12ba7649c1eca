import pytest

from ocophub.sales import vietqr

LONG_NOTE = "chuyen khoan alsdkf laksjdflk asjdflja slkdalks djflkasjd fajsldk jalskdfj lkasjdflk ajslkfj l"


def test_crc_matches_the_ccitt_false_check_value():
    assert vietqr.crc16_ccitt("123456789") == "29B1"


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        # NAPAS "QR Format T&C v1.5.2" examples, as asserted in takashato/laravel-vietqr tests/GeneralTest.php
        # (which cites https://vietqr.net/portal-service/download/documents/QR_Format_T&C_v1.5.2_EN_102022.pdf)
        (
            {"bank_bin": "970403", "account": "0011012345678"},
            "00020101021138570010A00000072701270006970403011300110123456780208QRIBFTTA53037045802VN63049E6F",
        ),
        (
            {"bank_bin": "970403", "account": "9704031101234567", "service": vietqr.CARD_TRANSFER},
            "00020101021138600010A00000072701300006970403011697040311012345670208QRIBFTTC53037045802VN63044F52",
        ),
        # subiz/vietqr vietqr_test.go (static; diacritics folded; a 19-character account and a cut note)
        (
            {"bank_bin": "970423", "account": "0099999999"},
            "00020101021138540010A00000072701240006970423011000999999990208QRIBFTTA53037045802VN6304CBB4",
        ),
        (
            {"bank_bin": "970422", "account": "0023457923442", "amount": 40123, "message": "chuyển khoản"},
            "00020101021238570010A00000072701270006970422011300234579234420208QRIBFTTA"
            "53037045405401235802VN62160812chuyen khoan6304722F",
        ),
        (
            {"bank_bin": "970422", "account": "0023457923442ASDFLJ", "amount": 40123, "message": LONG_NOTE},
            "00020101021238630010A0000007270133000697042201190023457923442ASDFLJ0208QRIBFTTA"
            "53037045405401235802VN62290825chuyen khoan alsdkf laksj6304E5DB",
        ),
        # subiz/vietqr README.md: 120.000 đ to VietinBank 0011001932418, "ủng hộ lũ lụt"
        (
            {"bank_bin": "970415", "account": "0011001932418", "amount": 120000, "message": "ủng hộ lũ lụt"},
            "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA"
            "530370454061200005802VN62170813ung ho lu lut6304C15C",
        ),
    ],
)
def test_payload_reproduces_published_examples(inputs, expected):
    assert vietqr.payload(**inputs) == expected
    assert vietqr.parse(expected)["63"] == expected[-4:]


def test_parse_round_trips_the_fields():
    text = vietqr.payload(bank_bin="970436", account="1023456789", amount=1943000, message="TT000069")
    top = vietqr.parse(text)
    assert list(top) == ["00", "01", "38", "53", "54", "58", "62", "63"]
    assert (top["00"], top["01"], top["53"], top["54"], top["58"]) == ("01", "12", "704", "1943000", "VN")
    merchant = vietqr.fields(top["38"])
    assert merchant == {"00": "A000000727", "01": "000697043601101023456789", "02": "QRIBFTTA"}
    assert vietqr.fields(merchant["01"]) == {"00": "970436", "01": "1023456789"}
    assert vietqr.fields(top["62"]) == {"08": "TT000069"}


def test_a_changed_character_fails_the_crc():
    text = vietqr.payload(bank_bin="970436", account="1023456789", amount=50000)
    tampered = text.replace("50000", "90000")
    with pytest.raises(ValueError, match="CRC"):
        vietqr.parse(tampered)


@pytest.mark.parametrize(
    "text",
    ["", "0002", "000201", "0002010102", "00020101021163", "0002010102116304ABC", "AB020101021163040000"],
)
def test_parse_rejects_malformed_text(text):
    with pytest.raises(ValueError):
        vietqr.parse(text)


@pytest.mark.parametrize(
    "changes",
    [
        {"bank_bin": "97043"},
        {"bank_bin": "9704366"},
        {"bank_bin": "97043A"},
        {"account": ""},
        {"account": "12345678901234567890"},
        {"account": "1023-456789"},
        {"account": "1023456789 "},
        {"amount": 0},
        {"amount": -1000},
        {"amount": 1000.0},
        {"amount": True},
        {"amount": 10**13},
        {"service": "QRPUSH"},
    ],
)
def test_payload_rejects_bad_input(changes):
    with pytest.raises(ValueError):
        vietqr.payload(**({"bank_bin": "970436", "account": "1023456789"} | changes))


def test_largest_amount_has_thirteen_digits():
    text = vietqr.payload(bank_bin="970436", account="1023456789", amount=10**13 - 1)
    assert vietqr.parse(text)["54"] == "9999999999999"


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Thanh toán đơn ĐH-000123", "Thanh toan don DH000123"),
        ("  Quà   tặng\tBát Tràng! ", "Qua tang Bat Trang"),
        ("ĐƯỜNG LÂM", "DUONG LAM"),
        ("Thanh toán đơn hàng số 12345", "Thanh toan don hang so 12"),
        ("Đơn hàng rất dài cần cắt ở đây", "Don hang rat dai can cat"),
        ("!!!", ""),
    ],
)
def test_message_is_folded_to_bank_safe_ascii(message, expected):
    assert vietqr.fold_message(message) == expected


def test_message_in_payload_is_folded():
    text = vietqr.payload(bank_bin="970436", account="1023456789", message="Thanh toán đơn ĐH-000123")
    assert vietqr.fields(vietqr.parse(text)["62"]) == {"08": "Thanh toan don DH000123"}


def test_empty_message_leaves_out_additional_data():
    text = vietqr.payload(bank_bin="970436", account="1023456789", message="***")
    assert "62" not in vietqr.parse(text)


def test_initiation_method_is_static_without_amount_and_dynamic_with_one():
    base = {"bank_bin": "970436", "account": "1023456789"}
    assert vietqr.parse(vietqr.payload(**base))["01"] == "11"
    assert vietqr.parse(vietqr.payload(**base, amount=1000))["01"] == "12"
    assert vietqr.parse(vietqr.payload(**base, dynamic=True))["01"] == "12"
    assert vietqr.parse(vietqr.payload(**base, amount=1000, dynamic=False))["01"] == "11"


def test_svg_is_an_inline_svg_element():
    image = vietqr.svg(vietqr.payload(bank_bin="970436", account="1023456789", amount=1943000))
    assert image.startswith("<svg")
    assert "<?xml" not in image
    assert image.rstrip().endswith("</svg>")
