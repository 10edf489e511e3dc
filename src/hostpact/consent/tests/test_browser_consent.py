"""The banner in Chromium: first visit, each button, GPC, no JavaScript, a new policy version,
keyboard only, and axe-core (C06)."""

import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from hostpact.consent import state
from hostpact.consent.models import ConsentRecord
from hostpact.core import clock
from hostpact.privacy import cookies
from hostpact.privacy.policy import services as policy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, settings):
    settings.SITE_URL = live_server.url
    return live_server.url


def _jar(context) -> dict[str, str]:
    return {c["name"]: c["value"] for c in context.cookies()}


def _granted(context) -> set[str]:
    return set(state.decode(_jar(context)[state.COOKIE]).categories)


def _assert_only(context, granted: set[str]) -> None:
    """Every cookie the browser holds is declared, and required or of a granted category."""
    for name in _jar(context):
        declared = cookies.cookie(name)
        assert declared is not None, name
        assert declared.category in granted | {"required"}, name


@pytest.mark.commitment("C06")
def test_a_fresh_visit_sets_only_required_cookies_and_contacts_no_other_host(page, site):
    """The first page view shows the dialog, sets required cookies only, and every request
    goes to the platform."""
    hosts = set()
    page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc)
            if r.url.startswith("http") else None)
    page.goto(f"{site}/")
    dialog = page.get_by_role("dialog", name="Cookies on hostpact")
    assert dialog.is_visible()
    assert hosts == {urlsplit(site).netloc}
    _assert_only(page.context, set())
    assert state.COOKIE not in _jar(page.context)


@pytest.mark.commitment("C06")
@pytest.mark.parametrize("choice, method, granted", [
    ("Accept all", "accept", {"required", "performance", "functional", "advertising"}),
    ("Reject all", "reject", {"required"}),
    ("Customise", "save", {"required", "functional"}),
])
def test_each_choice_leaves_the_expected_cookies_and_receipt(page, site, choice, method,
                                                              granted):
    """Accept all, Reject all and Customise (functional ticked) each leave exactly their
    categories in ``hp_consent``, only cookies of those, and one receipt."""
    page.goto(f"{site}/")
    dialog = page.get_by_role("dialog", name="Cookies on hostpact")
    if choice == "Customise":
        dialog.get_by_role("link", name="Customise").click()
        dialog.get_by_label("Functional").check()
        with page.expect_navigation():
            dialog.get_by_role("button", name="Save choices").click()
    else:
        with page.expect_navigation():
            dialog.get_by_role("button", name=choice).click()
    assert not page.get_by_role("dialog").is_visible()
    assert _granted(page.context) == granted
    _assert_only(page.context, granted)
    [row] = ConsentRecord.objects.all()
    assert row.method == method and set(row.granted) == granted


def test_cookie_settings_reopens_the_dialog_and_a_withdrawal_holds(page, site):
    """After a choice the footer's "Cookie settings" opens the dialog with the choice ticked;
    Reject all then leaves required cookies only."""
    page.goto(f"{site}/")
    with page.expect_navigation():
        page.get_by_role("button", name="Accept all").click()
    page.get_by_role("link", name="Cookie settings").click()
    dialog = page.get_by_role("dialog", name="Cookies on hostpact")
    dialog.wait_for()
    assert dialog.get_by_label("Performance").is_checked()
    with page.expect_navigation():
        dialog.get_by_role("button", name="Reject all").click()
    assert _granted(page.context) == {"required"}
    _assert_only(page.context, set())
    assert [r.method for r in ConsentRecord.objects.order_by("pk")] == ["accept", "reject"]


def test_under_gpc_advertising_stays_off_and_the_ledger_says_gpc(browser, site):
    """With ``Sec-GPC: 1`` the first page records a GPC refusal, the banner says so, and
    Accept all grants everything but advertising."""
    context = browser.new_context(extra_http_headers={"Sec-GPC": "1"})
    page = context.new_page()
    page.goto(f"{site}/")
    assert page.get_by_test_id("gpc-notice").is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Accept all").click()
    assert _granted(context) == {"required", "performance", "functional"}
    assert [r.method for r in ConsentRecord.objects.order_by("pk")] == ["gpc", "accept"]
    context.close()


@pytest.mark.commitment("C06")
def test_without_javascript_the_plain_form_works(browser, site):
    """With JavaScript off, Reject all posts the form, and Customise leads to the settings
    page where the categories are ticked and saved."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/domains/")
    page.get_by_role("button", name="Reject all").click()
    page.wait_for_url(re.compile(r"/domains/$"))
    assert _granted(context) == {"required"}
    page.goto(f"{site}/consent/")
    page.get_by_label("Performance").check()
    page.get_by_role("button", name="Save choices").click()
    assert _granted(context) == {"required", "performance"}
    assert [r.method for r in ConsentRecord.objects.order_by("pk")] == ["reject", "save"]
    context.close()


def test_a_new_policy_version_brings_the_banner_back(page, site):
    """Once a new version is in force the dialog asks again."""
    page.goto(f"{site}/")
    with page.expect_navigation():
        page.get_by_role("button", name="Reject all").click()
    assert not page.get_by_role("dialog").is_visible()
    with clock.freeze(clock.now()) as moment:
        policy.publish_version(title="Clarified", text="# Policy\n\nClearer.",
                               effective_at=moment, actor="staff:1")
        page.reload()
        assert page.get_by_role("dialog", name="Cookies on hostpact").is_visible()


def test_the_banner_works_by_keyboard_alone(page, site):
    """Focus starts in the dialog and stays there; Customise, a checkbox and Save are reached
    and used with Tab, Enter and Space; Escape closes the dialog."""
    page.goto(f"{site}/")
    inside = "document.getElementById('hp-consent').contains(document.activeElement)"
    assert page.evaluate("document.activeElement.textContent") == "Accept all"
    for _ in range(8):
        page.keyboard.press("Tab")
        assert page.evaluate(inside)
    page.keyboard.press("Escape")
    assert not page.get_by_role("dialog").is_visible()
    page.reload()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Customise"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.value") == "performance"
    page.keyboard.press("Space")
    for _ in range(3):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Save choices"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert _granted(page.context) == {"required", "performance"}


def test_axe_finds_nothing_serious_with_the_banner_open(page, site):
    """axe-core reports no serious or critical violation on the home page with the dialog
    open, nor with Customise expanded."""
    page.goto(f"{site}/")
    axe = Axe()
    found = axe.run(page).response["violations"]
    page.get_by_role("link", name="Customise").click()
    found += axe.run(page).response["violations"]
    bad = [(v["id"], v["impact"]) for v in found if v["impact"] in ("serious", "critical")]
    assert bad == []
