"""The answers library and notices on a phone (390 x 844), in Chinese and in English: anyone,
logged out, searches the library in their own words and reads an answer; a household searches
its own place's answers, reads the notices covering it and confirms one; the building leader
sees which doors of the building have not confirmed. Every page is checked with
`pagecheck.check_page` and kept as a screenshot.

Run: LINLI_BIN=.build/debug/linli python3 -m pytest -q -p no:cacheprovider Tests/Browser/test_answers.py
"""
from selenium.webdriver.common.by import By

from conftest import set_language, sign_in, sign_in_household, sign_out, wait_until
from pagecheck import check_page

QUESTION = "医院拒收急诊病人怎么办"
STORED = "急诊病人被医院拒绝接收怎么办？"


def search(driver, words):
    box = driver.find_element(By.ID, "q")
    box.clear()
    box.send_keys(words)
    driver.find_element(By.CSS_SELECTOR, "#answer-search [type=submit]").click()
    wait_until(driver, lambda d: "q=" in d.current_url and d.find_elements(By.ID, "answers"), 15, "the search did not answer")


def test_answers_and_notices_on_a_phone(demo, phone_browser):
    driver = phone_browser
    problems = []

    # Logged out: the library, a search in one's own words, the answer found first.
    for language in ("zh-Hans", "en"):
        sign_out(driver, demo.base)
        set_language(driver, demo.base, language)
        driver.get(demo.base + "/answers")
        assert driver.find_elements(By.CSS_SELECTOR, "#answers li"), "the library is empty"
        problems += check_page(driver, f"answers-{language}", language=language)
        search(driver, QUESTION)
        first = driver.find_element(By.CSS_SELECTOR, "#answers li a")
        assert first.text == STORED, f"the first answer is {first.text!r}"
        problems += check_page(driver, f"answers-search-{language}", language=language)
        first.click()
        wait_until(driver, lambda d: d.find_elements(By.ID, "answer-body"), 15, "the answer page did not open")
        assert "120" in driver.find_element(By.ID, "answer-body").text
        problems += check_page(driver, f"answer-{language}", language=language)

    # A household: its place's answers, its notices, one confirmed with a tap.
    household = demo.households[0]
    for language in ("zh-Hans", "en"):
        sign_out(driver, demo.base)
        set_language(driver, demo.base, language)
        sign_in_household(driver, demo.base, household)
        driver.get(demo.base + "/answers")
        search(driver, "快递放在哪里")
        problems += check_page(driver, f"answers-household-{language}", language=language)
        driver.get(demo.base + "/notices")
        notices = driver.find_elements(By.CSS_SELECTOR, "#notices li a")
        assert notices, "the household has no notices"
        problems += check_page(driver, f"notices-household-{language}", language=language)
        notices[0].click()
        wait_until(driver, lambda d: d.find_elements(By.ID, "notice-body"), 15, "the notice did not open")
        if driver.find_elements(By.ID, "notice-confirm"):
            driver.find_element(By.CSS_SELECTOR, "#notice-confirm [type=submit]").click()
            wait_until(driver, lambda d: d.find_elements(By.ID, "notice-read"), 15, "the confirmation was not shown")
        assert driver.find_elements(By.ID, "notice-read")
        problems += check_page(driver, f"notice-household-{language}", language=language)

    # The building leader: the notices, and the doors that have not confirmed.
    leader = demo.logins_for("building_leader")[0]
    for language in ("zh-Hans", "en"):
        sign_out(driver, demo.base)
        set_language(driver, demo.base, language)
        sign_in(driver, demo.base, leader)
        driver.get(demo.base + "/notices")
        problems += check_page(driver, f"notices-leader-{language}", language=language, user_data=[leader.name])
        driver.find_element(By.CSS_SELECTOR, "#notices li a").click()
        wait_until(driver, lambda d: d.find_elements(By.ID, "notice-read-count"), 15, "the leader's notice did not open")
        assert driver.find_elements(By.ID, "notice-unread") or driver.find_elements(By.ID, "notice-all-read")
        problems += check_page(driver, f"notice-leader-{language}", language=language, user_data=[leader.name])
    sign_out(driver, demo.base)
    set_language(driver, demo.base, "zh-Hans")
    assert not problems, "\n".join(problems)
