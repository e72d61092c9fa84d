"""The medicine pages on a phone (390 x 844), in Chinese and in English, as the people who use
them: the committee's lead forms tonight's batch early; the runner opens the run at the hospital,
finds a card by typing its number, records an outcome, and a request's items form keeps a bad
row as typed. Every page is checked with `pagecheck.check_page` (overflow at 390 px, axe-core,
weight, catalogue keys, untranslated chrome) and kept as a screenshot.

Run: LINLI_BIN=.build/debug/linli python3 -m pytest -q -p no:cacheprovider Tests/Browser/test_medicine_run.py
"""
import re

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import PASSWORD, api, set_language, sign_in, sign_out, wait_until
from pagecheck import check_page


def d_path(url):
    return url.split("?")[0].split("#")[0]


def token(demo, login):
    return api(demo.base, "/api/v1/auth/token", body={"phone": login.phone, "password": PASSWORD})["token"]


def test_runner_page_and_items_form_on_a_phone(demo, phone_browser):
    lead = demo.logins_for("compound_lead")[0]
    runner = demo.logins_for("medicine_runner")[0]
    lead_token = token(demo, lead)
    driver = phone_browser
    problems = []

    # The lead forms tonight's collecting batch early (the same-day run leaves before dawn too).
    sign_out(driver, demo.base)
    set_language(driver, demo.base, "zh-Hans")
    sign_in(driver, demo.base, runner)
    driver.get(demo.base + "/medicine")
    runs = sorted({re.search(r"/medicine/batches/(\d+)/run", link.get_attribute("href")).group(1)
                   for link in driver.find_elements(By.CSS_SELECTOR, "a[href$='/run']")})
    assert runs, "the board links to no run"
    collecting = [batch for batch in runs if api(demo.base, f"/api/v1/medicine/batches/{batch}", lead_token)["status"] == "collecting"]
    assert collecting, "the demo has no batch collecting tonight"
    team = api(demo.base, f"/api/v1/medicine/batches/{collecting[0]}", lead_token)["team_id"]
    formed = api(demo.base, f"/api/v1/medicine/teams/{team}/batches", lead_token, body={"kind": "nightly"})
    assert formed["id"] == int(collecting[0]) and formed["status"] == "formed"
    batch = formed["id"]

    for language in ("zh-Hans", "en"):
        set_language(driver, demo.base, language)
        driver.get(f"{demo.base}/medicine/batches/{batch}/run")
        problems += check_page(driver, f"medicine-run-{language}", language=language, user_data=[runner.name])
        # A card's number typed in finds its household; the full number is never shown.
        cards = driver.find_elements(By.CSS_SELECTOR, ".medicine-card")
        assert cards, "tonight's demo batch has a card handed over"
        driver.find_element(By.ID, "number").send_keys("0000 0000")
        driver.find_element(By.CSS_SELECTOR, "#medicine-card-lookup [type=submit]").click()
        wait_until(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".error-summary"), 15, "an unknown card number was not answered")
        problems += check_page(driver, f"medicine-run-unknown-card-{language}", language=language, user_data=[runner.name])
        # One household's page, with the forms.
        driver.get(f"{demo.base}/medicine/batches/{batch}/run")
        driver.find_element(By.CSS_SELECTOR, f".medicine-stop a[href*='/medicine/batches/{batch}/run/']").click()
        wait_until(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "form.medicine-outcome"), 15, "a household's run page has no outcome form")
        problems += check_page(driver, f"medicine-run-stop-{language}", language=language, user_data=[runner.name])

    # Whoever manages the run sends runners and is asked before closing, in both languages.
    sign_out(driver, demo.base)
    for language in ("zh-Hans", "en"):
        set_language(driver, demo.base, language)
        sign_in(driver, demo.base, lead)
        driver.get(f"{demo.base}/medicine/batches/{batch}/run")
        assert driver.find_elements(By.ID, "medicine-runners") and driver.find_elements(By.ID, "medicine-close")
        problems += check_page(driver, f"medicine-run-lead-{language}", language=language, user_data=[lead.name, runner.name])
        driver.find_element(By.CSS_SELECTOR, "#medicine-close [type=submit]").click()
        wait_until(driver, lambda d: d.find_elements(By.ID, "confirm-yes"), 15, "closing did not ask first")
        problems += check_page(driver, f"medicine-close-ask-{language}", language=language, user_data=[lead.name])
        assert api(demo.base, f"/api/v1/medicine/batches/{batch}", lead_token)["status"] == "formed", "asking closed the batch"
        sign_out(driver, demo.base)
    set_language(driver, demo.base, "zh-Hans")
    sign_in(driver, demo.base, runner)

    # An outcome ticked at the hospital; the page comes back on the same household.
    set_language(driver, demo.base, "zh-Hans")
    driver.get(f"{demo.base}/medicine/batches/{batch}/run")
    driver.find_element(By.CSS_SELECTOR, f".medicine-stop a[href*='/medicine/batches/{batch}/run/']").click()
    wait_until(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "form.medicine-outcome"), 15, "a household's run page has no outcome form")
    stop_url = driver.current_url
    form = driver.find_elements(By.CSS_SELECTOR, "form.medicine-outcome")[0]
    item = form.get_attribute("action").rsplit("/", 2)[-2]
    Select(form.find_element(By.NAME, "outcome")).select_by_value("bought")
    form.find_element(By.CSS_SELECTOR, "[type=submit]").click()
    wait_until(driver, lambda d: "notice=medicine_outcome_saved" in d.current_url, 15, "the outcome was not saved")
    assert d_path(driver.current_url) == d_path(stop_url), "the outcome leads back to the same household"
    assert not driver.find_elements(By.CSS_SELECTOR, f"form[action='/medicine/items/{item}/outcome']"), "the item still asks for its outcome"

    # A request's items form on a phone: a bad row comes back as typed.
    medicine_requests = [link.get_attribute("href") for link in driver.find_elements(By.CSS_SELECTOR, ".medicine-stop a[href$='/medicine']")]
    assert medicine_requests
    for language in ("zh-Hans", "en"):
        set_language(driver, demo.base, language)
        driver.get(medicine_requests[0])
        problems += check_page(driver, f"medicine-request-{language}", language=language, user_data=[runner.name])
    sign_out(driver, demo.base)
    set_language(driver, demo.base, "zh-Hans")
    sign_in(driver, demo.base, runner)
    filed = api(demo.base, "/api/v1/requests", lead_token, body={"household_id": demo.households[-1].household, "category": "medicine", "description": "配药：降压药"})
    driver.get(f"{demo.base}/requests/{filed['id']}/medicine")
    driver.find_element(By.ID, "drug-0").send_keys("硝苯地平缓释片")
    driver.find_element(By.ID, "quantity-0").send_keys("2")
    driver.find_element(By.CSS_SELECTOR, "#medicine-items-form [type=submit]").click()
    wait_until(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".error-summary"), 15, "a row without its hospital was not refused")
    assert driver.find_element(By.ID, "drug-0").get_attribute("value") == "硝苯地平缓释片"
    # A refused form answers 400 by design; everything else about the page must pass.
    problems += [problem for problem in check_page(driver, "medicine-request-refused-zh-Hans", language="zh-Hans", user_data=[runner.name, "硝苯地平缓释片"])
                 if not problem.startswith("client error: HTTP 400")]
    driver.find_element(By.ID, "hospital-0").send_keys("仁济医院")
    driver.find_element(By.CSS_SELECTOR, "#medicine-items-form [type=submit]").click()
    wait_until(driver, lambda d: "notice=medicine_items_saved" in d.current_url, 15, "the items were not saved")
    assert "硝苯地平缓释片" in driver.find_element(By.ID, "medicine-items").text
    assert not problems, "\n".join(problems)
