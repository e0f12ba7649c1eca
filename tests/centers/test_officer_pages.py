"""The officers' work pages of centers: register, edit, life-cycle, hours, photos, score sheets."""

import datetime as dt
import importlib
import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from ocophub.accounts.models import Role
from ocophub.centers.demo import criteria_load
from ocophub.centers.models import (
    Center,
    CenterEvent,
    CenterPhoto,
    CenterSpace,
    OpeningHours,
    Recognition,
    ScoreSheet,
    Status,
)
from ocophub.centers.services import center_create, center_transition
from ocophub.common.dates import local_today
from ocophub.places import selectors as places

from ..conftest import make_user
from ..helpers import assert_fixed_queries

WORK = "/lam-viec/trung-tam/"


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def commune(code: int, era: str = "legacy"):
    unit = places.commune_by_code(code, era=era)
    assert unit is not None
    return unit


def form_data(**overrides) -> dict:
    data = {
        "name": "Trung tâm OCOP Phù Đổng",
        "commune": commune(544).pk,  # Xã Phù Đổng, huyện Gia Lâm: went wholly into Xã Phù Đổng
        "address": "Thôn Phù Đổng",
        "contact_phone": "024 3874 1234",
        "floor_area_m2": "650,5",
        "space_display_sale": "200",
        "space_transactions": "120",
        "space_demonstration": "150",
        "space_photo": "40",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def bat_trang_2025_officer(loaded_places):
    """An officer of Xã Bát Tràng, the unit in force since 01/07/2025."""
    return make_user(Role.UNIT_OFFICER, unit=commune(577, era="current"))


@pytest.fixture
def planned(loaded_places):
    return center_create(
        actor=None,
        name="Trung tâm OCOP Đa Tốn",
        commune=commune(577),
        unit_2025=commune(577, era="current"),
        status=Status.PLANNED,
        effective_on=dt.date(2024, 9, 1),
    )


def png(name: str = "anh.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 120, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


# --- register ----------------------------------------------------------------------------------------


def test_an_officer_registers_a_center_whose_commune_went_wholly_into_one_unit(gia_lam_officer):
    response = client_of(gia_lam_officer).post(f"{WORK}moi/", form_data())
    center = Center.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{WORK}{center.slug}/"
    assert center.unit_2025 == commune(541, era="current")
    assert center.contact_phone == "+842438741234"
    assert center.floor_area_m2 == Decimal("650.5")
    assert dict(CenterSpace.objects.values_list("kind", "area_m2")) == {
        "display_sale": Decimal(200),
        "transactions": Decimal(120),
        "demonstration": Decimal(150),
        "photo": Decimal(40),
    }
    assert center.events.get().to_state == Status.PROPOSED


def test_a_split_commune_needs_the_new_unit_the_site_is_in(gia_lam_officer):
    client = client_of(gia_lam_officer)
    bat_trang = commune(583)
    refused = client.post(f"{WORK}moi/", form_data(commune=bat_trang.pk))
    assert refused.status_code == 400
    assert "unit_2025" in refused.context["form"].errors
    assert [u.name for u in refused.context["unit_choices"]] == [
        "Phường Long Biên",
        "Xã Gia Lâm",
        "Xã Bát Tràng",
    ]
    assert not Center.objects.exists() and not CenterEvent.objects.exists()
    # a unit the old commune did not go into is refused too
    wrong = client.post(
        f"{WORK}moi/", form_data(commune=bat_trang.pk, unit_2025=commune(10330, era="current").pk)
    )
    assert wrong.status_code == 400 and "unit_2025" in wrong.context["form"].errors
    assert not Center.objects.exists()
    chosen = commune(577, era="current")
    done = client.post(f"{WORK}moi/", form_data(commune=bat_trang.pk, unit_2025=chosen.pk))
    assert done.status_code == 302
    assert Center.objects.get().unit_2025 == chosen


def test_a_new_unit_officer_may_not_place_a_site_in_another_new_unit(bat_trang_2025_officer):
    client = client_of(bat_trang_2025_officer)
    long_bien = commune(145, era="current")
    refused = client.post(f"{WORK}moi/", form_data(commune=commune(583).pk, unit_2025=long_bien.pk))
    assert refused.status_code == 400 and "unit_2025" in refused.context["form"].errors
    assert not Center.objects.exists()
    ok = client.post(
        f"{WORK}moi/", form_data(commune=commune(583).pk, unit_2025=commune(577, era="current").pk)
    )
    assert ok.status_code == 302


def test_a_commune_outside_the_officers_units_is_a_field_error(gia_lam_officer):
    duyen_thai = commune(10192)  # huyện Thường Tín
    response = client_of(gia_lam_officer).post(f"{WORK}moi/", form_data(commune=duyen_thai.pk))
    assert response.status_code == 400
    assert "commune" in response.context["form"].errors
    assert not Center.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"commune": None}, "commune"),
        ({"commune": "999999999"}, "commune"),
        ({"commune": "abc"}, "commune"),
        ({"floor_area_m2": "năm trăm"}, "floor_area_m2"),
        ({"space_photo": "-5"}, "space_photo"),
        ({"contact_phone": "12"}, "contact_phone"),
        ({"contact_email": "khong-phai-email"}, "contact_email"),
        ({"address": "a" * 301}, "address"),
    ],
)
def test_bad_input_to_the_center_form_writes_nothing(gia_lam_officer, overrides, field):
    response = client_of(gia_lam_officer).post(f"{WORK}moi/", form_data(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert response.context["problem"] is not None
    assert not Center.objects.exists() and not CenterSpace.objects.exists()


def test_the_commune_picker_offers_only_matches_in_the_officers_units(gia_lam_officer, thuong_tin_officer):
    url = f"{WORK}xa-phuong/?commune_query=bat trang"
    gia_lam = client_of(gia_lam_officer).get(url)
    names = [label for _unit, label in gia_lam.context["matches"]]
    assert gia_lam.status_code == 200 and names and all("Bát Tràng" in name for name in names)
    assert any("01/07/2025" in name for name in names)
    assert client_of(thuong_tin_officer).get(url).context["matches"] == []
    assert client_of(gia_lam_officer).get(f"{WORK}xa-phuong/?commune_query=").context["matches"] == []
    # a common word never lists more than the limit
    many = client_of(gia_lam_officer).get(f"{WORK}xa-phuong/?commune_query=xa")
    assert 0 < len(many.context["matches"]) <= 20


def test_people_without_units_get_404_and_visitors_the_login(customer):
    for url in [WORK, f"{WORK}moi/", f"{WORK}xa-phuong/?commune_query=bat"]:
        assert client_of(customer).get(url).status_code == 404
        assert Client().get(url).status_code == 302


# --- the list --------------------------------------------------------------------------------------


def test_the_list_shows_the_officers_centers_with_fixed_queries(gia_lam_officer, thuong_tin_officer):
    center_create(actor=None, name="Trung tâm Chuyên Mỹ", commune=commune(10321))
    client = client_of(gia_lam_officer)
    counter = iter(range(1000))

    def grow(n: int) -> None:
        for _n in range(n):
            center_create(actor=None, name=f"Trung tâm Gia Lâm {next(counter)}", commune=commune(583))

    assert_fixed_queries(lambda: client.get(WORK), grow)
    names = [c.name for c in client.get(WORK).context["centers"]]
    assert len(names) == 18 and "Trung tâm Chuyên Mỹ" not in names
    assert client_of(thuong_tin_officer).get(WORK).context["centers"] == []


# --- edit ----------------------------------------------------------------------------------------


def test_an_officer_edits_a_center_of_their_unit(gia_lam_officer, planned):
    client = client_of(gia_lam_officer)
    page = client.get(f"{WORK}{planned.slug}/sua/")
    assert page.status_code == 200 and page.context["form"]["name"].value() == planned.name
    response = client.post(
        f"{WORK}{planned.slug}/sua/",
        form_data(
            name="Trung tâm OCOP Đa Tốn mới",
            commune=commune(577).pk,
            unit_2025=commune(565, era="current").pk,
        ),
    )
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.name == "Trung tâm OCOP Đa Tốn mới" and planned.unit_2025 == commune(565, era="current")


def test_bad_edits_change_nothing(gia_lam_officer, planned):
    client = client_of(gia_lam_officer)
    for data in [
        form_data(name=""),
        form_data(commune=commune(10192).pk),
        form_data(commune=commune(577).pk),
    ]:
        response = client.post(f"{WORK}{planned.slug}/sua/", data)
        assert response.status_code == 400
    planned.refresh_from_db()
    assert planned.name == "Trung tâm OCOP Đa Tốn" and planned.unit_2025 == commune(577, era="current")
    assert not CenterSpace.objects.exists()


def test_another_units_officer_gets_404_everywhere(thuong_tin_officer, planned):
    client = client_of(thuong_tin_officer)
    for suffix in ["", "sua/", "cham-diem/"]:
        assert client.get(f"{WORK}{planned.slug}/{suffix}").status_code == 404
    assert client.post(f"{WORK}{planned.slug}/sua/", form_data()).status_code == 404
    assert client.post(f"{WORK}{planned.slug}/trang-thai/", {"to": "under_construction"}).status_code == 404
    assert (
        client.post(
            f"{WORK}{planned.slug}/gio-mo-cua/", {"opens_0": "08:00", "closes_0": "17:00"}
        ).status_code
        == 404
    )
    planned.refresh_from_db()
    assert planned.status == Status.PLANNED and not OpeningHours.objects.exists()


# --- the life-cycle --------------------------------------------------------------------------------


def test_only_the_allowed_moves_are_offered(gia_lam_officer, planned):
    page = client_of(gia_lam_officer).get(f"{WORK}{planned.slug}/")
    assert [to for to, _label in page.context["moves"]] == [Status.UNDER_CONSTRUCTION, Status.CLOSED]
    html = page.content.decode()
    assert 'data-testid="move-under_construction"' in html and 'data-testid="move-operating"' not in html


def test_an_illegal_move_changes_nothing(gia_lam_officer, planned):
    response = client_of(gia_lam_officer).post(f"{WORK}{planned.slug}/trang-thai/", {"to": Status.OPERATING})
    assert response.status_code == 400
    planned.refresh_from_db()
    assert planned.status == Status.PLANNED and planned.events.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"to": "bay-len"},
        {"to": Status.UNDER_CONSTRUCTION, "effective_on": "31/02/2025"},
        {"to": Status.UNDER_CONSTRUCTION, "effective_on": "01/01/2099"},
        {"to": Status.UNDER_CONSTRUCTION, "reason": "x" * 301},
    ],
)
def test_bad_moves_are_refused(gia_lam_officer, planned, data):
    response = client_of(gia_lam_officer).post(f"{WORK}{planned.slug}/trang-thai/", data)
    assert response.status_code == 400
    planned.refresh_from_db()
    assert planned.status == Status.PLANNED and planned.events.count() == 1


