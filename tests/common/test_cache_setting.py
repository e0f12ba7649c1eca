"""The cache is shared by every app server: the database's table by default, Redis with REDIS_URL."""

import os
import subprocess
import sys
import uuid

from django.conf import settings
from django.core.cache import cache

PROBE = (
    "import django, os, sys; os.environ['DJANGO_SETTINGS_MODULE'] = 'ocophub.settings'; django.setup();"
    "from django.core.cache import cache; from django.conf import settings;"
    "print(settings.CACHES['default']['BACKEND']);"
    "key, value = sys.argv[1], sys.argv[2];"
    "value and cache.set(key, value, 60); print(cache.get(key))"
)


def _process(key: str, value: str, **env: str) -> list[str]:
    run = subprocess.run(
        [sys.executable, "-c", PROBE, key, value],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **env},
    )
    return run.stdout.split()


def test_the_default_cache_is_the_database(db):
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    key = f"probe-{uuid.uuid4().hex}"
    cache.set(key, {"done": 3, "total": 10}, 60)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM ocophub_cache")
        assert cursor.fetchone()[0] >= 1
    assert cache.get(key) == {"done": 3, "total": 10}


def test_with_redis_url_two_processes_share_the_cache():
    key = f"probe-{uuid.uuid4().hex}"
    redis = {"REDIS_URL": "redis://127.0.0.1:6379/15", "CACHE_KEY_PREFIX": "ocophub-test"}
    backend, written = _process(key, "seen-by-another-server", **redis)
    assert backend == "django_redis.cache.RedisCache" and written == "seen-by-another-server"
    backend, read = _process(key, "", **redis)
    assert read == "seen-by-another-server"
