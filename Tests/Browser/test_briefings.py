"""The daily briefing on a phone (390 x 844), in Chinese and in English: anyone reads yesterday's
published briefing with its two charts, drawn on the server, without logging in; committee staff
draft another day, edit it (an empty text is refused on the draft's page), and are asked before publishing.
Every page is checked with `pagecheck.check_page` and kept as a screenshot (the artefact the
briefing's acceptance asks for: `briefing-public-*.png` in the screenshots directory).

Run: LINLI_BIN=.build/debug/linli python3 -m pytest -q -p no:cacheprovider Tests/Browser/test_briefings.py
"""
import datetime
import urllib.request

from selenium.webdriver.common.by import By

from conftest import PASSWORD, api, set_language, sign_in, sign_out, wait_until
from pagecheck import check_page


def token(demo, login):
    return api(demo.base, "/api/v1/auth/token", body={"phone": login.phone, "password": PASSWORD})["token"]


def charts_drawn(driver):
    """The charts as the browser laid them out: each image's size, whether it loaded, and where it ends."""
    return driver.execute_script("""
        return Array.from(document.querySelectorAll('img.briefing-chart')).map(img => {
            const box = img.getBoundingClientRect();
            return {width: box.width, height: box.height, loaded: img.complete && img.naturalWidth > 0, right: box.right, src: img.src};
        });""")


def test_briefing_pages_on_a_phone(demo, phone_browser):
    driver = phone_browser
    problems = []
    staff = demo.logins_for("committee_staff")[0]
    lead = demo.logins_for("compound_lead")[0]
    staff_token = token(demo, staff)
    listed = api(demo.base, f"/api/v1/briefings?place={lead.place}", staff_token)["briefings"]
    published = [b for b in listed if b["state"] == "published"]
    assert published, f"the demo has no published briefing of yesterday: {listed}"
    yesterday = published[0]
    compound = yesterday["place_name"]

    # Anyone follows the robot's link: the page, its lines and its two charts, without logging in.
    for language in ("zh-Hans", "en"):
        sign_out(driver, demo.base)
        set_language(driver, demo.base, language)
        driver.get(demo.base + yesterday["page"])
        lines = driver.find_element(By.ID, "briefing-lines").text
        assert "核酸检测" in lines, lines
        charts = charts_drawn(driver)
        assert len(charts) == 2, charts
        for chart in charts:
            assert chart["loaded"] and chart["width"] > 300 and chart["height"] > 100 and chart["right"] <= 390, f"a chart does not fit the phone: {chart}"
            with urllib.request.urlopen(chart["src"], timeout=10) as response:
                svg = response.read().decode()
            assert response.headers["Content-Type"].startswith("image/svg+xml") and svg.count("<rect") >= 5, svg
        problems += check_page(driver, f"briefing-public-{language}", language=language, user_data=[compound])

    # Committee staff draft the day before yesterday, edit it, and are asked before it goes out.
    day = yesterday["day"]
    for language in ("zh-Hans", "en"):
        sign_out(driver, demo.base)
        set_language(driver, demo.base, language)
        sign_in(driver, demo.base, staff)
        driver.get(f"{demo.base}/briefings?place={lead.place}")
        assert driver.find_elements(By.ID, "draft")
        problems += check_page(driver, f"briefings-staff-{language}", language=language, user_data=[staff.name, compound])
    # A day still to come is refused, keeping the form; then three days before yesterday.
    driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.ID, "day"), "2099-01-01")
    driver.find_element(By.ID, "draft-submit").click()
    wait_until(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".error-summary"), 15, "a day still to come was not refused")
    other_day = (datetime.date.fromisoformat(day) - datetime.timedelta(days=3)).isoformat()
    driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.ID, "day"), other_day)
    driver.find_element(By.ID, "draft-submit").click()
    wait_until(driver, lambda d: d.find_elements(By.ID, "draft-state"), 15, "drafting did not lead to the draft")
    problems += check_page(driver, "briefing-draft-en", language="en", user_data=[staff.name, compound])
    text = driver.find_element(By.ID, "text")
    text.clear()
    text.send_keys("   ")
    driver.find_element(By.ID, "save").click()
    wait_until(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".error-summary"), 15, "an empty text was not refused")
    assert driver.find_elements(By.ID, "draft-state"), "the refused edit left the draft's page"
    text = driver.find_element(By.ID, "text")
    text.clear()
    text.send_keys("当天收到居民诉求 5 件。\n今天下午物资车到 3 号门。")
    driver.find_element(By.ID, "save").click()
    wait_until(driver, lambda d: "物资车" in d.find_element(By.ID, "briefing-lines").text, 15, "the edit was not saved")
    driver.find_element(By.ID, "publish").click()
    wait_until(driver, lambda d: d.find_elements(By.ID, "confirm-question"), 15, "publishing did not ask first")
    problems += check_page(driver, "briefing-publish-question-en", language="en", user_data=[staff.name])
    driver.find_element(By.ID, "confirm-no").click()
    wait_until(driver, lambda d: d.find_elements(By.ID, "draft-state"), 15, "going back did not keep the draft")
    draft_url = driver.current_url.split("?")[0]
    set_language(driver, demo.base, "zh-Hans")
    driver.get(draft_url)
    driver.find_element(By.ID, "publish").click()
    wait_until(driver, lambda d: d.find_elements(By.ID, "confirm-question"), 15, "publishing did not ask first")
    problems += check_page(driver, "briefing-publish-question-zh-Hans", language="zh-Hans", user_data=[staff.name])
    driver.find_element(By.ID, "confirm-yes").click()
    wait_until(driver, lambda d: not d.find_elements(By.ID, "draft-state") and d.find_elements(By.ID, "briefing-lines"), 15, "publishing did not publish")
    assert not driver.find_elements(By.ID, "edit"), "a published briefing is still editable"
    set_language(driver, demo.base, "zh-Hans")
    assert not problems, "\n".join(problems)
