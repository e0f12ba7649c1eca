"""Excel import and export of OCOP product lists in the city's layout: all rows or none."""

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict
from openpyxl import Workbook, load_workbook

from ocophub.accounts.models import Role
from ocophub.catalogue import services, spreadsheet
from ocophub.catalogue.models import Certificate, Producer, ProducerKind, Product, ProductStatus, TaxonomyNode
from ocophub.catalogue.spreadsheet import COLUMNS, NOT_EXCEL, RowError, products_export, products_import
from ocophub.common.dates import local_today
from ocophub.common.errors import DomainError
from ocophub.places import selectors as places
from ocophub.places.models import Era

from ..conftest import make_user

REFERENCE = Path(services.__file__).parents[1] / "data" / "reference.json"  # catalogue/data
UPLOAD = "/san-pham/nhap-excel/"
DECIDED = local_today() - dt.timedelta(days=120)  # a certificate still valid whenever the suite runs


@pytest.fixture
def rules(loaded_places):
    services.reference_load(json.loads(REFERENCE.read_text(encoding="utf-8")))
    return loaded_places


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def legacy_commune(name: str, district: int):
    return places.communes(era=Era.LEGACY, district=district, q=name).get()


def row(**cells) -> dict:
    """A row of the city's list by header; the keyword names are short for the headers."""
    names = {
        "product": "Tên sản phẩm",
        "producer": "Chủ thể",
        "reg": "Mã số thuế/Số đăng ký",
        "kind": "Loại chủ thể",
        "address": "Địa chỉ",
        "commune": "Xã/phường",
        "district": "Quận/huyện",
        "group": "Nhóm sản phẩm",
        "stars": "Hạng sao",
        "score": "Điểm",
        "decision": "Số quyết định",
        "date": "Ngày quyết định (dd/mm/yyyy)",
        "level": "Cấp quyết định",
        "price": "Giá niêm yết (đ)",
    }
    return {names[key]: value for key, value in cells.items()}


