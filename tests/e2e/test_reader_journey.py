"""A reader's journey in a real browser: home, a claim, and the highlighted passage it rests on."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import chromium, require

pytestmark = [pytest.mark.browser]

require()

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

WAGNER_HIRING = (
    "Wagner Group is conducting the hiring of Syrian fighters for Libya with Russian army "
    "supervision."
)
NO_RESPONSE = "The Russian Defence Ministry and the Wagner group did not respond to questions"


@pytest.fixture
def browser(tmp_path):
    driver = chromium(tmp_path, (1280, 900))
    yield driver
    driver.quit()


def test_a_reader_follows_a_claim_to_its_highlighted_passage(seeded_server, browser, tmp_path):
    wait = WebDriverWait(browser, 10)
    browser.get(seeded_server.url + "/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Who said what in the news"

    latest = browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby='latest-claims']")
    latest.find_element(By.LINK_TEXT, WAGNER_HIRING).click()
    wait.until(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), WAGNER_HIRING))
    assert "/claims/" in browser.current_url

    groups = [h.text for h in browser.find_elements(By.CSS_SELECTOR, ".stance-group h2")]
    assert [g.split(" (")[0] for g in groups] == ["Asserted by", "Did not respond"]
    unanswered = browser.find_element(By.CSS_SELECTOR, ".stance-group-no_response")
    ministry = next(
        row
        for row in unanswered.find_elements(By.CSS_SELECTOR, "li.attribution")
        if "Russian Defence Ministry" in row.text
    )
    link = ministry.find_element(By.CSS_SELECTOR, "a[href*='#attribution-']")
    fragment = link.get_attribute("href").split("#", 1)[1]
    link.click()

    wait.until(EC.url_contains("/articles/"))
    assert browser.current_url.endswith(f"#{fragment}")
    target = browser.find_element(By.ID, fragment)
    assert target.tag_name == "mark"
    assert NO_RESPONSE in target.text
    # The browser scrolled the passage into view (it is far down the article).
    on_screen = browser.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0;",
        target,
    )
    assert on_screen
    assert browser.execute_script("return window.scrollY") > 0
    browser.save_screenshot(str(tmp_path / "passage.png"))


def test_the_actor_filter_suggests_names_as_the_reader_types(seeded_server, browser):
    wait = WebDriverWait(browser, 10)
    browser.get(seeded_server.url + "/claims/")
    # Shown on a wide screen by site.css; WebDriver still counts a closed <details> as hidden.
    toggle = browser.find_element(By.CSS_SELECTOR, "details.filters-toggle")
    browser.execute_script("arguments[0].open = true", toggle)
    field = browser.find_element(By.ID, "f-actor")
    field.send_keys("kreml")  # an alias of the Russian government: "the Kremlin"

    def offered(driver):
        options = driver.find_elements(By.CSS_SELECTOR, "#f-actor-list option")
        return [(o.get_attribute("value"), o.get_attribute("label")) for o in options] or False

    assert wait.until(offered) == [("russian-government", "Russian government")]
    field.clear()
    field.send_keys("the Kremlin")
    field.submit()
    wait.until(EC.url_contains("actor=the+Kremlin"))
    assert "Bad request" not in browser.title
    assert browser.find_elements(By.CSS_SELECTOR, ".claim-list > li")
