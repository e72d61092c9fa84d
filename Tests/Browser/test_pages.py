"""Every page as every role, on a phone, in both languages.

For each role the demo prints a login for, a resident signed in with a household code, and
someone signed out, in Chinese and in English: sign in through the real forms, then walk the site
breadth-first from `/` along same-origin links, and check every page reached with
`pagecheck.check_page` (overflow at 390 px, axe-core serious or critical, over 30 KB, catalogue
keys shown, Chinese in the English chrome, server errors). All failures are collected and
reported together at the end, one line each: role, language, URL, problem.

A full-page screenshot of every page and an index (`index.md`) with each page's outcome are
written to $LINLI_SCREENSHOTS (default .build/browser-screenshots/).

Run: LINLI_BIN=.build/debug/linli python3 -m pytest -q -p no:cacheprovider Tests/Browser
"""
import glob
import os
import re
import threading
import time
import urllib.parse
from collections import Counter, deque
from concurrent.futures import ThreadPoolExecutor

from selenium.common.exceptions import InvalidSessionIdException, TimeoutException, WebDriverException

from conftest import SCREENSHOTS, HouseholdCode, api, set_language, sign_in, sign_in_household, sign_out
from pagecheck import check_page

LANGUAGES = ("zh-Hans", "en")
PAGES_PER_CRAWL = int(os.environ.get("LINLI_PAGES_PER_ROLE", "40"))
PAGES_PER_ROUTE = 3
WORKERS = max(1, int(os.environ.get("LINLI_BROWSER_WORKERS", "2")))
REQUESTS = [("medicine", "家里老人的降压药只剩两天的量，需要代购硝苯地平缓释片"),
            ("food", "三口之家，蔬菜和鸡蛋吃完了，想参加这周的团购")]
SKIPPED_PATHS = {"/logout", "/metrics", "/openapi.json", "/health", "/ready"}
SKIPPED_PREFIXES = ("/language/", "/api/")
DOWNLOAD_SUFFIXES = (".xlsx", ".csv", ".json")

LINKS_JS = """
return Array.from(document.querySelectorAll('a[href]'), a => ({href: a.href, download: a.hasAttribute('download')}));
"""


def followable(link, origin):
    """A same-origin GET link to a page: not a log-out, language switch, download or operations endpoint."""
    if link["download"]:
        return None
    parts = urllib.parse.urlsplit(link["href"])
    if parts.scheme not in ("http", "https") or parts.netloc != origin:
        return None
    path = parts.path or "/"
    if path in SKIPPED_PATHS or path.startswith(SKIPPED_PREFIXES):
        return None
    if path.rstrip("/").endswith("/download") or "/download/" in path or path.lower().endswith(DOWNLOAD_SUFFIXES):
        return None
    return path + ("?" + parts.query if parts.query else "")


