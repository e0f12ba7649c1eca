import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone, translation

from ocophub.accounts.models import Role
from ocophub.catalogue import selectors, services
from ocophub.catalogue.models import Certificate, CertificateState, RuleSet, StarDecider, add_months
from ocophub.catalogue.tasks import certificates_notify_expiring_now
from ocophub.common.errors import DomainError
from ocophub.places import selectors as places

from ..conftest import make_user, product_named
from ..mail_backends import UNDELIVERABLE, WhileSending


def issue(product, **overrides):
    values = {
        "decision_number": "123/QĐ-UBND",
        "decision_date": dt.date(2023, 3, 1),
        "issuer": "UBND thành phố Hà Nội",
        "deciding_level": "province",
        "stars": 4,
    }
    values.update(overrides)
    return services.certificate_issue(actor=None, product=product, **values)


def test_valid_36_months_and_expired_the_day_after(catalogue):
    certificate = issue(product_named("Đĩa gốm"))
    assert certificate.valid_until == dt.date(2026, 3, 1)
    assert certificate.rule_set.code == "148"  # decided after 24/02/2023
    assert certificate.state_on(dt.date(2026, 3, 1)) == CertificateState.EXPIRING
    assert certificate.state_on(dt.date(2026, 3, 2)) == CertificateState.EXPIRED
    assert certificate.state_on(dt.date(2025, 12, 1)) == CertificateState.ACTIVE


def test_the_badge_follows_the_clock(catalogue, time_machine):
    product = product_named("Đĩa gốm")
    issue(product)
    time_machine.move_to(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC))
    assert (
        selectors.badge(selectors.with_details(type(product).objects.filter(pk=product.pk)).get()).stars == 4
    )
    time_machine.move_to(dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC))
    assert selectors.badge(selectors.with_details(type(product).objects.filter(pk=product.pk)).get()) is None


def test_months_are_calendar_months():
    assert add_months(dt.date(2023, 3, 1), 36) == dt.date(2026, 3, 1)
    assert add_months(dt.date(2024, 2, 29), 36) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2023, 10, 31), 4) == dt.date(2024, 2, 29)


def test_the_rule_set_follows_the_decision_date(catalogue):
    product = product_named("Đĩa gốm")
    assert issue(product, decision_date=dt.date(2022, 5, 1)).rule_set.code == "1048"
    assert issue(product, decision_date=dt.date(2025, 7, 6), decision_number="2/QĐ").rule_set.code == "1489"


def test_the_score_gives_the_stars_through_the_bands(catalogue):
    product = product_named("Đĩa gốm")
    certificate = issue(product, stars=None, score_a=Decimal(30), score_b=Decimal(20), score_c=Decimal(25))
    assert (certificate.total_score, certificate.stars) == (Decimal(75), 4)
    with pytest.raises(DomainError) as refused:
        issue(product, stars=5, total_score=Decimal(75), decision_number="9/QĐ")
    assert "stars" in refused.value.fields


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"score_a": Decimal(41), "score_b": 1, "score_c": 1}, "score_a"),  # 148: part A at most 40
        (
            {"decision_date": dt.date(2022, 5, 1), "score_c": Decimal(41)},
            "score_c",
        ),  # 1048: part C at most 40
        ({"stars": 2}, "stars"),
        ({"stars": 6}, "stars"),
        ({"decision_date": dt.date.today() + dt.timedelta(days=3)}, "decision_date"),
        ({"decision_number": " "}, "decision_number"),
        ({"stars": 5}, "deciding_level"),  # five stars are decided by the central council
        ({"score_a": "abc"}, "score_a"),
    ],
)
def test_bad_certificates_are_refused_and_nothing_written(catalogue, overrides, field):
    before = Certificate.objects.count()
    with pytest.raises(DomainError) as refused:
        issue(product_named("Đĩa gốm"), **overrides)
    assert field in refused.value.fields
    assert Certificate.objects.count() == before


# (decision date, stars, deciding level, accepted)
DECIDERS = [
    (dt.date(2022, 5, 1), 3, "province", True),  # 1048: the province recognised 3 and 4 stars
    (dt.date(2022, 5, 1), 3, "district", False),
    (dt.date(2024, 6, 15), 3, "district", True),  # 148: the district 3, the province 4, the centre 5
    (dt.date(2024, 6, 15), 3, "province", False),
    (dt.date(2024, 6, 15), 4, "district", False),
    (dt.date(2024, 6, 15), 4, "commune", False),
    (dt.date(2024, 6, 15), 5, "province", False),
    (dt.date(2025, 8, 1), 3, "province", True),  # 1489: the province 3 and 4, the centre 5
    (dt.date(2025, 8, 1), 3, "district", False),
    (dt.date(2025, 8, 1), 4, "commune", False),
    (dt.date(2025, 8, 1), 5, "central", True),
]


