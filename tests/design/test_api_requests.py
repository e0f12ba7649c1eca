"""The design API's requests: who sees which, the filters, one request in full, a producer's new
request with its bad input refused whole, and Idempotency-Key replays."""

import datetime as dt

import pytest

from ocophub.common.dates import local_today
from ocophub.common.models import IdempotencyRecord
from ocophub.design.models import DesignEvent, DesignRequest

from ..conftest import make_user
from ..helpers import assert_fixed_queries
from . import world

BASE = "/api/v1/design/requests"


@pytest.fixture
def w(loaded_places):
    return world.build()


def _numbers(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["number"] for item in response.json()["items"]}


def _later(days: int = 30) -> str:
    return (local_today() + dt.timedelta(days=days)).isoformat()


def _body(w, **overrides) -> dict:
    body = {
        "producer_id": w.producer_a.pk,
        "center_id": w.center_a.pk,
        "kind": "packaging",
        "title": "Hộp quà cho hũ gốm",
        "product_ids": [w.jar.pk, w.vase.pk],
        "brief": "Hộp giấy cứng, in họa tiết men rạn.",
        "wished_on": _later(),
        "budget": 4_000_000,
    }
    body.update(overrides)
    return body


def _nothing_written() -> None:
    assert DesignRequest.objects.count() == 0
    assert DesignEvent.objects.count() == 0


# --- who sees which --------------------------------------------------------------------------------


def test_each_role_lists_the_requests_of_its_scope(api, w):
    mine = world.submit(w, title="Nhãn A")
    assigned = world.advance(w, world.submit(w, title="Nhãn A2"), "accepted")
    theirs = world.submit(
        w, actor=w.member_b, producer=w.producer_b, center=w.center_b, products=[w.tea], title="Hộp B"
    )
    everyone = {mine.number, assigned.number, theirs.number}
    assert _numbers(api.as_user(w.member_a).call("get", BASE)) == {mine.number, assigned.number}
    assert _numbers(api.as_user(w.member_b).call("get", BASE)) == {theirs.number}
    assert _numbers(api.as_user(w.manager_a).call("get", BASE)) == {mine.number, assigned.number}
    assert _numbers(api.as_user(w.manager_b).call("get", BASE)) == {theirs.number}
    assert _numbers(api.as_user(w.designer_a).call("get", BASE)) == {assigned.number}
    assert _numbers(api.as_user(w.designer_a2).call("get", BASE)) == set()
    assert _numbers(api.as_user(w.designer_b).call("get", BASE)) == set()
    assert _numbers(api.as_user(w.city).call("get", BASE)) == everyone
    assert _numbers(api.as_user(make_user()).call("get", BASE)) == set()
    assert api.as_user(None).call("get", BASE).status_code == 401


def test_one_request_is_404_outside_the_scope(api, w):
    request = world.advance(w, world.submit(w), "proposal_sent")
    url = f"{BASE}/{request.pk}"
    for user in (w.member_a, w.manager_a, w.designer_a, w.city):
        assert api.as_user(user).call("get", url).status_code == 200
    for user in (w.member_b, w.manager_b, w.designer_b, w.designer_a2):
        response = api.as_user(user).call("get", url)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert api.as_user(w.city).call("get", f"{BASE}/999999").status_code == 404
    assert api.as_user(None).call("get", url).status_code == 401


def test_filters(api, w):
    label = world.submit(w, title="Nhãn")
    package = world.submit(w, kind="packaging", title="Hộp")
    late = world.advance(w, world.submit(w, kind="brand", title="Logo"), "in_progress")
    DesignRequest.objects.filter(pk=late.pk).update(due_on=local_today() - dt.timedelta(days=2))
    other = world.submit(
        w, actor=w.member_b, producer=w.producer_b, center=w.center_b, products=[w.tea], title="Hộp B"
    )
    city = api.as_user(w.city)
    assert _numbers(city.call("get", f"{BASE}?kind=packaging")) == {package.number}
    assert _numbers(city.call("get", f"{BASE}?state=in_progress")) == {late.number}
    assert _numbers(city.call("get", f"{BASE}?center_id={w.center_b.pk}")) == {other.number}
    assert _numbers(city.call("get", f"{BASE}?producer_id={w.producer_a.pk}")) == {
        label.number,
        package.number,
        late.number,
    }
    overdue = city.call("get", f"{BASE}?overdue=true")
    assert _numbers(overdue) == {late.number}
    assert overdue.json()["items"][0]["overdue"] is True
    assert late.number not in _numbers(city.call("get", f"{BASE}?overdue=false"))
    page = city.call("get", f"{BASE}?limit=2&offset=1").json()
    assert (page["count"], page["limit"], page["offset"], len(page["items"])) == (4, 2, 1, 2)
    bad = city.call("get", f"{BASE}?state=lost&limit=0")
    assert bad.status_code == 422 and {"state", "limit"} <= set(bad.json()["error"]["fields"])


