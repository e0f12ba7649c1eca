"""The events' answers to the seats' hooks, and the job that expires waiting-list offers."""


def install() -> None:
    from ocophub.seats import services as seats

    from . import services
    from .tasks import schedule_offer_expiry

    if services.registration_hold_expired not in seats.HOLD_EXPIRED_HOOKS:
        seats.HOLD_EXPIRED_HOOKS.append(services.registration_hold_expired)
    if schedule_offer_expiry not in services.OFFER_EXPIRY_SCHEDULERS:
        services.OFFER_EXPIRY_SCHEDULERS.append(schedule_offer_expiry)
