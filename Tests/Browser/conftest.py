"""Shared fixtures of the browser tests: one `linli serve --demo` for the whole run, its demo
logins, and headless Chromium drivers (desktop-sized, and phone-sized at 390 x 844 CSS px).

Run: LINLI_BIN=.build/debug/linli python3 -m pytest -q -p no:cacheprovider Tests/Browser
Needs Debian's chromium and chromium-driver, and Selenium, pytest and axe-selenium-python from
PyPI (.ci/run installs them).
"""
import ctypes
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LINLI = os.path.abspath(os.environ.get("LINLI_BIN", os.path.join(ROOT, ".build", "debug", "linli")))
PASSWORD = "linli-demo"
SCREENSHOTS = os.path.abspath(os.environ.get("LINLI_SCREENSHOTS") or os.path.join(ROOT, ".build", "browser-screenshots"))
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
START_TIMEOUT = 60      # seconds for `linli serve --demo` to seed and answer /health
PAGE_TIMEOUT = 30       # seconds for one page to load
SCRIPT_TIMEOUT = 30     # seconds for one script (axe) to finish


@dataclass(frozen=True)
class Login:
    phone: str
    name: str
    role: str
    place: int


@dataclass(frozen=True)
class HouseholdCode:
    household: int
    code: str


@dataclass
class DemoServer:
    base: str
    logins: list
    households: list
    log_path: str
    process: subprocess.Popen = field(repr=False)

    def logins_for(self, role):
        return [login for login in self.logins if login.role == role]

    def roles(self):
        """Every distinct role the demo printed, in the order printed."""
        return list(dict.fromkeys(login.role for login in self.logins))

    def log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as log:
            return log.read()


LOGIN_LINE = re.compile(r"^\s+(\S+)\s+(\S+)\s+(\w+) @ place (\d+)$", re.MULTILINE)
CODE_LINE = re.compile(r"^\s+household (\d+)\s+code (\S+)$", re.MULTILINE)