def workbook(rows: list[dict], *, title: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(COLUMNS)
    for number, cells in enumerate(rows, start=1):
        sheet.append([number, *[cells.get(header) for header in COLUMNS[1:]]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def vase(**extra) -> dict:
    cells = dict(
        product="Bình gốm men lam",
        producer="HTX Gốm sứ Bát Tràng",
        reg="0101234567",
        kind="Hợp tác xã",
        address="Thôn 3",
        commune="Xã Bát Tràng",
        district="Huyện Gia Lâm",
        group="Gốm sứ",
        stars=4,
        score=75,
        decision="123/QĐ-UBND",
        date=DECIDED.strftime("%d/%m/%Y"),
        level="Cấp thành phố",
        price="1.250.000",
    )
    return row(**(cells | extra))


def teapot(**extra) -> dict:
    cells = dict(
        product="Ấm chén men rạn",
        producer="htx gốm sứ bát tràng",
        commune="Bát Tràng",
        district="Gia Lâm",
        stars=3,
        decision="45/QĐ-UBND",
        date=dt.datetime(2024, 6, 15),  # under 148/QĐ-TTg, when the district recognised 3 stars
        level="Cấp huyện",
        price=450000,
    )
    return row(**(cells | extra))


def rice_cake(**extra) -> dict:
    cells = dict(
        product="Bánh chưng",
        producer="Hộ kinh doanh Bánh chưng Tranh Khúc",
        commune="Xã Kiêu Kỵ",
        district="Huyện Gia Lâm",
    )
    return row(**(cells | extra))


def snapshot() -> list:
    return [
        [model_to_dict(p) | {"updated_at": p.updated_at} for p in Producer.objects.order_by("pk")],
        [model_to_dict(p) | {"updated_at": p.updated_at} for p in Product.objects.order_by("pk")],
        [model_to_dict(c) | {"updated_at": c.updated_at} for c in Certificate.objects.order_by("pk")],
    ]


# --- the import -----------------------------------------------------------------------------


def test_a_clean_file_imports_every_row(rules, city_admin):
    calls = []
    report = products_import(
        actor=city_admin, data=workbook([vase(), teapot(), rice_cake()]), commit=True,
        progress=lambda done, total: calls.append((done, total)),
    )  # fmt: skip
    assert report.errors == [] and report.committed
    assert (report.rows_read, report.producers_created, report.producers_matched) == (3, 2, 0)
    assert (report.products_created, report.certificates_created) == (3, 2)
    assert calls[-1] == (6, 6)
    cooperative = Producer.objects.get(registration_number="0101234567")
    assert cooperative.kind == ProducerKind.COOPERATIVE and cooperative.commune == legacy_commune(
        "Bát Tràng", 18
    )
    assert cooperative.products.count() == 2
    assert (
        Producer.objects.get(name__startswith="Hộ kinh doanh").kind == ProducerKind.HOUSEHOLD
    )  # from its name
    assert set(Product.objects.values_list("status", flat=True)) == {ProductStatus.PUBLISHED}
    product = Product.objects.get(name="Bình gốm men lam")
    assert product.list_price == 1250000 and product.taxonomy.code == "148-gom-su"
    certificate = product.certificates.get()
    assert (certificate.stars, certificate.total_score, certificate.decision_date) == (4, 75, DECIDED)
    assert certificate.issuer == "UBND Thành phố Hà Nội" and certificate.deciding_level == "province"
    assert Certificate.objects.get(decision_number="45/QĐ-UBND").issuer == "UBND Huyện Gia Lâm"
    assert Product.objects.get(name="Bánh chưng").certificates.count() == 0


def test_one_bad_row_imports_nothing_and_the_report_names_its_row_and_column(rules, city_admin):
    bad = teapot(stars=7, date="31/02/2024")
    data = workbook([vase(), bad, rice_cake()], title="DANH SÁCH SẢN PHẨM OCOP")  # the header is on row 2
    report = products_import(actor=city_admin, data=data, commit=True)
    assert not report.committed
    assert report.errors == [
        RowError(4, "Hạng sao", "Hạng sao phải từ 3 đến 5"),
        RowError(4, "Ngày quyết định (dd/mm/yyyy)", "Ngày quyết định không hợp lệ (dd/mm/yyyy)"),
    ]
    assert (Producer.objects.count(), Product.objects.count(), Certificate.objects.count()) == (0, 0, 0)


def test_every_row_is_checked_and_each_error_is_in_vietnamese(rules, city_admin):
    rows = [
        vase(price=-5),
        teapot(commune="Xã Không Có"),
        rice_cake(district="Huyện Không Có"),
        row(product="Trà sen", producer="Công ty Trà Hồ Tây", commune="Phường Tây Hồ", group="Nhóm lạ"),
        vase(product="Bình gốm men lam"),
        row(product="Mứt sen", producer="Không rõ", commune="Xã Bát Tràng", stars=4, decision="1/QĐ"),
    ]
    report = products_import(actor=city_admin, data=workbook(rows), commit=False)
    assert report.errors == [
        RowError(2, "Giá niêm yết (đ)", "Giá phải là số nguyên không âm"),
        RowError(3, "Xã/phường", "Không tìm thấy xã/phường «Xã Không Có» thuộc Huyện Gia Lâm"),
        RowError(4, "Quận/huyện", "Không tìm thấy quận/huyện «Huyện Không Có»"),
        RowError(5, "Nhóm sản phẩm", "Không tìm thấy nhóm sản phẩm «Nhóm lạ»"),
        RowError(6, "Tên sản phẩm", "Sản phẩm trùng với dòng 2"),
        RowError(7, "Loại chủ thể", "Thiếu loại chủ thể"),
    ]
    assert Product.objects.count() == 0


def test_a_certificate_is_checked_against_its_rules_before_anything_is_written(rules, city_admin):
    rows = [
        vase(stars=3, score=75),
        teapot(stars=5, level="Cấp thành phố"),
        rice_cake(decision="9/QĐ", date=local_today() + dt.timedelta(days=3), level="Cấp xã", stars=3),
    ]
    report = products_import(actor=city_admin, data=workbook(rows), commit=True)
    assert report.errors == [
        RowError(2, "Hạng sao", "75.00 điểm tương ứng 4 sao, không phải 3 sao"),
        RowError(
            3,
            "Cấp quyết định",
            "Theo QĐ 148/QĐ-TTg, sản phẩm 5 sao do Trung ương công nhận, không phải cấp thành phố",
        ),
        RowError(4, "Ngày quyết định (dd/mm/yyyy)", "Ngày quyết định sau ngày hôm nay"),
    ]
    assert Certificate.objects.count() == 0


def test_a_deciding_level_the_rule_set_does_not_give_those_stars_is_a_row_error(rules, city_admin):
    rows = [
        teapot(level="Cấp thành phố"),  # 3 stars under 148: the district's
        vase(date="15/06/2024", level="Cấp huyện"),  # 4 stars under 148: the province's
        rice_cake(decision="7/QĐ", date="01/08/2025", level="Cấp huyện", stars=3),  # 1489: no districts
        vase(product="Lọ gốm", date="01/08/2025", level="Trung ương", stars=4, score=None, decision="8/QĐ"),
    ]
    report = products_import(actor=city_admin, data=workbook(rows), commit=True)
    level = "Cấp quyết định"
    assert report.errors == [
        RowError(
            2, level, "Theo QĐ 148/QĐ-TTg, sản phẩm 3 sao do cấp huyện công nhận, không phải cấp thành phố"
        ),
        RowError(
            3, level, "Theo QĐ 148/QĐ-TTg, sản phẩm 4 sao do cấp thành phố công nhận, không phải cấp huyện"
        ),
        RowError(
            4, level, "Theo QĐ 1489/QĐ-TTg, sản phẩm 3 sao do cấp thành phố công nhận, không phải cấp huyện"
        ),
        RowError(
            5, level, "Theo QĐ 1489/QĐ-TTg, sản phẩm 4 sao do cấp thành phố công nhận, không phải Trung ương"
        ),
    ]
    assert not report.committed and Certificate.objects.count() == Product.objects.count() == 0


def test_a_refusal_while_writing_undoes_the_whole_import(rules, city_admin, monkeypatch):
    issue = services.certificate_issue

    def refuse_the_second(**kwargs):
        if kwargs["decision_number"] == "45/QĐ-UBND":
            raise DomainError("refused", fields={"decision_number": "Số quyết định đã bị thu hồi"})
        return issue(**kwargs)

    monkeypatch.setattr(services, "certificate_issue", refuse_the_second)
    report = products_import(actor=city_admin, data=workbook([vase(), teapot(), rice_cake()]), commit=True)
    assert not report.committed
    assert report.errors == [RowError(3, "Số quyết định", "Số quyết định đã bị thu hồi")]
    assert (Producer.objects.count(), Product.objects.count(), Certificate.objects.count()) == (0, 0, 0)


def test_producers_are_matched_by_registration_number(rules, city_admin):
    existing = services.producer_save(
        actor=city_admin, name="Công ty TNHH Gốm Minh Long", kind=ProducerKind.ENTERPRISE,
        registration_number="0101234567", commune=legacy_commune("Bát Tràng", 18),
    )  # fmt: skip
    # Excel read the tax number as a number and dropped its leading zero; the name is spelled otherwise
    data = workbook([vase(reg=101234567, producer="Cty Gốm Minh Long", kind="")])
    report = products_import(actor=city_admin, data=data, commit=True)
    assert report.errors == [] and (report.producers_matched, report.producers_created) == (1, 0)
    existing.refresh_from_db()
    assert existing.name == "Cty Gốm Minh Long" and existing.kind == ProducerKind.ENTERPRISE
    assert Product.objects.get().producer == existing and Producer.objects.count() == 1


def test_producers_are_matched_by_folded_name_and_commune(rules, city_admin):
    da_ton = legacy_commune("Đa Tốn", 18)
    existing = services.producer_save(
        actor=city_admin, name="HTX Nông nghiệp Đa Tốn", kind=ProducerKind.COOPERATIVE, commune=da_ton
    )
    rows = [
        row(
            product="Nhãn Đa Tốn", producer="HTX NÔNG NGHIỆP ĐA TỐN", commune="Xã Đa Tốn", district="Gia Lâm"
        ),
        row(product="Ổi Đa Tốn", producer="Htx nong nghiep Da Ton", commune="Xã Kiêu Kỵ", district="Gia Lâm"),
    ]
    report = products_import(actor=city_admin, data=workbook(rows), commit=True)
    assert report.errors == [] and (report.producers_matched, report.producers_created) == (1, 1)
    assert Product.objects.get(name="Nhãn Đa Tốn").producer == existing
    other = Product.objects.get(name="Ổi Đa Tốn").producer
    assert other != existing and other.commune == legacy_commune("Kiêu Kỵ", 18)
    existing.refresh_from_db()
    assert existing.name == "HTX NÔNG NGHIỆP ĐA TỐN"  # the list's spelling wins


def test_export_then_import_changes_nothing(rules, city_admin):
    products_import(actor=city_admin, data=workbook([vase(), teapot(), rice_cake()]), commit=True)
    today_unit = places.communes(era=Era.CURRENT, q="Bát Tràng").get()  # no district after 01/07/2025
    producer = services.producer_save(
        actor=city_admin, name="Công ty Gốm Chu Đậu", kind=ProducerKind.ENTERPRISE, commune=today_unit
    )
    old_group = TaxonomyNode.objects.get(code="1048-thuc-pham")  # a name two rule sets share
    services.product_save(actor=city_admin, producer=producer, name="Bánh gốm", taxonomy=old_group)
    before = snapshot()

    exported = products_export(spreadsheet.products_for(city_admin))
    sheet = load_workbook(io.BytesIO(exported)).active
    table = list(sheet.iter_rows(values_only=True))
    assert list(table[0]) == COLUMNS and len(table) == 5
    line = next(r for r in table if r[1] == "Bình gốm men lam")
    assert line[2:9] == ("HTX Gốm sứ Bát Tràng", "0101234567", "Hợp tác xã", "Thôn 3", "Xã Bát Tràng",
                         "Huyện Gia Lâm", "Gốm sứ")  # fmt: skip
    assert line[9:] == (
        4,
        75,
        "123/QĐ-UBND",
        dt.datetime.combine(DECIDED, dt.time()),
        "Cấp thành phố",
        1250000,
    )
    assert next(r for r in table if r[1] == "Bánh gốm")[6:9] == ("Xã Bát Tràng", None, "Thực phẩm")

    report = products_import(actor=city_admin, data=exported, commit=True)
    assert report.errors == [] and report.committed
    assert (report.producers_created, report.products_created, report.products_updated) == (0, 0, 0)
    assert (report.certificates_created, report.products_unchanged, report.certificates_skipped) == (0, 4, 2)
    assert snapshot() == before


def test_a_file_that_is_not_excel_is_refused(rules, city_admin):
    not_a_workbook = io.BytesIO()
    with zipfile.ZipFile(not_a_workbook, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    for data in (b"STT;Ten san pham\n1;Bat", b"", not_a_workbook.getvalue()):
        report = products_import(actor=city_admin, data=data, commit=True)
        assert report.errors == [RowError(0, "", NOT_EXCEL)]
    assert NOT_EXCEL == "Không phải tệp Excel (.xlsx)"


def test_a_unit_officer_gets_a_row_error_outside_their_units(rules, gia_lam_officer):
    nhi_khe = row(
        product="Tiện gỗ Nhị Khê", producer="HKD Tiện Nhị Khê", commune="Xã Nhị Khê", district="Thường Tín"
    )
    report = products_import(actor=gia_lam_officer, data=workbook([vase(), nhi_khe]), commit=True)
    assert report.errors == [RowError(3, "Xã/phường", "Tài khoản không được giao quản lý Xã Nhị Khê")]
    assert Product.objects.count() == 0
    report = products_import(actor=gia_lam_officer, data=workbook([vase()]), commit=True)
    assert report.committed and Product.objects.count() == 1


def test_who_may_import_at_all(rules, customer):
    report = products_import(actor=customer, data=workbook([vase()]), commit=True)
    assert [e.message for e in report.errors] == ["Tài khoản không có quyền nhập danh sách sản phẩm OCOP"]


# --- the command ----------------------------------------------------------------------------


def test_the_command_checks_imports_and_fails_on_errors(rules, city_admin, tmp_path):
    good, bad = tmp_path / "tot.xlsx", tmp_path / "loi.xlsx"
    good.write_bytes(workbook([vase(), rice_cake()]))
    bad.write_bytes(workbook([vase(), teapot(stars=9)]))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 error"):
        call_command("import_products", str(bad), "--actor", city_admin.email, stdout=out, stderr=err)
    assert "Hạng sao" in err.getvalue() and "Hạng sao phải từ 3 đến 5" in err.getvalue()
    call_command(
        "import_products", str(good), "--dry-run", "--actor", city_admin.email, stdout=out, stderr=err
    )
    assert "Would import 2 rows" in out.getvalue() and Product.objects.count() == 0
    call_command("import_products", str(good), "--actor", city_admin.email.upper(), stdout=out, stderr=err)
    assert Product.objects.count() == 2 and "Imported 2 rows" in out.getvalue()
    with pytest.raises(CommandError, match="No user"):
        call_command("import_products", str(good), "--actor", "nobody@example.vn", stdout=out)


# --- the pages ------------------------------------------------------------------------------


def xlsx(data: bytes, name: str = "danh-sach.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=spreadsheet.XLSX_CONTENT_TYPE)


@pytest.mark.urls("tests.catalogue.import_test_urls")
def test_the_pages_need_a_login_and_the_right_role(client, rules, customer):
    for response in (
        client.get(UPLOAD),
        client.get(UPLOAD + "xuat.xlsx"),
        client.post(UPLOAD + "xac-nhan/x/"),
    ):
        assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]
    client.force_login(customer)
    assert client.get(UPLOAD).status_code == 404
    assert client.post(UPLOAD, {"file": xlsx(workbook([vase()]))}).status_code == 404
    assert client.get(UPLOAD + "xuat.xlsx").status_code == 404
    assert client.post(UPLOAD + "xac-nhan/x/").status_code == 404
    assert Product.objects.count() == 0


@pytest.mark.urls("tests.catalogue.import_test_urls")
def test_the_preview_writes_nothing_and_the_confirm_commits(client, rules, city_admin, media):
    client.force_login(city_admin)
    forgotten = media / "imports" / "1-1000000000-0f0f.xlsx"  # a preview from 2001 nobody confirmed
    forgotten.parent.mkdir()
    forgotten.write_bytes(b"PK")
    assert client.get(UPLOAD).status_code == 200
    response = client.post(UPLOAD, {"file": xlsx(workbook([vase(), teapot(), rice_cake()]))})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bình gốm men lam" in html and "Xã Bát Tràng" in html and 'data-testid="import-confirm"' in html
    assert Product.objects.count() == 0 and Producer.objects.count() == 0
    stored = list((media / "imports").iterdir())
    assert len(stored) == 1 and not forgotten.exists()
    token = response.context["token"]

    other = make_user(Role.CITY_ADMIN)  # a token is only good for the user who uploaded
    client.force_login(other)
    assert client.post(f"{UPLOAD}xac-nhan/{token}/").status_code == 404
    assert client.post(f"{UPLOAD}xac-nhan/{token}x/").status_code == 404
    assert Product.objects.count() == 0

    client.force_login(city_admin)
    assert client.get(f"{UPLOAD}xac-nhan/{token}/").status_code == 405
    response = client.post(f"{UPLOAD}xac-nhan/{token}/")
    assert response.status_code == 302 and response["Location"] == UPLOAD
    assert Product.objects.count() == 3 and Certificate.objects.count() == 2
    assert not stored[0].exists()
    again = client.post(f"{UPLOAD}xac-nhan/{token}/")
    assert again.status_code == 400 and Product.objects.count() == 3


@pytest.mark.urls("tests.catalogue.import_test_urls")
def test_a_preview_with_errors_shows_them_and_cannot_be_confirmed(client, rules, city_admin, media):
    client.force_login(city_admin)
    response = client.post(UPLOAD, {"file": xlsx(workbook([vase(), teapot(stars=7)]))})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Hạng sao phải từ 3 đến 5" in html and 'data-testid="import-errors"' in html
    assert "import-confirm" not in html and "token" not in response.context
    assert not (media / "imports").exists() and Product.objects.count() == 0


@pytest.mark.urls("tests.catalogue.import_test_urls")
def test_an_upload_that_is_not_an_excel_workbook_is_refused(client, rules, city_admin, media):
    client.force_login(city_admin)
    for upload in (
        SimpleUploadedFile("danh-sach.csv", b"STT;Ten\n1;Bat", content_type="text/csv"),
        xlsx(b"STT;Ten\n1;Bat"),
    ):
        response = client.post(UPLOAD, {"file": upload})
        assert response.status_code == 400
        assert response.context["form_error"].startswith("Tệp không phải bảng tính Excel (.xlsx)")
    assert client.post(UPLOAD, {}).status_code == 400
    big = xlsx(b"PK\x03\x04" + b"0" * (10 * 1024 * 1024))
    assert client.post(UPLOAD, {"file": big}).status_code == 413
    assert not (media / "imports").exists()


@pytest.mark.urls("tests.catalogue.import_test_urls")
def test_the_export_holds_the_products_the_user_looks_after(client, rules, city_admin, gia_lam_officer):
    nhi_khe = row(
        product="Tiện gỗ Nhị Khê", producer="HKD Tiện Nhị Khê", commune="Xã Nhị Khê", district="Thường Tín"
    )
    products_import(actor=city_admin, data=workbook([vase(), rice_cake(), nhi_khe]), commit=True)

    def exported_names(user) -> set[str]:
        client.force_login(user)
        response = client.get(UPLOAD + "xuat.xlsx")
        assert response.status_code == 200 and response["Content-Type"] == spreadsheet.XLSX_CONTENT_TYPE
        assert "attachment" in response["Content-Disposition"]
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert list(rows[0]) == COLUMNS
        return {r[1] for r in rows[1:]}

    assert exported_names(city_admin) == {"Bình gốm men lam", "Bánh chưng", "Tiện gỗ Nhị Khê"}
    assert exported_names(gia_lam_officer) == {"Bình gốm men lam", "Bánh chưng"}


def _job_of(response) -> str:
    assert response.status_code == 302 and "/tien-do/" in response["Location"], response
    return response["Location"].rstrip("/").rsplit("/", 1)[1]


def test_a_large_file_is_checked_and_imported_in_the_background_with_progress(
    rules, city_admin, media, settings, client
):
    from django.core.cache import cache
    from django_tasks_db.models import DBTaskResult

    from ocophub.catalogue.tasks import import_progress_key, products_import_job

    settings.IMPORT_BACKGROUND_BYTES = 1000  # every test workbook is larger
    client.force_login(city_admin)
    data = workbook([vase(), teapot(), rice_cake()])
    job = _job_of(client.post(UPLOAD, {"file": SimpleUploadedFile("lon.xlsx", data)}))

    waiting = client.get(f"{UPLOAD}tien-do/{job}/", headers={"HX-Request": "true"})
    assert waiting.status_code == 200 and 'hx-trigger="every 1s"' in waiting.content.decode()
    assert waiting.context["state"]["state"] == "queued"
    queued = DBTaskResult.objects.get(task_path="ocophub.catalogue.tasks.products_import_job")
    assert queued.args_kwargs["args"][0] == job
    seen: list[tuple[int, int]] = []
    original_set = cache.set

    def spy(key, value, *args, **kwargs):
        if key == import_progress_key(job) and value.get("state") == "running":
            seen.append((value["done"], value["total"]))
        return original_set(key, value, *args, **kwargs)

    cache.set = spy
    try:
        products_import_job.call(*queued.args_kwargs["args"])
    finally:
        cache.set = original_set
    assert seen and seen[-1][0] == seen[-1][1] == 3  # rows checked, up to the total
    assert Product.objects.count() == 0

    preview = client.get(f"{UPLOAD}tien-do/{job}/")
    assert preview.context["state"]["state"] == "checked" and preview.context["report"].rows_read == 3
    token = preview.context["token"]
    commit_job = _job_of(client.post(f"{UPLOAD}xac-nhan/{token}/"))
    task = DBTaskResult.objects.filter(task_path="ocophub.catalogue.tasks.products_import_job").latest(
        "enqueued_at"
    )
    assert products_import_job.call(*task.args_kwargs["args"]) == "done"
    done = client.get(f"{UPLOAD}tien-do/{commit_job}/")
    assert Product.objects.count() == 3
    assert "3" in done.context["done_message"]
    assert client.post(f"{UPLOAD}xac-nhan/{token}/").status_code == 400  # the file was taken


def test_the_progress_of_someone_elses_import_is_not_found(rules, city_admin, media, settings, client):
    settings.IMPORT_BACKGROUND_BYTES = 1000
    client.force_login(city_admin)
    job = _job_of(client.post(UPLOAD, {"file": SimpleUploadedFile("lon.xlsx", workbook([vase()]))}))
    other = make_user(Role.CITY_ADMIN)
    client.force_login(other)
    assert client.get(f"{UPLOAD}tien-do/{job}/").status_code == 404
    assert client.get(f"{UPLOAD}tien-do/khong-co/").status_code == 404
