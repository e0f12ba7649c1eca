"""The seats' answers to hooks of their own services: the background job that expires holds."""


def install() -> None:
    from . import services
    from .tasks import schedule_expiry

    if schedule_expiry not in services.HOLD_EXPIRY_SCHEDULERS:
        services.HOLD_EXPIRY_SCHEDULERS.append(schedule_expiry)
