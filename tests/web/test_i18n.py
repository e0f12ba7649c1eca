"""The Vietnamese catalogue is complete and compiled; pages follow the visitor's language."""

import ast
import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import ocophub

PACKAGE = Path(ocophub.__file__).resolve().parent
CATALOGUE = PACKAGE / "locale" / "vi" / "LC_MESSAGES"


def parse_po(path: Path) -> list[dict]:
    """The catalogue's entries (blank-line separated blocks): flags, context, msgid, plural, msgstr."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry: dict = {"flags": "", "context": None, "msgid": "", "msgstr": ""}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] += line
            elif line.startswith("#"):
                continue  # comments, and obsolete entries (#~)
            elif line.startswith("msgctxt "):
                key, entry["context"] = "context", ast.literal_eval(line[8:])
            elif line.startswith("msgid_plural "):
                key, entry["plural"] = "plural", ast.literal_eval(line[13:])
            elif line.startswith("msgid "):
                key, entry["msgid"] = "msgid", ast.literal_eval(line[6:])
            elif line.startswith("msgstr[0] ") or line.startswith("msgstr "):
                key, entry["msgstr"] = "msgstr", ast.literal_eval(line.split(" ", 1)[1])
            elif line.startswith("msgstr["):
                key = None  # other plural forms: Vietnamese has one
            elif line.startswith('"') and key:
                entry[key] += ast.literal_eval(line)
        if entry["msgid"]:
            entries.append(entry)
    return entries


def test_the_catalogue_reader_keeps_each_entrys_flags_and_context(tmp_path):
    # makemessages marks a guessed translation fuzzy; the checks below must see the flag to refuse it
    po = tmp_path / "django.po"
    po.write_text(
        'msgid "Card"\nmsgstr "Thẻ"\n\n#, fuzzy\nmsgid "Cash"\nmsgstr "Tiền"\n\n'
        '#, fuzzy\nmsgctxt "payment method"\nmsgid "Transfer"\nmsgstr "Chuyển kho"\n',
        encoding="utf-8",
    )
    entries = [(e["context"], e["msgid"], "fuzzy" in e["flags"]) for e in parse_po(po)]
    assert entries == [(None, "Card", False), (None, "Cash", True), ("payment method", "Transfer", True)]


def test_every_string_in_the_code_has_a_vietnamese_translation(tmp_path):
    copy = tmp_path / "ocophub"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "vi",
            "--no-location",
            "-i",
            "migrations/*",
            "-v",
            "0",
        ],
        cwd=copy,
        check=True,
        env={"DJANGO_SETTINGS_MODULE": "", "PATH": "/usr/bin:/bin"},
    )
    entries = parse_po(copy / "locale" / "vi" / "LC_MESSAGES" / "django.po")
    assert len(entries) > 100
    untranslated = [e["msgid"] for e in entries if not e["msgstr"] or "fuzzy" in e["flags"]]
    assert not untranslated, f"translate these in {CATALOGUE / 'django.po'}: {untranslated}"


def test_the_compiled_catalogue_matches_the_source():
    with open(CATALOGUE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in parse_po(CATALOGUE / "django.po"):
        context = entry["context"]
        if entry.get("plural"):
            found = (
                compiled.npgettext(context, entry["msgid"], entry["plural"], 2)
                if context is not None
                else compiled.ngettext(entry["msgid"], entry["plural"], 2)
            )
            assert found == entry["msgstr"]
            continue
        found = (
            compiled.pgettext(context, entry["msgid"])
            if context is not None
            else compiled.gettext(entry["msgid"])
        )
        assert found == (entry["msgstr"] or entry["msgid"]), (
            f"django.mo is stale for {entry['msgid']!r}: run msgfmt -o django.mo django.po"
        )


def test_pages_are_vietnamese_by_default_and_english_on_request(client, loaded_places):
    vi = client.get("/").content.decode()
    assert 'lang="vi"' in vi and "Sản phẩm OCOP và làng nghề Hà Nội" in vi and "Gốm sứ" in vi
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    en = client.get("/").content.decode()
    assert 'lang="en"' in en and "OCOP products and craft villages of Hanoi" in en and "Ceramics" in en


def test_api_errors_speak_the_clients_language(client, db):
    vi = client.get("/api/v1/places/communes/99999").json()["error"]["message"]
    en = client.get("/api/v1/places/communes/99999", headers={"Accept-Language": "en"}).json()["error"][
        "message"
    ]
    assert (vi, en) == ("Không tìm thấy.", "Not found.")


def test_pages_stay_vietnamese_for_an_english_browser_until_the_visitor_switches(client, db):
    html = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert 'lang="vi"' in html
