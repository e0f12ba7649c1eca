"""Every permission rule, as a named predicate. Pages, the API and the admin all ask these.

Objects from apps above accounts (centers, producers, operators) are passed in and read by duck
typing: `pk`, and `commune` (an AdministrativeUnit) where the rule depends on the place.
Outside a user's scope an object is reported as missing (404), never as forbidden.
"""

from typing import Any, Protocol, TypeGuard

from ocophub.places import selectors as places
from ocophub.places.models import AdministrativeUnit, Era, Level

from .models import ApiToken, Role, RoleGrant, User


class Placed(Protocol):
    @property
    def pk(self) -> Any: ...
    @property
    def commune(self) -> AdministrativeUnit | None: ...


def _grants(user: Any) -> list[RoleGrant]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_ocophub_grants", None)
    if cached is None:
        # live grants only: a revoked grant's row is kept as a record and gives nothing
        cached = list(RoleGrant.objects.live().filter(user=user).select_related("unit"))
        user._ocophub_grants = cached
    return cached


def has_role(user: Any, role: str) -> bool:
    return any(grant.role == role for grant in _grants(user))


def scope_ids(user: Any, *roles: str) -> set[int]:
    """Ids of the centers, producers or operators a user holds one of `roles` over."""
    return {grant.scope_id for grant in _grants(user) if grant.role in roles and grant.scope_id is not None}


def officer_unit_ids(user: Any) -> set[int]:
    return {grant.unit_id for grant in _grants(user) if grant.role == Role.UNIT_OFFICER and grant.unit_id}


def is_authenticated(user: Any) -> TypeGuard[User]:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_city_admin(user: Any) -> bool:
    """The Department of Industry and Trade's administrators (and the platform's superusers)."""
    return is_authenticated(user) and (user.is_superuser or has_role(user, Role.CITY_ADMIN))


def is_tourism_department(user: Any) -> bool:
    return is_authenticated(user) and has_role(user, Role.TOURISM)


def covers_unit(user: Any, unit: AdministrativeUnit | None) -> bool:
    """Whether a unit officer's units include `unit`.

    An officer covers the units granted and every unit under them (a district's communes). Across the
    2025 reform, an officer of a new unit covers the old communes whose area went into it, and an officer
    of an old district or commune covers the new units made (even partly) of its area.
    """
    if unit is None:
        return False
    granted = officer_unit_ids(user)
    if not granted:
        return False
    node: AdministrativeUnit | None = unit
    while node is not None:
        if node.pk in granted:
            return True
        node = node.parent if node.parent_id else None
    if unit.era == Era.LEGACY and unit.level == Level.COMMUNE:
        return any(step.unit.pk in granted for step in places.current_units_covering(unit))
    if unit.era == Era.CURRENT and unit.level == Level.COMMUNE:
        # a new unit made (even partly) of old communes of the officer's district or communes
        frontier, seen = [unit], {unit.pk}
        while frontier:
            for step in places.predecessors(frontier.pop()):
                old = step.unit
                if old.pk in granted or old.parent_id in granted:
                    return True
                if old.pk not in seen:
                    seen.add(old.pk)
                    frontier.append(old)
    return False


def can_use_admin_site(user: Any) -> bool:
    return is_authenticated(user) and user.is_staff


def can_view_city_overview(user: Any) -> bool:
    """The city's read-only view of the whole network: administrators and the tourism department."""
    return is_city_admin(user) or is_tourism_department(user)


def can_edit_places(user: Any) -> bool:
    return is_city_admin(user)


def can_edit_craft_villages_in(user: Any, commune: AdministrativeUnit | None) -> bool:
    """City administrators anywhere; unit officers in the communes of their units."""
    return is_city_admin(user) or covers_unit(user, commune)


def can_edit_craft_village(user: Any, village: Placed) -> bool:
    return can_edit_craft_villages_in(user, village.commune)


