"""Text messages to phones, through the backend named by the SMS_BACKEND setting (a dotted path).

Like Django's e-mail backends: the default one writes each message as a file into SMS_FILE_PATH (the
folder the e-mail file backend writes to), the locmem one keeps them in `outbox` for tests, and a real
gateway is one more subclass of `SmsBackend` with its own `send`.
"""

import datetime as dt
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Sms:
    phone: str
    text: str


class SmsBackend:
    """Delivers one text message; raises on failure, like an e-mail backend with fail_silently off."""

    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


class FileBackend(SmsBackend):
    """Each message in a file of its own under SMS_FILE_PATH, named by time and number."""

    _lock = threading.Lock()

    def send(self, phone: str, text: str) -> None:
        folder = Path(getattr(settings, "SMS_FILE_PATH", settings.EMAIL_FILE_PATH))
        folder.mkdir(parents=True, exist_ok=True)
        now = timezone.now().astimezone(dt.UTC)
        digits = "".join(ch for ch in phone if ch.isdigit())
        with self._lock:
            stem = f"sms-{now:%Y%m%d-%H%M%S-%f}-{digits}"
            path = folder / f"{stem}.txt"
            counter = 1
            while path.exists():
                path = folder / f"{stem}-{counter}.txt"
                counter += 1
            path.write_text(f"To: {phone}\nDate: {now.isoformat()}\n\n{text}\n", encoding="utf-8")


outbox: list[Sms] = []


class LocmemBackend(SmsBackend):
    """Keeps the messages in `ocophub.common.sms.outbox`, for tests (as Django's mail.outbox)."""

    def send(self, phone: str, text: str) -> None:
        outbox.append(Sms(phone=phone, text=text))


def backend() -> SmsBackend:
    path = getattr(settings, "SMS_BACKEND", "ocophub.common.sms.FileBackend")
    cls = import_string(path)
    instance = cls()
    if not isinstance(instance, SmsBackend):
        raise TypeError(f"SMS_BACKEND {path} is not an SmsBackend")
    return instance


def send_sms(phone: str, text: str) -> None:
    """Send one text message to a phone number (stored form, +84…)."""
    backend().send(phone, text)