def test_the_deciding_level_must_be_the_one_the_rule_set_gives_the_stars(catalogue):
    product = product_named("Tranh sơn mài phố cổ")
    for number, (decided, stars, level, accepted) in enumerate(DECIDERS):
        values = {"decision_date": decided, "stars": stars, "deciding_level": level}
        values["decision_number"] = f"{number}/QĐ"
        if accepted:
            assert issue(product, **values).deciding_level == level
            continue
        before = Certificate.objects.count()
        with pytest.raises(DomainError) as refused:
            issue(product, **values)
        assert list(refused.value.fields) == ["deciding_level"], (decided, stars, level)
        assert Certificate.objects.count() == before


def test_the_refusal_names_who_decides_those_stars_in_vietnamese(catalogue):
    product = product_named("Tranh sơn mài phố cổ")
    with translation.override("vi"), pytest.raises(DomainError) as under_148:
        issue(product, decision_date=dt.date(2024, 6, 15), stars=3, deciding_level="province")
    assert (
        under_148.value.fields["deciding_level"]
        == "Theo QĐ 148/QĐ-TTg, sản phẩm 3 sao do cấp huyện công nhận."
    )
    with translation.override("vi"), pytest.raises(DomainError) as under_1489:
        issue(product, decision_date=dt.date(2025, 8, 1), stars=4, deciding_level="district")
    assert under_1489.value.fields["deciding_level"] == (
        "Theo QĐ 1489/QĐ-TTg, sản phẩm 4 sao do cấp tỉnh/thành phố công nhận."
    )


def test_who_decides_is_data_the_admin_site_may_change_and_a_reload_keeps(catalogue):
    from ocophub.catalogue.demo import reference_load

    rules_148 = RuleSet.objects.get(code="148")
    assert all(decider.source for decider in StarDecider.objects.all())
    assert sorted(rules_148.deciders.values_list("stars", "level")) == [
        (3, "district"), (4, "province"), (5, "central"),
    ]  # fmt: skip
    StarDecider.objects.create(rule_set=rules_148, stars=3, level="province", source="Văn bản của thành phố")
    reference_load()
    product = product_named("Tranh sơn mài phố cổ")
    assert issue(product, decision_date=dt.date(2024, 6, 15), stars=3).deciding_level == "province"
    assert rules_148.deciders.count() == 4


def test_the_demo_certificates_follow_the_rule_sets(catalogue):
    for certificate in Certificate.objects.select_related("rule_set"):
        levels = StarDecider.objects.filter(rule_set=certificate.rule_set, stars=certificate.stars)
        assert certificate.deciding_level in levels.values_list("level", flat=True), certificate


def test_a_new_certificate_supersedes_the_old_one(catalogue):
    product = product_named("Đĩa gốm")
    old = issue(product)
    new = issue(product, decision_date=dt.date(2025, 9, 1), decision_number="77/QĐ", stars=3)
    old.refresh_from_db()
    assert old.state_on(dt.date(2025, 10, 1)) == CertificateState.SUPERSEDED
    assert new.state_on(dt.date(2025, 10, 1)) == CertificateState.ACTIVE


def test_a_revoked_certificate_loses_the_badge(catalogue):
    product = product_named("Bình hút lộc")
    certificate = selectors.badge(product)
    services.certificate_revoke(actor=None, certificate=certificate, reason="Không đạt tiêu chí bắt buộc")
    assert selectors.badge(product) is None
    with pytest.raises(DomainError):
        services.certificate_revoke(actor=None, certificate=certificate, reason="")


def test_a_certificate_keeps_who_entered_it_and_who_revoked_it(catalogue):
    entering, revoking = make_user(Role.CITY_ADMIN), make_user(Role.CITY_ADMIN)
    certificate = services.certificate_issue(
        actor=entering,
        product=product_named("Đĩa gốm"),
        decision_number="9/QĐ-UBND",
        decision_date=dt.date(2024, 5, 1),
        issuer="UBND thành phố Hà Nội",
        deciding_level="province",
        stars=4,
    )
    assert certificate.recorded_by == entering and certificate.revoked_by is None
    services.certificate_revoke(actor=revoking, certificate=certificate, reason="Sai thông tin hồ sơ")
    certificate.refresh_from_db()
    assert (certificate.recorded_by, certificate.revoked_by) == (entering, revoking)
    assert certificate.revoked_on is not None


