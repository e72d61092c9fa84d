"""The group-buy pages on a phone (390 x 844), in Chinese and in English, as the people who use
them: a household orders from the open buy with its code; the group-buy leader sees the open
buy with its paste and upload forms and the lines to fix; committee staff read last week's
settled buy, its supplier sheet and slips; the building leader reads their building's
distribution sheet. Every page is checked with `pagecheck.check_page` (overflow at 390 px,
axe-core, weight, catalogue keys, untranslated chrome) and kept as a screenshot.

Run: LINLI_BIN=.build/debug/linli python3 -m pytest -q -p no:cacheprovider Tests/Browser/test_group_buy.py
"""
from selenium.webdriver.common.by import By

from conftest import PASSWORD, api, set_language, sign_in, sign_in_household, sign_out, wait_until
from pagecheck import check_page


def token(demo, login):
    return api(demo.base, "/api/v1/auth/token", body={"phone": login.phone, "password": PASSWORD})["token"]


def demo_buys(demo):
    staff = demo.logins_for("committee_staff")[0]
    lead = demo.logins_for("group_buy_leader")[0]
    buys = api(demo.base, f"/api/v1/group-buys?place={lead.place}", token(demo, staff))["buys"]
    settled = [buy["id"] for buy in buys if buy["state"] == "settled"]
    open_ = [buy["id"] for buy in buys if buy["state"] == "open"]
    assert settled and open_, f"the demo has no settled and open buy: {buys}"
    return settled[0], open_[0]


def test_group_buy_pages_on_a_phone(demo, phone_browser):
    driver = phone_browser
    settled, open_ = demo_buys(demo)
    problems = []

    # A household orders two bags of rice with its code, in each language.
    household = demo.households[0]
    for language in ("zh-Hans", "en"):
        sign_out(driver, demo.base)
        set_language(driver, demo.base, language)
        sign_in_household(driver, demo.base, household)
        driver.get(demo.base + "/group-buys")
        assert driver.find_elements(By.CSS_SELECTOR, f"#group-buys a[href='/group-buys/{open_}']"), "the household does not see the open buy"
        problems += check_page(driver, f"group-buys-household-{language}", language=language)
        driver.get(f"{demo.base}/group-buys/{open_}")
        field = driver.find_element(By.CSS_SELECTOR, "#group-buy-order input[name='quantity[]']")
        field.clear()
        field.send_keys("两")
        driver.find_element(By.CSS_SELECTOR, "#group-buy-order [type=submit]").click()
        wait_until(driver, lambda d: d.find_elements(By.ID, "group-buy-mine"), 15, "the order was not saved")
        problems += check_page(driver, f"group-buy-household-{language}", language=language)

    # The leader's open buy: forms to paste and upload, the lines to fix.
    lead = demo.logins_for("group_buy_leader")[0]
    for language in ("zh-Hans", "en"):
        sign_out(driver, demo.base)
        set_language(driver, demo.base, language)
        sign_in(driver, demo.base, lead)
        driver.get(f"{demo.base}/group-buys/{open_}")
        assert driver.find_elements(By.ID, "group-buy-paste") and driver.find_elements(By.ID, "group-buy-to-fix")
        problems += check_page(driver, f"group-buy-leader-{language}", language=language, user_data=[lead.name])
        # Opening a new buy: a price that is not money comes back as typed, with the row named.
        driver.get(f"{demo.base}/group-buys/new")
        problems += check_page(driver, f"group-buy-new-{language}", language=language, user_data=[lead.name])
        driver.find_element(By.ID, "title").send_keys("水果团购")
        driver.find_element(By.ID, "name-0").send_keys("苹果")
        driver.find_element(By.ID, "unit-0").send_keys("箱")
        driver.find_element(By.ID, "price-0").send_keys("三十块")
        driver.find_element(By.CSS_SELECTOR, "#group-buy-new [type=submit]").click()
        wait_until(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".error-summary"), 15, "a bad price was not refused")
        assert driver.find_element(By.ID, "price-0").get_attribute("value") == "三十块"

    # Committee staff: the settled buy and its papers.
    staff = demo.logins_for("committee_staff")[0]
    for language in ("zh-Hans", "en"):
        sign_out(driver, demo.base)
        set_language(driver, demo.base, language)
        sign_in(driver, demo.base, staff)
        driver.get(demo.base + "/group-buys")
        problems += check_page(driver, f"group-buys-staff-{language}", language=language, user_data=[staff.name])
        driver.get(demo.base + "/suppliers")
        assert driver.find_elements(By.ID, "supplier-add")
        problems += check_page(driver, f"suppliers-staff-{language}", language=language, user_data=[staff.name])
        for page in ("", "/supplier-sheet", "/slips"):
            driver.get(f"{demo.base}/group-buys/{settled}{page}")
            problems += check_page(driver, f"group-buy-staff{page.replace('/', '-')}-{language}", language=language, user_data=[staff.name])

    # The building leader's distribution sheet of the settled buy.
    leader = demo.logins_for("building_leader")[0]
    for language in ("zh-Hans", "en"):
        sign_out(driver, demo.base)
        set_language(driver, demo.base, language)
        sign_in(driver, demo.base, leader)
        driver.get(f"{demo.base}/group-buys/{settled}/buildings/{leader.place}")
        assert driver.find_elements(By.ID, "group-buy-building-sheet")
        problems += check_page(driver, f"group-buy-building-{language}", language=language, user_data=[leader.name])
    sign_out(driver, demo.base)
    set_language(driver, demo.base, "zh-Hans")
    assert not problems, "\n".join(problems)
