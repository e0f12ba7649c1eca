"""Settings, read from the environment.

DATABASE_URL   SQLite file under var/ when unset; postgres://user@host:port/name for PostgreSQL
SECRET_KEY     read from var/secret_key (made on first use) when unset
DEBUG          "1" for development pages and errors; off by default
HTTPS          "1" (default when DEBUG is off) turns on HSTS, secure cookies and the HTTPS redirect
ALLOWED_HOSTS  comma-separated host names
EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, DEFAULT_FROM_EMAIL
SMS_BACKEND    dotted path of the text-message backend (files under var/mail/ by default; README)
ORDER_HOLD_MINUTES  how long an unpaid online order holds its goods (30)
REGISTRATION_HOLD_MINUTES, WAITLIST_OFFER_MINUTES, EVENTS_MAX_PARTY  event registrations (30, 120, 20)
TOURS_*        tour bookings and the planner (README)
SITE_URL       the site's public address, for links in e-mails (http://127.0.0.1:8000)
MEDIA_STORAGE, MEDIA_STORAGE_OPTIONS, MEDIA_SERVE, MEDIA_URL, MEDIA_ROOT  uploaded files (README)
LOGIN_*, TRUSTED_PROXIES, RATE_*, ORDER_MAX_*  login locks, rate limits and online order caps (README)
"""

import importlib.util
import json
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("OCOPHUB_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    # Kept on disk, not in memory, so that every worker and every restart signs alike.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", False)
HTTPS = env_bool("HTTPS", not DEBUG)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "ocophub.common",
    "ocophub.seats",
    "ocophub.places",
    "ocophub.accounts",
    "ocophub.centers",
    "ocophub.programme",
    "ocophub.catalogue",
    "ocophub.inventory",
    "ocophub.sales",
    "ocophub.design",
    "ocophub.events",
    "ocophub.tours",
    "ocophub.reports",
    "ocophub.web",
    "ocophub.web.apps.AdminConfig",  # django.contrib.admin with our admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_htmx",
    "csp",
    "ninja",
    "django_tasks",
    "ocophub.web.task_results.TaskResultsConfig",  # django_tasks_db, named in Vietnamese
]

