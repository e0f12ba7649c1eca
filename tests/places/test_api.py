import pytest

from ocophub.places.models import AdministrativeUnit, CraftVillage, Era, Level

from ..helpers import assert_fixed_queries

PLAN_UNITS = [
    ("016", "Huyện Sóc Sơn"),
    ("017", "Huyện Đông Anh"),
    ("018", "Huyện Gia Lâm"),
    ("020", "Huyện Thanh Trì"),
    ("250", "Huyện Mê Linh"),
    ("269", "Thị xã Sơn Tây"),
    ("271", "Huyện Ba Vì"),
    ("272", "Huyện Phúc Thọ"),
    ("273", "Huyện Đan Phượng"),
    ("274", "Huyện Hoài Đức"),
    ("275", "Huyện Quốc Oai"),
    ("276", "Huyện Thạch Thất"),
    ("277", "Huyện Chương Mỹ"),
    ("278", "Huyện Thanh Oai"),
    ("279", "Huyện Thường Tín"),
    ("280", "Huyện Phú Xuyên"),
    ("281", "Huyện Ứng Hòa"),
    ("282", "Huyện Mỹ Đức"),
]


def test_health(client, db):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok" and response.json()["database"] == "ok"


def test_districts_lists_the_thirty_units(client, loaded_places):
    body = client.get("/api/v1/places/districts").json()
    assert body["count"] == 30
    kinds = [item["kind"] for item in body["items"]]
    assert (kinds.count("quan"), kinds.count("huyen"), kinds.count("thi_xa")) == (12, 17, 1)


def test_districts_filtered_to_huyen_and_thi_xa_are_the_plans_eighteen(client, loaded_places):
    body = client.get("/api/v1/places/districts?kind=huyen&kind=thi_xa").json()
    assert body["count"] == 18
    assert [(item["code_display"], item["name"]) for item in body["items"]] == PLAN_UNITS
    assert all(item["in_plan_276"] for item in body["items"])


def test_old_bat_trang_has_three_successors_partly_merged(client, loaded_places):
    body = client.get("/api/v1/places/communes/583?era=legacy").json()
    assert body["name"] == "Xã Bát Tràng" and body["district"] == {"code": 18, "name": "Huyện Gia Lâm"}
    successors = sorted((s["unit"]["name"], s["partly_merged"]) for s in body["successors"])
    assert successors == [("Phường Long Biên", True), ("Xã Bát Tràng", True), ("Xã Gia Lâm", True)]
    assert {s["effective_date"] for s in body["successors"]} == {"2025-07-01"}


def test_a_new_unit_lists_its_predecessors(client, loaded_places):
    body = client.get("/api/v1/places/communes/577?era=current").json()
    assert body["era"] == "current" and body["name"] == "Xã Bát Tràng"
    assert "Xã Kim Đức" in {p["unit"]["name"] for p in body["predecessors"]}
    assert body["successors"] == [] and body["current_units"] == []


def test_dissolved_commune_shows_the_way_to_todays_unit(client, loaded_places):
    body = client.get("/api/v1/places/communes/586").json()
    assert body["name"] == "Xã Kim Lan"
    assert [s["unit"]["name"] for s in body["successors"]] == ["Xã Kim Đức"]
    assert [s["unit"]["name"] for s in body["current_units"]] == ["Xã Bát Tràng"]


def test_commune_search_without_diacritics(client, loaded_places):
    body = client.get("/api/v1/places/communes", {"q": "duong lam"}).json()
    assert [item["name"] for item in body["items"]] == ["Xã Đường Lâm"]
    assert body["items"][0]["district"]["name"] == "Thị xã Sơn Tây"


def test_communes_filtered_by_district_era_and_date(client, loaded_places):
    gia_lam = client.get("/api/v1/places/communes", {"district": 18, "limit": 200}).json()
    assert gia_lam["count"] == 18  # 17 of the 2025-01 list and Kim Lan, dissolved on 01/01/2025
    on_2024 = client.get(
        "/api/v1/places/communes", {"district": 18, "date": "2024-06-01", "limit": 200}
    ).json()
    assert "Xã Kim Lan" in {item["name"] for item in on_2024["items"]}
    on_2025 = client.get(
        "/api/v1/places/communes", {"district": 18, "date": "2025-03-01", "limit": 200}
    ).json()
    assert "Xã Kim Lan" not in {item["name"] for item in on_2025["items"]}
    current = client.get("/api/v1/places/communes", {"era": "current", "limit": 1}).json()
    assert current["count"] == 126 and len(current["items"]) == 1
    today = client.get("/api/v1/places/communes", {"date": "2026-01-01"}).json()
    assert today["count"] == 126


def test_unknown_codes_answer_404_with_the_error_body(client, loaded_places):
    for path in (
        "/api/v1/places/communes/99999",
        "/api/v1/places/districts/999",
        "/api/v1/places/villages/khong-co",
    ):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
        assert response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/places/communes?date=31-12-2023", "date"),
        ("/api/v1/places/communes?era=future", "era"),
        ("/api/v1/places/communes?limit=0", "limit"),
        ("/api/v1/places/communes?limit=abc", "limit"),
        ("/api/v1/places/communes?offset=-1", "offset"),
        ("/api/v1/places/districts?kind=tinh", "kind"),
        ("/api/v1/places/communes/abc", "code"),
    ],
)
def test_malformed_parameters_answer_422_naming_the_field(client, loaded_places, path, field):
    response = client.get(path)
    assert response.status_code == 422
    body = response.json()["error"]
    assert body["code"] == "invalid"
    assert field in body["fields"]


