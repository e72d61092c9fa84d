"""The walk through a request, in a real browser at phone size (390 x 844), in Chinese and in
English: a resident opens their household with its code, files a request (a refused form keeps
what was typed), sees that cancelling asks first; the building leader accepts it with a note,
starts and finishes it; the resident confirms it done; the committee finds it in its lists and
finds the overdue ones from the board.

Run: LINLI_BIN=.build/debug/linli python3 -m pytest Tests/Browser
"""
import os
import re
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LINLI = os.path.abspath(os.environ.get("LINLI_BIN", os.path.join(ROOT, ".build", "debug", "linli")))
PASSWORD = "linli-demo"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def walk_server():
    workdir = tempfile.mkdtemp(prefix="linli-walk-")
    port = free_port()
    log = open(os.path.join(workdir, "serve.err"), "w+")
    process = subprocess.Popen(
        [LINLI, "serve", "--demo", "--port", str(port), "--database", os.path.join(workdir, "demo.sqlite"), "--log-level", "warning"],
        stdout=subprocess.DEVNULL, stderr=log, cwd=workdir)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/health", timeout=1)
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError("linli serve exited: " + open(log.name).read())
                time.sleep(0.2)
        else:
            raise RuntimeError("linli serve did not start: " + open(log.name).read())
        text = open(log.name).read()
        logins = {}
        for phone, role, place in re.findall(r"^\s+(\S+)\s+\S+\s+(\w+) @ place (\d+)$", text, re.MULTILINE):
            # The first of each role: the first building leader's building holds the households with codes.
            logins.setdefault(role, (phone, int(place)))
        households = re.findall(r"^\s+household (\d+)\s+code (\S+)$", text, re.MULTILINE)
        assert len(households) >= 2, "the demo prints two household codes"
        yield base, logins, households
    finally:
        process.terminate()
        process.wait(timeout=20)


def phone_driver():
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--hide-scrollbars"]:
        options.add_argument(argument)
    if os.path.exists("/usr/bin/chromium"):
        options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    return driver


def fits(driver, step):
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= 390, f"{step}: the page is {width} px wide at 390 px ({driver.current_url})"


def gone(element):
    """Whether the page that held `element` has been replaced. Chromium says so with a stale
    element, or, mid-navigation, with "Node ... does not belong to the document"."""
    try:
        element.is_enabled()
        return False
    except (StaleElementReferenceException, WebDriverException):
        return True


def click(driver, selector):
    """Clicks a link or button and waits for the page it leads to: a click returns before the
    browser has loaded what a form sends back."""
    for attempt in range(3):
        try:
            old = driver.find_element(By.TAG_NAME, "html")
            driver.find_element(By.CSS_SELECTOR, selector).click()
            break
        except (StaleElementReferenceException, WebDriverException):
            # The page was still being replaced by the last one's answer: find it again.
            if attempt == 2:
                raise
            time.sleep(0.3)
    WebDriverWait(driver, 30).until(lambda _: gone(old))
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")


def action(driver, name):
    click(driver, f"button[name=action][value={name}]")


def status_text(driver):
    return driver.find_element(By.ID, "request-status").text


def sign_in(driver, base, phone, language):
    driver.get(f"{base}/language/{language}?next=/login")
    driver.find_element(By.ID, "phone").send_keys(phone)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    click(driver, "#login-submit")


WORDS = {
    "zh-Hans": {"description": "需要降压药（硝苯地平控释片），家里只剩两天的量", "note": "下午去社区卫生服务中心配药", "new": "待接单", "done": "已办结",
                "confirmed": "居民确认已办好", "accepted_note": "下午去社区卫生服务中心配药"},
    "en": {"description": "Blood-pressure tablets (nifedipine), two days left", "note": "Going to the health centre this afternoon", "new": "New", "done": "Done",
           "confirmed": "Confirmed done by the household", "accepted_note": "Going to the health centre this afternoon"},
}


