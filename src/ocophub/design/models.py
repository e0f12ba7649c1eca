"""Design requests from producers to a center's designers: versions, files, comments, the events of
the workflow and the designs set as a product's current label or package."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ocophub.catalogue.models import Producer, Product
from ocophub.centers.models import Center
from ocophub.common.models import TimeStampedModel, TransitionEvent
from ocophub.common.money import VNDField
from ocophub.programme.models import Commitment


class DesignKind(models.TextChoices):
    PACKAGING = "packaging", _("Packaging")
    LABEL = "label", _("Label")
    BRAND = "brand", _("Logo and brand identity")
    FORM = "form", _("Product form")
    PHOTOGRAPHY = "photography", _("Photography")
    DISPLAY = "display", _("Display and stand")


class Payer(models.TextChoices):
    PRODUCER = "producer", _("The producer")
    SUBSIDY = "subsidy", _("A programme subsidy")
    SHARED = "shared", _("Both, in stated shares")


class RequestState(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("design request state", "Submitted")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    IN_PROGRESS = "in_progress", _("In progress")
    PROPOSAL_SENT = "proposal_sent", _("Proposal sent")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    DELIVERED = "delivered", _("Delivered")
    CLOSED = "closed", pgettext_lazy("design request state", "Closed")
    CANCELLED = "cancelled", _("Cancelled")


# Every move a request may make. A proposal is a numbered version; asking for changes sends the
# request back to the designer, whose next version is proposal_sent again.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    RequestState.SUBMITTED: (RequestState.ACCEPTED, RequestState.DECLINED, RequestState.CANCELLED),
    RequestState.ACCEPTED: (RequestState.IN_PROGRESS, RequestState.CANCELLED),
    RequestState.IN_PROGRESS: (RequestState.PROPOSAL_SENT, RequestState.CANCELLED),
    RequestState.PROPOSAL_SENT: (RequestState.CHANGES_REQUESTED, RequestState.APPROVED),
    RequestState.CHANGES_REQUESTED: (RequestState.PROPOSAL_SENT, RequestState.CANCELLED),
    RequestState.APPROVED: (RequestState.DELIVERED,),
    RequestState.DELIVERED: (RequestState.CLOSED,),
    RequestState.DECLINED: (),
    RequestState.CLOSED: (),
    RequestState.CANCELLED: (),
}

# States in which the work is still owed: a request past its due date in one of them is overdue.
OPEN_STATES: tuple[str, ...] = (
    RequestState.ACCEPTED,
    RequestState.IN_PROGRESS,
    RequestState.PROPOSAL_SENT,
    RequestState.CHANGES_REQUESTED,
    RequestState.APPROVED,
)
# States a subsidy is drawn in: everything but a refused or withdrawn request.
DRAWING_STATES: tuple[str, ...] = (
    RequestState.SUBMITTED,
    *OPEN_STATES,
    RequestState.DELIVERED,
    RequestState.CLOSED,
)
DONE_STATES: tuple[str, ...] = (RequestState.DELIVERED, RequestState.CLOSED)

BRIEF_MAX_LENGTH = 5000
COMMENT_MAX_LENGTH = 4000
TITLE_MAX_LENGTH = 200


class DesignRequest(TimeStampedModel):
    """A producer asks a center's designers for a label, a package, a brand, a form, photographs or a
    display for some of its products.

    Who pays: the producer, a programme subsidy drawn on one funding commitment of the plan tracker,
    or both; `subsidy_percent` is the subsidy's share (100 for a subsidy alone, 0 for the producer
    alone) of the price — the budget until a price is agreed on acceptance.
    """

    number = models.CharField(_("number"), max_length=20, unique=True)
    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), on_delete=models.PROTECT, related_name="design_requests"
    )
    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="design_requests"
    )
    kind = models.CharField(_("kind of design"), max_length=20, choices=DesignKind.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    products = models.ManyToManyField(Product, verbose_name=_("products"), related_name="design_requests")
    brief = models.TextField(_("brief"))
    wished_on = models.DateField(_("wished date"))
    budget = VNDField(_("budget (₫)"))
    payer = models.CharField(_("who pays"), max_length=10, choices=Payer.choices, default=Payer.PRODUCER)
    subsidy_percent = models.PositiveSmallIntegerField(_("subsidy share (%)"), default=0)
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("funding commitment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="design_requests",
    )
    state = models.CharField(
        _("state"), max_length=20, choices=RequestState.choices, default=RequestState.SUBMITTED, db_index=True
    )
    designer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("designer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="design_assignments",
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    price = VNDField(_("agreed price (₫)"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    terms_accepted_at = models.DateTimeField(_("usage terms accepted at"), null=True, blank=True)
    terms_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("usage terms accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    portfolio_allowed = models.BooleanField(_("may be shown in the portfolio"), default=False)
    before_file = models.ForeignKey(
        "DesignFile",
        verbose_name=_("before"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    after_file = models.ForeignKey(
        "DesignFile",
        verbose_name=_("after"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_illustrative = models.BooleanField(_("illustrative data"), default=False)

    class Meta:
        verbose_name = _("design request")
        verbose_name_plural = _("design requests")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["center", "state", "due_on"], name="design_request_center_state"),
            models.Index(fields=["producer", "-submitted_at"], name="design_request_producer"),
            models.Index(fields=["designer", "state"], name="design_request_designer"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="design_budget_not_negative"),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gte=0), name="design_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(subsidy_percent__lte=100), name="design_subsidy_percent_range"
            ),
            models.CheckConstraint(
                condition=(Q(payer="producer") & Q(subsidy_percent=0) & Q(commitment__isnull=True))
                | (Q(payer="subsidy") & Q(subsidy_percent=100) & Q(commitment__isnull=False))
                | (
                    Q(payer="shared")
                    & Q(subsidy_percent__gt=0)
                    & Q(subsidy_percent__lt=100)
                    & Q(commitment__isnull=False)
                ),
                name="design_payer_shares",
            ),
            models.CheckConstraint(
                condition=Q(designer__isnull=True) | Q(due_on__isnull=False),
                name="design_assigned_has_due_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"

    @property
    def cost(self) -> int:
        """What the work costs: the agreed price once accepted, the producer's budget before."""
        return self.price if self.price is not None else self.budget

    @property
    def subsidy_amount(self) -> int:
        """The subsidy's part of the cost, in đồng, rounded down (the producer pays the odd đồng)."""
        return self.cost * self.subsidy_percent // 100

    @property
    def producer_amount(self) -> int:
        return self.cost - self.subsidy_amount

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def is_overdue(self, today: "object") -> bool:
        """Past its due date with the work still owed (`today` in the city's time zone)."""
        return self.state in OPEN_STATES and self.due_on is not None and self.due_on < today  # type: ignore[operator]

    @property
    def in_portfolio(self) -> bool:
        return self.state in DONE_STATES and self.portfolio_allowed


