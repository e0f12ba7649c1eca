"""The events' answers to the seats' hooks, the job that expires waiting-list offers, and the panels on
the center and craft-village pages and the city dashboard."""


def install() -> None:
    from ocophub.catalogue import selectors as catalogue
    from ocophub.centers import selectors as centers
    from ocophub.programme import selectors as programme
    from ocophub.seats import services as seats

    from . import panels, services
    from .tasks import schedule_offer_expiry

    if services.registration_hold_expired not in seats.HOLD_EXPIRED_HOOKS:
        seats.HOLD_EXPIRED_HOOKS.append(services.registration_hold_expired)
    if schedule_offer_expiry not in services.OFFER_EXPIRY_SCHEDULERS:
        services.OFFER_EXPIRY_SCHEDULERS.append(schedule_offer_expiry)
    center_panel = (panels.CENTER_PANEL, panels.center_upcoming)
    if center_panel not in centers.CENTER_PANELS:
        centers.CENTER_PANELS.append(center_panel)
    village_panel = (panels.VILLAGE_PANEL, panels.village_workshops)
    if village_panel not in catalogue.VILLAGE_PANELS:
        catalogue.VILLAGE_PANELS.append(village_panel)
    dashboard_panel = (panels.DASHBOARD_PANEL, panels.dashboard_visitors)
    if dashboard_panel not in programme.DASHBOARD_PANELS:
        programme.DASHBOARD_PANELS.append(dashboard_panel)
