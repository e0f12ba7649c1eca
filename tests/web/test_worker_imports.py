"""An app server worker imports the WSGI application and, at its first request, every URLconf: the
libraries that only a few requests use (Excel, PDF, images) stay out of it until such a request comes,
so that each worker's memory holds only what most requests need."""

import os
import subprocess
import sys

# imported when a file is made (common.xlsx.workbook() and the like), not by a worker at start
LAZY = ("openpyxl", "reportlab", "PIL", "defusedxml", "icalendar", "networkx", "ortools")


def test_the_wsgi_application_and_its_urls_do_not_import_the_file_libraries() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ocophub.settings"}
    script = (
        "import sys; import ocophub.wsgi; from django.urls import get_resolver; "
        "get_resolver().url_patterns; "  # what a worker's first request loads
        f"print(' '.join(m for m in {LAZY!r} if m in sys.modules))"
    )
    output = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert output.stdout.split() == []
