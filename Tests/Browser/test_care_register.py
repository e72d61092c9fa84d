"""The care register's pages at 390 px in both languages, as a committee worker walks them:
the list, one entry, its edit form, the form refused without a category, adding a resident from
their household and the import page. `test_pages.py` reaches the list from the place pages; the
pages behind it are checked here, each with `check_page`.

Run: LINLI_BIN=.build/debug/linli python3 -m pytest -q -p no:cacheprovider Tests/Browser/test_care_register.py
"""
from selenium.webdriver.common.by import By

from conftest import set_language, sign_in, sign_out, wait_until
from pagecheck import check_page


def test_care_register_pages(demo, phone_browser):
    base = demo.base
    staff = demo.logins_for("committee_staff")[0]
    problems = []
    for language, tag in (("zh-Hans", "zh-Hans"), ("en", "en")):
        sign_out(phone_browser, base)
        set_language(phone_browser, base, language)
        sign_in(phone_browser, base, staff)

        phone_browser.get(base + "/care/register")
        problems += check_page(phone_browser, f"care-{tag}-list", language=tag, user_data=[staff.name])
        entries = [link.get_attribute("href") for link in phone_browser.find_elements(By.CSS_SELECTOR, "#care-register a[href*='/care/register/']")]
        assert entries, "the demo register lists nobody"
        phone_browser.get(entries[0])
        problems += check_page(phone_browser, f"care-{tag}-entry", language=tag, user_data=[staff.name])
        household = phone_browser.find_element(By.CSS_SELECTOR, "#care-entry a[href^='/households/']").get_attribute("href")
        entry = phone_browser.current_url

        # The care plan: the form to add an item, refused without a time (what was typed kept).
        phone_browser.find_element(By.ID, "care-plan-add").click()
        problems += check_page(phone_browser, f"care-{tag}-plan", language=tag, user_data=[staff.name])
        phone_browser.find_element(By.ID, "label").send_keys("午饭")
        phone_browser.find_element(By.ID, "due").clear()
        phone_browser.find_element(By.ID, "care-plan-save").click()
        wait_until(phone_browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".error-summary"), 15, "a care item without a time was not refused")
        assert phone_browser.find_element(By.ID, "label").get_attribute("value") == "午饭"
        refused = check_page(phone_browser, f"care-{tag}-plan-refused", language=tag, user_data=[staff.name])
        problems += [problem for problem in refused if not problem.startswith("client error: HTTP 400")]
        phone_browser.get(entry)

        phone_browser.find_element(By.ID, "care-edit").click()
        problems += check_page(phone_browser, f"care-{tag}-edit", language=tag, user_data=[staff.name])
        # Sent without a category: the error summary and the field's error, the note kept.
        for box in phone_browser.find_elements(By.CSS_SELECTOR, "#categories input[type=checkbox]"):
            if box.is_selected():
                box.click()
        phone_browser.find_element(By.ID, "care-save").click()
        # The click returns before the answer has loaded.
        wait_until(phone_browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".error-summary"), 15, "a form without a category was not refused")
        # A refused form answers 400 on purpose; every other check still applies to it.
        refused = check_page(phone_browser, f"care-{tag}-edit-refused", language=tag, user_data=[staff.name])
        problems += [problem for problem in refused if not problem.startswith("client error: HTTP 400")]

        # A resident of the same household who is not on the register yet, if any.
        phone_browser.get(household)
        adds = [link.get_attribute("href") for link in phone_browser.find_elements(By.CSS_SELECTOR, "#residents a[href*='/care/register/new']")]
        if adds:
            phone_browser.get(adds[0])
            problems += check_page(phone_browser, f"care-{tag}-new", language=tag, user_data=[staff.name])

        phone_browser.get(base + "/care/register/import")
        problems += check_page(phone_browser, f"care-{tag}-import", language=tag, user_data=[staff.name])
        phone_browser.get(base + "/care/register?contact_days=3&risk=critical")
        problems += check_page(phone_browser, f"care-{tag}-filtered", language=tag, user_data=[staff.name])
    assert not problems, "\n".join(problems)
