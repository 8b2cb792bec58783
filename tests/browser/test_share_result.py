"""Taking the result off the page: the notes text on the clipboard, a link that reopens the same inputs
(URL fragment; reload and back/forward too), the calendar file, and print on at most two A4 pages. The
expected texts come from calc.exports.render_json in CPython: the page never writes clinical text."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import icalendar
import pytest
from conftest import CLIPBOARD, JS_FORM_REQUEST, show_case
from playwright.sync_api import Page

from calc import evaluate
from calc.exports import render_json

FORM = '#b12-calculator [data-b12="form"]'
RESULT = '#b12-calculator [data-b12="result"]'
PLAN = f"{RESULT} [data-plan]"
STATUS = f'{RESULT} [data-b12="action-status"]'

# The UX review's case (b): autoimmune gastritis with neurological symptoms and a start date.
NEURO = {"age_years": 45, "causes": ["autoimmune_gastritis"], "total_b12": 120, "neurological_symptoms": True,
         "start_date": "2026-12-01"}
TYPICAL = {"age_years": 67, "total_b12": 150}
# Every kind of field the link must carry: a unit, a list, a flag, a choice, a date, a number.
LINKED = {"age_years": 52, "causes": ["bariatric_surgery", "metformin"], "total_b12": 200,
          "total_b12_unit": "pmol/L", "pregnant_or_breastfeeding": True, "guidance": "us",
          "route_preference": "im", "start_date": "2026-12-01"}



def exported(request: dict[str, Any], fmt: str) -> dict[str, Any]:
    answer = json.loads(render_json(json.dumps(request), fmt))
    assert "errors" not in answer, answer
    return dict(answer)


@pytest.fixture
def page(returning_tab: Page) -> Page:
    """The test's own tab, in a browser that has opened the calculator before (conftest)."""
    return returning_tab


@pytest.fixture(scope="module")
def clip_page(open_calculator: Any) -> Iterator[Page]:
    context, page = open_calculator(**CLIPBOARD)
    yield page
    context.close()


show = show_case  # put a case in the form; CPython's result for it (conftest)


def plan_of(page: Page) -> tuple[str | None, str]:
    headline = page.locator(f"{PLAN} [data-plan-headline]").inner_text()
    return page.get_attribute(PLAN, "data-plan-regimen-id"), headline


def wait_for_plan(page: Page, request: dict[str, Any]) -> None:
    plan = evaluate(request)["plan"]
    page.wait_for_function(
        "([sel, id]) => document.querySelector(sel)?.dataset.planRegimenId === id",
        arg=[PLAN, plan["regimen_id"] or ""])


# --- copy for the notes ----------------------------------------------------------------------------

@pytest.mark.parametrize("request_", [TYPICAL, NEURO], ids=["typical", "neurological"])
def test_copy_for_the_notes_is_the_engine_notes_text(clip_page: Page, next_answer: Any,
                                                      request_: dict[str, Any]) -> None:
    page = clip_page
    show(page, next_answer, request_)
    page.evaluate("navigator.clipboard.writeText('')")
    page.click(f'{RESULT} button[data-action="copy-text"]')
    page.wait_for_function("sel => /Copied/.test(document.querySelector(sel).textContent)", arg=STATUS)
    copied = page.evaluate("navigator.clipboard.readText()")
    notes = exported(request_, "notes")["text"]
    assert copied == notes
    assert len(copied) <= 1200, len(copied)
    assert "<" not in copied, "plain text, no markup"


# --- the shareable link ------------------------------------------------------------------------------

def test_link_round_trip_reopens_the_same_plan_and_form(clip_page: Page, next_answer: Any,
                                                         make_context: Any, wait_result: Any) -> None:
    page = clip_page
    show(page, next_answer, LINKED)
    page.click(f'{RESULT} button[data-action="copy-link"]')
    page.wait_for_function("sel => /Link copied/.test(document.querySelector(sel).textContent)", arg=STATUS)
    link = page.evaluate("navigator.clipboard.readText()")
    assert "?" not in link, "the values travel in the fragment, never in the query string"
    base, fragment = link.split("#", 1)
    assert base == page.url.split("#", 1)[0]
    assert fragment.startswith("v=") and "total_b12=200" in fragment and "total_b12_unit=pmol/L" in fragment
    assert "contains the entered values" in page.locator(f"{RESULT} .b12-calc__take").inner_text()
    sent = page.evaluate(JS_FORM_REQUEST)

    context, _ = make_context()
    other = context.new_page()
    other.goto(link)
    wait_result(other)
    wait_for_plan(other, LINKED)
    assert plan_of(other) == plan_of(page)
    assert other.evaluate(JS_FORM_REQUEST) == sent == LINKED
    assert other.locator('[data-b12="link-notice"]').count() == 0, "same content version: no notice"


