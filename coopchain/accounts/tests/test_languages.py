"""Vietnamese by default, English on request: pages, plurals, API problems and the catalogue.

The API's problem details keep `type` and `title` in English (they are identifiers a program
matches on); `detail` and each error's `reason` are for people and follow Accept-Language, in
Vietnamese when the request names no language, like the pages.
"""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from coopchain.accounts.services import issue_api_token
from coopchain.parties.tests.factories import MemberFactory

CATALOGUE = Path(django_settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")
ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


@pytest.fixture
def browser(db):
    """A client of its own, with no language set, whatever defaults the shared `client` gets."""
    return Client()


def choose_language(client, code: str, next_url: str = "/"):
    """What the header's language button sends."""
    return client.post("/i18n/setlang/", {"language": code, "next": next_url})


def heading(response) -> str:
    match = re.search(r"<h1>(.*?)</h1>", response.content.decode(), re.S)
    assert match, "the page has no heading"
    return match.group(1).strip()


def test_the_login_page_is_in_vietnamese_by_default(browser):
    response = browser.get(reverse("accounts:login"))

    assert response.status_code == 200
    assert heading(response) == "Đăng nhập"
    assert '<html lang="vi">' in response.content.decode()
    assert "Mật khẩu" in response.content.decode()


def test_choosing_english_turns_the_login_page_english(browser):
    login_url = reverse("accounts:login")

    chosen = choose_language(browser, "en", next_url=login_url)
    response = browser.get(login_url)

    assert chosen.status_code == 302
    assert chosen["Location"] == login_url
    assert heading(response) == "Log in"
    assert '<html lang="en">' in response.content.decode()
    assert "Password" in response.content.decode()


def test_choosing_vietnamese_again_turns_it_back(browser):
    choose_language(browser, "en")
    choose_language(browser, "vi")

    assert heading(browser.get(reverse("accounts:login"))) == "Đăng nhập"


@pytest.mark.parametrize(
    ("households", "language", "count_line"),
    [
        (1, "vi", "1 hộ"),
        (3, "vi", "3 hộ"),
        (1, "en", "1 household"),
        (3, "en", "3 households"),
    ],
)
def test_the_members_list_counts_households_in_the_chosen_language(
    browser, coop, manager, households, language, count_line
):
    MemberFactory.create_batch(households, organization=coop)
    browser.force_login(manager)
    choose_language(browser, language)

    response = browser.get(reverse("parties:member_list"))

    assert response.status_code == 200
    assert f'<p class="muted">{count_line}</p>' in response.content.decode()


@pytest.fixture
def api_client(manager):
    _token, secret = issue_api_token(user=manager)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def refused_member(api_client, coop, **headers):
    body = {"code": "TV0900", "head_of_household": " ", "joined_on": "2024-03-01", "phone": "12"}
    response = api_client.post(
        f"/api/v1/organizations/{coop.pk}/members", body, content_type="application/json", **headers
    )
    assert response.status_code == 400
    problem = response.json()
    return problem, {error["field"]: error["reason"] for error in problem["errors"]}


def test_an_api_problem_speaks_the_language_the_client_accepts(api_client, coop):
    problem, reasons = refused_member(api_client, coop, HTTP_ACCEPT_LANGUAGE="en")

    assert problem["title"] == "Invalid input"
    assert reasons["head_of_household"] == "is required"
    assert reasons["phone"] == "is not a phone number (9 to 12 digits)"


def test_an_api_problem_is_vietnamese_when_the_client_asks_for_it(api_client, coop):
    problem, reasons = refused_member(api_client, coop, HTTP_ACCEPT_LANGUAGE="vi-VN,vi;q=0.9")

    assert problem["type"].endswith("/invalid-input")
    assert problem["title"] == "Invalid input"
    assert reasons["head_of_household"] == "bắt buộc phải nhập"
    assert reasons["phone"] == "không phải số điện thoại (9 đến 12 chữ số)"


def test_an_api_problem_without_a_language_is_vietnamese(api_client, coop):
    _problem, reasons = refused_member(api_client, coop)

    assert reasons["head_of_household"] == "bắt buộc phải nhập"


def read_po(path: Path) -> list[dict]:
    """The catalogue's live entries: msgid, plural, context, translations and flags."""
    entries: list[dict] = []
    entry: dict = {}
    key = ""

    def finish() -> None:
        if "msgid" in entry:
            entries.append(entry.copy())
        entry.clear()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#~"):
            continue
        elif line.startswith("#,"):
            entry.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += unquote(line)
        else:
            key, _, value = line.partition(" ")
            if key == "msgid" and "msgid" in entry:
                finish()
            entry[key] = unquote(value)
    finish()
    return entries


def unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


@pytest.fixture(scope="module")
def po_entries() -> list[dict]:
    return [e for e in read_po(CATALOGUE / "django.po") if e["msgid"]]


def test_the_catalogue_is_vietnamese_with_its_one_plural_form():
    header = next(e for e in read_po(CATALOGUE / "django.po") if e["msgid"] == "")

    assert "Language: vi\n" in header["msgstr"]
    assert "Plural-Forms: nplurals=1; plural=0;\n" in header["msgstr"]


def translations(entry: dict) -> list[str]:
    if "msgid_plural" in entry:
        return [value for key, value in entry.items() if key.startswith("msgstr[")]
    return [entry["msgstr"]]


def test_every_entry_of_the_vietnamese_catalogue_is_translated_and_not_fuzzy(po_entries):
    assert len(po_entries) > 1000
    untranslated = [e["msgid"] for e in po_entries if not all(translations(e))]
    fuzzy = [e["msgid"] for e in po_entries if "fuzzy" in e.get("flags", ())]

    assert untranslated == [], "run makemessages and translate these"
    assert fuzzy == [], "check these translations and remove their fuzzy flag"


def test_every_translation_keeps_the_placeholders_of_its_source(po_entries):
    broken = []
    for entry in po_entries:
        source = entry.get("msgid_plural", entry["msgid"])
        wanted = set(PLACEHOLDER.findall(source))
        for translated in translations(entry):
            if set(PLACEHOLDER.findall(translated)) != wanted:
                broken.append((entry["msgid"], translated))

    assert broken == []


def test_the_compiled_catalogue_holds_every_translation_of_the_po_file(po_entries):
    # Compared by content, not file times: a fresh clone gives both files the same moment.
    with (CATALOGUE / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)

    stale = []
    for entry in po_entries:
        expected = translations(entry)[0]
        context, msgid, plural = entry.get("msgctxt"), entry["msgid"], entry.get("msgid_plural")
        if context is not None and plural is not None:
            got = catalogue.npgettext(context, msgid, plural, 1)
        elif context is not None:
            got = catalogue.pgettext(context, msgid)
        elif plural is not None:
            got = catalogue.ngettext(msgid, plural, 1)
        else:
            got = catalogue.gettext(msgid)
        if got != expected:
            stale.append(entry["msgid"])

    assert stale == [], "run `manage.py compilemessages -l vi` and commit django.mo"


def test_every_string_the_code_marks_for_translation_has_its_vietnamese(tmp_path):
    """Vietnamese is the default language: a marked string missing from the catalogue would
    reach Vietnamese users in English. The catalogue is made again from a copy of the code,
    so this working tree's files are left as they are."""
    package = tmp_path / "coopchain"
    shutil.copytree(
        django_settings.BASE_DIR,
        package,
        ignore=shutil.ignore_patterns("__pycache__", "static", "var", "*.mo"),
    )
    environment = {
        **os.environ,
        "PYTHONPATH": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "coopchain.settings",
        "SECRET_KEY": "catalogue-check",
        "DEBUG": "1",
    }
    made = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "vi", "--no-obsolete"],
        cwd=package,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr

    remade = read_po(package / "locale" / "vi" / "LC_MESSAGES" / "django.po")
    missing = [e["msgid"] for e in remade if e["msgid"] and not all(translations(e))]

    assert missing == [], "run `make messages` and translate these"
