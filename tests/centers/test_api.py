import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ocophub.accounts.models import Role
from ocophub.centers.models import Center, CenterEvent, CenterPhoto, Recognition, ScoreSheet, Status
from ocophub.centers.services import center_create
from ocophub.places import selectors as places
from ocophub.places.models import AdministrativeUnit

from ..conftest import center_named, make_user
from ..helpers import assert_fixed_queries


def names(response):
    return {item["name"] for item in response.json()["items"]}


def test_the_public_sees_recognised_and_operating_centers_only(client, network):
    body = client.get("/api/v1/centers?limit=200").json()
    assert body["count"] == 10
    assert {item["status"] for item in body["items"]} == {"recognised", "operating"}
    planned = center_named("Đường Lâm")
    assert client.get(f"/api/v1/centers/{planned.pk}").status_code == 404


def test_filters_status_district_new_unit_craft_and_text(client, network):
    assert names(client.get("/api/v1/centers?status=operating")) == {"Trung tâm OCOP làng gốm Bát Tràng"}
    gia_lam = names(client.get("/api/v1/centers?district=18"))
    assert gia_lam == {"Trung tâm OCOP làng gốm Bát Tràng", "Trung tâm OCOP làng gốm Kim Lan"}
    # today's Xã Bát Tràng (577) covers old Bát Tràng (partly) and Kim Lan (through Kim Đức)
    assert names(client.get("/api/v1/centers?unit=577")) == gia_lam
    assert names(client.get("/api/v1/centers?craft=det-lua")) == {"Trung tâm OCOP lụa Vạn Phúc"}
    assert names(client.get("/api/v1/centers?q=kham trai")) == {"Trung tâm OCOP khảm trai Chuyên Mỹ"}


def test_a_center_shows_its_old_commune_and_todays_units(client, network):
    center = center_named("Kim Lan")
    body = client.get(f"/api/v1/centers/{center.pk}").json()
    assert body["commune"]["name"] == "Xã Kim Lan" and body["commune"]["district"]["name"] == "Huyện Gia Lâm"
    assert [u["name"] for u in body["current_units"]] == ["Xã Bát Tràng"]
    assert body["recognitions"][0]["decision_number"] == "717/QĐ-SCT"
    assert body["allowed_transitions"] == []  # the public moves nothing


def test_unit_officers_see_and_move_the_pipeline_of_their_units_only(api, network):
    son_tay = make_user(Role.UNIT_OFFICER, unit=places.district_by_code(269))
    gia_lam = make_user(Role.UNIT_OFFICER, unit=places.district_by_code(18))
    duong_lam = center_named("Đường Lâm")
    own = api.as_user(son_tay).call("get", f"/api/v1/centers/{duong_lam.pk}")
    assert own.status_code == 200 and own.json()["allowed_transitions"] == ["under_construction", "closed"]
    assert api.as_user(gia_lam).call("get", f"/api/v1/centers/{duong_lam.pk}").status_code == 404
    moved = api.as_user(gia_lam).call("post", f"/api/v1/centers/{duong_lam.pk}/transitions", {"to": "closed"})
    assert moved.status_code == 404
    duong_lam.refresh_from_db()
    assert duong_lam.status == Status.PLANNED


def test_transition_through_the_api(api, network, city_admin):
    center = center_named("Đường Lâm")
    client = api.as_user(city_admin)
    refused = client.call("post", f"/api/v1/centers/{center.pk}/transitions", {"to": "operating"})
    assert refused.status_code == 422
    assert (
        refused.json()["error"]["code"] == "illegal_transition" and "to" in refused.json()["error"]["fields"]
    )
    ok = client.call(
        "post",
        f"/api/v1/centers/{center.pk}/transitions",
        {"to": "under_construction", "reason": "Khởi công", "effective_on": "2025-02-01"},
    )
    assert ok.status_code == 200 and ok.json()["status"] == "under_construction"
    no_number = client.call(
        "post",
        f"/api/v1/centers/{center.pk}/transitions",
        {
            "to": "recognised",
            "recognition": {"decision_number": "", "decision_date": "2025-06-01", "issuer": "SCT"},
        },
    )
    assert no_number.status_code == 422
    assert "recognition.decision_number" in no_number.json()["error"]["fields"]
    recognised = client.call(
        "post",
        f"/api/v1/centers/{center.pk}/transitions",
        {
            "to": "recognised",
            "recognition": {
                "decision_number": "99/QĐ-SCT",
                "decision_date": "2025-06-01",
                "issuer": "Sở Công Thương",
                "score": "76",
            },
        },
    )
    assert recognised.status_code == 200
    assert recognised.json()["recognitions"][0]["band"] == "70–<80"
    history = client.call("get", f"/api/v1/centers/{center.pk}/events").json()
    assert [e["to_state"] for e in history][:2] == ["recognised", "under_construction"]