def can_edit_center(user: Any, center: Placed) -> bool:
    return (
        is_city_admin(user)
        or center.pk in scope_ids(user, Role.CENTER_MANAGER)
        or covers_unit(user, center.commune)
    )


def can_edit_center_record(user: Any, center: Placed) -> bool:
    """The whole record, the life-cycle and the score sheets: the city and the center's unit officers."""
    return is_city_admin(user) or covers_unit(user, center.commune)


def can_create_center_in(user: Any, commune: AdministrativeUnit | None) -> bool:
    return is_city_admin(user) or covers_unit(user, commune)


def can_view_center(user: Any, center: Any) -> bool:
    """Everyone sees recognised and operating centers; the rest only those who work on them."""
    return (
        center.status in ("recognised", "operating")
        or can_view_city_overview(user)
        or can_edit_center(user, center)
        or can_work_at_center(user, center)
    )


def can_view_funding(user: Any, center: Placed) -> bool:
    return can_view_city_overview(user) or covers_unit(user, center.commune)


def can_edit_funding(user: Any, center: Placed) -> bool:
    return is_city_admin(user) or covers_unit(user, center.commune)


def can_work_at_center(user: Any, center: Placed) -> bool:
    """Staff, managers and designers of the center: selling, receiving, design work."""
    return center.pk in scope_ids(user, Role.CENTER_MANAGER, Role.CENTER_STAFF, Role.DESIGNER)


def can_manage_center_operations(user: Any, center: Placed) -> bool:
    """Adjust stock, transfer, close shifts, settle: the center's managers."""
    return center.pk in scope_ids(user, Role.CENTER_MANAGER)


def can_manage_center_events(user: Any, center: Placed) -> bool:
    """Create, edit, publish and cancel a center's events and sessions, see and message the
    registered parties: the center's managers and staff."""
    return center.pk in scope_ids(user, Role.CENTER_MANAGER, Role.CENTER_STAFF)


def can_check_in_at(user: Any, center: Placed) -> bool:
    """Scan tickets at the door of a center's events: the center's managers and staff."""
    return center.pk in scope_ids(user, Role.CENTER_MANAGER, Role.CENTER_STAFF)


def can_sell_at(user: Any, center: Any) -> bool:
    """Sell at the counter, receive goods, hand over orders: the center's staff and managers."""
    return center.pk in scope_ids(user, Role.CENTER_MANAGER, Role.CENTER_STAFF)


# The roles a center's manager hands out at their own center: the counter, the stock room and design.
# The manager role itself, and the city's and officers' roles, are granted by the city.
CENTER_STAFF_ROLES: tuple[str, ...] = (Role.CENTER_STAFF, Role.DESIGNER)


def can_manage_center_staff(user: Any, center: Placed) -> bool:
    """Grant and revoke the center's staff roles (CENTER_STAFF_ROLES): the center's managers."""
    return center.pk in scope_ids(user, Role.CENTER_MANAGER)


def can_refund_without_goods(user: Any, center: Any) -> bool:
    """Pay money back against a receipt with no goods coming back: the center's managers. A cashier
    needs a manager's one-time approval for each such refund."""
    return can_manage_center_operations(user, center)


def can_approve_refunds(user: Any, center: Any) -> bool:
    """Issue the one-time approval a cashier needs for a refund without goods: the center's managers."""
    return can_manage_center_operations(user, center)


def can_view_center_stock(user: Any, center: Any) -> bool:
    return can_sell_at(user, center) or can_view_city_overview(user)


def can_manage_agreements(user: Any, center: Any) -> bool:
    """Consignment agreements are signed by the center's managers (and the city)."""
    return is_city_admin(user) or can_manage_center_operations(user, center)


def can_view_producer_goods(user: Any, producer: Any) -> bool:
    """A producer sees its own goods, sales and settlements at every center."""
    return can_view_city_overview(user) or producer.pk in scope_ids(user, Role.PRODUCER_MEMBER)