MIDDLEWARE = [
    "ocophub.web.bulkhead.BulkheadMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "ocophub.web.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ocophub.web.middleware.LanguageMiddleware",
    "ocophub.web.middleware.LongQueryMiddleware",
    "ocophub.web.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ocophub.web.middleware.PageMessagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "ocophub.urls"
WSGI_APPLICATION = "ocophub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ocophub.web.context_processors.navigation",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")), conn_health_checks=True
        )
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME") or None}
else:
    DATABASES = {
        "default": {
            # Django's SQLite backend, with a flush that may empty the append-only tables
            "ENGINE": "ocophub.common.sqlite",
            # SQLITE_PATH: another file (the tests' two-server check points its servers at the suite's)
            "NAME": Path(os.environ.get("SQLITE_PATH") or VAR_DIR / "ocophub.sqlite3"),  # type: ignore[typeddict-item]  # django-stubs: NAME may be a Path (Django's project template uses one)
            "CONN_MAX_AGE": 600,
            "OPTIONS": {
                # Writers queue up at BEGIN instead of failing half-way through a transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                # cache_size: ¼ MB of pages a connection (SQLite's default is 2): the app server keeps a
                # connection a thread (2 workers × 16), and the operating system's file cache holds the
                # file anyway; 1 MB cost a worker 12 MB more after the bench's loads for no faster page
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                    "PRAGMA busy_timeout=20000; PRAGMA cache_size=-256;"
                ),
            },
            # A file, not memory: concurrency tests open one connection per thread.
            "TEST": {"NAME": str(VAR_DIR / "test.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- accounts -------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["ocophub.accounts.backends.EmailOrPhoneBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Query strings longer than this many bytes are refused with 414 (the app server allows 8190).
MAX_QUERY_STRING = int(os.environ.get("MAX_QUERY_STRING", "4096"))
# How many requests run a view at once in one app server process (the others wait their turn, the
# health check never): see ocophub/web/bulkhead.py. 0 turns it off.
WEB_BUSY_LIMIT = int(os.environ.get("WEB_BUSY_LIMIT", "2"))
WEB_BUSY_WAIT_SECONDS = float(os.environ.get("WEB_BUSY_WAIT_SECONDS", "30"))
WEB_BUSY_EXEMPT = ("/api/v1/health",)

# Login throttling: this many failures in a row for one login locks it for LOGIN_LOCK_MINUTES.
LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "10"))
LOGIN_LOCK_MINUTES = int(os.environ.get("LOGIN_LOCK_MINUTES", "15"))
# ... and this many failures from one client address, whatever logins they name, stop that address.
LOGIN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_MAX_FAILURES_PER_ADDRESS", "30"))
# Reverse proxies in front of the app servers: the client address is read from X-Forwarded-For.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
# Rate limits, "hits/seconds", counted in the database (common.ratelimit) and shared by every server.
RATE_PASSWORD_RESET_PER_ADDRESS = os.environ.get("RATE_PASSWORD_RESET_PER_ADDRESS", "10/3600")
RATE_PASSWORD_RESET_PER_EMAIL = os.environ.get("RATE_PASSWORD_RESET_PER_EMAIL", "3/3600")
RATE_PASSWORD_RESET_PER_PHONE = os.environ.get("RATE_PASSWORD_RESET_PER_PHONE", "3/3600")
RATE_PASSWORD_RESET_CODE_PER_ADDRESS = os.environ.get("RATE_PASSWORD_RESET_CODE_PER_ADDRESS", "20/3600")
# A password-reset code sent by text message: how long it works and how many wrong tries kill it.
PHONE_RESET_CODE_MINUTES = int(os.environ.get("PHONE_RESET_CODE_MINUTES", "10"))
PHONE_RESET_CODE_MAX_TRIES = int(os.environ.get("PHONE_RESET_CODE_MAX_TRIES", "5"))
RATE_SIGNUP_PER_ADDRESS = os.environ.get("RATE_SIGNUP_PER_ADDRESS", "5/3600")
RATE_GUEST_CHECKOUT_PER_ADDRESS = os.environ.get("RATE_GUEST_CHECKOUT_PER_ADDRESS", "20/3600")
# Online orders: units of one product, units in all, and open unpaid orders a contact or an address
# may hold at once (bigger orders go through the center).
ORDER_MAX_UNITS_PER_LINE = int(os.environ.get("ORDER_MAX_UNITS_PER_LINE", "20"))
ORDER_MAX_UNITS = int(os.environ.get("ORDER_MAX_UNITS", "50"))
ORDER_MAX_OPEN_PER_CONTACT = int(os.environ.get("ORDER_MAX_OPEN_PER_CONTACT", "3"))
ORDER_MAX_OPEN_PER_ADDRESS = int(os.environ.get("ORDER_MAX_OPEN_PER_ADDRESS", "5"))

# --- i18n and time ----------------------------------------------------------------------------

LANGUAGE_CODE = "vi"
FORMAT_MODULE_PATH = ["ocophub.formats"]
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "ocophub_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- static and media -------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = PROJECT_DIR / "staticfiles"
# Leaflet comes from the django-leaflet package; only its static files are used (the app itself
# would need GDAL), so its folder is added without importing it.
_leaflet = importlib.util.find_spec("leaflet")
STATICFILES_DIRS = (
    [Path(next(iter(_leaflet.submodule_search_locations))) / "static"]
    if _leaflet and _leaflet.submodule_search_locations
    else []
)
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Uploaded files go through this storage: the folder MEDIA_ROOT by default; an object store by
# settings alone, e.g. MEDIA_STORAGE=storages.backends.s3.S3Storage with its options as a JSON object
# in MEDIA_STORAGE_OPTIONS ({"bucket_name": "ocophub", "endpoint_url": "https://…"}).
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage")
MEDIA_STORAGE_OPTIONS = json.loads(os.environ.get("MEDIA_STORAGE_OPTIONS") or "{}")
# The site serves the files itself (web.views_media) unless MEDIA_SERVE=0: a reverse proxy or the
# object store serves MEDIA_URL then. Only these top folders are public.
MEDIA_SERVE = env_bool("MEDIA_SERVE", True)
# --- backups -----------------------------------------------------------------------------------

# `ocophub backup` writes here; with BACKUP_DAILY=1 the daily jobs make one a day and keep BACKUP_KEEP.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", str(VAR_DIR / "backups")))
BACKUP_DAILY = os.environ.get("BACKUP_DAILY", "0") == "1"
BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", "7"))

# design request files (references, versions, final files): the most one file may weigh
DESIGN_FILE_MAX_BYTES = int(os.environ.get("DESIGN_FILE_MAX_BYTES", str(25 * 1024 * 1024)))
MEDIA_SERVE_FOLDERS = ["products", "producers", "centers", "events", "tours", "thumbs"]
STORAGES = {
    "default": {"BACKEND": MEDIA_STORAGE, "OPTIONS": MEDIA_STORAGE_OPTIONS},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("OCOPHUB_PLAIN_STATIC", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- background jobs --------------------------------------------------------------------------

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Excel imports above this size are checked and imported by a background job with a progress page.
IMPORT_BACKGROUND_BYTES = int(os.environ.get("IMPORT_BACKGROUND_BYTES", str(256 * 1024)))
# Short-lived state shared by the web processes and the worker (import progress): files under var/
# on one machine; several machines need a shared cache (e.g. Redis) here.
# The cache is shared by every app server: the database's own table by default (made by `ocophub
# setup`), Redis when REDIS_URL is set (e.g. redis://127.0.0.1:6379/1). Import progress and cached
# counts live there; never in one process's memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "ocophub"),
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "ocophub_cache",
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "ocophub"),
            # kept search results, cards and counts take many entries: Django's default of 300 would
            # cull them (and an import's progress with them) after a few hundred searches
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "20000"))},
        }
    }

