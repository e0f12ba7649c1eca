"""The funding pages: unit officers (and the city) enter commitments and disbursements of centers."""

import datetime as dt

import pytest

from ocophub.centers.models import Status
from ocophub.centers.services import center_create
from ocophub.common.errors import DomainError
from ocophub.places import selectors as places
from ocophub.programme import services
from ocophub.programme.models import Commitment, Disbursement

from ..helpers import assert_fixed_queries

URL = "/lam-viec/don-vi/nguon-von/"


@pytest.fixture
def centers(loaded_places, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 26, 3, tzinfo=dt.UTC))
    ours = center_create(
        actor=None,
        name="Trung tâm OCOP Bát Tràng",
        commune=places.commune_by_code(583, era="legacy"),
        status=Status.PLANNED,
        effective_on=dt.date(2024, 9, 1),
    )
    theirs = center_create(
        actor=None,
        name="Trung tâm OCOP Thường Tín",
        commune=places.communes(era="legacy", district=279).first(),
        status=Status.PLANNED,
        effective_on=dt.date(2024, 9, 1),
    )
    return ours, theirs


def _commitment(to, **changes: str) -> dict[str, str]:
    data = {
        "center": str(to.pk),
        "source": "state_district",
        "amount": "150.000.000",
        "committed_on": "02/09/2026",
        "document": "QĐ 12/2026",
        "funder": "",
    }
    data.update(changes)
    return data


def _commit(center, amount: int = 100_000_000) -> Commitment:
    return services.commitment_create(
        actor=None,
        center=center,
        source="social_enterprise",
        amount=amount,
        committed_on=dt.date(2026, 1, 5),
        document="HĐ 1/2026",
    )