def test_officer_registers_a_center_in_their_unit(api, network):
    officer = make_user(Role.UNIT_OFFICER, unit=places.district_by_code(16))
    payload = {
        "name": "Trung tâm OCOP Minh Trí",
        "commune_code": 382,
        "floor_area_m2": "650",
        "spaces": {"display_sale": "250", "transactions": "120", "demonstration": "180", "photo": "40"},
        "crafts": ["may-tre-dan"],
        "latitude": "21.2",
        "longitude": "105.8",
    }
    response = api.as_user(officer).call("post", "/api/v1/centers", payload)
    assert response.status_code == 201, response.content
    body = response.json()
    # code 382 names today's Xã Kim Anh, made of Minh Trí, Minh Phú and Tân Dân of old Sóc Sơn
    assert body["status"] == "proposed" and body["commune"]["name"] == "Xã Kim Anh"
    assert body["current_units"][0]["name"] == "Xã Kim Anh"
    assert {r["code"]: r["ok"] for r in body["requirements"]} == {
        "floor_area": True,
        "four_spaces": True,
        "transactions_space": True,
        "ocop_goods_share": None,
    }
    elsewhere = api.as_user(officer).call(
        "post", "/api/v1/centers", {**payload, "name": "Trung tâm khác", "commune_code": 583}
    )
    assert elsewhere.status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"commune_code": 26734}, "commune_code"),  # a commune of another province
        ({"floor_area_m2": "-5"}, "floor_area_m2"),
        ({"spaces": {"photo": "-1"}}, "spaces.photo"),
        ({"latitude": "10.8"}, "latitude"),  # Hồ Chí Minh City is not in Hanoi
        ({"name": ""}, "name"),
        ({"crafts": ["khong-co"]}, "crafts"),
    ],
)
def test_bad_center_input_is_refused_with_the_field(api, network, city_admin, change, field):
    before = Center.objects.count()
    payload = {"name": "Trung tâm thử", "commune_code": 382, **change}
    response = api.as_user(city_admin).call("post", "/api/v1/centers", payload)
    assert response.status_code == 422, response.content
    assert field in response.json()["error"]["fields"], response.json()
    assert Center.objects.count() == before


def test_center_manager_edits_profile_hours_and_photos_only(api, network):
    center = center_named("Bát Tràng")
    manager = make_user(Role.CENTER_MANAGER, scope_id=center.pk)
    client = api.as_user(manager)
    ok = client.call(
        "patch",
        f"/api/v1/centers/{center.pk}",
        {"description": "Không gian gốm", "contact_phone": "024 3874 0000"},
    )
    assert ok.status_code == 200 and ok.json()["description"] == "Không gian gốm"
    refused = client.call("patch", f"/api/v1/centers/{center.pk}", {"name": "Đổi tên"})
    assert refused.status_code == 422 and "name" in refused.json()["error"]["fields"]
    hours = client.call(
        "put",
        f"/api/v1/centers/{center.pk}/hours",
        {"hours": [{"weekday": d, "opens": "08:00", "closes": "17:30"} for d in range(7)]},
    )
    assert hours.status_code == 200 and len(hours.json()["hours"]) == 7
    bad_hours = client.call(
        "put",
        f"/api/v1/centers/{center.pk}/hours",
        {"hours": [{"weekday": 0, "opens": "18:00", "closes": "08:00"}]},
    )
    assert bad_hours.status_code == 422
    assert len(client.call("get", f"/api/v1/centers/{center.pk}").json()["hours"]) == 7  # unchanged
    other = center_named("Kim Lan")
    assert client.call("patch", f"/api/v1/centers/{other.pk}", {"description": "x"}).status_code == 404
    staff = client.call("get", f"/api/v1/centers/{center.pk}").json()["staff"]
    assert staff == [{"name": str(manager), "role": "Quản lý trung tâm"}]
    assert api.as_user(None).call("get", f"/api/v1/centers/{center.pk}").json()["staff"] == []