def test_typing_keeps_the_link_current_and_a_reload_restores_it(page: Page, site: str,
                                                                 wait_result: Any) -> None:
    page.goto(site + "calculator/")
    wait_result(page)
    entries = page.evaluate("history.length")
    page.locator(f"{FORM} [name=total_b12]").press_sequentially("150")
    page.locator(f"{FORM} [name=age_years]").press_sequentially("67")
    wait_for_plan(page, TYPICAL)
    page.wait_for_function("/age_years=67/.test(location.hash)")
    assert re.search(r"#v=[\w.]+&", page.url) and "total_b12=150" in page.url
    assert page.evaluate("history.length") == entries, "no history entry per keystroke"
    before = plan_of(page)
    page.reload()
    wait_result(page)
    wait_for_plan(page, TYPICAL)
    assert page.evaluate(JS_FORM_REQUEST) == TYPICAL
    assert plan_of(page) == before


def test_back_and_forward_restore_the_linked_values(page: Page, site: str, wait_result: Any) -> None:
    first = {"total_b12": 150}
    second = {**NEURO}
    page.goto(site + "calculator/#v=x&total_b12=150")
    wait_result(page)
    wait_for_plan(page, first)
    page.goto(site + "calculator/#v=x&age_years=45&causes=autoimmune_gastritis&total_b12=120"
              "&neurological_symptoms=1&start_date=2026-12-01")
    wait_for_plan(page, second)
    assert page.evaluate(JS_FORM_REQUEST) == second
    page.go_back()
    wait_for_plan(page, first)
    assert page.evaluate(JS_FORM_REQUEST) == first
    page.go_forward()
    wait_for_plan(page, second)
    assert page.evaluate(JS_FORM_REQUEST) == second


def test_a_link_from_an_older_content_version_opens_and_says_so(page: Page, site: str,
                                                                wait_result: Any) -> None:
    page.goto(site + "calculator/#v=2000.01.01&total_b12=150&age_years=67")
    wait_result(page)
    wait_for_plan(page, TYPICAL)
    notice = page.locator('[data-b12="link-notice"]')
    assert notice.is_visible()
    current = evaluate(TYPICAL)["calculator"]["content_version"]
    assert "2000.01.01" in notice.inner_text() and current in notice.inner_text()
    assert page.evaluate(JS_FORM_REQUEST) == TYPICAL
    # Editing the values makes it this version's link: the notice goes.
    page.fill(f"{FORM} [name=age_years]", "68")
    page.wait_for_function("!document.querySelector('[data-b12=link-notice]')")
    assert f"v={current}&" in page.url


def test_a_link_naming_an_unknown_regimen_offers_the_plans_regimen(page: Page, site: str,
                                                                    wait_result: Any) -> None:
    page.goto(site + "calculator/#v=2000.01.01&total_b12=150&start_date=2026-12-01"
              "&schedule_regimen_id=retired-regimen")
    error = page.locator(f'{FORM} [data-error-for="schedule_regimen_id"]')
    error.wait_for()
    assert "retired-regimen" in error.inner_text()
    error.get_by_role("button").click()
    request = {"total_b12": 150, "start_date": "2026-12-01"}
    wait_result(page)
    wait_for_plan(page, request)
    assert page.evaluate(JS_FORM_REQUEST) == request
    assert "schedule_regimen_id" not in page.url


@pytest.mark.parametrize("spelling", ["%C2%B5mol/L", "%CE%BCmol/L", "umol/L"])
def test_a_link_with_the_unit_spelt_as_readers_write_it_selects_that_unit(
    page: Page, site: str, wait_result: Any, spelling: str,
) -> None:
    """µ (micro sign) and μ (Greek mu) for u: the spellings calc/units.py accepts ride on the unit's option
    (no alias list in the page); a blank or unknown unit keeps the default."""
    page.goto(site + f"calculator/#v=2000.01.01&total_b12=250&mma=0.5&mma_unit={spelling}")
    wait_result(page)
    assert page.evaluate(JS_FORM_REQUEST) == {"total_b12": 250, "mma": 0.5}  # umol/L is the default
    page.goto("about:blank")
    page.goto(site + "calculator/#v=2000.01.01&total_b12=250&mma=500&mma_unit=nmol/L")
    wait_result(page)
    assert page.evaluate(JS_FORM_REQUEST) == {"total_b12": 250, "mma": 500, "mma_unit": "nmol/L"}
    page.click('#b12-calculator [data-b12="form"] button[type=reset]')
    page.wait_for_function("!location.hash")
    assert page.locator(f"{FORM} [name=mma_unit]").input_value() == "umol/L"