def test_an_officer_records_a_commitment_and_a_disbursement(client, gia_lam_officer, centers):
    ours, _theirs = centers
    client.force_login(gia_lam_officer)
    response = client.post(f"{URL}cam-ket/", _commitment(ours))
    assert response.status_code == 302 and response["Location"] == URL
    commitment = Commitment.objects.get()
    assert commitment.amount == 150_000_000 and commitment.created_by == gia_lam_officer
    assert commitment.committed_on == dt.date(2026, 9, 2)
    html = client.get(URL).content.decode()
    assert "Đã ghi cam kết 150.000.000 ₫ cho Trung tâm OCOP Bát Tràng." in html
    paid = client.post(
        f"{URL}cam-ket/{commitment.pk}/giai-ngan/",
        {
            f"pay-{commitment.pk}-amount": "50000000",
            f"pay-{commitment.pk}-disbursed_on": "01/10/2026",
            f"pay-{commitment.pk}-document": "UNC 5",
        },
    )
    assert paid.status_code == 302
    assert Disbursement.objects.get().amount == 50_000_000
    html = client.get(URL).content.decode()
    assert "còn 100.000.000 ₫" in html  # what is left of the commitment
    assert "Ngân sách cấp huyện" in html and "50.000.000 ₫" in html  # the totals by source


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": ""}, "Bắt buộc."),
        ({"amount": "-5"}, "Phải lớn hơn 0."),
        ({"amount": "0"}, "Phải lớn hơn 0."),
        ({"amount": "12abc"}, "Một số nguyên đồng"),
        ({"amount": "9" * 25}, "Tối đa 100.000.000.000.000 ₫."),
        ({"committed_on": "2026-09-45"}, "Một ngày dạng dd/mm/yyyy."),
        ({"committed_on": "01/01/2027"}, "Ngày ở tương lai."),
        ({"source": "lottery"}, "Nguồn vốn không tồn tại."),
        ({"document": ""}, "Bắt buộc."),
        ({"document": "x" * 201}, "201"),
        ({"center": ""}, "Bắt buộc."),
    ],
)
def test_bad_commitments_are_refused(client, gia_lam_officer, centers, changes, message):
    ours, _theirs = centers
    client.force_login(gia_lam_officer)
    response = client.post(f"{URL}cam-ket/", _commitment(ours, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Commitment.objects.exists()


def test_a_center_outside_the_unit_is_refused(client, gia_lam_officer, centers):
    _ours, theirs = centers
    client.force_login(gia_lam_officer)
    response = client.post(f"{URL}cam-ket/", _commitment(theirs))
    assert response.status_code == 400
    assert "Không phải trung tâm thuộc đơn vị của bạn." in response.content.decode()
    assert not Commitment.objects.exists()


@pytest.mark.parametrize(
    ("amount", "day", "status", "message"),
    [
        ("100.000.001", "01/02/2026", 400, "Vượt cam kết."),
        ("-1", "01/02/2026", 400, "Phải lớn hơn 0."),
        ("1000", "31/02/2026", 400, "Một ngày dạng dd/mm/yyyy."),
        ("1000", "01/01/2026", 400, "Trước ngày cam kết."),
    ],
)
def test_bad_disbursements_are_refused(client, gia_lam_officer, centers, amount, day, status, message):
    ours, _theirs = centers
    commitment = _commit(ours)
    client.force_login(gia_lam_officer)
    response = client.post(
        f"{URL}cam-ket/{commitment.pk}/giai-ngan/",
        {
            f"pay-{commitment.pk}-amount": amount,
            f"pay-{commitment.pk}-disbursed_on": day,
            f"pay-{commitment.pk}-document": "UNC 1",
        },
    )
    assert response.status_code == status
    assert message in response.content.decode()
    assert not Disbursement.objects.exists()


def test_the_total_paid_cannot_exceed_the_commitment(centers):
    ours, _theirs = centers
    commitment = _commit(ours, amount=1_000)
    services.disbursement_create(
        actor=None, commitment=commitment, amount=600, disbursed_on=dt.date(2026, 2, 1), document="1"
    )
    with pytest.raises(DomainError) as refused:
        services.disbursement_create(
            actor=None, commitment=commitment, amount=401, disbursed_on=dt.date(2026, 2, 2), document="2"
        )
    assert refused.value.code == "over_commitment"
    services.disbursement_create(
        actor=None, commitment=commitment, amount=400, disbursed_on=dt.date(2026, 2, 2), document="2"
    )
    assert sum(Disbursement.objects.values_list("amount", flat=True)) == 1_000


def test_an_amount_is_bounded_in_the_service(centers):
    ours, _theirs = centers
    with pytest.raises(DomainError) as refused:
        _commit(ours, amount=services.MAX_AMOUNT + 1)
    assert "amount" in refused.value.fields
    assert not Commitment.objects.exists()


def test_another_units_commitment_is_not_found(
    client, gia_lam_officer, thuong_tin_officer, customer, centers
):
    ours, theirs = centers
    commitment = _commit(ours)
    _commit(theirs, amount=7_777_000)
    client.force_login(thuong_tin_officer)
    response = client.post(
        f"{URL}cam-ket/{commitment.pk}/giai-ngan/",
        {
            f"pay-{commitment.pk}-amount": "1000",
            f"pay-{commitment.pk}-disbursed_on": "01/02/2026",
            f"pay-{commitment.pk}-document": "UNC 1",
        },
    )
    assert response.status_code == 404
    assert not Disbursement.objects.exists()
    html = client.get(URL).content.decode()
    assert "7.777.000 ₫" in html and "Trung tâm OCOP Bát Tràng" not in html
    client.force_login(customer)
    assert client.get(URL).status_code == 404
    client.logout()
    assert client.get(URL).status_code == 302


def test_the_city_enters_funding_for_any_center(client, city_admin, centers):
    _ours, theirs = centers
    client.force_login(city_admin)
    assert client.post(f"{URL}cam-ket/", _commitment(theirs)).status_code == 302
    assert Commitment.objects.get().center == theirs


def test_the_list_runs_a_fixed_number_of_queries(client, gia_lam_officer, centers):
    ours, _theirs = centers
    client.force_login(gia_lam_officer)

    def grow(n: int) -> None:
        for _ in range(n):
            commitment = _commit(ours)
            services.disbursement_create(
                actor=None,
                commitment=commitment,
                amount=1_000,
                disbursed_on=dt.date(2026, 2, 1),
                document="1",
            )

    assert_fixed_queries(lambda: client.get(URL), grow, steps=(3, 30))
