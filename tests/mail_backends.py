"""E-mail backends for tests of what happens when mail cannot be delivered.

Configured with `override_settings(EMAIL_BACKEND="tests.mail_backends.…")`; what they let through goes
to `django.core.mail.outbox`, as with Django's test backend.
"""

import smtplib
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend

UNDELIVERABLE = "hong@example.vn"


class Refusing(EmailBackend):
    """The mail server is down: every send fails."""

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class RefusingOne(EmailBackend):
    """A message to `UNDELIVERABLE` fails; the others are delivered."""

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        for message in messages:
            if UNDELIVERABLE in message.recipients():
                raise smtplib.SMTPRecipientsRefused({UNDELIVERABLE: (550, b"No such user")})
        return super().send_messages(messages)


class WhileSending(EmailBackend):
    """Runs `during` (e.g. a second run of a job) while a message is being sent, then delivers it."""

    during: ClassVar[Callable[[], Any] | None] = None
    seen: ClassVar[list[Any]] = []

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        if WhileSending.during is not None:
            WhileSending.seen.append(WhileSending.during())
        return super().send_messages(messages)
