"""Settings for the test suite: the production settings, served over plain HTTP, with fast hashing."""

import os

os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("OCOPHUB_PLAIN_STATIC", "1")
# no map tiles: the suite asks no other host (the policy is computed from this when settings load)
os.environ.setdefault("MAP_TILE_URL", "")

from ocophub.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

MAP_TILE_URL = ""

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The suite places many orders from one test client (one address, a few contacts); the tests of these
# limits set them back to the production values with override_settings.
ORDER_MAX_UNITS_PER_LINE = 10_000
ORDER_MAX_UNITS = 10_000
ORDER_MAX_OPEN_PER_CONTACT = 10_000
ORDER_MAX_OPEN_PER_ADDRESS = 10_000
RATE_GUEST_CHECKOUT_PER_ADDRESS = "100000/3600"

# Text messages stay in ocophub.common.sms.outbox (emptied before each test), like mail.outbox.
SMS_BACKEND = "ocophub.common.sms.LocmemBackend"
# Photos that tests upload stay apart from the ones of the site in var/media.
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
