"""Text messages go through the backend that SMS_BACKEND names: files under the mail folder by
default, a list in memory for tests, anything else refused."""

import pytest
from django.test import override_settings

from ocophub.common import sms


def test_the_locmem_backend_keeps_the_messages_in_the_outbox():
    sms.send_sms("+84912777888", "Mã: 123456")
    assert sms.outbox == [sms.Sms(phone="+84912777888", text="Mã: 123456")]


def test_the_file_backend_writes_one_file_per_message(tmp_path):
    with override_settings(SMS_BACKEND="ocophub.common.sms.FileBackend", SMS_FILE_PATH=tmp_path / "mail"):
        sms.send_sms("+84912777888", "Mã đặt lại: 123456")
        sms.send_sms("+84912777888", "Mã đặt lại: 654321")
    files = sorted((tmp_path / "mail").iterdir())
    assert len(files) == 2 and all(f.name.startswith("sms-") and f.suffix == ".txt" for f in files)
    texts = sorted(f.read_text(encoding="utf-8") for f in files)
    assert texts[0].startswith("To: +84912777888\n") and "Mã đặt lại: 123456" in texts[0]
    assert "654321" in texts[1]
    assert sms.outbox == []


def test_the_default_backend_writes_beside_the_mail():
    from ocophub import settings as production

    assert production.SMS_BACKEND == "ocophub.common.sms.FileBackend"
    assert production.SMS_FILE_PATH == production.EMAIL_FILE_PATH


def test_a_backend_that_is_not_an_sms_backend_is_refused():
    with override_settings(SMS_BACKEND="collections.OrderedDict"), pytest.raises(TypeError):
        sms.backend()


def test_the_base_class_sends_nothing():
    with pytest.raises(NotImplementedError):
        sms.SmsBackend().send("+84912777888", "x")
