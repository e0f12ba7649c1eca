import io

from openpyxl import load_workbook

from ocophub.programme.models import Commitment


def test_progress_export_holds_the_numbers_of_the_api(client, network, city_admin):
    api = client.get("/api/v1/plans/276-KH-UBND/progress?date=2025-12-31").json()
    client.force_login(city_admin)
    response = client.get("/ke-hoach/xuat/tien-do.xlsx?plan=276-KH-UBND&date=2025-12-31")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == (
        "Mã đơn vị",
        "Đơn vị",
        "Chỉ tiêu (số trung tâm)",
        "Đã công nhận/hoạt động",
        "Đang chuẩn bị",
        "Tình trạng",
    )
    assert len(rows) == 1 + 18
    state_vi = {"met": "Đạt", "missed": "Không đạt", "on_track": "Đúng tiến độ", "behind": "Chậm"}
    for excel, unit in zip(rows[1:], api["units"], strict=True):
        assert excel[0] == unit["unit"]["code_display"] and excel[1] == unit["unit"]["name"]
        assert (excel[3], excel[4], excel[5]) == (unit["counted"], unit["pipeline"], state_vi[unit["state"]])
    dashboard = client.get("/ke-hoach/?date=2025-12-31").content.decode()
    for unit in api["units"]:
        assert unit["unit"]["name"] in dashboard


def test_funding_export_holds_the_numbers_of_the_api(client, api, network, city_admin):
    totals = api.as_user(city_admin).call("get", "/api/v1/funding/totals?by=center").json()
    client.force_login(city_admin)
    response = client.get("/ke-hoach/xuat/nguon-von.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    by_center = list(book["Theo trung tâm"].iter_rows(values_only=True))
    assert by_center[0][:6] == (
        "Trung tâm",
        "Xã/phường",
        "Huyện/thị xã (trước 2025)",
        "Đã cam kết",
        "Đã giải ngân",
        "Còn lại",
    )
    excel = {row[0]: (row[3], row[4]) for row in by_center[1:]}
    assert excel == {r["label"]: (r["committed"], r["disbursed"]) for r in totals["rows"]}
    assert len(by_center) - 1 == Commitment.objects.values("center").distinct().count()
    by_source = list(book["Theo nguồn vốn"].iter_rows(values_only=True))
    assert sum(row[1] for row in by_source[1:]) == totals["committed"]
    assert ("Ngân sách thành phố", 3_500_000_000, 3_200_000_000, 300_000_000) in by_source


def test_exports_are_for_the_city_only(client, network, customer):
    assert client.get("/ke-hoach/xuat/tien-do.xlsx").status_code == 302
    client.force_login(customer)
    assert client.get("/ke-hoach/xuat/tien-do.xlsx").status_code == 404
    assert client.get("/ke-hoach/").status_code == 404


def test_names_that_look_like_formulas_stay_text(client, network, city_admin):
    from ocophub.centers.models import Center
    from ocophub.programme.services import commitment_create

    center = Center.objects.get(name__contains="Kim Lan")
    Center.objects.filter(pk=center.pk).update(name='=HYPERLINK("http://evil.example","x")')
    commitment_create(
        actor=None,
        center=Center.objects.get(pk=center.pk),
        source="other",
        amount=1_000,
        committed_on=__import__("datetime").date(2024, 1, 1),
        document="x",
    )
    client.force_login(city_admin)
    book = load_workbook(io.BytesIO(client.get("/ke-hoach/xuat/nguon-von.xlsx").content))
    cells = [
        c for row in book["Theo trung tâm"].iter_rows() for c in row if str(c.value).startswith("=HYPERLINK")
    ]
    assert cells and all(c.data_type == "s" for c in cells)


def test_the_dashboard_takes_its_date_as_dd_mm_yyyy_too(client, network, city_admin):
    client.force_login(city_admin)
    typed = client.get("/ke-hoach/?date=31/12/2025")
    assert typed.status_code == 200 and 'value="31/12/2025"' in typed.content.decode()
    assert client.get("/ke-hoach/?date=31/12/9999").status_code == 404