def test_villages_list_and_filters(client, loaded_places):
    body = client.get("/api/v1/places/villages").json()
    assert body["count"] == 11
    by_craft = client.get("/api/v1/places/villages", {"craft": "gom-su"}).json()
    assert {item["name"] for item in by_craft["items"]} == {"Bát Tràng", "Kim Lan"}
    by_district = client.get("/api/v1/places/villages", {"district": 279}).json()
    assert [item["name"] for item in by_district["items"]] == ["Hạ Thái"]
    by_text = client.get("/api/v1/places/villages", {"q": "van phuc"}).json()
    assert [item["slug"] for item in by_text["items"]] == ["van-phuc"]


def _add_villages(n):
    commune = AdministrativeUnit.objects.filter(era=Era.LEGACY, level=Level.COMMUNE).first()
    start = CraftVillage.objects.count()
    for i in range(n):
        CraftVillage.objects.create(
            name=f"Làng {start + i}",
            folded_name=f"lang {start + i}",
            slug=f"l-{start + i}",
            commune=commune,
            source="test",
        )


def test_village_list_runs_a_fixed_number_of_queries(client, loaded_places):
    assert_fixed_queries(lambda: client.get("/api/v1/places/villages?limit=200"), _add_villages)


def test_commune_list_runs_a_fixed_number_of_queries(client, loaded_places):
    def grow(n):
        for _ in range(n):
            AdministrativeUnit.objects.create(
                era=Era.LEGACY,
                level=Level.COMMUNE,
                division_type="xa",
                code=900000 + AdministrativeUnit.objects.count(),
                name="Xã Thử",
                folded_name="xa thu",
                slug="xa-thu",
                valid_to="2024-12-31",
                source="test",
                parent=AdministrativeUnit.objects.get(era=Era.LEGACY, level=Level.DISTRICT, code=18),
            )

    assert_fixed_queries(lambda: client.get("/api/v1/places/communes?q=thu&limit=200"), grow)


def test_unit_officer_adds_a_village_in_their_district(api, gia_lam_officer):
    payload = {
        "name": "Làng gốm Giang Cao",
        "commune_code": 583,
        "crafts": ["gom-su"],
        "source": "Khảo sát 2026",
    }
    response = api.as_user(gia_lam_officer).call("post", "/api/v1/places/villages", payload)
    assert response.status_code == 201, response.content
    assert response.json()["slug"] == "lang-gom-giang-cao"
    assert response.json()["commune"]["name"] == "Xã Bát Tràng"


def test_unit_officer_cannot_add_a_village_elsewhere(api, gia_lam_officer):
    payload = {"name": "Làng lụa", "commune_code": 9544, "crafts": [], "source": "x"}
    response = api.as_user(gia_lam_officer).call("post", "/api/v1/places/villages", payload)
    assert response.status_code == 404
    assert not CraftVillage.objects.filter(name="Làng lụa").exists()


def test_bad_village_input_is_refused_and_nothing_written(api, city_admin, loaded_places):
    before = CraftVillage.objects.count()
    client = api.as_user(city_admin)
    bad = [
        ({"name": "", "commune_code": 583, "source": "x"}, "name"),
        ({"name": "A", "commune_code": 583, "source": "x", "crafts": ["khong-co"]}, "crafts"),
        ({"name": "A", "commune_code": 31337, "source": "x"}, "commune_code"),
        ({"name": "A", "commune_code": 583, "source": "x", "title_year": 1200}, "title_year"),
        ({"name": "A", "commune_code": "ba", "source": "x"}, "commune_code"),
    ]
    for payload, field in bad:
        response = client.call("post", "/api/v1/places/villages", payload)
        assert response.status_code == 422, (payload, response.content)
        assert field in response.json()["error"]["fields"], response.json()
    assert CraftVillage.objects.count() == before


def test_villages_edited_by_officer_of_their_unit_only(api, gia_lam_officer, thuong_tin_officer):
    own = api.as_user(gia_lam_officer).call(
        "patch", "/api/v1/places/villages/bat-trang", {"title_year": 1958}
    )
    assert own.status_code == 200 and own.json()["title_year"] == 1958
    other = api.as_user(thuong_tin_officer).call(
        "patch", "/api/v1/places/villages/bat-trang", {"title_year": 1990}
    )
    assert other.status_code == 404
    assert CraftVillage.objects.get(slug="bat-trang").title_year == 1958


def test_writes_need_authentication(client, loaded_places):
    response = client.post("/api/v1/places/villages", {"name": "x"}, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_field_messages_speak_the_users_language(client, loaded_places):
    vi = client.get("/api/v1/places/communes?limit=0").json()["error"]["fields"]["limit"]
    en = client.get("/api/v1/places/communes?limit=0", headers={"Accept-Language": "en"}).json()
    assert vi == "Phải từ 1 trở lên."
    assert en["error"]["fields"]["limit"] == "Must be at least 1."
    assert (
        client.get("/api/v1/places/communes?limit=abc").json()["error"]["fields"]["limit"]
        == "Cần một số nguyên."
    )


def test_places_refuses_every_change_until_accounts_answers(city_admin):
    from ocophub.accounts import permissions
    from ocophub.places import policy

    assert not policy.Policy().can_edit_places(city_admin)
    assert not policy.Policy().can_edit_craft_villages_in(city_admin, None)
    assert policy.current.can_edit_places is permissions.can_edit_places
    assert policy.current.can_edit_places(city_admin)
