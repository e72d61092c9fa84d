"""A real browser against a real `linli serve --demo`: a building leader logs in, opens a
household of their building, and is refused a household of another building.

Run: LINLI_BIN=.build/debug/linli python3 -m pytest Tests/Browser
Needs Debian's chromium and chromium-driver and Selenium from PyPI (.ci/run installs them).
"""
import json
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
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LINLI = os.path.abspath(os.environ.get("LINLI_BIN", os.path.join(ROOT, ".build", "debug", "linli")))
PASSWORD = "linli-demo"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    workdir = tempfile.mkdtemp(prefix="linli-browser-")
    port = free_port()
    log = open(os.path.join(workdir, "serve.err"), "w+")
    process = subprocess.Popen(
        [LINLI, "serve", "--demo", "--port", str(port), "--database", os.path.join(workdir, "demo.sqlite"), "--log-level", "warning"],
        stdout=subprocess.DEVNULL, stderr=log, cwd=workdir)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/health", timeout=1)
            break
        except OSError:
            if process.poll() is not None:
                raise RuntimeError("linli serve exited: " + open(log.name).read())
            time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError("linli serve did not start: " + open(log.name).read())
    leaders = re.findall(r"^\s+(\S+)\s+\S+\s+building_leader @ place (\d+)$", open(log.name).read(), re.MULTILINE)
    assert len(leaders) >= 2, "the demo prints two building leaders"
    yield base, leaders
    process.terminate()
    process.wait(timeout=20)


def api(base, path, token=None, body=None):
    request = urllib.request.Request(base + path, data=json.dumps(body).encode() if body else None, method="POST" if body else "GET")
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN"]:
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    if os.path.exists("/usr/bin/chromium"):
        options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def test_building_leader_sees_own_building_and_is_refused_another(server, browser):
    base, leaders = server
    (phone, own_building), (other_phone, other_building) = leaders[0], leaders[1]
    other_token = api(base, "/api/v1/auth/token", body={"phone": other_phone, "password": PASSWORD})["token"]
    foreign = api(base, "/api/v1/households?limit=1", token=other_token)["households"][0]["id"]

    browser.get(base + "/login")
    browser.find_element(By.ID, "phone").send_keys(phone)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.ID, "login-submit").click()
    # The click returns before the redirect has loaded; wait for the page that follows the login.
    try:
        WebDriverWait(browser, 15).until(lambda driver: "/login" not in driver.current_url)
    except Exception:
        alerts = [element.text for element in browser.find_elements(By.CSS_SELECTOR, "[role=alert]")]
        raise AssertionError(f"still on the login page after 15 s; alerts: {alerts}")

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