def test_recognition_needs_the_decision_and_records_it(gia_lam_officer, planned):
    client = client_of(gia_lam_officer)
    url = f"{WORK}{planned.slug}/trang-thai/"
    assert client.post(url, {"to": Status.UNDER_CONSTRUCTION, "reason": "khởi công"}).status_code == 302
    refused = client.post(url, {"to": Status.RECOGNISED})
    assert refused.status_code == 400
    assert {"decision_number", "issuer", "decision_date"} <= set(refused.context["transition_form"].errors)
    assert not Recognition.objects.exists()
    done = client.post(
        url,
        {
            "to": Status.RECOGNISED,
            "decision_number": "717/QĐ-SCT",
            # the move to "under construction" took effect today: the decision cannot be earlier
            "decision_date": local_today().strftime("%d/%m/%Y"),
            "issuer": "Sở Công Thương Hà Nội",
            "score": "82,5",
        },
    )
    assert done.status_code == 302
    planned.refresh_from_db()
    recognition = Recognition.objects.get()
    assert planned.status == Status.RECOGNISED and recognition.score == Decimal("82.5")
    assert recognition.band == "80–<90"
    assert client.post(url, {"to": Status.OPERATING, "reason": "khai trương"}).status_code == 302
    planned.refresh_from_db()
    assert planned.status == Status.OPERATING