def parse_logins(text):
    """The demo logins `linli serve --demo` prints on stderr:
    `  <phone>  <name>  <role> @ place <id>` and `  household <id>  code <code>`."""
    logins = [Login(phone, name, role, int(place)) for phone, name, role, place in LOGIN_LINE.findall(text)]
    households = [HouseholdCode(int(household), code) for household, code in CODE_LINE.findall(text)]
    return logins, households


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent():
    """Linux: the server gets SIGTERM if the test process dies, however it dies."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


SESSION_STARTED = time.time()


def pytest_sessionstart(session):
    """A SIGTERM (a CI time limit, a kill) ends the run like Ctrl-C, so fixtures still tear down."""
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        def interrupt(signum, frame):
            raise KeyboardInterrupt(f"signal {signum}")
        signal.signal(signal.SIGTERM, interrupt)


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def demo():
    """A `linli serve --demo` on a free port and a fresh database, killed at the end of the run
    whatever happened."""
    if not os.access(LINLI, os.X_OK):
        pytest.fail(f"no linli binary at {LINLI}: build it (swift build --product linli) or set LINLI_BIN")
    workdir = tempfile.mkdtemp(prefix="linli-browser-")
    port = free_port()
    log_path = os.path.join(workdir, "serve.err")
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [LINLI, "serve", "--demo", "--port", str(port), "--database", os.path.join(workdir, "demo.sqlite"), "--log-level", "warning"],
            stdout=subprocess.DEVNULL, stderr=log, cwd=workdir,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                urllib.request.urlopen(base + "/health", timeout=1).close()
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"linli serve --demo exited with {process.returncode}:\n{open(log_path).read()}")
                if time.monotonic() > deadline:
                    pytest.fail(f"linli serve --demo did not answer /health within {START_TIMEOUT} s:\n{open(log_path).read()}")
                time.sleep(0.2)
        # The logins are printed before the server listens; read them once it answers.
        logins, households = parse_logins(open(log_path, encoding="utf-8").read())
        if not logins:
            pytest.fail(f"linli serve --demo printed no demo logins:\n{open(log_path).read()}")
        yield DemoServer(base, logins, households, log_path, process)
    finally:
        stop(process)
        shutil.rmtree(workdir, ignore_errors=True)


def make_driver(language="zh-CN", phone=False):
    """Headless Chromium. With phone=True the viewport is really 390 x 844 CSS px (a mobile
    device emulated through CDP, so the page's `width=device-width` applies)."""
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--lang={language}", "--hide-scrollbars"]:
        options.add_argument(argument)
    if phone:
        options.add_argument(f"--window-size={PHONE['width']},{PHONE['height']}")
    options.add_experimental_option("prefs", {"intl.accept_languages": f"{language},{language.split('-')[0]}"})
    if os.path.exists("/usr/bin/chromium"):
        options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.set_page_load_timeout(PAGE_TIMEOUT)
        driver.set_script_timeout(SCRIPT_TIMEOUT)
        if phone:
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", dict(PHONE))
    except Exception:
        driver.quit()
        raise
    return driver


def api(base, path, token=None, body=None, headers=None):
    """One JSON API call: POST when there is a body, GET otherwise."""
    request = urllib.request.Request(base + path, data=json.dumps(body).encode() if body is not None else None,
                                     method="POST" if body is not None else "GET")
    request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def require_chinese_font():
    """Without a Chinese font every character is a box of the wrong width: the widths measured
    and the screenshots would not be what a phone shows."""
    try:
        fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        fonts = ""
    if not fonts.strip():
        pytest.fail("no Chinese font is installed (fc-list :lang=zh is empty): apt-get install fonts-noto-cjk")


@pytest.fixture(scope="module")
def browser():
    """A desktop-sized headless Chromium that asks for Chinese."""
    driver = make_driver()
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def phone_browser(phone_browsers):
    """A headless Chromium with a 390 x 844 CSS px phone viewport."""
    return phone_browsers()


@pytest.fixture(scope="module")
def phone_browsers():
    """Makes phone-sized browsers (one per thread that walks pages); all are quit at the end."""
    require_chinese_font()
    drivers, lock = [], threading.Lock()

    def new():
        driver = make_driver(phone=True)
        with lock:
            drivers.append(driver)
        return driver

    yield new
    for driver in drivers:
        try:
            driver.quit()
        except Exception:
            pass


def wait_until(driver, condition, seconds, message):
    """WebDriverWait that fails with a message saying what did not happen, and where.

    A condition that reads an element while the page it came from is being replaced (a form just
    sent) finds it stale: that is asked again, as a missing element is, not taken as a failure.
    Anything else that goes wrong is named in the message."""
    try:
        return WebDriverWait(driver, seconds, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)).until(condition)
    except TimeoutException:
        alerts = [element.text for element in driver.find_elements(By.CSS_SELECTOR, "[role=alert]")]
        raise AssertionError(f"{message} within {seconds} s (at {driver.current_url}; alerts: {alerts})") from None
    except Exception as error:
        raise AssertionError(f"{message}: {type(error).__name__} while waiting (at {driver.current_url})") from error


def set_language(driver, base, language):
    """Chooses the page language as a person would: the language link, which sets a cookie."""
    driver.get(f"{base}/language/{language}?next=/")


def sign_out(driver, base):
    """Forgets every cookie of the site (session and language)."""
    driver.get(base + "/health")
    driver.delete_all_cookies()


def sign_in(driver, base, login):
    """Signs in through the login form."""
    driver.get(base + "/login")
    driver.find_element(By.ID, "phone").send_keys(login.phone)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.ID, "login-submit").click()
    # The click returns before the redirect has loaded; wait for the page that follows the login.
    wait_until(driver, lambda d: "/login" not in d.current_url and d.execute_script("return document.readyState") == "complete",
               15, f"still on the login page as {login.role} {login.phone}")


def sign_in_household(driver, base, household):
    """Signs in as a resident through the household code form at /code."""
    driver.get(base + "/code")
    driver.find_element(By.ID, "household_id").send_keys(str(household.household))
    driver.find_element(By.ID, "code").send_keys(household.code)
    driver.find_element(By.CSS_SELECTOR, "form[action='/code'] [type=submit]").click()
    wait_until(driver, lambda d: "/code" not in d.current_url and d.execute_script("return document.readyState") == "complete",
               15, f"still on the household code page for household {household.household}")


def pytest_terminal_summary(terminalreporter):
    """Says where the screenshots are, so a CI log shows it whether the run passed or not."""
    index = os.path.join(SCREENSHOTS, "index.md")
    if os.path.exists(index) and os.path.getmtime(index) >= SESSION_STARTED:
        terminalreporter.write_line(f"browser screenshots and their index: {index}")
