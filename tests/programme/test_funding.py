import datetime as dt

import pytest

from ocophub.accounts.models import Role
from ocophub.places import selectors as places
from ocophub.programme.models import Commitment, Disbursement
from ocophub.programme.services import commitment_create

from ..conftest import center_named, make_user


def commit(center, amount=1_000_000_000, day="2024-03-01"):
    return commitment_create(
        actor=None,
        center=center,
        source="state_city",
        amount=amount,
        committed_on=dt.date.fromisoformat(day),
        document="QĐ 1/2024",
    )


def test_totals_by_source_district_year_and_center(api, network, city_admin):
    client = api.as_user(city_admin)
    by_source = {r["key"]: r for r in client.call("get", "/api/v1/funding/totals?by=source").json()["rows"]}
    assert by_source["state_city"]["committed"] == 3_500_000_000
    assert by_source["state_city"]["disbursed"] == 3_200_000_000
    assert by_source["state_city"]["outstanding"] == 300_000_000
    by_district = {
        r["label"]: r["committed"]
        for r in client.call("get", "/api/v1/funding/totals?by=district").json()["rows"]
    }
    assert by_district["Huyện Gia Lâm"] == 5_300_000_000
    by_year = {
        r["key"]: (r["committed"], r["disbursed"])
        for r in client.call("get", "/api/v1/funding/totals?by=year").json()["rows"]
    }
    assert by_year["2024"] == (950_000_000, 400_000_000)
    total = client.call("get", "/api/v1/funding/totals?by=center").json()
    assert total["committed"] == sum(c.amount for c in Commitment.objects.all())
    assert total["disbursed"] == sum(d.amount for d in Disbursement.objects.all())


def test_disbursed_never_above_committed_without_a_logged_override(api, network, city_admin):
    commitment = commit(center_named("Kim Lan"), amount=500_000_000)
    client = api.as_user(city_admin)
    url = f"/api/v1/funding/commitments/{commitment.pk}/disbursements"
    ok = client.call("post", url, {"amount": 400_000_000, "disbursed_on": "2024-05-01", "document": "UNC 1"})
    assert ok.status_code == 201 and ok.json()["disbursed"] == 400_000_000
    over = client.call(
        "post", url, {"amount": 200_000_000, "disbursed_on": "2024-06-01", "document": "UNC 2"}
    )
    assert over.status_code == 422
    assert (
        over.json()["error"]["code"] == "over_commitment"
        and "override_reason" in over.json()["error"]["fields"]
    )
    assert Disbursement.objects.filter(commitment=commitment).count() == 1
    forced = client.call(
        "post",
        url,
        {
            "amount": 200_000_000,
            "disbursed_on": "2024-06-01",
            "document": "UNC 2",
            "override_reason": "Bổ sung theo QĐ điều chỉnh số 7",
        },
    )
    assert forced.status_code == 201
    row = Disbursement.objects.get(commitment=commitment, document="UNC 2")
    assert row.over_commitment and row.override_by == city_admin and "QĐ điều chỉnh" in row.override_reason
    assert forced.json()["disbursements"][-1]["over_commitment"] is True


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"amount": -5}, "amount"),
        ({"amount": 0}, "amount"),
        ({"amount": "năm triệu"}, "amount"),
        ({"amount": 1.5}, "amount"),
        ({"disbursed_on": "2024-01-31"}, "disbursed_on"),  # before the commitment of 01/03/2024
        ({"disbursed_on": "2099-01-01"}, "disbursed_on"),
        ({"document": ""}, "document"),
    ],
)
def test_bad_disbursements_are_refused_and_nothing_written(api, network, city_admin, payload, field):
    commitment = commit(center_named("Kim Lan"))
    body = {"amount": 1_000_000, "disbursed_on": "2024-04-01", "document": "UNC", **payload}
    response = api.as_user(city_admin).call(
        "post", f"/api/v1/funding/commitments/{commitment.pk}/disbursements", body
    )
    assert response.status_code == 422, response.content
    assert field in response.json()["error"]["fields"], response.json()
    assert not Disbursement.objects.filter(commitment=commitment).exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"amount": -1}, "amount"),
        ({"amount": "abc"}, "amount"),
        ({"source": "lottery"}, "source"),
        ({"committed_on": "2099-01-01"}, "committed_on"),
        ({"center_id": 999999}, "center_id"),
    ],
)
def test_bad_commitments_are_refused(api, network, city_admin, payload, field):
    before = Commitment.objects.count()
    body = {
        "center_id": center_named("Kim Lan").pk,
        "source": "state_city",
        "amount": 10_000_000,
        "committed_on": "2024-01-01",
        "document": "QĐ",
        **payload,
    }
    response = api.as_user(city_admin).call("post", "/api/v1/funding/commitments", body)
    assert response.status_code in (404, 422), response.content
    assert field in response.json()["error"]["fields"]
    assert Commitment.objects.count() == before


def test_unit_officers_see_and_write_funding_of_their_units_only(api, network):
    gia_lam = make_user(Role.UNIT_OFFICER, unit=places.district_by_code(18))
    client = api.as_user(gia_lam)
    rows = client.call("get", "/api/v1/funding/commitments").json()
    assert {item["center"] for item in rows["items"]} == {"Trung tâm OCOP làng gốm Bát Tràng"}
    other = Commitment.objects.get(center__name__contains="Hạ Thái")
    assert client.call("get", f"/api/v1/funding/commitments/{other.pk}").status_code == 404
    refused = client.call(
        "post",
        f"/api/v1/funding/commitments/{other.pk}/disbursements",
        {"amount": 1, "disbursed_on": "2024-01-01", "document": "x"},
    )
    assert refused.status_code == 404
    created = client.call(
        "post",
        "/api/v1/funding/commitments",
        {
            "center_id": center_named("Kim Lan").pk,
            "source": "state_district",
            "amount": 250_000_000,
            "committed_on": "2024-02-02",
            "document": "QĐ UBND huyện",
        },
    )
    assert created.status_code == 201 and created.json()["source_label"]


def test_funding_is_not_public(api, network):
    customer = make_user(Role.CUSTOMER)
    assert api.as_user(customer).call("get", "/api/v1/funding/commitments").json()["count"] == 0
    assert api.as_user(None).call("get", "/api/v1/funding/totals").status_code == 401
