"""The review visit and the prescription line on the page: the "First visit / Review" switch shows
the review's questions only while Review is chosen (hidden, they leave the request, the link and the printed
inputs); a review plan and a first-visit plan show the engine's prescription, with its counselling and
pharmacist checks collapsed on screen and in print; a first-visit plan that sends off the antibodies or
coeliac serology leads to the review with the values kept. Every expectation comes from calc.evaluate."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from conftest import JS_FORM_REQUEST, clear_form
from playwright.sync_api import Page

from calc import REQUEST_FIELDS, evaluate

FORM = '#b12-calculator [data-b12="form"]'
RESULT = '#b12-calculator [data-b12="result"]'
PLAN = f"{RESULT} [data-plan]"
RX = f"{PLAN} [data-prescription]"
REVIEW_GROUP = f"{FORM} fieldset[data-group=review]"
REVIEW_FIELDS = [f.name for f in REQUEST_FIELDS if f.group == "review"]
# At a review: the cause is unknown, on tablets taken as prescribed, and no better.
NOT_BETTER_ON_TABLETS: dict[str, Any] = {
    "visit": "review", "causes": ["unknown"], "current_treatment": "oral", "response": "unchanged",
    "adherence": "good",
}
FIRST_VISIT: dict[str, Any] = {"total_b12": 150}



@pytest.fixture(scope="module")
def page(open_calculator: Any) -> Iterator[Page]:
    context, page = open_calculator(viewport={"width": 1366, "height": 900})
    yield page
    context.close()


def wait_for_plan(page: Page, request: dict[str, Any]) -> dict[str, Any]:
    """Wait until the card shows the plan CPython gives for ``request`` (action, regimen and title), and
    return CPython's result."""
    expected = evaluate(request)
    plan = expected["plan"]
    page.wait_for_function(
        """([sel, id, action, title]) => { const p = document.querySelector(sel);
            return Boolean(p) && !p.closest('[hidden]') && p.dataset.planRegimenId === id
              && p.dataset.planAction === action
              && p.querySelector('.b12-plan__title').textContent === title; }""",
        arg=[PLAN, plan["regimen_id"] or "", plan["action"], plan["title"]])
    return expected


def entered_values(page: Page) -> str:
    """The printed record of the entered values (print-only, so read from the DOM)."""
    return str(page.eval_on_selector(f"{RESULT} .b12-calc__entered", "el => el.textContent"))


def test_review_switch_shows_the_review_fields_only_while_chosen(page: Page, site: str) -> None:
    clear_form(page)
    group = page.locator(REVIEW_GROUP)
    assert group.is_hidden(), "a first visit asks no review questions"
    for radio in page.locator(f"{FORM} [name=visit]").all():
        assert radio.get_attribute("aria-controls") == group.get_attribute("id")
    assert page.locator(f"{FORM} fieldset[data-field=visit] legend").inner_text() == "Visit"
    page.fill(f"{FORM} [name=total_b12]", "150")
    page.click(f"{FORM} label[for=b12-visit-review]")
    group.wait_for(state="visible")
    # Every review question is there, each with a label or a legend a screen reader reads.
    for name in REVIEW_FIELDS:
        control = group.locator(f"[name={name}]").first
        assert control.is_visible(), name
        assert control.evaluate("el => el.labels.length > 0"), f"{name} has a label"
        if control.get_attribute("type") == "radio":
            assert group.locator(f"fieldset[data-field={name}] > legend").inner_text(), f"{name} has a legend"
    assert group.locator("legend").first.inner_text() == "Review"
    # Readable choices, not the contract's codes.
    assert group.locator("label[for=b12-current_treatment-oral]").inner_text() == "Oral (tablets)"
    assert group.locator("label[for=b12-current_treatment-im]").inner_text() == "Injections"
    assert group.locator("label[for=b12-response-resolved]").inner_text() == "Resolved"
    page.check(f"{FORM} [name=current_treatment][value=oral]")
    page.check(f"{FORM} [name=response][value=unchanged]")
    page.check(f"{FORM} [name=cause_resolved]")
    review = {"total_b12": 150, "visit": "review", "current_treatment": "oral", "response": "unchanged",
              "cause_resolved": True}
    wait_for_plan(page, review)
    assert page.evaluate(JS_FORM_REQUEST) == review
    for piece in ("visit=review", "current_treatment=oral", "response=unchanged", "cause_resolved=1"):
        assert piece in page.url, piece
    printed = entered_values(page)
    assert "Current treatment" in printed and "Oral (tablets)" in printed and "Unchanged" in printed
    link = page.url

    # Back to a first visit: the questions are hidden and leave the request, the link and the print.
    page.click(f"{FORM} label[for=b12-visit-first]")
    group.wait_for(state="hidden")
    wait_for_plan(page, {"total_b12": 150})
    assert page.evaluate(JS_FORM_REQUEST) == {"total_b12": 150}
    page.wait_for_function("!location.hash.includes('current_treatment')")
    for name in ["visit", *REVIEW_FIELDS]:
        assert f"{name}=" not in page.url, name
    printed = entered_values(page)
    assert "Current treatment" not in printed and "Response" not in printed
    # The answers given are kept while hidden: choosing Review again brings them back.
    page.click(f"{FORM} label[for=b12-visit-review]")
    wait_for_plan(page, review)

    # The link reopens the review with its answers.
    page.goto("about:blank")
    page.goto(link)
    wait_for_plan(page, review)
    assert page.is_checked(f"{FORM} [name=visit][value=review]")
    assert page.locator(REVIEW_GROUP).is_visible()
    assert page.is_checked(f"{FORM} [name=response][value=unchanged]")


