"""Backup and restore round-trip the demo data on the suite's database (SQLite, or PostgreSQL with
DATABASE_URL): every table's rows and checksum come back; damaged files and full databases are refused."""

import shutil
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from ocophub.catalogue.models import Product
from ocophub.common import backup

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(catalogue, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    default_storage.save("products/anh-mau.png", ContentFile(b"\x89PNG\r\n\x1a\nanh"))
    return tmp_path


@pytest.fixture
def small_site(transactional_db, settings, tmp_path):
    """No catalogue: enough for the checks that do not depend on what the tables hold."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


def _product_names() -> dict[int, str]:
    return dict(Product.objects.values_list("pk", "name"))


def test_backup_then_restore_gives_back_every_row_and_file(site):
    path = backup.backup_create(site / "backups")
    assert path.name.startswith(f"ocophub-{backup.engine()}-") and path.suffix == ".tar"
    assert (path.parent / f"{path.name}.sha256").read_text().split()[1] == path.name
    manifest = backup.backup_verify(path)
    assert manifest["tables"]["catalogue_product"]["rows"] == Product.objects.count() > 0
    assert backup.compare(manifest, backup.table_stats()).ok
    names = _product_names()

    # the site moves on: a name changes, a row goes, a photo is lost
    first = Product.objects.order_by("pk").first()
    Product.objects.filter(pk=first.pk).update(name="Đổi tên sau khi sao lưu")
    default_storage.delete("products/anh-mau.png")
    assert not backup.compare(manifest, backup.table_stats()).ok

    # without --force a database holding data is refused, and nothing changes
    with pytest.raises(backup.BackupError, match="already holds data"):
        backup.backup_restore(path)
    assert Product.objects.get(pk=first.pk).name == "Đổi tên sau khi sao lưu"

    result = backup.backup_restore(path, force=True)
    assert result.ok, result.mismatches
    assert result.tables == len(manifest["tables"]) > 50
    assert _product_names() == names
    assert default_storage.open("products/anh-mau.png").read() == b"\x89PNG\r\n\x1a\nanh"


def test_a_truncated_or_altered_backup_is_refused(small_site):
    site = small_site
    path = backup.backup_create(site / "backups", media=False)
    data = path.read_bytes()
    damaged = site / "damaged"
    damaged.mkdir()

    truncated = damaged / "truncated.tar"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(backup.BackupError, match="refused"):
        backup.backup_restore(truncated, force=True)

    # one byte changed inside the database member, the sidecar left behind: the member's checksum fails
    altered = damaged / "altered.tar"
    middle = bytearray(data)
    middle[len(middle) // 3] ^= 0xFF
    altered.write_bytes(bytes(middle))
    with pytest.raises(backup.BackupError, match="checksum|damaged"):
        backup.backup_verify(altered)

    # with its sidecar, an altered file fails before it is opened
    shutil.copy(path.parent / f"{path.name}.sha256", damaged / "altered.tar.sha256")
    (damaged / "altered.tar.sha256").write_text(
        (path.parent / f"{path.name}.sha256").read_text().replace(path.name, "altered.tar")
    )
    with pytest.raises(backup.BackupError, match=r"\.sha256"):
        backup.backup_verify(altered)
    assert backup.compare(backup.backup_verify(path), backup.table_stats()).ok


def test_the_commands_report_and_refuse(site, capsys):
    folder = site / "cmd"
    call_command("backup", "--dir", str(folder), "--keep", "1")
    files = sorted(Path(folder).glob("ocophub-*.tar"))
    assert len(files) == 1
    out = capsys.readouterr().out
    assert "backup written" in out and "tables counted" in out
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(files[0]))
    call_command("restore", str(files[0]), "--force")
    assert "all" in capsys.readouterr().out


def test_daily_backup_keeps_n_copies(small_site, settings):
    site = small_site
    settings.BACKUP_DIR = site / "daily"
    settings.BACKUP_KEEP = 2
    settings.BACKUP_DAILY = False
    assert backup.backup_daily() is None
    settings.BACKUP_DAILY = True
    made = backup.backup_daily()
    assert made is not None and backup.backup_daily() is None  # one a day
    for _ in range(3):
        backup.backup_create(settings.BACKUP_DIR, media=False)
    assert len(backup.backups_prune(settings.BACKUP_DIR, 2)) == 2
    assert len(list(Path(settings.BACKUP_DIR).glob("*.tar"))) == 2
