"""The rumour pages on a phone (390 x 844), in Chinese and in English, as the people who use
them: a building leader reports what they saw from the board (a refused report comes back as
typed) and follows it; the information officer verifies and drafts a correction; committee staff
approve it and are asked before publishing; anyone reads the published correction without
logging in. Every page is checked with `pagecheck.check_page` and kept as a screenshot.

Run: LINLI_BIN=.build/debug/linli python3 -m pytest -q -p no:cacheprovider Tests/Browser/test_rumours.py
"""
from selenium.webdriver.common.by import By

from conftest import PASSWORD, api, set_language, sign_in, sign_out, wait_until
from pagecheck import check_page


def token(demo, login):
    return api(demo.base, "/api/v1/auth/token", body={"phone": login.phone, "password": PASSWORD})["token"]


def place_names(demo, login, place):
    """The names on the way down to a place, which pages quote inside translated sentences."""
    found = api(demo.base, f"/api/v1/places/{place}", token(demo, login))
    return [crumb["name"] for crumb in found["ancestors"] + [found["place"]]]


def test_rumour_pages_on_a_phone(demo, phone_browser):
    driver = phone_browser
    problems = []
    leader = demo.logins_for("building_leader")[0]
    officer = demo.logins_for("information_officer")[0]
    staff = demo.logins_for("committee_staff")[0]
    names = place_names(demo, staff, officer.place) + place_names(demo, staff, leader.place)

    # The building leader reports from the board: an unreadable link comes back as typed.
    rumour = None
    for language in ("zh-Hans", "en"):
        sign_out(driver, demo.base)
        set_language(driver, demo.base, language)
        sign_in(driver, demo.base, leader)
        driver.get(demo.base + "/rumours")
        assert driver.find_elements(By.ID, "report")
        problems += check_page(driver, f"rumours-board-leader-{language}", language=language, user_data=[leader.name] + names)
        driver.find_element(By.ID, "text").send_keys("紧急通知！明天起小区门口的菜场关门七天，赶紧囤菜")
        driver.find_element(By.ID, "link").send_keys("不是链接")
        driver.find_element(By.CSS_SELECTOR, "#report [type=submit]").click()
        wait_until(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".error-summary"), 15, "a bad link was not refused")
        assert "菜场关门七天" in driver.find_element(By.ID, "text").get_attribute("value")
        driver.find_element(By.ID, "link").clear()
        driver.find_element(By.CSS_SELECTOR, "#report [type=submit]").click()
        wait_until(driver, lambda d: d.find_elements(By.ID, "claim"), 15, "the report did not lead to its rumour")
        rumour = driver.current_url.split("/rumours/")[1].split("?")[0]
        problems += check_page(driver, f"rumour-leader-{language}", language=language, user_data=[leader.name] + names)

    # The officer verifies it false and drafts the correction, in each language on a fresh rumour page.
    for language in ("zh-Hans", "en"):
        sign_out(driver, demo.base)
        set_language(driver, demo.base, language)
        sign_in(driver, demo.base, officer)
        driver.get(f"{demo.base}/rumours/{rumour}")
        problems += check_page(driver, f"rumour-officer-{language}", language=language, user_data=[officer.name] + names)
    officer_token = token(demo, officer)
    api(demo.base, f"/api/v1/rumours/{rumour}/status", officer_token, {"status": "false", "note": "菜场正常营业"})
    api(demo.base, f"/api/v1/rumours/{rumour}/corrections", officer_token, {"facts": "菜场照常营业，保供车辆每天进场。", "source": "花木街道办事处"})

    # Committee staff approve, and are asked before it goes to every group.
    for language in ("zh-Hans", "en"):
        sign_out(driver, demo.base)
        set_language(driver, demo.base, language)
        sign_in(driver, demo.base, staff)
        driver.get(f"{demo.base}/rumours/{rumour}")
        problems += check_page(driver, f"rumour-staff-{language}", language=language, user_data=[staff.name] + names)
    approve = driver.find_elements(By.CSS_SELECTOR, "form[action$='/step'] input[value='approved']")
    assert approve, "staff see no approval"
    approve[0].find_element(By.XPATH, "..").find_element(By.CSS_SELECTOR, "[type=submit]").click()
    wait_until(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "input[value='published']"), 15, "no publish button after approval")
    driver.find_element(By.CSS_SELECTOR, "input[value='published']").find_element(By.XPATH, "..").find_element(By.CSS_SELECTOR, "[type=submit]").click()
    wait_until(driver, lambda d: d.find_elements(By.ID, "confirm-question"), 15, "publishing did not ask first")
    problems += check_page(driver, "correction-publish-question-en", language="en", user_data=[staff.name])
    driver.find_element(By.ID, "confirm-yes").click()
    wait_until(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "a[href^='/corrections/']"), 15, "no public page after publishing")
    public = driver.find_element(By.CSS_SELECTOR, "a[href^='/corrections/']").get_attribute("href")

    # Anyone reads it, without logging in.
    for language in ("zh-Hans", "en"):
        sign_out(driver, demo.base)
        set_language(driver, demo.base, language)
        driver.get(public)
        assert "菜场照常营业" in driver.find_element(By.ID, "correction").text
        problems += check_page(driver, f"correction-public-{language}", language=language)
    set_language(driver, demo.base, "zh-Hans")
    assert not problems, "\n".join(problems)
