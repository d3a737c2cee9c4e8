"""Logging in and choosing a language, in a real browser on a phone-sized screen."""

import re

import pytest
from playwright.sync_api import expect

from coopchain.browser import log_in, use_english
from coopchain.parties.tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_a_wrong_password_is_refused_with_a_message(page, manager):
    use_english(page)
    log_in(page, "manager", "not the password")

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("alert")).to_contain_text("username or password is not right")


def test_a_manager_lands_on_the_cooperatives_home(page, manager, coop):
    log_in(page, "manager", PASSWORD)

    expect(page).to_have_url(re.compile(r"://[^/]+/$"))
    expect(page.locator("h1")).to_have_text(coop.name)
    expect(page.locator("#active-members")).to_be_visible()


def test_a_farmer_lands_on_their_own_household(page, farmer, member):
    log_in(page, "farmer", PASSWORD)

    expect(page).to_have_url(re.compile(r"://[^/]+/$"))
    expect(page.locator("h1")).to_contain_text(member.head_of_household)
    expect(page.locator("main")).to_contain_text(member.code)


def test_vietnamese_is_the_default_and_english_is_one_tap_away(page, db):
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("h1")).to_have_text("Đăng nhập")

    with page.expect_navigation():
        page.locator("#language-form button[value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Log in")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))

    with page.expect_navigation():
        page.locator("#language-form button[value=vi]").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("h1")).to_have_text("Đăng nhập")


def test_a_wrong_password_is_explained_in_vietnamese_by_default(page, manager):
    log_in(page, "manager", "not the password")

    expect(page.get_by_role("alert")).to_contain_text("mật khẩu không đúng")
