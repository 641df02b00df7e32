"""axe-core (WCAG 2.2 AA) over the reader's main pages in Chromium, on a wide screen and a phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.test import Client

from articles import suggestions
from articles.models import Article
from tests.e2e.conftest import chromium, require
from tracker.models import Claim, Source

# Installed by `make browser` (npm install --no-save --prefix .e2e axe-core@<version>): never
# fetched while the tests run.
AXE = Path(settings.BASE_DIR) / ".e2e" / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = [pytest.mark.browser]

require((AXE, "make browser"))

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
from selenium.webdriver.common.by import By  # noqa: E402

# WCAG 2.2 A and AA, as axe-core tags them (target-size is wcag22aa).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"critical", "serious"}
WIDE, PHONE = (1280, 900), (360, 780)
WAGNER_HIRING = "wagner-conducting-syrian-hiring-with-russian-army-supervision"


def phone_or_wide(tmp_path: Path, size: tuple[int, int]):
    driver = chromium(tmp_path, size)
    # A headless window is at least 500 px wide: a phone's viewport is emulated instead.
    width, height = size
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500},
    )
    driver.set_page_load_timeout(15)
    driver.set_script_timeout(30)
    return driver


@pytest.fixture
def browser(tmp_path, monkeypatch, request):
    monkeypatch.setenv("SE_OFFLINE", "true")  # Selenium Manager must never download anything
    driver = phone_or_wide(tmp_path, getattr(request, "param", WIDE))
    yield driver
    driver.quit()


def axe(driver) -> dict:
    """axe-core's results for the page the browser shows, limited to WCAG 2.2 A and AA."""
    driver.execute_script(AXE.read_text())
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done({violations: r.violations, passes: r.passes.length}))"
        ".catch(e => done({error: String(e)}));",
        WCAG_TAGS,
    )


def blocking(results: dict) -> list[str]:
    """One line per critical or serious violation: the rule, its impact and where it is."""
    assert "error" not in results, results.get("error")
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']} {violation['help']}"
        for violation in results["violations"]
        if violation["impact"] in BLOCKING
        for node in violation["nodes"]
    ]


def shown(driver, element) -> bool:
    """Laid out with a size (Selenium's is_displayed() calls anything in a closed <details>
    hidden, even where the stylesheet shows it)."""
    return driver.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return arguments[0].checkVisibility() && r.width > 0 && r.height > 0;",
        element,
    )


def reader_pages() -> dict[str, str]:
    return {
        "home": "/",
        "claim list": "/claims/",
        "claim list for an actor": "/claims/?actor=russia",
        "article": Article.objects.get().get_absolute_url(),
        "claim": Claim.objects.get(slug=WAGNER_HIRING).get_absolute_url(),
        "actor with its timeline and tree": "/actors/russia/",
        "matrix": "/claims/matrix/",
        "matrix rolled up, every column": "/claims/matrix/?rollup=1&columns=all",
        "credibility": "/credibility/?all=1",
        "source": Source.objects.order_by("name").first().get_absolute_url(),
        "a bad filter (400)": "/claims/?stance=nonsense&stnace=denies",
        "not found (404)": "/claims/999999999/",
    }


@pytest.mark.parametrize("browser", [WIDE, PHONE], ids=["wide", "phone"], indirect=True)
def test_the_reader_pages_have_no_critical_or_serious_violations(seeded_server, browser):
    found = {}
    for name, path in reader_pages().items():
        browser.get(seeded_server.url + path)
        results = axe(browser)
        # An error page is short: fewer rules apply to it than to a page of claims.
        least = 3 if name.endswith(")") else 10
        assert results["passes"] > least, f"axe checked almost nothing on the {name} page"
        if problems := blocking(results):
            found[name] = problems
    assert not found, "\n".join(f"{page}:\n  " + "\n  ".join(p) for page, p in found.items())


def test_axe_reports_the_faults_this_suite_guards_against(seeded_server, browser):
    """The check itself can fail: a link with aria-pressed and a 7 px link are both caught."""
    browser.get(seeded_server.url + "/")
    browser.execute_script(
        "const main = document.getElementById('main');"
        "main.insertAdjacentHTML('beforeend',"
        ' \'<p><a href="/claims/" aria-pressed="true">Denies</a></p>'
        '<div><a href="/claims/1/" class="tiny">1</a><a href="/claims/2/" class="tiny">2</a>'
        "</div>');"
        "for (const a of document.querySelectorAll('a.tiny')) {"
        " a.style.display = 'inline-block'; a.style.width = '7px'; a.style.height = '14px';"
        " a.style.overflow = 'hidden'; }"
    )
    rules = {line.split(" ", 1)[0] for line in blocking(axe(browser))}
    assert {"aria-allowed-attr", "target-size"} <= rules