# --- hours and photos ----------------------------------------------------------------------------


def test_opening_hours_are_saved_per_weekday(gia_lam_officer, planned):
    data = {"opens_0": "08:00", "closes_0": "17:30", "opens_6": "09:00", "closes_6": "12:00"}
    response = client_of(gia_lam_officer).post(f"{WORK}{planned.slug}/gio-mo-cua/", data)
    assert response.status_code == 302
    assert [(h.weekday, f"{h.opens:%H:%M}", f"{h.closes:%H:%M}") for h in OpeningHours.objects.all()] == [
        (0, "08:00", "17:30"),
        (6, "09:00", "12:00"),
    ]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"opens_0": "17:00", "closes_0": "08:00"}, "closes_0"),
        ({"opens_1": "08:00", "closes_1": "08:00"}, "closes_1"),
        ({"opens_2": "8h", "closes_2": "17:00"}, "opens_2"),
        ({"opens_3": "25:00", "closes_3": "26:00"}, "opens_3"),
        ({"opens_4": "08:00"}, "closes_4"),
    ],
)
def test_bad_hours_change_nothing(gia_lam_officer, planned, data, field):
    client = client_of(gia_lam_officer)
    client.post(f"{WORK}{planned.slug}/gio-mo-cua/", {"opens_5": "08:00", "closes_5": "11:00"})
    response = client.post(f"{WORK}{planned.slug}/gio-mo-cua/", data)
    assert response.status_code == 400 and field in response.context["hours_form"].errors
    assert [(h.weekday, f"{h.opens:%H:%M}") for h in OpeningHours.objects.all()] == [(5, "08:00")]


