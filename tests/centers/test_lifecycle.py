import datetime as dt
from decimal import Decimal

import pytest

from ocophub.centers.models import TRANSITIONS, Center, CenterEvent, Recognition, Status
from ocophub.centers.services import RecognitionInput, center_create, center_transition
from ocophub.common.errors import Conflict, DomainError
from ocophub.places import selectors as places


@pytest.fixture
def center(loaded_places):
    return center_create(
        actor=None,
        name="Trung tâm OCOP Phù Đổng",
        commune=places.commune_by_code(544),
        effective_on=dt.date(2023, 6, 1),
    )


def decision(number="12/QĐ-SCT", day=dt.date(2024, 5, 2), score=Decimal("82.5")):
    return RecognitionInput(
        decision_number=number, decision_date=day, issuer="Sở Công Thương Hà Nội", score=score
    )


def test_a_new_center_is_proposed_with_an_event(center):
    assert center.status == Status.PROPOSED
    event = center.events.get()
    assert (event.from_state, event.to_state) == ("", Status.PROPOSED)
    assert center.slug == "trung-tam-ocop-phu-dong"


def test_the_whole_life_cycle_leaves_one_event_per_move(center):
    steps = [Status.PLANNED, Status.UNDER_CONSTRUCTION]
    for to in steps:
        center_transition(
            actor=None, center=center, to=to, reason=f"sang {to}", effective_on=dt.date(2024, 1, 10)
        )
    center_transition(actor=None, center=center, to=Status.RECOGNISED, recognition=decision())
    for to in (Status.OPERATING, Status.SUSPENDED, Status.OPERATING, Status.CLOSED):
        center_transition(actor=None, center=center, to=to, effective_on=dt.date(2024, 6, 1))
    moves = list(center.events.order_by("pk").values_list("from_state", "to_state"))
    assert moves == [
        ("", "proposed"),
        ("proposed", "planned"),
        ("planned", "under_construction"),
        ("under_construction", "recognised"),
        ("recognised", "operating"),
        ("operating", "suspended"),
        ("suspended", "operating"),
        ("operating", "closed"),
    ]
    center.refresh_from_db()
    assert center.status == Status.CLOSED


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (Status.PROPOSED, Status.RECOGNISED),
        (Status.PROPOSED, Status.OPERATING),
        (Status.PLANNED, Status.OPERATING),
    ],
)
def test_a_move_outside_the_map_is_refused_and_changes_nothing(center, start, to):
    if start == Status.PLANNED:
        center_transition(actor=None, center=center, to=Status.PLANNED)
    events_before = CenterEvent.objects.count()
    with pytest.raises(DomainError) as refused:
        center_transition(actor=None, center=center, to=to, recognition=decision())
    assert refused.value.code == "illegal_transition"
    assert f"không thể chuyển sang “{Status(to).label}”" in refused.value.message
    center.refresh_from_db()
    assert center.status == start
    assert CenterEvent.objects.count() == events_before
    assert not Recognition.objects.exists()


def test_closed_is_final(center):
    center_transition(actor=None, center=center, to=Status.CLOSED)
    assert TRANSITIONS[Status.CLOSED] == ()
    with pytest.raises(DomainError):
        center_transition(actor=None, center=center, to=Status.PLANNED)


def _to_construction(center):
    for to in (Status.PLANNED, Status.UNDER_CONSTRUCTION):
        center_transition(actor=None, center=center, to=to, effective_on=dt.date(2024, 1, 10))


def test_recognition_needs_a_decision_number(center):
    _to_construction(center)
    for bad in (None, decision(number="  ")):
        with pytest.raises(DomainError) as refused:
            center_transition(actor=None, center=center, to=Status.RECOGNISED, recognition=bad)
        assert "recognition.decision_number" in refused.value.fields
    center.refresh_from_db()
    assert center.status == Status.UNDER_CONSTRUCTION and not Recognition.objects.exists()


def test_recognition_keeps_the_decision_and_its_band(center):
    _to_construction(center)
    center_transition(actor=None, center=center, to=Status.RECOGNISED, recognition=decision())
    recognition = Recognition.objects.get(center=center)
    assert (recognition.decision_number, recognition.band) == ("12/QĐ-SCT", "80–<90")
    center.refresh_from_db()
    assert center.status_since == dt.date(2024, 5, 2)  # effective on the decision's date


def test_recognition_refuses_a_score_above_100_or_a_future_decision(center):
    _to_construction(center)
    with pytest.raises(DomainError):
        center_transition(
            actor=None, center=center, to=Status.RECOGNISED, recognition=decision(score=Decimal(101))
        )
    with pytest.raises(DomainError):
        future = dt.date.today() + dt.timedelta(days=30)
        center_transition(actor=None, center=center, to=Status.RECOGNISED, recognition=decision(day=future))
    assert not Recognition.objects.exists()


def test_a_stale_copy_cannot_move_a_center_that_moved_meanwhile(center):
    stale = Center.objects.get(pk=center.pk)
    center_transition(actor=None, center=center, to=Status.PLANNED)
    with pytest.raises(Conflict):
        center_transition(actor=None, center=stale, to=Status.CLOSED)
    center.refresh_from_db()
    assert center.status == Status.PLANNED
    assert center.events.count() == 2


def test_a_center_must_be_in_a_hanoi_commune(loaded_places):
    with pytest.raises(DomainError) as refused:
        center_create(actor=None, name="Trung tâm X", commune=None)
    assert "commune" in refused.value.fields
    with pytest.raises(DomainError):
        center_create(actor=None, name="Trung tâm Y", commune=places.district_by_code(18))
    assert not Center.objects.exists()


def test_negative_areas_are_refused_and_nothing_written(loaded_places):
    with pytest.raises(DomainError) as refused:
        center_create(
            actor=None, name="Trung tâm Z", commune=places.commune_by_code(583), floor_area_m2=Decimal(-1)
        )
    assert "floor_area_m2" in refused.value.fields
    with pytest.raises(DomainError):
        center_create(
            actor=None, name="Trung tâm Z", commune=places.commune_by_code(583), spaces={"photo": Decimal(-5)}
        )
    assert not Center.objects.exists() and not CenterEvent.objects.exists()


def test_a_move_cannot_be_dated_before_the_current_status(center):
    center_transition(actor=None, center=center, to=Status.PLANNED, effective_on=dt.date(2024, 3, 1))
    with pytest.raises(DomainError) as refused:
        center_transition(
            actor=None, center=center, to=Status.UNDER_CONSTRUCTION, effective_on=dt.date(2024, 2, 1)
        )
    assert "effective_on" in refused.value.fields
    center_transition(
        actor=None, center=center, to=Status.UNDER_CONSTRUCTION, effective_on=dt.date(2024, 4, 1)
    )
    with pytest.raises(DomainError) as refused:
        center_transition(
            actor=None, center=center, to=Status.RECOGNISED, recognition=decision(day=dt.date(2024, 3, 5))
        )
    assert "recognition.decision_date" in refused.value.fields
    center.refresh_from_db()
    assert center.status == Status.UNDER_CONSTRUCTION and not Recognition.objects.exists()