@pytest.mark.parametrize("browser", [PHONE], ids=["phone"], indirect=True)
def test_on_a_phone_the_filters_fold_and_the_first_result_is_near_the_top(seeded_server, browser):
    browser.get(seeded_server.url + "/claims/")
    assert browser.execute_script("return window.innerWidth") <= 400
    toggle = browser.find_element(By.CSS_SELECTOR, "details.filters-toggle")
    assert toggle.get_attribute("open") is None
    assert not shown(browser, browser.find_element(By.ID, "f-q"))
    first = browser.find_element(By.CSS_SELECTOR, ".claim-list > li")
    assert first.location["y"] < 600, f"the first result starts {first.location['y']} px down"

    toggle.find_element(By.TAG_NAME, "summary").click()
    assert shown(browser, browser.find_element(By.ID, "f-q"))
    # Each checkbox sits left of its label, on the same line, not above it.
    box = browser.find_element(By.ID, "f-stance-denies")
    label = browser.find_element(By.CSS_SELECTOR, "label[for='f-stance-denies']")
    assert box.location["x"] + box.size["width"] <= label.location["x"]
    assert abs(box.location["y"] - label.location["y"]) < box.size["height"]
    assert box.size["width"] >= 24 and box.size["height"] >= 24

    # With a filter applied, the form opens to show it.
    browser.get(seeded_server.url + "/claims/?stance=denies")
    assert browser.find_element(By.CSS_SELECTOR, "details.filters-toggle").get_attribute("open")
    assert browser.find_element(By.ID, "f-stance-denies").is_selected()


def test_on_a_wide_screen_the_filters_always_show(seeded_server, browser):
    browser.get(seeded_server.url + "/claims/")
    assert shown(browser, browser.find_element(By.ID, "f-q"))
    assert shown(browser, browser.find_element(By.ID, "f-stance-denies"))
    assert not shown(browser, browser.find_element(By.CSS_SELECTOR, ".filters-toggle > summary"))


def test_the_article_passages_are_told_apart_by_more_than_colour(seeded_server, browser):
    browser.get(seeded_server.url + Article.objects.get().get_absolute_url())

    def look(stance: str) -> tuple[str, str]:
        link = browser.find_element(By.CSS_SELECTOR, f"mark.passage a.passage-{stance}")
        return (
            link.value_of_css_property("background-color"),
            link.value_of_css_property("text-decoration-style"),
        )

    looks = [look(stance) for stance in ("asserts", "denies", "no_response")]
    colours, shapes = {c for c, _ in looks}, {s for _, s in looks}
    # Each stance has its own tint and its own underline shape (for a reader who cannot tell
    # the tints apart), and says its name in words after the passage.
    assert len(colours) == len(shapes) == 3
    notes = [n.text for n in browser.find_elements(By.CSS_SELECTOR, ".claim-refs .passage-stance")]
    assert {"asserts", "denies", "did not respond"} <= set(notes)
    # Every number after a passage is a target of at least 24 by 24 CSS px.
    refs = browser.find_elements(By.CSS_SELECTOR, ".claim-refs a")
    assert refs
    assert all(r.size["width"] >= 24 and r.size["height"] >= 24 for r in refs)


@pytest.mark.parametrize("browser", [PHONE], ids=["phone"], indirect=True)
def test_on_a_phone_the_matrix_is_a_card_per_claim(seeded_server, browser):
    browser.get(seeded_server.url + "/claims/matrix/")
    assert not shown(browser, browser.find_element(By.CSS_SELECTOR, "table.matrix"))
    cards = browser.find_elements(By.CSS_SELECTOR, ".matrix-card")
    assert cards and shown(browser, cards[0])
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 400
    assert ": " in cards[0].text  # "actor: stance"


def test_on_a_wide_screen_twelve_matrix_columns_fit_without_scrolling(seeded_server, browser):
    browser.get(seeded_server.url + "/claims/matrix/")
    table = browser.find_element(By.CSS_SELECTOR, "table.matrix")
    headers = table.find_elements(By.CSS_SELECTOR, "thead th")
    assert len(headers) == 13  # the claim and twelve actors
    box = browser.find_element(By.CSS_SELECTOR, ".matrix-wide .table-scroll")
    assert browser.execute_script(
        "return arguments[0].scrollWidth <= arguments[0].clientWidth", box
    )
    assert not shown(browser, browser.find_element(By.CSS_SELECTOR, ".matrix-cards"))


def test_the_editors_workspace_has_no_critical_or_serious_violations(seeded_server, tmp_path):
    """The admin page the project adds: an article's suggestions beside its text."""
    article = Article.objects.get()
    suggestions.store(article)
    user = User.objects.create_user("desk", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(user)  # the editor's session, handed to the browser as its cookie
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    found = {}
    for size in (WIDE, PHONE):
        driver = phone_or_wide(tmp_path, size)
        try:
            driver.get(seeded_server.url + "/healthz")
            driver.add_cookie({"name": settings.SESSION_COOKIE_NAME, "value": session})
            driver.get(f"{seeded_server.url}/admin/articles/article/{article.pk}/workspace/")
            assert driver.find_elements(By.CSS_SELECTOR, "form.suggestion"), driver.page_source
            results = axe(driver)
            assert results["passes"] > 10
            if problems := blocking(results):
                found[size] = problems
        finally:
            driver.quit()
    assert not found, "\n".join(p for problems in found.values() for p in problems)