def test_a_photo_is_added_and_a_file_that_is_not_an_image_refused(
    gia_lam_officer, planned, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = client_of(gia_lam_officer)
    url = f"{WORK}{planned.slug}/anh/"
    assert client.post(url, {"image": png(), "caption": "Mặt tiền"}).status_code == 302
    fake = SimpleUploadedFile("anh.png", b"not an image at all", content_type="image/png")
    refused = client.post(url, {"image": fake})
    assert refused.status_code == 400 and refused.context["problem"] is not None
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"image": png(), "caption": "x" * 201}).status_code == 400
    assert list(CenterPhoto.objects.values_list("caption", flat=True)) == ["Mặt tiền"]


# --- score sheets --------------------------------------------------------------------------------


@pytest.fixture
def criteria(db):
    criteria_load()


def test_a_score_sheet_is_recorded(gia_lam_officer, planned, criteria):
    client = client_of(gia_lam_officer)
    url = f"{WORK}{planned.slug}/cham-diem/"
    page = client.get(url)
    assert page.status_code == 200 and len(page.context["score_fields"]) == 5
    response = client.post(
        url, {"assessed_on": "02/12/2025", "score_display-sale": "18", "score_photo": "7,5", "notes": "Đợt 1"}
    )
    assert response.status_code == 302
    sheet = ScoreSheet.objects.get()
    assert sheet.total == Decimal("25.5") and sheet.assessor == gia_lam_officer
    manage = client.get(f"{WORK}{planned.slug}/")
    assert manage.context["latest_total"] == Decimal("25.5")


@pytest.mark.parametrize(
    "data",
    [
        {"assessed_on": "02/12/2025"},
        {"assessed_on": "", "score_photo": "5"},
        {"assessed_on": "2/13/2025", "score_photo": "5"},
        {"assessed_on": "01/01/2099", "score_photo": "5"},
        {"assessed_on": "02/12/2025", "score_photo": "11"},
        {"assessed_on": "02/12/2025", "score_photo": "-1"},
        {"assessed_on": "02/12/2025", "score_photo": "năm"},
        {"assessed_on": "02/12/2025", "score_photo": "5", "notes": "x" * 2001},
    ],
)
def test_bad_score_sheets_write_nothing(gia_lam_officer, planned, criteria, data):
    response = client_of(gia_lam_officer).post(f"{WORK}{planned.slug}/cham-diem/", data)
    assert response.status_code == 400 and response.context["problem"] is not None
    assert not ScoreSheet.objects.exists()


# --- the stored unit ---------------------------------------------------------------------------


def test_the_data_migration_fills_only_unambiguous_units(loaded_places):
    whole = center_create(actor=None, name="Trung tâm Chuyên Mỹ", commune=commune(10321))
    split = center_create(actor=None, name="Trung tâm Bát Tràng", commune=commune(583))
    assert split.unit_2025 is None  # the API and loaders may leave a split commune's unit unknown
    Center.objects.update(unit_2025=None)
    migration = importlib.import_module("ocophub.centers.migrations.0004_center_unit_2025_fill")
    migration.fill(apps, None)
    whole.refresh_from_db()
    split.refresh_from_db()
    assert whole.unit_2025 == commune(10330, era="current") and split.unit_2025 is None


def test_moving_a_center_keeps_its_stored_unit(planned):
    center_transition(
        actor=None, center=planned, to=Status.UNDER_CONSTRUCTION, effective_on=dt.date(2024, 10, 1)
    )
    planned.refresh_from_db()
    assert planned.unit_2025 == commune(577, era="current")


def test_the_center_page_names_the_stored_unit_only(gia_lam_officer, planned):
    page = client_of(gia_lam_officer).get(f"/trung-tam/{planned.slug}/")
    assert [step.unit.name for step in page.context["current_units"]] == ["Xã Bát Tràng"]


def test_officers_find_their_work_pages_in_the_navigation(gia_lam_officer, customer):
    html = client_of(gia_lam_officer).get("/").content.decode()
    assert f'href="{WORK}"' in html and 'href="/ke-hoach/"' in html
    assert f'href="{WORK}"' not in client_of(customer).get("/").content.decode()


def test_the_api_gives_the_stored_unit(api, planned, gia_lam_officer):
    body = api.as_user(gia_lam_officer).call("get", f"/api/v1/centers/{planned.pk}").json()
    assert body["unit_2025"]["name"] == "Xã Bát Tràng"
