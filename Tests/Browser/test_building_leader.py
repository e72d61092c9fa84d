"""A real browser against a real `linli serve --demo`: a building leader logs in, opens a
household of their building, and is refused a household of another building.

Run: LINLI_BIN=.build/debug/linli python3 -m pytest -q -p no:cacheprovider Tests/Browser
The server and the browser are the shared fixtures of conftest.py.
"""
from selenium.webdriver.common.by import By

from conftest import PASSWORD, api, sign_in


def test_building_leader_sees_own_building_and_is_refused_another(demo, browser):
    base = demo.base
    leaders = demo.logins_for("building_leader")
    assert len(leaders) >= 2, "the demo prints two building leaders"
    own, other = leaders[0], leaders[1]
    other_token = api(base, "/api/v1/auth/token", body={"phone": other.phone, "password": PASSWORD})["token"]
    foreign = api(base, "/api/v1/households?limit=1", token=other_token)["households"][0]["id"]

    sign_in(browser, base, own)

    browser.get(base + "/households")
    links = browser.find_elements(By.CSS_SELECTOR, "table a[href^='/households/']")
    assert links, "the leader's household list is empty"
    links[0].click()
    residents = browser.find_elements(By.CSS_SELECTOR, "#residents tbody tr")
    assert residents, "the household page shows its residents"
    assert browser.find_element(By.ID, "breadcrumbs").text
    assert "****" not in browser.find_element(By.ID, "residents").text, "a building leader sees full phone numbers on the household page"

    browser.get(f"{base}/households/{foreign}")
    assert browser.find_element(By.CSS_SELECTOR, "[role=alert]").text == "找不到该记录"
    assert not browser.find_elements(By.ID, "residents")