def test_not_better_on_tablets_changes_to_injections(page: Page) -> None:
    clear_form(page)
    page.click(f"{FORM} label[for=b12-visit-review]")
    page.locator(REVIEW_GROUP).wait_for(state="visible")
    page.check(f"{FORM} [name=causes][value=unknown]")
    page.check(f"{FORM} [name=current_treatment][value=oral]")
    page.check(f"{FORM} [name=response][value=unchanged]")
    page.check(f"{FORM} [name=adherence][value=good]")
    expected = wait_for_plan(page, NOT_BETTER_ON_TABLETS)
    plan = expected["plan"]
    assert plan["action"] == "change"
    badge = page.locator(f"{PLAN} .b12-calc__badge--action")
    assert badge.inner_text() == "Change treatment" == plan["action_label"]
    assert "b12-calc__badge--change" in (badge.get_attribute("class") or "")
    # The change is to injections: the headline is the plan's injection regimen.
    regimen = next(r for r in expected["regimens"] if r["id"] == plan["regimen_id"])
    assert regimen["route"] == "im"
    assert page.locator(f"{PLAN} [data-plan-headline]").inner_text() == plan["headline"]
    assert "IM" in plan["headline"]
    line = page.locator(f"{RX} [data-prescription-line]").inner_text()
    assert line.startswith(plan["prescription"]["line"])
    assert "hydroxocobalamin" in line.lower()
    assert plan["prescription"]["status"] in page.locator(RX).inner_text()
    # The plan colour, as for a first visit's "Treat".
    colours = badge.evaluate("""b => [getComputedStyle(b).backgroundColor,
        getComputedStyle(b.closest('.b12-calc')).getPropertyValue('--b12-plan').trim()]""")
    assert _rgb(colours[0]) == _hex(colours[1]), colours


