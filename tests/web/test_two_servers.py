"""Two app servers and one worker on one database, as `make run` starts them (scripts/serve): fifty
buyers for the last ten units through both at once over HTTP sell exactly ten, with no server error;
an Excel import started on one server shows its progress on the other.

Nothing but the database is shared: sessions, stock, idempotency keys, jobs and the cache (the
database's table) are rows, so whichever server answers sees the same site. Runs on the suite's
database: PostgreSQL with DATABASE_URL, else the file-backed SQLite test database.
"""

import json
import os
import re
import socket
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

from ocophub.accounts.models import Role
from ocophub.catalogue import services as catalogue_services
from ocophub.inventory.models import Stock
from ocophub.sales.models import Order

from ..catalogue.test_import_export import REFERENCE, rice_cake, teapot, vase, workbook
from ..conftest import make_user
from ..sales import world as w

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
BUYERS, LAST_UNITS = 50, 10


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_env() -> dict[str, str]:
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
        return {
            "DATABASE_URL": f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        }
    return {"DATABASE_URL": "", "SQLITE_PATH": str(db["NAME"])}


@pytest.fixture
def servers(tmp_path):
    """Two app servers (one gunicorn worker of 8 threads each) and one background worker."""
    env = {
        **os.environ,
        **_database_env(),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": str(ROOT),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "IMPORT_BACKGROUND_BYTES": "1000",
        "WEB_WORKERS": "1",
        "WEB_THREADS": "8",
        "ACCESS_LOG": "",
        "CONN_MAX_AGE": "0",
        "BIND": "127.0.0.1",
    }
    ports = [_free_port(), _free_port()]
    logs = [open(tmp_path / f"server-{n}.log", "w") for n in range(3)]  # noqa: SIM115 — closed below
    processes = [
        subprocess.Popen(
            [str(ROOT / "scripts" / "serve")], env={**env, "PORT": str(port)}, stdout=log, stderr=log
        )
        for port, log in zip(ports, logs, strict=False)
    ]
    processes.append(
        subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "ocophub"), "db_worker", "--queue-name", "*", "--interval", "0.2"],
            env=env,
            stdout=logs[2],
            stderr=logs[2],
        )
    )
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        deadline = time.monotonic() + 120
        for url in urls:
            while True:
                try:
                    if requests.get(f"{url}/api/v1/health", timeout=10).status_code == 200:
                        break
                except (requests.ConnectionError, requests.Timeout):
                    pass
                if time.monotonic() > deadline:
                    pytest.fail("the app servers did not start:\n" + (tmp_path / "server-0.log").read_text())
                time.sleep(0.2)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs:
            log.close()


def test_fifty_buyers_through_two_servers_buy_exactly_the_last_ten(loaded_places, servers):
    world = w.build(on_hand=LAST_UNITS)
    barrier = threading.Barrier(BUYERS)
    statuses: list[int] = []
    lock = threading.Lock()

    def buyer(n: int) -> None:
        body = {
            "center_id": world.center_a.pk,
            "lines": [{"product_id": world.bowl.pk, "quantity": 1}],
            "name": f"Khách {n}",
            "email": f"khach{n}@example.vn",
            "phone": "0912345678",
        }
        barrier.wait()
        try:
            status = requests.post(f"{servers[n % 2]}/api/v1/orders", json=body, timeout=60).status_code
        except requests.RequestException:
            status = 0
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=buyer, args=(n,)) for n in range(BUYERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    outcome = Counter(statuses)
    assert outcome == Counter({201: LAST_UNITS, 409: BUYERS - LAST_UNITS}), outcome
    stock = Stock.objects.get(pk=world.stock_a.pk)
    assert (stock.on_hand, stock.reserved, stock.available) == (LAST_UNITS, LAST_UNITS, 0)
    assert Order.objects.count() == LAST_UNITS


def _session_cookie(user) -> dict[str, str]:
    """A login kept in the database's sessions: any app server accepts it."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return {settings.SESSION_COOKIE_NAME: session.session_key}


def test_an_import_started_on_one_server_shows_its_progress_on_the_other(loaded_places, servers, tmp_path):
    catalogue_services.reference_load(json.loads(REFERENCE.read_text(encoding="utf-8")))
    admin = make_user(Role.CITY_ADMIN)
    first, second = requests.Session(), requests.Session()
    for client in (first, second):
        client.cookies.update(_session_cookie(admin))

    form = first.get(f"{servers[0]}/san-pham/nhap-excel/", timeout=30)
    assert form.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    started = first.post(
        f"{servers[0]}/san-pham/nhap-excel/",
        data={"csrfmiddlewaretoken": token},
        files={"file": ("danh-sach.xlsx", workbook([vase(), teapot(), rice_cake()]))},
        headers={"Referer": f"{servers[0]}/san-pham/nhap-excel/"},
        allow_redirects=False,
        timeout=30,
    )
    assert started.status_code == 302, started.text[:500]
    progress_path = started.headers["Location"]
    assert (
        "/tien-do/" in progress_path or "progress" in progress_path or progress_path.startswith("/san-pham/")
    )

    # the other server answers the progress page, from the shared cache, until the worker is done
    deadline = time.monotonic() + 60
    while True:
        page = second.get(f"{servers[1]}{progress_path}", timeout=30)
        assert page.status_code == 200
        state = re.search(r'data-testid="import-progress"[^>]*data-state="([a-z_]+)"', page.text)
        if state and state.group(1) == "checked":
            break
        assert time.monotonic() < deadline, page.text[:800]
        time.sleep(0.3)
    assert 'data-testid="import-report"' in page.text
