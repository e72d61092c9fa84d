"""The page checks themselves: each must fire on a page made to break it, and stay quiet on
user data. The pages are served with Linli's own Content-Security-Policy (no script at all), so
this also shows that axe-core, injected through WebDriver, runs under it.
"""
import http.server
import os
import re
import threading

import pytest

from conftest import ROOT
from pagecheck import WEIGHT_LIMIT, check_page

# As in Sources/LinliServer/Application/SecurityHeadersMiddleware.swift, with the stylesheet of
# the weight page allowed from the same origin.
CSP = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"


def linli_csp():
    source = open(os.path.join(ROOT, "Sources/LinliServer/Application/SecurityHeadersMiddleware.swift"), encoding="utf-8").read()
    return re.search(r'contentSecurityPolicy = "([^"]+)"', source).group(1)


# Linli's policy allows no inline style, so the pages that break a check do it from a stylesheet.
TEST_CSS = ".wide{width:600px} .scroller{overflow-x:auto} .low{color:#bbb;background:#fff}"


def page(body, lang="en", title="Page", head='<link rel="stylesheet" href="/test.css">'):
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>{head}</head>'
            f'<body><main><h1>{title}</h1>{body}</main></body></html>')


FORM = '<form method="get" action="/">{}</form>'
PAGES = {
    "/clean": (200, page('<p>Nothing wrong here: see e.g. <a href="https://example.com/a.b">example.com</a>, '
                         'write to help@linli.example, version 1.5, file register.xlsx.</p>')),
    "/test.css": (200, TEST_CSS),
    "/wide": (200, page('<div id="wide" class="wide">a very wide box</div>')),
    "/long-word": (200, page('<p class="note">https://example.com/' + "a" * 200 + "</p>")),
    "/wide-but-scrolls": (200, page('<div class="scroller"><div class="wide">wide inside a scroller</div></div>')),
    "/axe": (200, page('<p class="low">low contrast text</p><button></button>'
                       '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">')),
    "/heavy": (200, page("<p>" + "words " * 1_700 + "</p>", head='<link rel="stylesheet" href="/big.css">')),
    "/big.css": (200, "/* " + "y" * 25_000 + " */ body{margin:0}"),
    "/keys": (200, page("<p>requests.page.queue</p><p>Done.</p>")),
    "/chrome-en": (200, page(
        '<nav><a href="/">首页</a></nav><table><tr><th>房间</th></tr><tr><td>李四</td></tr></table>'
        + FORM.format('<label for="n">姓名</label><input id="n" placeholder="请输入">'
                      '<select aria-label="Category"><option value="food">食品</option></select>'
                      '<button>提交</button><p><strong>Overdue：</strong> 3</p>'))),
    "/user-data-en": (200, page(
        '<nav><a href="/" lang="zh-Hans">中文</a></nav><table><tr><th>Room</th></tr><tr><td>3号楼 101</td></tr></table>'
        + FORM.format('<button>Sign out (<span translate="no">张三</span>)</button>'
                      '<label lang="zh-Hans"><input type="checkbox" name="r" value="12"> 王芳</label>'
                      '<select aria-label="Volunteer"><option value="">Choose</option><option value="7">李四</option></select>'
                      '<button>Assign to 赵六</button>'), title="张三家")),
    "/chrome-zh": (200, page(FORM.format('<button>提交</button>'), lang="zh-Hans", title="诉求")),
    "/boom": (500, page("<p>Internal error</p>", title="Error")),
}


class Handler(http.server.BaseHTTPRequestHandler):
    csp = CSP

    def do_GET(self):
        status, body = PAGES.get(self.path, (404, page("<p>not found</p>")))
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/css" if self.path.endswith(".css") else "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Content-Security-Policy", self.csp if self.path != "/heavy" and not self.path.endswith(".css") else CSP)
        if self.path.endswith(".css"):
            self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site():
    Handler.csp = linli_csp()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def check(site, phone_browser, tmp_path):
    def run(path, **options):
        phone_browser.get(site + path)
        return check_page(phone_browser, "selftest", screenshot_dir=str(tmp_path), **options)
    return run


def kinds(problems):
    return sorted({problem.split(":")[0] for problem in problems})


def test_a_clean_page_passes_and_is_photographed(check, tmp_path):
    details = {}
    assert check("/clean", language="en", details=details) == []
    assert os.path.getsize(details["screenshot"]) > 1000 and details["screenshot"].endswith("selftest-clean.png")


def test_the_viewport_is_a_phone(phone_browser, site):
    phone_browser.get(site + "/clean")
    assert phone_browser.execute_script("return [document.documentElement.clientWidth, window.innerHeight]") == [390, 844]


def test_overflow_names_the_wide_element_but_not_a_scroller(check):
    problems = check("/wide")
    assert kinds(problems) == ["overflow"] and "div#wide" in problems[0], problems
    assert check("/wide-but-scrolls") == []
    problems = check("/long-word")
    assert kinds(problems) == ["overflow"] and "p.note" in problems[0], problems


def test_axe_runs_under_the_csp_and_reports_serious_and_critical(check):
    problems = check("/axe")
    rules = {re.match(r"axe \w+ ([\w-]+)", problem).group(1) for problem in problems}
    assert {"color-contrast", "button-name", "image-alt"} <= rules, problems


def test_weight_counts_a_cached_stylesheet(check):
    for visit in range(2):  # the second time the stylesheet comes from the cache
        details = {}
        problems = check("/heavy", details=details)
        assert kinds(problems) == ["weight"] and "/big.css 24." in problems[0], problems
        assert details["bytes"] > WEIGHT_LIMIT


def test_catalogue_keys_but_not_urls_mail_numbers_or_files(check):
    problems = check("/keys")
    assert problems == ['catalogue key: "requests.page.queue" is shown'], problems


def test_chinese_in_the_english_chrome(check):
    problems = check("/chrome-en", language="en")
    found = "\n".join(problems)
    for text in ["首页", "房间", "姓名", "请输入", "食品", "提交", "Overdue："]:
        assert text in found, (text, problems)
    assert "李四" not in found
    assert kinds(problems) == ["untranslated"]


def test_user_data_in_the_english_chrome_passes(check):
    # 赵六 is the name of the person signed in, passed as user data.
    assert check("/user-data-en", language="en", user_data=["赵六"]) == []
    problems = check("/user-data-en", language="en")
    assert len(problems) == 1 and "赵六" in problems[0], problems


def test_chinese_pages_may_be_chinese_but_must_say_so(check):
    assert check("/chrome-zh", language="zh-Hans") == []
    assert kinds(check("/chrome-zh", language="en")) == ["language"]


def test_server_error(check):
    assert any(problem.startswith("server error: HTTP 500") for problem in check("/boom"))