def can_close_shift(user: Any, shift: Any) -> bool:
    """A cashier closes their own shift; the center's managers close any of its shifts."""
    return is_authenticated(user) and (
        shift.opened_by_id == user.pk or can_manage_center_operations(user, shift.center)
    )


def can_view_order(user: Any, order: Any) -> bool:
    return is_authenticated(user) and (
        order.customer_id == user.pk or can_sell_at(user, order.center) or can_view_city_overview(user)
    )


def can_view_settlement(user: Any, settlement: Any) -> bool:
    return (
        can_view_city_overview(user)
        or can_manage_center_operations(user, settlement.center)
        or settlement.producer_id in scope_ids(user, Role.PRODUCER_MEMBER)
    )


def can_accept_settlement(user: Any, settlement: Any) -> bool:
    """The producer's members accept the statement of what they are owed."""
    return settlement.producer_id in scope_ids(user, Role.PRODUCER_MEMBER)


def can_dispute_settlement(user: Any, settlement: Any) -> bool:
    """The producer's members, who may accept a statement, may instead dispute it."""
    return can_accept_settlement(user, settlement)


def can_answer_settlement_dispute(user: Any, settlement: Any) -> bool:
    """The center's managers, who issued the statement, answer a dispute of it."""
    return can_manage_center_operations(user, settlement.center)


def can_manage_center_bank_account(user: Any, center: Placed) -> bool:
    """Where customers' transfers go: the center's managers record and change it."""
    return can_manage_center_operations(user, center)


def can_manage_producer_bank_account(user: Any, producer: Any) -> bool:
    """Where a producer's payouts go: its members, and the city's administrators. Not a center's
    managers, who make the payouts, and not unit officers, who edit the producer's public record."""
    return is_city_admin(user) or producer.pk in scope_ids(user, Role.PRODUCER_MEMBER)


def can_view_sales_reports(user: Any) -> bool:
    """The city, and the managers of at least one center (who see their centers)."""
    return can_view_city_overview(user) or bool(scope_ids(user, Role.CENTER_MANAGER))


def can_edit_producer(user: Any, producer: Placed) -> bool:
    return (
        is_city_admin(user)
        or producer.pk in scope_ids(user, Role.PRODUCER_MEMBER)
        or covers_unit(user, producer.commune)
    )


def can_review_products(user: Any, producer: Placed) -> bool:
    """Publishing is the unit's (or the city's) decision: a producer member submits and withdraws, an officer
    of the producer's unit publishes or sends back."""
    return is_city_admin(user) or covers_unit(user, producer.commune)


def can_move_product(user: Any, product: Any, to: str) -> bool:
    """Which status moves a user may make on a product they may edit: every move for its reviewers; for the
    producer's members every move except publishing (withdrawing a submission back to draft is theirs)."""
    if can_review_products(user, product.producer):
        return True
    if product.producer_id not in scope_ids(user, Role.PRODUCER_MEMBER):
        return False
    return to != "published"


def can_see_review_queue(user: Any) -> bool:
    return is_city_admin(user) or bool(officer_unit_ids(user))


def can_work_for_producer(user: Any, producer: Any) -> bool:
    """A producer's members run its workspace: its profile, products, photos and certificates."""
    return is_authenticated(user) and producer.pk in scope_ids(user, Role.PRODUCER_MEMBER)


def can_create_producer_in(user: Any, commune: AdministrativeUnit | None) -> bool:
    return is_city_admin(user) or covers_unit(user, commune)


def can_import_products(user: Any) -> bool:
    """Excel imports: the city, and unit officers (each row checked against their units)."""
    return is_city_admin(user) or bool(officer_unit_ids(user))


def can_manage_certificates(user: Any, producer: Placed) -> bool:
    """Certificates are recorded and revoked by the city and the producer's unit officers."""
    return is_city_admin(user) or covers_unit(user, producer.commune)


def can_manage_operator(user: Any, operator: Any) -> bool:
    return (
        is_city_admin(user)
        or is_tourism_department(user)
        or operator.pk in scope_ids(user, Role.OPERATOR_MEMBER)
    )