def test_first_visit_prescription_line_and_its_lists(page: Page) -> None:
    clear_form(page)
    page.fill(f"{FORM} [name=total_b12]", "150")
    expected = wait_for_plan(page, FIRST_VISIT)
    rx = expected["plan"]["prescription"]
    box = page.locator(RX)
    assert box.locator("h3").inner_text().lower() == "prescription"
    line = box.locator("[data-prescription-line]").inner_text()
    assert "Cyanocobalamin 1 mg film-coated tablets" in line
    assert "Take ONE tablet daily" in line
    assert line.startswith(rx["line"])
    refs_of = "as => as.map(a => a.dataset.ref)"
    linked = box.locator("[data-prescription-line] a[data-ref]").evaluate_all(refs_of)
    assert linked and set(linked) == set(rx["refs"]) & {r["key"] for r in expected["references"]}
    assert rx["status"] in box.inner_text()
    # The prescription comes straight under the headline, before the lab line and the reasons.
    order = page.eval_on_selector(PLAN, """p => [...p.children]
        .map(c => c.matches('[data-prescription]') ? 'rx' : c.matches('[data-plan-headline]') ? 'headline'
          : c.matches('.b12-calc__section--why') ? 'why' : '')
        .filter(Boolean)""")
    assert order == ["headline", "rx", "why"], order
    # Counselling and pharmacist checks: collapsed, complete, each check cited.
    counselling = box.locator('details[data-group="counselling"]')
    checks = box.locator('details[data-group="pharmacist-checks"]')
    assert not counselling.evaluate("d => d.open") and not checks.evaluate("d => d.open")
    assert counselling.locator("li").count() == len(rx["counselling"])
    assert checks.locator("li").count() == len(rx["checks"]) > 0
    checks.locator("summary").click()
    # Each check cites its sources as the rest of the card does: a link to every one the result lists.
    listed = {r["key"] for r in expected["references"]}
    for item, check in zip(checks.locator("li").all(), rx["checks"], strict=True):
        assert item.is_visible()
        assert item.inner_text().startswith(f"{check['title']}. {check['text']}")
        linked = item.locator("a[data-ref]").evaluate_all(refs_of)
        assert set(linked) == set(check["refs"]) & listed and linked, check["title"]
    checks.locator("summary").click()
    # Printed: the line to dispense from and the two summaries (the lists stay collapsed so the plan
    # keeps to two pages); the checks' sources are in the printed references.
    page.emulate_media(media="print")
    try:
        assert box.locator("[data-prescription-line]").is_visible()
        assert counselling.locator("summary").is_visible() and checks.locator("summary").is_visible()
        assert not checks.locator("li").last.is_visible()
        printed = page.eval_on_selector_all(f"{RESULT} .b12-calc__refs li", "ls => ls.map(l => l.value)")
        numbers = {r["key"]: r["number"] for r in expected["references"]}
        cited = {numbers[key] for check in rx["checks"] for key in check["refs"] if key in numbers}
        assert cited and cited <= set(printed)
    finally:
        page.emulate_media(media="screen")


def test_first_visit_leads_to_the_review_when_the_results_come_back(page: Page) -> None:
    clear_form(page)
    page.fill(f"{FORM} [name=age_years]", "58")
    page.fill(f"{FORM} [name=total_b12]", "150")
    page.check(f"{FORM} [name=causes][value=unknown]")
    first = {"age_years": 58, "total_b12": 150, "causes": ["unknown"]}
    expected = wait_for_plan(page, first)
    texts = " ".join(s["text"].lower() for s in expected["plan"]["next_steps"])
    assert "intrinsic factor antibodies" in texts and "coeliac serology" in texts
    offer = page.locator(f'{PLAN} button[data-action="review-visit"]')
    assert offer.inner_text() == "When the results come back: review"
    offer.click()
    page.locator(REVIEW_GROUP).wait_for(state="visible")
    assert page.is_checked(f"{FORM} [name=visit][value=review]")
    expected = wait_for_plan(page, {**first, "visit": "review"})
    assert expected["plan"]["title"].startswith("Review visit")
    # The values entered stay; the reader is taken to the review's questions.
    assert page.input_value(f"{FORM} [name=total_b12]") == "150"
    assert page.input_value(f"{FORM} [name=age_years]") == "58"
    assert page.is_checked(f"{FORM} [name=causes][value=unknown]")
    assert page.evaluate("document.activeElement.closest('fieldset[data-group=review]') !== null")
    assert "visit=review" in page.url
    # No offer at the review itself, nor at a first visit that sends off neither test.
    assert page.locator(f'{PLAN} button[data-action="review-visit"]').count() == 0
    clear_form(page)
    page.fill(f"{FORM} [name=total_b12]", "150")
    page.check(f"{FORM} [name=causes][value=autoimmune_gastritis]")
    wait_for_plan(page, {"total_b12": 150, "causes": ["autoimmune_gastritis"]})
    assert page.locator(f'{PLAN} button[data-action="review-visit"]').count() == 0


def _rgb(css: str) -> tuple[int, int, int]:
    r, g, b = (int(float(x)) for x in css[css.index("(") + 1:css.index(")")].split(",")[:3])
    return r, g, b


def _hex(css: str) -> tuple[int, int, int]:
    css = css.lstrip("#")
    return int(css[0:2], 16), int(css[2:4], 16), int(css[4:6], 16)
