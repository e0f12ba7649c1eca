"""Pages to import an Excel list of OCOP products (preview, then confirm) and to export one.

Files above IMPORT_BACKGROUND_BYTES are checked and imported by a background job; the page then shows
its progress (rows done of the total), polled every second, until the preview or the result is there.

The upload is checked without writing anything and, when it has no error, kept in the default storage
under "imports/"; the confirm form carries a signed token naming that file and the user, so that no
table is needed for pending imports and any app server can finish what another one previewed.
"""

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ocophub.common.dates import local_today

from . import spreadsheet
from .tasks import IMPORT_PROGRESS_SECONDS, import_progress_key, products_import_job

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
TOKEN_SALT = "ocophub.catalogue.import"
TOKEN_MAX_AGE = 24 * 60 * 60  # a preview can be confirmed for a day
STORAGE_FOLDER = "imports/"
TEMPLATE = "catalogue/import/upload.html"
PROGRESS_TEMPLATE = "catalogue/import/progress.html"


def _background(size: int) -> bool:
    return size > getattr(settings, "IMPORT_BACKGROUND_BYTES", 256 * 1024)


def _start_job(request: HttpRequest, path: str, file_name: str, *, commit: bool) -> HttpResponse:
    job = uuid.uuid4().hex
    user_id = request.user.pk
    assert user_id is not None, "only signed-in users get this far (see _guard)"
    state = {"state": "queued", "done": 0, "total": 0, "user": user_id, "path": path}
    state.update({"file_name": file_name, "commit": commit})
    cache.set(import_progress_key(job), state, IMPORT_PROGRESS_SECONDS)
    products_import_job.enqueue(job, path, user_id, commit)
    return redirect("catalogue_import:progress", job)


def _guard(request: HttpRequest) -> HttpResponse | None:
    """Anonymous visitors log in first; users who may not import see nothing here (404)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not spreadsheet.can_import(request.user):
        raise Http404
    return None


def _page(request: HttpRequest, status: int = 200, **context: Any) -> HttpResponse:
    context.setdefault("columns", spreadsheet.COLUMNS)
    context.setdefault("max_megabytes", MAX_UPLOAD_BYTES // (1024 * 1024))
    return render(request, TEMPLATE, context, status=status)


def _forget_stale_uploads() -> None:
    """Previews nobody confirmed: their files go once their token has expired (the age is in the name)."""
    oldest = timezone.now().timestamp() - TOKEN_MAX_AGE
    for name in default_storage.listdir(STORAGE_FOLDER)[1] if default_storage.exists(STORAGE_FOLDER) else []:
        stamp = name.split("-")[1] if name.count("-") >= 2 else ""
        if stamp.isdigit() and int(stamp) < oldest:
            default_storage.delete(STORAGE_FOLDER + name)


def _not_excel() -> str:
    return _("This is not an Excel workbook (.xlsx). Save the list as an .xlsx file and upload it again.")


@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: check the file and show what it would do, writing nothing."""
    if (response := _guard(request)) is not None:
        return response
    if request.method == "GET":
        return _page(request)
    upload = request.FILES.get("file")
    if upload is None:
        return _page(request, 400, form_error=_("Choose an Excel file (.xlsx) to upload."))
    if (upload.size or 0) > MAX_UPLOAD_BYTES:
        message = _("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
        return _page(request, 413, form_error=message)
    if not (upload.name or "").lower().endswith(".xlsx"):
        return _page(request, 400, form_error=_not_excel())
    data = upload.read()
    if _background(len(data)):
        _forget_stale_uploads()
        return _start_job(request, _store(request, data), upload.name or "", commit=False)
    report = spreadsheet.products_import(actor=request.user, data=data, commit=False)
    if any(error.message == spreadsheet.NOT_EXCEL for error in report.errors):
        return _page(request, 400, form_error=_not_excel())
    if not report.ok:
        return _page(request, 400, report=report, file_name=upload.name)
    _forget_stale_uploads()
    return _page(request, report=report, file_name=upload.name, token=_token(request, _store(request, data)))


def _store(request: HttpRequest, data: bytes) -> str:
    name = f"{STORAGE_FOLDER}{request.user.pk}-{int(timezone.now().timestamp())}-{uuid.uuid4().hex}.xlsx"
    return default_storage.save(name, ContentFile(data))


def _token(request: HttpRequest, path: str) -> str:
    return signing.dumps({"path": path, "user": request.user.pk}, salt=TOKEN_SALT)


@require_POST
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Import the previewed file, all rows or none."""
    if (response := _guard(request)) is not None:
        return response
    try:
        pending = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature as error:
        raise Http404 from error
    path = pending.get("path", "")
    if pending.get("user") != request.user.pk or not path.startswith(STORAGE_FOLDER):
        raise Http404
    if not default_storage.exists(path):
        message = _("This file was already imported or is no longer kept. Upload it again.")
        return _page(request, 400, form_error=message)
    if _background(default_storage.size(path)):
        # the job deletes the file as it starts, so a second click finds nothing to import
        return _start_job(request, path, "", commit=True)
    with default_storage.open(path, "rb") as handle:
        data = handle.read()
    default_storage.delete(path)  # a second click cannot import the same file twice
    report = spreadsheet.products_import(actor=request.user, data=data, commit=True)
    if not report.committed:
        return _page(request, 400, report=report, form_error=_("Nothing was imported."))
    messages.success(request, _done_message(report))
    return redirect("catalogue_import:upload")


def _done_message(report: Any) -> str:
    return _(
        "Import done. Rows: %(rows)s; new producers: %(producers)s; new products: %(products)s; "
        "products updated: %(updated)s; new certificates: %(certificates)s."
    ) % {
        "rows": report.rows_read,
        "producers": report.producers_created,
        "products": report.products_created,
        "updated": report.products_updated,
        "certificates": report.certificates_created,
    }


@require_GET
def progress(request: HttpRequest, job: str) -> HttpResponse:
    """A background check or import: its progress, then its preview or its result."""
    if (response := _guard(request)) is not None:
        return response
    state = cache.get(import_progress_key(job))
    if not state or state.get("user") != request.user.pk:
        raise Http404
    context: dict[str, Any] = {"job": job, "state": state, "file_name": state.get("file_name", "")}
    context["columns"] = spreadsheet.COLUMNS
    context["percent"] = int(state["done"] * 100 / state["total"]) if state.get("total") else 0
    report = state.get("report")
    if state["state"] == "checked":
        context.update(report=report, token=_token(request, state["path"]))
    elif state["state"] == "failed":
        context.update(report=report, form_error=_("Nothing was imported."))
    elif state["state"] == "done":
        context["done_message"] = _done_message(report)
    template = "catalogue/import/_progress.html" if request.headers.get("HX-Request") else PROGRESS_TEMPLATE
    return render(request, template, context)


@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """The products the user looks after, in the city's layout (the same file the import reads)."""
    if (response := _guard(request)) is not None:
        return response
    content = spreadsheet.products_export(spreadsheet.products_for(request.user))
    response = HttpResponse(content, content_type=spreadsheet.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="san-pham-ocop-{local_today():%Y-%m-%d}.xlsx"'
    return response
