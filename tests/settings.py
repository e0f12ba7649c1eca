"""Settings for the test suite: the production settings, served over plain HTTP, with fast hashing."""

import os

os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("OCOPHUB_PLAIN_STATIC", "1")

from ocophub.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