@pytest.mark.parametrize("language,index", [("zh-Hans", 0), ("en", 1)])
def test_walk(walk_server, language, index):
    base, logins, households = walk_server
    words = WORDS[language]
    household, code = households[index]
    resident, leader, staff = phone_driver(), phone_driver(), phone_driver()
    try:
        # The resident opens the household with its code, in their language.
        resident.get(f"{base}/language/{language}?next=/code")
        resident.find_element(By.ID, "household_id").send_keys(household)
        resident.find_element(By.ID, "code").send_keys(code)
        click(resident, "#code-submit")
        assert resident.current_url.endswith("/my-household")
        fits(resident, "my household")

        # A form sent without a category comes back with the error beside it and the text kept.
        click(resident, "#new-request")
        resident.find_element(By.ID, "description").send_keys(words["description"])
        click(resident, "#file-submit")
        assert resident.find_element(By.ID, "error-summary").is_displayed()
        assert resident.find_element(By.ID, "description").get_attribute("value") == words["description"], "a refused form keeps what was typed"
        fits(resident, "refused form")
        # File it under the first category this household has no open request of.
        for option in [o.get_attribute("value") for o in resident.find_elements(By.CSS_SELECTOR, "#category option") if o.get_attribute("value")]:
            Select(resident.find_element(By.ID, "category")).select_by_value(option)
            click(resident, "#file-submit")
            if "/requests/" in resident.current_url and "notice=filed" in resident.current_url:
                break
            assert resident.find_element(By.ID, "duplicate").is_displayed(), "a refusal other than a duplicate"
            assert resident.find_element(By.ID, "description").get_attribute("value") == words["description"]
        else:
            pytest.fail("every category was refused")
        request_path = resident.current_url.split("?")[0].replace(base, "")
        assert resident.find_element(By.ID, "banner").is_displayed()
        assert status_text(resident) == words["new"]
        fits(resident, "filed")

        # Cancel asks first; saying no changes nothing.
        action(resident, "cancel")
        assert resident.find_element(By.ID, "confirm-question").is_displayed()
        fits(resident, "cancel confirmation")
        click(resident, "#confirm-no")
        assert status_text(resident) == words["new"], "declining the confirmation leaves the request open"

        # The building leader accepts it with a note, starts it and finishes it.
        sign_in(leader, base, logins["building_leader"][0], language)
        leader.get(base + request_path)
        assert leader.find_element(By.ID, "request-address").text
        leader.find_element(By.ID, "note").send_keys(words["note"])
        action(leader, "accept")
        assert "notice=accept" in leader.current_url
        assert words["accepted_note"] in leader.find_element(By.ID, "request-history").text, "the note typed beside 接单 is kept"
        action(leader, "start")
        action(leader, "done")
        assert status_text(leader) == words["done"]
        fits(leader, "leader's request page")

        # The resident confirms it done.
        resident.get(base + request_path)
        action(resident, "confirm")
        assert "notice=confirm" in resident.current_url
        assert words["confirmed"] in resident.find_element(By.ID, "request-history").text
        fits(resident, "confirmed")

        # The committee finds it among the done, and the overdue ones from the board.
        sign_in(staff, base, logins["committee_staff"][0], language)
        staff.get(base + "/requests?status=done")
        assert staff.find_elements(By.CSS_SELECTOR, f"#request-list a[href='{request_path}']"), "the committee's list has the request"
        staff.get(base + "/board")
        overdue = int(staff.find_element(By.ID, "overdue").text)
        assert overdue > 0, "the demo's escalated requests are late"
        click(staff, "#board-overdue a")
        assert "overdue=1" in staff.current_url
        cards = staff.find_elements(By.CSS_SELECTOR, "#request-list li")
        assert len(cards) == min(overdue, 30), "the board's overdue count and its list agree"
        assert staff.find_elements(By.CSS_SELECTOR, "#request-list .tag-overdue"), "late requests say so"
        fits(staff, "overdue list")
    finally:
        for driver in (resident, leader, staff):
            driver.quit()
