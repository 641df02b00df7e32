"""An editor's cost in a real browser: accepting a correct suggestion in the article's workspace,
against adding the same attribution by hand in the article's admin page (the old way).

Actions are counted as an editor spends them: a page load, a click, a field typed into or a
choice made (one each); selecting words in the text is one (a drag or a double click)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User

from articles import suggestions
from articles.models import Article, SuggestedAttribution
from tests.e2e.conftest import chromium, require
from tracker.models import Attribution

pytestmark = [pytest.mark.browser]

require()

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.select import Select  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

PASSWORD = "pw-for-browser-tests-only"
UN_REPORT = (
    "Wagner has up to 1,200 people deployed in Libya, according to a confidential UN report "
    "seen by Reuters in May."
)


class Editor:
    """A browser that counts what the editor does."""

    def __init__(self, driver, base: str) -> None:
        self.driver, self.base, self.actions = driver, base, 0
        self.wait = WebDriverWait(driver, 10)

    def load(self, path: str) -> None:
        self.driver.get(self.base + path)
        self.actions += 1

    def click(self, element, *, loads: bool = False) -> None:
        old = self.driver.find_element(By.TAG_NAME, "html")
        element.click()
        self.actions += 1
        if loads:  # the click loads a page: the editor waits for it, a second action
            self.wait.until(EC.staleness_of(old))
            self.actions += 1

    def type(self, element, text: str) -> None:
        element.clear()
        element.send_keys(text)
        self.actions += 1

    def choose(self, element, value: str) -> None:
        Select(element).select_by_value(value)
        self.actions += 1

    def autocomplete(self, field_id: str, search: str, label: str) -> None:
        """A select2 autocomplete: open it, type a few words, pick the row (three actions)."""
        box = self.driver.find_element(
            By.CSS_SELECTOR, f"#{field_id} + .select2 .select2-selection"
        )
        self.click(box)
        self.type(self.driver.switch_to.active_element, search)
        option = self.wait.until(
            EC.element_to_be_clickable(
                (By.XPATH, f"//li[contains(@class,'select2-results__option') and text()={label!r}]")
            )
        )
        self.click(option)


@pytest.fixture
def editor_browser(seeded_server, tmp_path):
    user = User.objects.create_user("desk", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    driver = chromium(tmp_path, (1400, 1000))
    driver.get(seeded_server.url + "/admin/login/")
    driver.find_element(By.NAME, "username").send_keys("desk")
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    WebDriverWait(driver, 10).until(EC.url_contains("/admin/"))
    yield Editor(driver, seeded_server.url)
    driver.quit()


def fresh_copy() -> Article:
    """The seed article as it arrives: its text, no attribution yet (the seed's own are kept,
    under the seed article, to compare with)."""
    seed = Article.objects.filter(attributions__isnull=False).distinct().get()
    return Article.objects.create(
        title=seed.title, slug="arriving", published_on=seed.published_on, body=seed.body
    )


def curated(passage: str) -> Attribution:
    return next(
        a for a in Attribution.objects.select_related("article", "source") if a.passage == passage
    )


def test_accepting_a_correct_suggestion_costs_at_most_three_actions(editor_browser):
    editor = editor_browser
    article = fresh_copy()
    suggestions.store(article)
    suggestion = next(
        s
        for s in SuggestedAttribution.objects.filter(article=article)
        if s.text_of(article.body, "source") == "a confidential UN report"
    )
    editor.load(f"/admin/articles/article/{article.pk}/workspace/")
    row = editor.driver.find_element(By.ID, f"row-{suggestion.pk}")
    editor.click(row.find_element(By.CSS_SELECTOR, "button[value=accept]"), loads=True)
    assert editor.actions <= 3
    assert "Attribution added" in editor.driver.find_element(By.CSS_SELECTOR, ".messagelist").text

    made = Attribution.objects.select_related("source", "claim").get(article=article)
    expected = curated(UN_REPORT)
    fields = (
        "source",
        "stance",
        "wording",
        "count",
        "anonymity",
        "quote",
        "span_start",
        "span_end",
    )
    assert {f: getattr(made, f) for f in fields} == {f: getattr(expected, f) for f in fields}
    assert made.claim.text == "Wagner has up to 1,200 people deployed in Libya."
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.attribution_id) == ("accepted", made.pk)
    print(f"\nworkspace: {editor.actions} actions to accept a correct suggestion")


def test_selecting_words_in_the_text_sets_the_passage(editor_browser):
    editor = editor_browser
    article = fresh_copy()
    suggestions.store(article)
    editor.load(f"/admin/articles/article/{article.pk}/workspace/")
    rows = editor.driver.find_elements(By.CSS_SELECTOR, "form.suggestion")
    second = rows[1]
    editor.click(second.find_element(By.CSS_SELECTOR, "h3"))  # the row worked on
    word = editor.driver.find_element(By.CSS_SELECTOR, ".workspace-text mark[data-row]")
    ActionChains(editor.driver).double_click(word).perform()
    passage = second.find_element(By.CSS_SELECTOR, "textarea.workspace-passage")
    selected = editor.driver.execute_script("return window.getSelection().toString().trim()")
    assert selected and passage.get_attribute("value") == selected
    first_passage = rows[0].find_element(By.CSS_SELECTOR, "textarea.workspace-passage")
    assert first_passage.get_attribute("value") != selected


def test_the_old_way_by_hand_in_the_article_admin(editor_browser):
    """The same attribution typed into the article's admin page, with its claim and source
    already in the tracker (the cheapest case by hand)."""
    editor = editor_browser
    article = fresh_copy()
    expected = curated(UN_REPORT)
    editor.load(f"/admin/articles/article/{article.pk}/change/")
    editor.click(editor.driver.find_element(By.CSS_SELECTOR, "#attributions-group .add-row a"))
    prefix = "attributions-0"
    editor.autocomplete(f"id_{prefix}-claim", "1,200", str(expected.claim))
    editor.autocomplete(f"id_{prefix}-source", "confidential", expected.source.name)
    editor.choose(editor.driver.find_element(By.ID, f"id_{prefix}-stance"), "asserts")
    editor.type(editor.driver.find_element(By.ID, f"id_{prefix}-wording"), expected.wording)
    # The passage: found in the text by eye, selected and copied (two actions), pasted (one).
    editor.actions += 2
    editor.type(editor.driver.find_element(By.ID, f"id_{prefix}-passage"), UN_REPORT)
    editor.click(editor.driver.find_element(By.NAME, "_continue"), loads=True)
    made = Attribution.objects.get(article=article)
    assert (made.claim_id, made.source_id, made.passage) == (
        expected.claim_id,
        expected.source_id,
        UN_REPORT,
    )
    print(f"\nby hand: {editor.actions} actions for one attribution (claim and source existing)")
    assert editor.actions > 3


# -- The seed article, every attribution: actions before (by hand) and after (the workspace) ----
# Unit costs as measured above: by hand, an attribution whose claim and source exist costs
# BY_HAND (page, add a row, claim and source by autocomplete, stance, wording, passage found,
# copied and pasted, save and reload); in the workspace, accepting costs ACCEPT (click, reload).
BY_HAND = 15
ACCEPT = 2
AUTOCOMPLETE = 3  # open, type, pick
NEW_CLAIM_BY_HAND = 2  # the "+" window: its page and its save, over the autocomplete's three


def by_hand(attribution: Attribution, new_claim: bool) -> int:
    extra = (attribution.anonymity != "named") + (attribution.count != 1) + bool(attribution.quote)
    return BY_HAND + extra + (NEW_CLAIM_BY_HAND if new_claim else 0)


def in_workspace(attribution: Attribution, proposal, new_claim: bool) -> int:
    from tracker.models.claims import claim_key

    if proposal is None:
        return by_hand(attribution, new_claim)
    initial = proposal.initial
    same_claim = initial["claim"] == attribution.claim_id or (
        claim_key(proposal.claim_text) == claim_key(attribution.claim.text)
    )
    cost = ACCEPT
    if not same_claim:
        cost += 1 if new_claim else AUTOCOMPLETE  # type the claim, or pick the one made before
    cost += 0 if initial["source"] == attribution.source_id else AUTOCOMPLETE
    cost += sum(
        initial[f] != getattr(attribution, f) for f in ("stance", "anonymity", "wording", "quote")
    )
    cost += (initial["count"] or 1) != attribution.count
    cost += proposal.passage != attribution.passage  # words selected in the text
    return cost


def test_actions_per_attribution_on_the_seed_article(seeded):
    from tracker.suggesting import proposals

    article = Article.objects.filter(attributions__isnull=False).distinct().get()
    suggestions.store(article)
    rows = list(SuggestedAttribution.objects.filter(article=article))
    offered = proposals(article.body, rows)
    curated_rows = list(article.attributions.select_related("claim").order_by("span_start", "pk"))
    seen_claims: set[int] = set()
    used: set[int] = set()
    before = after = 0
    matched = matched_cost = 0
    for attribution in curated_rows:
        new_claim = attribution.claim_id not in seen_claims
        seen_claims.add(attribution.claim_id)
        proposal = next(
            (
                p
                for p in offered
                if p.suggestion.pk not in used
                and p.source_words
                and p.suggestion.source_start is not None
                and attribution.span_start <= p.suggestion.source_start < attribution.span_end
                and p.suggestion.stance == attribution.stance
            ),
            None,
        )
        cost = in_workspace(attribution, proposal, new_claim)
        if proposal is not None:
            used.add(proposal.suggestion.pk)
            matched += 1
            matched_cost += cost
        before += by_hand(attribution, new_claim)
        after += cost
    rejected = len(offered) - len(used)
    after += 1 + ACCEPT * rejected  # the workspace's first page, and each wrong one rejected
    n = len(curated_rows)
    print(
        f"\nseed article: {n} attributions, {matched} suggested, {rejected} suggestions rejected;"
        f" by hand {before} actions ({before / n:.1f} per attribution), with the workspace "
        f"{after} ({after / n:.1f} per attribution; {matched_cost / max(matched, 1):.1f} for each "
        "suggested one)"
    )
    assert after < before