def test_expiry_notices_go_to_the_producer_and_its_unit_officer_once(catalogue, time_machine):
    officer = make_user(Role.UNIT_OFFICER, unit=places.district_by_code(18))
    product = product_named("Lọ hoa gốm Kim Lan")
    producer = product.producer
    producer.email = "gomkimlan@example.vn"
    producer.save(update_fields=["email"])
    member = make_user(Role.PRODUCER_MEMBER, scope_id=producer.pk)
    time_machine.move_to(dt.datetime(2026, 11, 10, 3, tzinfo=dt.UTC))  # 30 days before 10/12/2026
    assert certificates_notify_expiring_now() == 1
    (message,) = mail.outbox
    assert set(message.to) == {"gomkimlan@example.vn", member.email, officer.email}
    assert "10/12/2026" in message.body and "Lọ hoa gốm Kim Lan" in message.subject
    assert certificates_notify_expiring_now() == 0  # once
    assert len(mail.outbox) == 1


def _kim_lan_due(time_machine, email="gomkimlan@example.vn"):
    """The Kim Lan vase's certificate (ends 10/12/2026), 30 days before its end."""
    product = product_named("Lọ hoa gốm Kim Lan")
    product.producer.email = email
    product.producer.save(update_fields=["email"])
    time_machine.move_to(dt.datetime(2026, 11, 10, 3, tzinfo=dt.UTC))
    return product.certificates.get()


def test_a_notice_that_could_not_be_delivered_is_sent_on_the_next_run(catalogue, time_machine):
    certificate = _kim_lan_due(time_machine)
    with override_settings(EMAIL_BACKEND="tests.mail_backends.Refusing"):
        assert certificates_notify_expiring_now() == 0
    certificate.refresh_from_db()
    assert (certificate.expiry_notified_on, certificate.expiry_notice_claimed_at) == (None, None)
    time_machine.move_to(dt.datetime(2026, 11, 10, 4, tzinfo=dt.UTC))  # the next hourly run
    assert certificates_notify_expiring_now() == 1
    assert [m.to for m in mail.outbox] == [["gomkimlan@example.vn"]]
    certificate.refresh_from_db()
    assert certificate.expiry_notified_on == dt.date(2026, 11, 10)


def test_one_failed_notice_does_not_stop_the_others(catalogue, time_machine):
    first = _kim_lan_due(time_machine, email=UNDELIVERABLE)
    painting = product_named("Tranh sơn mài phố cổ")
    painting.producer.email = "sonmaihathai@example.vn"
    painting.producer.save(update_fields=["email"])
    second = issue(painting, decision_date=dt.date(2023, 11, 20))  # ends 20/11/2026
    with override_settings(EMAIL_BACKEND="tests.mail_backends.RefusingOne"):
        assert certificates_notify_expiring_now() == 1
    assert [m.to for m in mail.outbox] == [["sonmaihathai@example.vn"]]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.expiry_notified_on, second.expiry_notified_on) == (None, dt.date(2026, 11, 10))


def test_a_run_leaves_alone_the_notice_another_run_is_sending(catalogue, time_machine):
    _kim_lan_due(time_machine)
    WhileSending.during, WhileSending.seen = certificates_notify_expiring_now, []
    try:
        with override_settings(EMAIL_BACKEND="tests.mail_backends.WhileSending"):
            assert certificates_notify_expiring_now() == 1
    finally:
        WhileSending.during = None
    assert WhileSending.seen == [0]  # the second run, started while the first was sending, sent nothing
    assert len(mail.outbox) == 1


def test_a_claim_left_by_a_run_that_stopped_is_taken_over(catalogue, time_machine):
    certificate = _kim_lan_due(time_machine)
    Certificate.objects.filter(pk=certificate.pk).update(expiry_notice_claimed_at=timezone.now())
    assert certificates_notify_expiring_now() == 0  # still being sent, as far as anyone knows
    time_machine.move_to(dt.datetime(2026, 11, 10, 4, tzinfo=dt.UTC))
    assert certificates_notify_expiring_now() == 1
    assert len(mail.outbox) == 1


def test_no_notice_before_the_30_days(catalogue, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 9, 3, tzinfo=dt.UTC))
    assert certificates_notify_expiring_now() == 0


def test_expiring_list_for_30_60_90_days(client, catalogue, city_admin, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 26, 3, tzinfo=dt.UTC))
    client.force_login(city_admin)
    within_30 = client.get("/san-pham/chung-nhan-sap-het-han/?days=30").content.decode()
    assert "Lọ hoa gốm Kim Lan" in within_30 and "Bánh chưng" not in within_30
    assert "14 ngày" in within_30  # until 10/12/2026
    api = client.get("/api/v1/certificates?expiring_within=90").json()
    assert [c["product"] for c in api["items"]] == ["Lọ hoa gốm Kim Lan men nâu"]