def _png(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (138, 28, 28)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_photos_must_be_images(api, network, city_admin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    center = center_named("Bát Tràng")
    client = api.as_user(city_admin)
    ok = client.post(
        f"/api/v1/centers/{center.pk}/photos",
        {"image": SimpleUploadedFile("lo-gom.png", _png(), content_type="image/png"), "caption": "Lò gốm"},
        headers=client.headers_for,
    )
    assert ok.status_code == 201, ok.content
    fake = client.post(
        f"/api/v1/centers/{center.pk}/photos",
        {"image": SimpleUploadedFile("fake.png", b"not an image at all", content_type="image/png")},
        headers=client.headers_for,
    )
    assert fake.status_code == 422 and "image" in fake.json()["error"]["fields"]
    assert CenterPhoto.objects.count() == 1


def test_score_sheet_points_stay_within_each_criterion(api, network, city_admin):
    center = center_named("Đường Lâm")
    client = api.as_user(city_admin)
    over = client.call(
        "post",
        f"/api/v1/centers/{center.pk}/score-sheets",
        {"assessed_on": "2025-03-01", "scores": {"display-sale": "25", "photo": "8"}},
    )
    assert over.status_code == 422 and "scores.display-sale" in over.json()["error"]["fields"]
    assert not ScoreSheet.objects.exists()
    ok = client.call(
        "post",
        f"/api/v1/centers/{center.pk}/score-sheets",
        {
            "assessed_on": "2025-03-01",
            "scores": {
                "display-sale": "18",
                "transactions": "12.5",
                "demonstration": "17",
                "photo": "8",
                "other": "30",
            },
        },
    )
    assert ok.status_code == 201 and Decimal(ok.json()["total"]) == Decimal("85.5")


def test_criteria_are_data_with_the_known_points(client, network):
    criteria = {c["code"]: c for c in client.get("/api/v1/centers/criteria").json()}
    assert {code: int(Decimal(c["max_points"])) for code, c in criteria.items()} == {
        "display-sale": 20,
        "transactions": 15,
        "demonstration": 20,
        "photo": 10,
        "other": 35,
    }
    assert not criteria["other"]["is_confirmed"]


def test_center_list_api_and_page_run_a_fixed_number_of_queries(client, network):
    counter = iter(range(1000))

    def grow(n):
        for _ in range(n):
            i = next(counter)
            center = center_create(
                actor=None,
                name=f"Trung tâm thử {i}",
                # each in another commune, so that rows share nothing that a cache could hide
                commune=AdministrativeUnit.objects.filter(era="legacy", level="commune").order_by("code")[i],
                status=Status.RECOGNISED,
                latitude=Decimal("21.0"),
                longitude=Decimal("105.9"),
            )
            Recognition.objects.create(
                center=center, decision_number=f"{i}/QĐ", decision_date="2024-01-01", issuer="SCT"
            )

    assert_fixed_queries(lambda: client.get("/api/v1/centers?limit=200"), grow)
    assert_fixed_queries(lambda: client.get("/trung-tam/"), grow)
    assert CenterEvent.objects.filter(center__name__startswith="Trung tâm thử").count() == 36


def test_officer_of_an_old_district_lists_centers_set_up_in_its_new_units(api, network):
    officer = make_user(Role.UNIT_OFFICER, unit=places.district_by_code(18))
    center = center_create(
        actor=None, name="Trung tâm OCOP Bát Tràng mới", commune=places.commune_by_code(577)
    )
    client = api.as_user(officer)
    assert center.pk in {c["id"] for c in client.call("get", "/api/v1/centers?limit=200").json()["items"]}
    assert client.call("get", f"/api/v1/centers/{center.pk}").status_code == 200
    created = client.call(
        "post",
        "/api/v1/funding/commitments",
        {
            "center_id": center.pk,
            "source": "state_commune",
            "amount": 5_000_000,
            "committed_on": "2025-08-01",
            "document": "NQ HĐND xã",
        },
    )
    assert created.status_code == 201
    assert client.call("get", f"/api/v1/funding/commitments/{created.json()['id']}").status_code == 200


def test_unbounded_areas_and_huge_images_are_refused_cleanly(api, network, city_admin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    center = center_named("Bát Tràng")
    client = api.as_user(city_admin)
    huge = client.call("patch", f"/api/v1/centers/{center.pk}", {"spaces": {"photo": "123456789012.123"}})
    assert huge.status_code == 422
    assert client.call("get", f"/api/v1/centers/{center.pk}").status_code == 200
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, format="PNG")  # a decompression bomb of a few kB
    bomb = client.post(
        f"/api/v1/centers/{center.pk}/photos",
        {"image": SimpleUploadedFile("bomb.png", buffer.getvalue(), content_type="image/png")},
        headers=client.headers_for,
    )
    assert bomb.status_code == 422
    assert not CenterPhoto.objects.exists()


def test_a_manager_may_not_change_spaces_or_crafts(api, network):
    center = center_named("Bát Tràng")
    manager = make_user(Role.CENTER_MANAGER, scope_id=center.pk)
    response = api.as_user(manager).call(
        "patch", f"/api/v1/centers/{center.pk}", {"spaces": {"transactions": "150"}}
    )
    assert response.status_code == 422 and "spaces" in response.json()["error"]["fields"]
    assert not center.spaces.exists()


def test_opening_hours_are_clock_times_to_the_minute_in_and_out(network, api, city_admin):
    from ocophub.centers.models import Center

    center = Center.objects.first()
    client = api.as_user(city_admin)
    for wrong in ("8:00", "08:00:01", "24:00", "20:53:11.899", 800, "08h00"):
        refused = client.call(
            "put",
            f"/api/v1/centers/{center.pk}/hours",
            {"hours": [{"weekday": 0, "opens": wrong, "closes": "17:00"}]},
        )
        assert refused.status_code == 422, wrong
    saved = client.call(
        "put",
        f"/api/v1/centers/{center.pk}/hours",
        {"hours": [{"weekday": 0, "opens": "07:30", "closes": "17:00"}]},
    )
    assert saved.status_code == 200
    assert saved.json()["hours"] == [{"weekday": 0, "opens": "07:30", "closes": "17:00"}]