def test_an_ordinary_anchor_is_not_read_as_values(page: Page, site: str, wait_result: Any) -> None:
    page.goto(site + "calculator/#what-it-does")
    wait_result(page)
    assert page.evaluate(JS_FORM_REQUEST) == {}
    assert page.url.endswith("#what-it-does")


# --- calendar -----------------------------------------------------------------------------------------

def test_calendar_download_matches_the_schedule(clip_page: Page, next_answer: Any) -> None:
    page = clip_page
    expected = show(page, next_answer, NEURO)
    with page.expect_download() as download_info:
        page.click(f'{RESULT} button[data-action="download-ics"]')
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    text = Path(download.path()).read_bytes().decode("utf-8")
    engine = exported(NEURO, "ics")["text"]

    def stable(ics: str) -> str:  # DTSTAMP is the moment of writing
        return re.sub(r"DTSTAMP:[^\r\n]*", "DTSTAMP", ics)
    assert stable(text) == stable(engine)
    assert "\r\n" in text, "RFC 5545 line endings survive the download"
    calendar = icalendar.Calendar.from_ical(text)
    starts = sorted(e.decoded("DTSTART") for e in calendar.walk("VEVENT"))
    assert all(isinstance(d, date) for d in starts)
    assert [d.isoformat() for d in starts] == sorted(e["date"] for e in expected["schedule"])


def test_calendar_needs_a_start_date(clip_page: Page, next_answer: Any) -> None:
    page = clip_page
    show(page, next_answer, TYPICAL)
    button = page.locator(f'{RESULT} button[data-action="download-ics"]')
    assert button.is_disabled()
    hint_id = button.get_attribute("aria-describedby")
    assert hint_id and "start date" in page.locator(f"#{hint_id}").inner_text()


# --- print ---------------------------------------------------------------------------------------------

def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def _printing(page: Page) -> None:
    """Count window.print() calls instead of opening the dialog."""
    page.evaluate("() => { window.print = () => { document.body.dataset.testPrinted = "
                  "String(Number(document.body.dataset.testPrinted || 0) + 1); }; }")


@pytest.fixture
def print_page(page: Page, site: str, wait_result: Any) -> Page:
    page.goto(site + "calculator/")
    wait_result(page)
    return page


def test_print_fits_two_a4_pages_with_the_inputs(print_page: Page, next_answer: Any) -> None:
    page = print_page
    expected = show(page, next_answer, NEURO)
    _printing(page)
    page.click(f'{RESULT} button[data-action="print"]')
    assert page.evaluate("document.body.dataset.testPrinted") == "1"
    page.emulate_media(media="print")
    for hidden in (FORM, "#static-bands", ".md-sidebar--primary", f"{RESULT} .b12-calc__take",
                   f'{RESULT} details[data-group="alternative"]'):
        assert not page.locator(hidden).first.is_visible(), hidden
    entered = page.locator(f"{RESULT} .b12-calc__entered")
    assert entered.is_visible()
    # The values as the result words them (calc/vocabulary.py): units, the other unit, the date in words.
    for row in expected["entered"]:
        assert f"{row['label']}\n{row['value']}" in entered.inner_text(), row
    for piece in ("Age", "45 years", "120 ng/L (88.5 pmol/L)", "Neurological symptoms",
                  "Autoimmune gastritis", "1 Dec 2026"):
        assert piece in entered.inner_text(), piece
    assert page.locator(f"{PLAN} table[data-schedule-for]").is_visible()
    assert page.locator(f"{RESULT} .b12-calc__refs").is_visible()
    card = page.locator(f"{RESULT} .b12-calc__card").inner_text()
    assert expected["calculator"]["content_version"] in card and "Printed" in card
    assert expected["disclaimer"] in card
    assert "http" not in card, "no expanded URLs"
    after = page.eval_on_selector(f"{RESULT} a[data-ref]", "a => getComputedStyle(a, '::after').content")
    assert after in ("none", "normal")
    pages = _pdf_pages(page.pdf(format="A4"))
    assert 1 <= pages <= 2, pages


def test_print_for_the_patient(print_page: Page, next_answer: Any) -> None:
    page = print_page
    show(page, next_answer, NEURO)
    _printing(page)
    page.click(f'{RESULT} button[data-action="print-patient"]')
    page.wait_for_function("document.body.dataset.testPrinted === '1'")
    page.emulate_media(media="print")
    sheet = page.locator('[data-b12="patient-sheet"]')
    assert sheet.is_visible()
    assert sheet.inner_text().strip() == exported(NEURO, "patient")["text"].strip()
    assert not page.locator(f"{RESULT} .b12-calc__card").is_visible()
    assert 1 <= _pdf_pages(page.pdf(format="A4")) <= 2
