"""A large Excel import in Chromium: the progress page polls until the background check is done."""

import json

import pytest
from django_tasks_db.models import DBTaskResult

from ocophub.accounts.models import Role
from ocophub.catalogue import services
from ocophub.catalogue.tasks import products_import_job

from ..catalogue.test_import_export import REFERENCE, rice_cake, teapot, vase, workbook
from ..conftest import make_user
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_large_import_shows_its_progress_then_the_preview(
    page, screenshot, loaded_places, settings, tmp_path
):
    services.reference_load(json.loads(REFERENCE.read_text(encoding="utf-8")))
    settings.MEDIA_ROOT = tmp_path
    settings.IMPORT_BACKGROUND_BYTES = 1000
    admin = make_user(Role.CITY_ADMIN)
    path = tmp_path / "danh-sach-lon.xlsx"
    path.write_bytes(workbook([vase(), teapot(), rice_cake()]))

    log_in(page, admin, "/san-pham/nhap-excel/")
    page.set_input_files("#import-file", str(path))
    with page.expect_navigation():
        page.get_by_role("button", name="Kiểm tra tệp").click()
    progress = page.get_by_test_id("import-progress")
    assert progress.get_attribute("data-state") == "queued"
    assert "Đang chờ tiến trình nền" in progress.inner_text()
    screenshot(page, "import-01-waiting")

    job = DBTaskResult.objects.get(task_path="ocophub.catalogue.tasks.products_import_job")
    products_import_job.call(*job.args_kwargs["args"])  # the worker's turn

    page.wait_for_selector('[data-testid="import-progress"][data-state="checked"]', timeout=10_000)
    assert page.get_by_test_id("import-report").is_visible()
    assert page.get_by_test_id("import-confirm").is_visible()
    screenshot(page, "import-02-preview")