class DesignEvent(TransitionEvent):
    """One move of a request (from, to, who, when, why). A reassignment is a row from a state to itself."""

    request = models.ForeignKey(
        DesignRequest, verbose_name=_("design request"), on_delete=models.CASCADE, related_name="events"
    )
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta(TransitionEvent.Meta):
        verbose_name = _("design request event")
        verbose_name_plural = _("design request events")
        indexes = [models.Index(fields=["at"], name="design_designevent_at")]


class VersionKind(models.TextChoices):
    PROPOSAL = "proposal", _("Proposal")
    FINAL = "final", _("Final files")


class DesignVersion(models.Model):
    """A numbered proposal the designer sends, or the final print-ready files; each keeps its files."""

    request = models.ForeignKey(
        DesignRequest, verbose_name=_("design request"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    kind = models.CharField(
        _("kind"), max_length=10, choices=VersionKind.choices, default=VersionKind.PROPOSAL
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("design version")
        verbose_name_plural = _("design versions")
        ordering = ["request", "number"]
        constraints = [
            models.UniqueConstraint(fields=["request", "number"], name="design_version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.request.number} v{self.number}"


class FileRole(models.TextChoices):
    REFERENCE = "reference", _("Reference")
    PROPOSAL = "proposal", _("Proposal")
    FINAL = "final", _("Final")


class FileType(models.TextChoices):
    """What a file is, by its content (never by its name alone)."""

    JPEG = "jpeg", "JPEG"
    PNG = "png", "PNG"
    WEBP = "webp", "WebP"
    PDF = "pdf", "PDF"
    SVG = "svg", "SVG"
    AI = "ai", "Adobe Illustrator"
    PSD = "psd", "Adobe Photoshop"


IMAGE_TYPES: tuple[str, ...] = (FileType.JPEG, FileType.PNG, FileType.WEBP)


def design_upload_to(instance: "DesignFile", filename: str) -> str:
    import uuid

    from ocophub.common.text import fold

    stem, _dot, extension = filename.rpartition(".")
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in fold(stem or "tep"))[:60] or "tep"
    # a private folder the public media view does not serve, under a name nobody can guess
    return f"design/{instance.request_id}/{uuid.uuid4().hex}/{safe}.{extension.lower()}"


class DesignFile(models.Model):
    """A file of a request: a reference the producer brought, or a version's proposal or final file."""

    request = models.ForeignKey(
        DesignRequest, verbose_name=_("design request"), on_delete=models.CASCADE, related_name="files"
    )
    version = models.ForeignKey(
        DesignVersion,
        verbose_name=_("version"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="files",
    )
    role = models.CharField(_("role"), max_length=10, choices=FileRole.choices)
    file = models.FileField(_("file"), upload_to=design_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    file_type = models.CharField(_("type"), max_length=5, choices=FileType.choices)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("design file")
        verbose_name_plural = _("design files")
        ordering = ["request", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(role="reference") & Q(version__isnull=True))
                | (~Q(role="reference") & Q(version__isnull=False)),
                name="design_file_role_version",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.file_type in IMAGE_TYPES


class DesignComment(models.Model):
    """One message in a request's thread, from the producer, the designer or the center's managers."""

    request = models.ForeignKey(
        DesignRequest, verbose_name=_("design request"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("comment"))
    version = models.ForeignKey(
        DesignVersion,
        verbose_name=_("about version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["request", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.request.number}: {self.body[:40]}"


class ProductDesign(models.Model):
    """A delivered design set as a product's current label or package (one of each per product)."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="current_designs"
    )
    kind = models.CharField(_("kind of design"), max_length=20, choices=DesignKind.choices)
    request = models.ForeignKey(
        DesignRequest,
        verbose_name=_("design request"),
        on_delete=models.PROTECT,
        related_name="product_designs",
    )
    file = models.ForeignKey(
        DesignFile,
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    set_at = models.DateTimeField(_("set at"), auto_now=True)

    class Meta:
        verbose_name = _("product's current design")
        verbose_name_plural = _("products' current designs")
        constraints = [
            models.UniqueConstraint(fields=["product", "kind"], name="design_product_kind_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.product} — {self.get_kind_display()}"