def route(path_and_query):
    """The route a URL belongs to: numbers in the path and in query values stand for any number,
    so `/requests/123` and `/requests/456` are one route."""
    parts = urllib.parse.urlsplit(path_and_query)
    path = re.sub(r"(?<=/)\d+(?=/|$)", "{n}", parts.path)
    query = sorted((name, "{n}" if re.fullmatch(r"\d+", value) else value)
                   for name, value in urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
    return path + ("?" + urllib.parse.urlencode(query, safe="{}") if query else "")


def crawl(driver, base, label, language, user_data, stop=None):
    """Breadth-first from `/`: at most PAGES_PER_CRAWL pages, PAGES_PER_ROUTE of each route.
    Returns [(url, problems, details)]."""
    origin = urllib.parse.urlsplit(base).netloc
    queue = deque(["/"])
    seen = {"/"}
    per_route = Counter({route("/"): 1})
    pages, checked = [], set()
    while queue and len(pages) < PAGES_PER_CRAWL and not (stop and stop.is_set()):
        path = queue.popleft()
        details = {}
        try:
            driver.get(base + path)
            here = followable({"href": driver.current_url, "download": False}, origin)
            if here and here != path:  # a redirect: the page it led to counts as reached
                if here in checked:
                    continue
                if here not in seen:
                    seen.add(here)
                    per_route[route(here)] += 1
            checked.add(here or path)
            problems = check_page(driver, label, language=language, user_data=user_data, screenshot_dir=SCREENSHOTS, details=details)
            links = driver.execute_script(LINKS_JS)
        except TimeoutException as error:
            problems, links = [f"timeout: {(error.msg or 'no answer').strip().splitlines()[0]} (page load limit {driver.timeouts.page_load:.0f} s, "
                               f"script limit {driver.timeouts.script:.0f} s)"], []
        except InvalidSessionIdException:
            raise
        except (WebDriverException, AssertionError) as error:
            problems, links = [f"check failed: {str(error).strip().splitlines()[0]}"], []
        pages.append((base + path, driver.current_url, problems, details))
        for link in links:
            target = followable(link, origin)
            if target is None or target in seen:
                continue
            seen.add(target)
            if per_route[route(target)] >= PAGES_PER_ROUTE:
                continue
            per_route[route(target)] += 1
            queue.append(target)
    return pages


def write_index(rows, seconds, timings):
    lines = ["# Linli pages at 390 × 844, every role, both languages", "",
             f"{len(rows)} pages, {sum(1 for row in rows if not row[4])} passed, "
             f"{sum(1 for row in rows if row[4])} with problems, in {seconds:.0f} s with {WORKERS} browsers. "
             "Checks (Tests/Browser/pagecheck.py): server error, language, overflow at 390 px, axe-core serious/critical, "
             "weight ≤ 30 KB (HTML + stylesheets + scripts), catalogue keys shown, Chinese in the English chrome.", "",
             "| role | language | pages | with problems | seconds |", "|---|---|---|---|---|"]
    for (role, language), walk_seconds in timings.items():
        walked = [row for row in rows if row[0] == role and row[1] == language]
        lines.append(f"| {role} | {language} | {len(walked)} | {sum(1 for row in walked if row[4])} | {walk_seconds:.1f} |")
    lines += ["", "| role | language | page | KB | outcome | screenshot |", "|---|---|---|---|---|---|"]
    for role, language, url, details, problems in rows:
        shot = os.path.basename(details.get("screenshot", "")) if details.get("screenshot") else ""
        size = f"{details['bytes'] / 1024:.1f}" if "bytes" in details else ""
        outcome = "ok" if not problems else "<br>".join(problem.replace("|", "\\|") for problem in problems)
        path = urllib.parse.urlsplit(url)
        lines.append(f"| {role} | {language} | `{path.path}{'?' + path.query if path.query else ''}` | {size} | {outcome} | "
                     + (f"[{shot}]({urllib.parse.quote(shot)})" if shot else "") + " |")
    with open(os.path.join(SCREENSHOTS, "index.md"), "w", encoding="utf-8") as index:
        index.write("\n".join(lines) + "\n")


def file_requests(demo):
    """The demo has no requests: each household with a printed code files one through the API,
    so the request pages, the queue and the board have something to show."""
    filed = []
    for household, (category, description) in zip(demo.households, REQUESTS):
        session = api(demo.base, "/api/v1/household-sessions", body={"household_id": household.household, "code": household.code})
        filed.append(api(demo.base, "/api/v1/requests", token=session["token"], body={"category": category, "description": description},
                         headers={"Idempotency-Key": f"browser-pages-{household.household}"}))
    return filed


def walk(driver, demo, role, who, language, stop=None):
    """Signs in as `who` (a Login, a HouseholdCode or None for signed out) in `language` through
    the real forms, and crawls. Returns [(role, language, url, details, problems)]."""
    label = f"{role}-{language}"
    try:
        sign_out(driver, demo.base)
        set_language(driver, demo.base, language)
        user_data = []
        if isinstance(who, HouseholdCode):
            sign_in_household(driver, demo.base, who)
        elif who is not None:
            sign_in(driver, demo.base, who)
            user_data = [who.name]
        return [(role, language, url, details, problems)
                for _, url, problems, details in crawl(driver, demo.base, label, language, user_data, stop)]
    except InvalidSessionIdException:
        raise
    except (WebDriverException, AssertionError) as error:
        return [(role, language, demo.base + "/", {}, [f"could not sign in and walk: {str(error).strip().splitlines()[0]}"])]


def test_every_page_as_every_role_on_a_phone_in_both_languages(demo, phone_browsers):
    os.makedirs(SCREENSHOTS, exist_ok=True)
    for stale in glob.glob(os.path.join(SCREENSHOTS, "*-zh-Hans-*.png")) + glob.glob(os.path.join(SCREENSHOTS, "*-en-*.png")):
        os.remove(stale)

    # Each role the demo prints once (its first login), a resident, and someone signed out.
    visitors = [(role, demo.logins_for(role)[0]) for role in demo.roles()]
    assert demo.households, "the demo prints household codes for residents"
    visitors += [("resident", demo.households[0]), ("signed-out", None)]
    walks = [(role, who, language) for role, who in visitors for language in LANGUAGES]
    file_requests(demo)

    # A walk waits on the server and the browser more than it computes: WORKERS browsers walk
    # side by side, each its share of the walks, one after the other.
    started = time.monotonic()
    shares = [walks[worker::WORKERS] for worker in range(WORKERS)]

    timings, stop = {}, threading.Event()

    def work(share):
        driver = phone_browsers()
        result = {}
        for role, who, language in share:
            if stop.is_set():
                break
            walk_started = time.monotonic()
            result[(role, language)] = walk(driver, demo, role, who, language, stop)
            timings[(role, language)] = time.monotonic() - walk_started
        return result

    done = {}
    pool = ThreadPoolExecutor(max_workers=WORKERS)
    try:
        for result in pool.map(work, [share for share in shares if share]):
            done.update(result)
    finally:
        # On an interrupt (Ctrl-C, SIGTERM) or an error, the other walks stop after their page.
        stop.set()
        pool.shutdown(wait=True, cancel_futures=True)
    rows = [row for role, _, language in walks for row in done[(role, language)]]
    failures = [(role, language, url, problem) for role, language, url, _, problems in rows for problem in problems]
    seconds = time.monotonic() - started
    write_index(rows, seconds, {(role, language): timings[(role, language)] for role, _, language in walks})
    print(f"\n{len(rows)} pages checked in {seconds:.0f} s with {WORKERS} browsers; screenshots and index.md in {SCREENSHOTS}")

    # Every walk reached more than its first page: a walk that stops at / checks nothing.
    reached = Counter((row[0], row[1]) for row in rows)
    failures += [(role, language, demo.base + "/", f"walk: reached only {reached[(role, language)]} page(s); sign-in or links broken?")
                 for role, _, language in walks if reached[(role, language)] < 2]

    if failures:
        raise AssertionError(failure_report(failures))


def failure_report(failures):
    """A summary by kind of problem and route, then one line per problem: role, language, URL, problem."""
    def local(url):
        parts = urllib.parse.urlsplit(url)
        return parts.path + ("?" + parts.query if parts.query else "")

    groups = {}
    for role, language, url, problem in failures:
        group = groups.setdefault((problem.split(":")[0], route(local(url))), [set(), set(), 0])
        group[0].add(role)
        group[1].add(language)
        group[2] += 1
    summary = [f"  {count:4} × {kind} on {where} ({', '.join(sorted(languages))}; {len(roles)} role(s))"
               for (kind, where), (roles, languages, count) in sorted(groups.items(), key=lambda item: -item[1][2])]
    width = max(len(f"{role} {language}") for role, language, _, _ in failures)
    lines = [f"{f'{role} {language}':<{width}}  {local(url)}  {problem}" for role, language, url, problem in failures]
    return (f"{len(failures)} problem(s) on {len({(r, l, u) for r, l, u, _ in failures})} page(s) "
            f"(screenshots and index: {SCREENSHOTS}/index.md)\nby kind and route:\n" + "\n".join(summary)
            + "\nevery problem:\n" + "\n".join(lines))