# How long a public search page's result (ids, count, facets) is kept in the cache at most (0: not
# kept); every catalogue write makes the kept results stale at once (catalogue/results.py).
CATALOGUE_RESULTS_CACHE_SECONDS = int(os.environ.get("CATALOGUE_RESULTS_CACHE_SECONDS", "600"))

# --- shop -----------------------------------------------------------------------------------------

# How long checkout holds the goods of an unpaid online order before the release job puts them back.
ORDER_HOLD_MINUTES = int(os.environ.get("ORDER_HOLD_MINUTES", "30"))
# How long an unpaid event registration (VietQR) holds its seats, how long a waiting party has to take
# seats offered to it, the most people per registration, and the most sessions one rule makes at once.
REGISTRATION_HOLD_MINUTES = int(os.environ.get("REGISTRATION_HOLD_MINUTES", "30"))
WAITLIST_OFFER_MINUTES = int(os.environ.get("WAITLIST_OFFER_MINUTES", "120"))
EVENTS_MAX_PARTY = int(os.environ.get("EVENTS_MAX_PARTY", "20"))
EVENTS_MAX_RECURRING = int(os.environ.get("EVENTS_MAX_RECURRING", "100"))
# Tours: how long an unpaid booking holds its seats, how long an on-request booking waits for the
# operator, how long a waiting party has to take seats offered, the most people per booking, the most
# departures one rule makes; the planner's road factor over the great-circle distance and its speed.
TOURS_HOLD_MINUTES = int(os.environ.get("TOURS_HOLD_MINUTES", "30"))
TOURS_CONFIRMATION_HOURS = int(os.environ.get("TOURS_CONFIRMATION_HOURS", "24"))
TOURS_OFFER_MINUTES = int(os.environ.get("TOURS_OFFER_MINUTES", "120"))
TOURS_MAX_PARTY = int(os.environ.get("TOURS_MAX_PARTY", "40"))
TOURS_MAX_RECURRING = int(os.environ.get("TOURS_MAX_RECURRING", "100"))
TOURS_ROAD_FACTOR = float(os.environ.get("TOURS_ROAD_FACTOR", "1.3"))
TOURS_AVERAGE_SPEED_KMH = float(os.environ.get("TOURS_AVERAGE_SPEED_KMH", "30"))
# The site's address as customers reach it, for links in e-mails (jobs have no request to ask).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- mail -------------------------------------------------------------------------------------

EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
# a mail server that stops answering fails the send instead of holding a background job forever
EMAIL_TIMEOUT = 60
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "OCOP Hub <no-reply@ocophub.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Text messages (password-reset codes, order notices to customers without an e-mail): a dotted path to
# an ocophub.common.sms.SmsBackend; the default writes each message as a file beside the mail.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "ocophub.common.sms.FileBackend")
SMS_FILE_PATH = EMAIL_FILE_PATH

# --- security ---------------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- API --------------------------------------------------------------------------------------

NINJA_PAGINATION_MAX_LIMIT = 200

# --- maps -------------------------------------------------------------------------------------

# Base map tiles: OpenStreetMap's by default, with the attribution its tile policy asks for. Another
# server is named by MAP_TILE_URL (a Leaflet template) and MAP_TILE_ATTRIBUTION; MAP_TILE_URL="" turns
# tiles off: the map then shows the centers on a plain background and the page asks no other host.
OSM_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", OSM_TILE_URL)
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION", OSM_ATTRIBUTION if MAP_TILE_URL == OSM_TILE_URL else ""
)


def map_tile_source(url: str) -> str | None:
    """The Content-Security-Policy source that lets pages load tiles from `url`, a Leaflet template
    such as https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png; None when no tiles are configured.

    A placeholder in the host ({s} picks one of several servers) becomes the wildcard of that label,
    which CSP accepts only as the leftmost one.
    """
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ImproperlyConfigured(f"MAP_TILE_URL must be an http(s) address, not {url!r}")
    labels = parts.netloc.split(".")
    if "{" in labels[0]:
        labels[0] = "*"
    if any("{" in label for label in labels):
        raise ImproperlyConfigured(
            f"MAP_TILE_URL may have a placeholder only in the first label of its host, not {url!r}"
        )
    return f"{parts.scheme}://{'.'.join(labels)}"


# Every page runs only our own scripts and styles, from files: no inline <script>, style="…" or
# onclick="…", no eval. What a page may fetch is our own origin, plus the map's tile server.
# The admin site and the API docs have their own, documented relaxations (see urls.py and api.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # data: for the QR codes of label sheets and for images inside Leaflet's and the admin's CSS
        "img-src": [SELF, "data:", *filter(None, [map_tile_source(MAP_TILE_URL)])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
API_TOKEN_PREFIX = "ocop_"