def test_the_list_runs_a_fixed_number_of_queries(api, w):
    client = api.as_user(w.manager_a)
    client.call("get", BASE)  # the first call records the token's use

    def grow(n: int) -> None:
        for _ in range(n):
            world.advance(w, world.submit(w), "accepted")

    assert_fixed_queries(lambda: client.call("get", f"{BASE}?limit=100"), grow, steps=(2, 5))


def test_one_request_in_full(api, w):
    request = world.advance(
        w,
        world.submit(w, payer="shared", subsidy_percent=40, commitment=w.commitment_a, budget=3_000_000),
        "changes_requested",
    )
    body = api.as_user(w.member_a).call("get", f"{BASE}/{request.pk}").json()
    assert body["state"] == "changes_requested" and body["state_label"]
    assert body["designer"] == {"id": w.designer_a.pk, "name": str(w.designer_a)}
    assert body["price"] == 2_500_000 and body["cost"] == 2_500_000
    assert (body["subsidy_amount"], body["producer_amount"]) == (1_000_000, 1_500_000)
    assert body["due_on"] == (local_today() + dt.timedelta(days=20)).isoformat()
    assert body["overdue"] is False
    assert [p["id"] for p in body["products"]] == [w.jar.pk]
    assert [e["to_state"] for e in body["events"]] == [
        "submitted",
        "accepted",
        "in_progress",
        "proposal_sent",
        "changes_requested",
    ]
    assert body["events"][1]["detail"]["designer"] == w.designer_a.pk
    (reference,) = body["references"]
    assert reference["role"] == "reference" and reference["file_type"] == "png"
    assert reference["url"] == f"/api/v1/design/files/{reference['id']}"
    (version,) = body["versions"]
    assert version["number"] == 1 and [f["name"] for f in version["files"]] == ["v1.png"]
    assert [(c["body"], c["version"]) for c in body["comments"]] == [("Chữ to hơn.", 1)]


def test_the_detail_runs_a_fixed_number_of_queries(api, w):
    from ..helpers import count_queries

    client = api.as_user(w.member_a)
    small = world.advance(w, world.submit(w), "proposal_sent")
    big = world.advance(w, world.submit(w, references=[world.png(), world.jpeg(), world.pdf()]), "approved")
    for _ in range(3):
        client.call("post", f"{BASE}/{big.pk}/comments", {"body": "Thêm một ý."})
    client.call("get", f"{BASE}/{small.pk}")
    few, _ = count_queries(lambda: client.call("get", f"{BASE}/{small.pk}"))
    many, _ = count_queries(lambda: client.call("get", f"{BASE}/{big.pk}"))
    assert few == many


# --- a new request -------------------------------------------------------------------------------