def can_manage_operators(user: Any) -> bool:
    """Register tour operators, change their details, give members to them: the Department of
    Tourism (and the city's administrators)."""
    return is_city_admin(user) or is_tourism_department(user)


def can_manage_operator_tours(user: Any, operator: Any) -> bool:
    """Create and edit an operator's tours, departures and bookings: its own members (another
    operator's are not found), and the city's administrators."""
    return is_city_admin(user) or operator.pk in scope_ids(user, Role.OPERATOR_MEMBER)


def can_view_operator_tours(user: Any, operator: Any) -> bool:
    """Read an operator's tours, departures and bookings: its members and the Department of Tourism,
    which reads everything."""
    return can_manage_operator_tours(user, operator) or is_tourism_department(user)


# The design studio. A request is read duck-typed: `producer_id`, `center_id`, `designer_id`.


def can_request_design(user: Any, producer: Any) -> bool:
    """A producer's members ask a center's designers for a design, and answer the proposals."""
    return is_authenticated(user) and producer.pk in scope_ids(user, Role.PRODUCER_MEMBER)


def can_manage_design_requests(user: Any, center: Any) -> bool:
    """Accept, decline, assign and reassign designers, close: the center's managers."""
    return is_authenticated(user) and center.pk in scope_ids(user, Role.CENTER_MANAGER)


def is_assigned_designer(user: Any, design_request: Any) -> bool:
    """The designer the request is assigned to, while they hold the designer role at its center."""
    return (
        is_authenticated(user)
        and design_request.designer_id == user.pk
        and design_request.center_id in scope_ids(user, Role.DESIGNER, Role.CENTER_MANAGER)
    )


def can_view_design_request(user: Any, design_request: Any) -> bool:
    """The producer's members, the center's managers, the assigned designer, and the city (read only).
    Anyone else is told the request does not exist."""
    return (
        can_view_city_overview(user)
        or design_request.producer_id in scope_ids(user, Role.PRODUCER_MEMBER)
        or design_request.center_id in scope_ids(user, Role.CENTER_MANAGER)
        or is_assigned_designer(user, design_request)
    )


def can_decide_design(user: Any, design_request: Any) -> bool:
    """Approve a proposal, ask for changes, withdraw the request: the producer's members."""
    return is_authenticated(user) and design_request.producer_id in scope_ids(user, Role.PRODUCER_MEMBER)


def can_work_on_design(user: Any, design_request: Any) -> bool:
    """Start the work, send versions, deliver: the assigned designer and the center's managers."""
    return is_assigned_designer(user, design_request) or (
        is_authenticated(user) and design_request.center_id in scope_ids(user, Role.CENTER_MANAGER)
    )


def can_comment_on_design(user: Any, design_request: Any) -> bool:
    """Write in a request's thread: everyone who works on it (the city reads only)."""
    return can_decide_design(user, design_request) or can_work_on_design(user, design_request)


def can_view_studio_board(user: Any, center: Any | None = None) -> bool:
    """The studio board: a center's managers and designers for that center; the city for all."""
    if center is None:
        return can_view_city_overview(user) or bool(scope_ids(user, Role.CENTER_MANAGER, Role.DESIGNER))
    return can_view_city_overview(user) or center.pk in scope_ids(user, Role.CENTER_MANAGER, Role.DESIGNER)


def can_manage_api_tokens(user: Any) -> bool:
    return is_authenticated(user)


def can_revoke_api_token(user: Any, token: ApiToken) -> bool:
    return is_authenticated(user) and token.user_id == user.pk


def can_grant_roles(user: Any) -> bool:
    return is_city_admin(user)


def roles_of(user: User) -> list[RoleGrant]:
    """The user's live grants, each with the name of what it is over, for display."""
    from .scopes import attach_labels

    grants = _grants(user)
    attach_labels(grants)
    return grants
