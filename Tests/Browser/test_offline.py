"""Offline in the stairwell, in a real browser at phone size: a building leader opens the walk of
their building, loses the signal, records three households (each listed as waiting, and still
waiting after the page is reloaded from the service worker's copy), gets the signal back, and
the queue drains; the server holds each visit exactly once, also after one is sent a second time.

"No signal" is the server stopped, not Chromium's network emulation: the emulation (chromedriver's
set_network_conditions, CDP Network.emulateNetworkConditions) applies to the page's own target,
and the service worker's fetches run in another target, so the worker kept reaching the server
and answered the reload from the network, not from its copy. With the server stopped, the page,
its fetch and the worker all find nobody there, as on a phone in a stairwell (navigator.onLine
stays true there too: the script cannot rely on it, so it tries and keeps what fails).

Run: LINLI_BIN=.build/debug/linli python3 -m pytest Tests/Browser/test_offline.py
"""
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import LINLI, PASSWORD, START_TIMEOUT, _die_with_parent, api, free_port, make_driver, parse_logins, require_chinese_font, sign_in, stop, wait_until


class Server:
    """A `linli serve --demo` of this test's own that can be stopped and started again on the
    same port and database (the demo is seeded only into an empty database)."""

    def __init__(self):
        self.workdir = tempfile.mkdtemp(prefix="linli-offline-")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.log_path = os.path.join(self.workdir, "serve.err")

    def start(self):
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(
                [LINLI, "serve", "--demo", "--port", str(self.port), "--database", os.path.join(self.workdir, "demo.sqlite"), "--log-level", "warning"],
                stdout=subprocess.DEVNULL, stderr=log, cwd=self.workdir,
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                urllib.request.urlopen(self.base + "/health", timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"linli serve did not start:\n{open(self.log_path).read()}")
                time.sleep(0.2)

    def stop(self):
        stop(self.process)


@pytest.fixture(scope="module")
def server():
    if not os.access(LINLI, os.X_OK):
        pytest.fail(f"no linli binary at {LINLI}")
    server = Server()
    try:
        server.start()
        yield server
    finally:
        if server.process is not None:
            server.stop()
        shutil.rmtree(server.workdir, ignore_errors=True)


QUEUE_READ = """
var done = arguments[arguments.length - 1];
var opening = indexedDB.open('linli-offline', 1);
opening.onerror = function () { done(null); };
opening.onsuccess = function () {
  var db = opening.result;
  var all = db.transaction('queue').objectStore('queue').getAll();
  all.onsuccess = function () { db.close(); done(all.result); };
};
"""

PAGE_CACHED = """
var done = arguments[arguments.length - 1];
caches.open('linli-offline-v1').then(function (cache) { return cache.keys(); })
  .then(function (keys) { done(keys.map(function (request) { return request.url; })); }, function () { done([]); });
"""

REACHES_SERVER = """
var done = arguments[arguments.length - 1];
fetch('/health', {cache: 'no-store'}).then(function () { done(true); }, function () { done(false); });
"""

POST_AGAIN = """
var entry = arguments[0], done = arguments[arguments.length - 1];
fetch(entry.action, {method: 'POST', body: entry.body, credentials: 'same-origin', headers: {'Content-Type': 'application/x-www-form-urlencoded'}})
  .then(function (response) { done([response.status, response.url]); }, function (error) { done([0, String(error)]); });
"""


def queue_count(driver):
    return driver.find_element(By.ID, "offline-queue").get_attribute("data-count")


def test_visits_wait_without_signal_and_are_sent_once(server):
    require_chinese_font()
    logins, _ = parse_logins(open(server.log_path, encoding="utf-8").read())
    leader = next(login for login in logins if login.role == "building_leader")
    committee = next(login for login in logins if login.role == "committee_staff")
    committee_token = api(server.base, "/api/v1/auth/token", body={"phone": committee.phone, "password": PASSWORD})["token"]
    today = datetime.date.today().isoformat()
    campaign = api(server.base, "/api/v1/care/surveys", token=committee_token,
                   body={"place_id": leader.place, "name": "离线测试", "starts_on": today, "ends_on": today})["id"]
    walk = f"{server.base}/care/surveys/{campaign}/buildings/{leader.place}"

    driver = make_driver(phone=True)
    try:
        sign_in(driver, server.base, leader)
        driver.get(walk)
        # The script registers the service worker; once it controls the page, a second load is kept.
        wait_until(driver, lambda d: d.execute_script("return !!(navigator.serviceWorker && navigator.serviceWorker.controller)"), 20,
                   "the service worker never took control of the walk")
        driver.get(walk)
        wait_until(driver, lambda d: walk in d.execute_async_script(PAGE_CACHED), 20, "the service worker did not keep the walk")
        assert queue_count(driver) == "0"

        rows = driver.find_elements(By.CSS_SELECTOR, "li.survey-household")[:3]
        households = [row.get_attribute("id")[1:] for row in rows]
        assert len(households) == 3, "the first page of the walk has fewer than three households"

        # No signal.
        server.stop()
        assert driver.execute_async_script(REACHES_SERVER) is False, "the page still reaches the server"

        statuses = ["visited", "nobody_home", "no_need"]
        for number, (household, status) in enumerate(zip(households, statuses), start=1):
            Select(driver.find_element(By.ID, f"s{household}")).select_by_value(status)
            driver.find_element(By.ID, f"n{household}").send_keys(f"离线记录 {number}")
            driver.find_element(By.CSS_SELECTOR, f"#h{household} button[type=submit]").click()
            wait_until(driver, lambda d: queue_count(d) == str(number), 15, f"visit {number} is not listed as waiting")
        region = driver.find_element(By.ID, "offline-queue")
        assert region.is_displayed()
        assert len(region.find_elements(By.CSS_SELECTOR, "#offline-queue-list li")) == 3
        assert "3" in driver.find_element(By.ID, "offline-queue-title").text
        for household in households:
            tag = driver.find_element(By.CSS_SELECTOR, f"#h{household} [data-status-tag]")
            assert "tag-new" in tag.get_attribute("class"), f"household {household} is not marked as waiting"
        queued = driver.execute_async_script(QUEUE_READ)
        assert [entry["body"].count("idempotency_key=") for entry in queued] == [1, 1, 1]
        assert len({entry["body"].split("idempotency_key=")[1].split("&")[0] for entry in queued}) == 3, "two visits share a key"

        # Reloaded without signal: the service worker's copy, and the queue is still there.
        driver.refresh()
        wait_until(driver, lambda d: d.execute_script("return document.readyState") == "complete" and d.find_elements(By.ID, "walk-summary"), 20,
                   "the walk did not open from the service worker's copy")
        wait_until(driver, lambda d: queue_count(d) == "3", 15, "the queue did not survive the reload")

        # Signal again: a page load sends what waits, in order, and the queue drains.
        server.start()
        driver.refresh()
        wait_until(driver, lambda d: d.find_elements(By.ID, "offline-queue") and queue_count(d) == "0", 30, "the queue did not drain")
        assert not driver.find_element(By.ID, "offline-queue").is_displayed()

        def visits(household):
            return api(server.base, f"/api/v1/care/surveys/{campaign}/visits?household={household}", token=committee_token)["visits"]

        for household, status, number in zip(households, statuses, range(1, 4)):
            stored = visits(household)
            assert [(visit["status"], visit["note"]) for visit in stored] == [(status, f"离线记录 {number}")], f"household {household}: {stored}"

        # The same submission once more (a phone that lost the answer): a success that changes nothing.
        answered, location = driver.execute_async_script(POST_AGAIN, queued[0])
        assert answered == 200 and "notice=care_survey_replayed" in location, (answered, location)
        assert len(visits(households[0])) == 1
        coverage = api(server.base, f"/api/v1/care/surveys/{campaign}", token=committee_token)
        assert coverage["total"]["done"] == 2 and coverage["total"]["nobody_home"] == 1
    finally:
        driver.quit()


def test_survey_pages_pass_the_page_checks(server):
    """The crawl of every page stops at 40 a role, before the walk: the survey's own pages, at
    phone size, in both languages, as the committee (a building with its heaviest page of
    forms) and the building leader."""
    from pagecheck import check_page
    require_chinese_font()
    logins, _ = parse_logins(open(server.log_path, encoding="utf-8").read())
    leader = next(login for login in logins if login.role == "building_leader")
    committee = next(login for login in logins if login.role == "committee_staff")
    token = api(server.base, "/api/v1/auth/token", body={"phone": committee.phone, "password": PASSWORD})["token"]
    demo = api(server.base, "/api/v1/care/surveys", token=token)["campaigns"][-1]["id"]
    visits = api(server.base, f"/api/v1/care/surveys/{demo}/visits", token=token)["visits"]
    paths = [f"/care/surveys/{demo}", f"/care/surveys/{demo}/buildings/{leader.place}", f"/care/surveys/{demo}/buildings/{leader.place}?order=up&page=2",
             f"/care/surveys/{demo}/households/{visits[0]['household_id']}", "/care/surveys/new"]
    problems = []
    driver = make_driver(phone=True)
    try:
        for login in [committee, leader]:
            for language in ["zh-Hans", "en"]:
                driver.delete_all_cookies()
                driver.get(f"{server.base}/language/{language}?next=/")
                sign_in(driver, server.base, login)
                for path in paths:
                    if login is leader and path.endswith("/new"):
                        continue
                    driver.get(server.base + path)
                    problems += [f"{login.role} {language} {path}: {problem}" for problem in check_page(driver, f"survey-{login.role}-{language}", language=language, user_data=[login.name])]
    finally:
        driver.quit()
    assert not problems, "\n".join(problems)


def test_check_ins_wait_without_signal_and_are_ticked_once(server):
    """The helper's "my people today" in the stairwell: a check-in ticked with no signal waits on
    the phone, survives a reload from the service worker's copy, is sent when the server is back,
    and is done once; the same tick sent again changes nothing."""
    require_chinese_font()
    logins, _ = parse_logins(open(server.log_path, encoding="utf-8").read())
    # The demo's first building leader is also a helper, with a person pinned to them.
    leader = next(login for login in logins if login.role == "building_leader")
    token = api(server.base, "/api/v1/auth/token", body={"phone": leader.phone, "password": PASSWORD})["token"]
    mine = f"{server.base}/care/mine"

    driver = make_driver(phone=True)
    try:
        sign_in(driver, server.base, leader)
        driver.get(mine)
        wait_until(driver, lambda d: d.execute_script("return !!(navigator.serviceWorker && navigator.serviceWorker.controller)"), 20,
                   "the service worker never took control of my people today")
        driver.get(mine)
        wait_until(driver, lambda d: mine in d.execute_async_script(PAGE_CACHED), 20, "the service worker did not keep my people today")
        forms = driver.find_elements(By.CSS_SELECTOR, "form[data-offline][action^='/care/checkins/']")
        assert forms, "the helper has no check-in to tick today"
        check_in = forms[0].get_attribute("action").split("/care/checkins/")[1].split("/")[0]

        server.stop()
        assert driver.execute_async_script(REACHES_SERVER) is False, "the page still reaches the server"
        forms[0].find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait_until(driver, lambda d: queue_count(d) == "1", 15, "the tick is not listed as waiting")
        queued = driver.execute_async_script(QUEUE_READ)
        assert len(queued) == 1 and f"/care/checkins/{check_in}/done" in queued[0]["action"] and "idempotency_key=" in queued[0]["body"]

        driver.refresh()
        wait_until(driver, lambda d: d.execute_script("return document.readyState") == "complete" and d.find_elements(By.ID, "offline-queue"), 20,
                   "my people today did not open from the service worker's copy")
        wait_until(driver, lambda d: queue_count(d) == "1", 15, "the queue did not survive the reload")

        server.start()
        driver.refresh()
        wait_until(driver, lambda d: d.find_elements(By.ID, "offline-queue") and queue_count(d) == "0", 30, "the queue did not drain")
        # The page that sent the queue was drawn before it was sent: the next one shows the tick.
        driver.get(mine)
        assert not driver.find_elements(By.CSS_SELECTOR, f"form[action='/care/checkins/{check_in}/done']"), "the check-in is still open after the queue drained"

        # Sent again (a phone that lost the answer): answered, and nothing changes.
        answered, _ = driver.execute_async_script(POST_AGAIN, queued[0])
        assert answered == 200, answered
        again = api(server.base, f"/api/v1/care/checkins/{check_in}/done", token=token, body={})
        assert again["changed"] is False and again["done_at"], again
    finally:
        driver.quit()