def test_a_member_asks_for_a_design(api, w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.as_user(w.member_a).call("post", BASE, _body(w))
    assert response.status_code == 201, response.content
    body = response.json()
    request = DesignRequest.objects.get()
    assert body["id"] == request.pk and body["number"] == request.number
    assert body["state"] == "submitted" and body["designer"] is None
    assert {p["id"] for p in body["products"]} == {w.jar.pk, w.vase.pk}
    assert (body["payer"], body["subsidy_amount"], body["producer_amount"]) == ("producer", 0, 4_000_000)
    assert request.submitted_by == w.member_a


def test_a_shared_payment_on_the_commitment(api, w):
    response = api.as_user(w.member_a).call(
        "post",
        BASE,
        _body(w, payer="shared", subsidy_percent=25, commitment_id=w.commitment_a.pk, budget=1_000_001),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["subsidy_percent"], body["subsidy_amount"], body["producer_amount"]) == (
        25,
        250_000,
        750_001,
    )
    assert body["commitment_id"] == w.commitment_a.pk


@pytest.mark.parametrize("who", ["member_b", "manager_a", "designer_a", "city"])
def test_only_the_producers_members_may_ask(api, w, who):
    response = api.as_user(getattr(w, who)).call("post", BASE, _body(w))
    assert response.status_code == 404
    assert "producer_id" in response.json()["error"]["fields"]
    _nothing_written()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"wished_on": "2020-01-01"}, "wished_on"),
        ({"wished_on": 1_700_000_000}, "wished_on"),
        ({"product_ids": []}, "product_ids"),
        ({"budget": -1}, "budget"),
        ({"budget": 1.5}, "budget"),
        ({"budget": "1000"}, "budget"),
        ({"title": "  "}, "title"),
        ({"brief": ""}, "brief"),
        ({"kind": "tattoo"}, "kind"),
        ({"payer": "nobody"}, "payer"),
        ({"payer": "subsidy"}, "commitment_id"),
        ({"payer": "shared", "subsidy_percent": 100}, "subsidy_percent"),
        ({"payer": "shared", "subsidy_percent": 0}, "subsidy_percent"),
        ({"payer": "shared"}, "subsidy_percent"),
        ({"payer": "shared", "subsidy_percent": 140}, "subsidy_percent"),
        ({"payer": "producer", "subsidy_percent": 30}, "subsidy_percent"),
        ({"payer": "subsidy", "subsidy_percent": 60}, "subsidy_percent"),
        ({"center_id": 999_999}, "center_id"),
        ({"commitment_id": 999_999, "payer": "subsidy"}, "commitment_id"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(api, w, overrides, field):
    response = api.as_user(w.member_a).call("post", BASE, _body(w, **overrides))
    assert 400 <= response.status_code < 500 and response.status_code != 401, response.content
    error = response.json()["error"]
    assert field in error["fields"], error
    assert error["message"]
    _nothing_written()


def test_another_producers_product_is_refused(api, w):
    for ids in ([w.jar.pk, w.tea.pk], [w.jar.pk, 999_999]):
        response = api.as_user(w.member_a).call("post", BASE, _body(w, product_ids=ids))
        assert response.status_code == 422
        assert "product_ids" in response.json()["error"]["fields"]
    _nothing_written()


def test_a_subsidy_beyond_the_commitment_is_refused(api, w):
    world.submit(w, payer="subsidy", commitment=w.commitment_a, budget=19_000_000)
    response = api.as_user(w.member_a).call(
        "post", BASE, _body(w, payer="subsidy", commitment_id=w.commitment_a.pk, budget=1_000_001)
    )
    assert response.status_code == 422
    assert "commitment_id" in response.json()["error"]["fields"]
    assert DesignRequest.objects.count() == 1


def test_a_commitment_to_another_center_is_refused(api, w):
    response = api.as_user(w.member_a).call(
        "post", BASE, _body(w, payer="subsidy", commitment_id=w.commitment_b.pk)
    )
    assert response.status_code == 422
    assert "commitment_id" in response.json()["error"]["fields"]
    _nothing_written()


def test_the_answer_is_in_the_callers_language(api, w):
    response = api.as_user(w.member_a).call(
        "post", BASE, _body(w, wished_on="2020-01-01"), headers={"Accept-Language": "vi"}
    )
    assert response.json()["error"]["fields"]["wished_on"] == "Đã qua."


# --- Idempotency-Key -----------------------------------------------------------------------------


def test_the_same_key_and_body_make_one_request_and_the_same_answer(api, w):
    client = api.as_user(w.member_a)
    first = client.call("post", BASE, _body(w), headers={"Idempotency-Key": "tk-1"})
    second = client.call("post", BASE, _body(w), headers={"Idempotency-Key": "tk-1"})
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json()
    assert DesignRequest.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1


def test_the_same_key_with_another_body_is_422_and_makes_nothing(api, w):
    client = api.as_user(w.member_a)
    assert client.call("post", BASE, _body(w), headers={"Idempotency-Key": "tk-2"}).status_code == 201
    other = client.call("post", BASE, _body(w, budget=5_000_000), headers={"Idempotency-Key": "tk-2"})
    assert other.status_code == 422
    error = other.json()["error"]
    assert error["code"] == "idempotency_key_reused" and "Idempotency-Key" in error["fields"]
    assert DesignRequest.objects.count() == 1


def test_a_refused_request_leaves_its_key_free(api, w):
    client = api.as_user(w.member_a)
    bad = client.call("post", BASE, _body(w, wished_on="2020-01-01"), headers={"Idempotency-Key": "tk-3"})
    assert bad.status_code == 422 and IdempotencyRecord.objects.count() == 0
    good = client.call("post", BASE, _body(w), headers={"Idempotency-Key": "tk-3"})
    assert good.status_code == 201


def test_without_a_key_each_post_is_a_new_request(api, w):
    client = api.as_user(w.member_a)
    client.call("post", BASE, _body(w))
    client.call("post", BASE, _body(w))
    assert DesignRequest.objects.count() == 2


@pytest.mark.parametrize("body", ["[]", "null", "1", '"x"', "{"])
def test_a_body_that_is_not_an_object_is_refused(api, w, body):
    client = api.as_user(w.member_a)
    response = client.post(BASE, body, content_type="application/json", headers=client.headers_for)
    assert response.status_code in (400, 422), response.content
    assert "error" in response.json()
    _nothing_written()


def test_an_id_that_is_not_a_number_is_refused(api, w):
    client = api.as_user(w.city)
    assert client.call("get", f"{BASE}/a%00b").status_code in (404, 422)
    response = client.call("post", BASE, _body(w, producer_id=True, product_ids=["1"]))
    assert response.status_code == 422
    assert {"producer_id", "product_ids"} <= set(response.json()["error"]["fields"])


def test_the_shares_refusal_is_in_vietnamese(api, w):
    response = api.as_user(w.member_a).call("post", BASE, _body(w, payer="producer", subsidy_percent=30))
    error = response.json()["error"]
    assert error["fields"]["subsidy_percent"] == "Không khớp với bên chi trả."
    assert error["message"].startswith("Phần của chủ thể và phần hỗ trợ")
