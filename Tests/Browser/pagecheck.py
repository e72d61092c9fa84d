"""Checks one page as a person on a phone meets it. Any browser test can call `check_page` after
each step; `test_pages.py` calls it on every page it reaches.

    problems = check_page(driver, "building_leader-en", language="en", user_data=[login.name])

returns a list of readable problems (empty when the page passes) and saves a full-page
screenshot `<label>-<slug of the URL>.png` in the screenshots directory. The checks:

- server error: the page answered 5xx; a 4xx is reported too (a link that leads to an error);
- language: `<html lang>` is not the language asked for;
- overflow: the page is wider than the viewport (`scrollWidth > clientWidth`), naming the
  outermost elements past the right edge (a table) and the one that reaches furthest;
- axe: an axe-core violation of impact serious or critical (axe-core as axe-selenium-python
  ships it, injected through WebDriver, which the page's Content-Security-Policy does not stop);
- weight: the HTML plus every stylesheet and script it loads, uncompressed, over 30 KB (a
  stylesheet the browser took from its cache is counted too);
- catalogue key: visible text that looks like a catalogue key (`requests.page.queue`), not a URL,
  a mail address, a number or a file name;
- untranslated, on English pages only: Chinese in the page chrome (buttons, labels, table
  headings, legends, navigation, header links, `.tag`, `[role=status]`, placeholders, the
  values of input buttons, and the options of selects that choose among words, not records
  (an option whose value is a number is a record)), and Chinese punctuation straight after an
  English word anywhere ("Overdue："). Text inside an element marked `translate="no"` or
  `lang="zh-Hans"` is user data and never counts, nor do the strings passed in `user_data`.
"""
import base64
import os
import re
import urllib.error
import urllib.parse
import urllib.request

from axe_selenium_python import Axe
from selenium.webdriver.support.ui import WebDriverWait

WEIGHT_LIMIT = 30 * 1024
AXE_IMPACTS = ("serious", "critical")
ASSET_TIMEOUT = 10

# A catalogue key: two or more dot-separated lowercase words (`nav.home`, `requests.page.queue`).
KEY = re.compile(r"(?<![\w@/.:-])[a-z][a-z_]*(?:\.[a-z_]+)+(?![\w@/-]|\.\w)")
FILE_EXTENSIONS = {"xlsx", "csv", "json", "png", "jpg", "pdf", "txt", "md", "html", "sqlite", "com", "cn", "org", "net"}
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")

_axe_source = None
_asset_sizes = {}


def _axe_script():
    global _axe_source
    if _axe_source is None:
        axe = Axe(None)
        with open(axe.script_url, encoding="utf-8") as source:
            _axe_source = source.read()
    return _axe_source


def slug(url):
    """`/requests/12?view=mine` -> `requests-12-view-mine`; `/` -> `home`."""
    parts = urllib.parse.urlsplit(url)
    text = parts.path.strip("/") + ("-" + parts.query if parts.query else "")
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return (text or "home")[:100]


def _wait_loaded(driver, seconds=30):
    try:
        WebDriverWait(driver, seconds).until(lambda d: d.execute_script("return document.readyState") == "complete")
    except Exception:
        raise AssertionError(f"{driver.current_url} did not finish loading within {seconds} s") from None


def _cookie_header(driver):
    return "; ".join(f"{cookie['name']}={cookie['value']}" for cookie in driver.get_cookies())


def _fetch_size(url, cookie):
    """Uncompressed bytes of `url` fetched with the browser's cookies (no Accept-Encoding)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie, "Accept-Encoding": "identity"})
    try:
        with urllib.request.urlopen(request, timeout=ASSET_TIMEOUT) as response:
            return len(response.read())
    except urllib.error.HTTPError as error:
        return len(error.read())


NAVIGATION_JS = """
const entry = performance.getEntriesByType('navigation')[0];
return {
  status: entry ? (entry.responseStatus || 0) : 0,
  htmlBytes: entry ? entry.decodedBodySize : 0,
  contentType: document.contentType,
  lang: document.documentElement.getAttribute('lang') || '',
  title: document.title,
  heading: (document.querySelector('h1') || {}).textContent || '',
};
"""

ASSETS_JS = """
const urls = new Set();
for (const link of document.querySelectorAll('link[rel~="stylesheet"][href]')) urls.add(link.href);
for (const script of document.querySelectorAll('script[src]')) urls.add(script.src);
function imports(sheet) {
  let rules = [];
  try { rules = sheet.cssRules || []; } catch (e) { return; }
  for (const rule of rules) {
    if (rule.styleSheet) { if (rule.styleSheet.href) urls.add(rule.styleSheet.href); imports(rule.styleSheet); }
  }
}
for (const sheet of document.styleSheets) { if (sheet.href) urls.add(sheet.href); imports(sheet); }
const sizes = {};
for (const entry of performance.getEntriesByType('resource')) {
  if (entry.decodedBodySize > 0) sizes[entry.name] = entry.decodedBodySize;
}
return {urls: Array.from(urls), sizes: sizes};
"""

OVERFLOW_JS = """
const root = document.documentElement;
const width = root.clientWidth;
if (root.scrollWidth <= width) return null;
function clipped(element) {
  for (let e = element.parentElement; e && e !== document.body && e !== root; e = e.parentElement) {
    if (getComputedStyle(e).overflowX !== 'visible') return true;
  }
  return false;
}
function describe(element) {
  let text = element.tagName.toLowerCase();
  if (element.id) text += '#' + element.id;
  for (const name of element.classList) text += '.' + name;
  const words = (element.innerText || element.value || '').replace(/\\s+/g, ' ').trim();
  if (words) text += ' "' + (words.length > 40 ? words.slice(0, 40) + '…' : words) + '"';
  return text;
}
const over = [];
for (const element of document.body.querySelectorAll('*')) {
  const box = element.getBoundingClientRect();
  if (box.width === 0 && box.height === 0) continue;
  const right = box.right + window.scrollX;
  if (right > width + 0.5 && !clipped(element)) over.push({element: element, right: right, width: box.width});
}
// The outermost elements past the right edge (a table, not each of its cells), widest first,
// and the element that reaches furthest right (the innermost if several end together).
// Text that does not wrap (a long word, a URL) overflows its box without any element doing so.
if (over.length === 0) {
  for (const element of document.body.querySelectorAll('*')) {
    if (element.scrollWidth > element.clientWidth + 1 && getComputedStyle(element).overflowX === 'visible' && !clipped(element)) {
      const box = element.getBoundingClientRect();
      over.push({element: element, right: box.left + window.scrollX + element.scrollWidth, width: element.scrollWidth});
    }
  }
}
const outermost = over.filter(a => !over.some(b => b !== a && b.element.contains(a.element)))
                      .sort((a, b) => b.width - a.width).slice(0, 3);
let furthest = null;
for (const item of over) {
  if (!furthest || item.right > furthest.right + 0.5 || (Math.abs(item.right - furthest.right) <= 0.5 && furthest.element.contains(item.element))) furthest = item;
}
return {scrollWidth: root.scrollWidth, clientWidth: width,
        widest: outermost.map(item => describe(item.element) + ' (' + Math.round(item.width) + ' px wide)'),
        furthest: furthest ? describe(furthest.element) + ' (right edge at ' + Math.round(furthest.right) + ' px)' : '(none found)'};
"""

VISIBLE_TEXT_JS = """
const texts = [document.body ? document.body.innerText : '', document.title];
for (const element of document.querySelectorAll('[placeholder], [aria-label], input[type=submit][value], input[type=button][value], input[type=reset][value]')) {
  if (element.getClientRects().length === 0) continue;
  for (const name of ['placeholder', 'aria-label', 'value']) {
    if (name === 'value' && element.tagName !== 'INPUT') continue;
    const value = element.getAttribute(name);
    if (value) texts.push(value);
  }
}
return texts;
"""

CHROME_JS = """
const CJK = /[\\u3000-\\u303f\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef]/;
// User data: inside an element marked translate="no" or lang="zh..." (the nearest such attribute decides).
function userData(element) {
  for (let e = element; e && e.nodeType === 1; e = e.parentElement) {
    const translate = e.getAttribute('translate');
    if (translate !== null) { if (translate.toLowerCase() === 'no') return true; break; }
  }
  for (let e = element; e && e.nodeType === 1; e = e.parentElement) {
    const lang = e.getAttribute('lang');
    if (lang !== null) return lang.toLowerCase().startsWith('zh');
  }
  return false;
}
function shown(element) {
  if (element.getClientRects().length === 0) return false;
  const style = getComputedStyle(element);
  return style.visibility !== 'hidden';
}
// The text of an element, less the text inside user data and hidden descendants.
function chromeText(element) {
  if (userData(element)) return '';
  let text = '';
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (parent !== element && (userData(parent) || !shown(parent))) continue;
    text += node.nodeValue;
  }
  return text.replace(/\\s+/g, ' ').trim();
}
function describe(element) {
  let text = element.tagName.toLowerCase();
  if (element.id) text += '#' + element.id;
  for (const name of element.classList) text += '.' + name;
  return text;
}
const found = [];
const seen = new Set();
function add(element, what, text) {
  if (!CJK.test(text)) return;
  const key = describe(element) + what + text;
  if (seen.has(key)) return;
  seen.add(key);
  found.push({element: describe(element) + what, text: text.length > 80 ? text.slice(0, 80) + '…' : text});
}
const selector = 'button, label, th, legend, nav, header a, .tag, [role=status]';
for (const element of document.querySelectorAll(selector)) {
  // Checked once, at the outermost chrome element (a nav holds links, a label a button).
  if (element.parentElement && element.parentElement.closest(selector)) continue;
  if (!shown(element)) continue;
  add(element, '', chromeText(element));
}
for (const element of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
  if (shown(element) && !userData(element)) add(element, ' placeholder', element.getAttribute('placeholder'));
}
for (const element of document.querySelectorAll('input[type=submit][value], input[type=button][value], input[type=reset][value]')) {
  if (shown(element) && !userData(element)) add(element, ' value', element.value);
}
// A select lists either choices of the interface (a category, a status: chrome) or records
// (residents, volunteers, places: user data). An option whose value is a record's number is a record.
for (const select of document.querySelectorAll('select')) {
  if (!shown(select) || userData(select)) continue;
  for (const option of select.options) {
    if (/^\\d+$/.test(option.value) || userData(option)) continue;
    add(select, ' option', option.text.replace(/\\s+/g, ' ').trim());
  }
}
// Chinese punctuation straight after an English word ("Overdue："): a template's Chinese
// punctuation around a translated text. Anywhere on the page, except in user data.
const PUNCTUATION = /[A-Za-z][\\u3001\\u3002\\uff08\\uff09\\uff0c\\uff1a\\uff1b\\uff01\\uff1f]/;
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const parent = node.parentElement;
  if (!parent || !PUNCTUATION.test(node.nodeValue) || userData(parent) || !shown(parent)) continue;
  const text = (parent.innerText || node.nodeValue).replace(/\\s+/g, ' ').trim();
  const key = describe(parent) + text;
  if (seen.has(key)) continue;
  seen.add(key);
  found.push({element: describe(parent) + ' punctuation', text: text.length > 80 ? text.slice(0, 80) + '…' : text, punctuation: true});
}
return found;
"""


def _axe_problems(driver):
    driver.execute_script(_axe_script())
    results = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(results => done({violations: results.violations}), error => done({error: String(error)}));")
    if results is None or "error" in results:
        return [f"axe: axe-core did not run: {results and results.get('error')}"]
    problems = []
    for violation in results["violations"]:
        if violation.get("impact") not in AXE_IMPACTS:
            continue
        targets = [", ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"]) for node in violation["nodes"]]
        shown = "; ".join(targets[:4]) + (f"; … {len(targets) - 4} more" if len(targets) > 4 else "")
        problems.append(f"axe {violation['impact']} {violation['id']}: {violation['help']} ({len(targets)} element(s): {shown})")
    return problems


def _weight(driver, html_bytes):
    """Bytes of the HTML and every stylesheet and script the page loads. A stylesheet the browser
    took from its cache has no size in the Performance API, so it is fetched once to be counted."""
    assets = driver.execute_script(ASSETS_JS)
    cookie = None
    parts = [("HTML", html_bytes)]
    for url in assets["urls"]:
        size = assets["sizes"].get(url) or _asset_sizes.get(url)
        if not size:
            cookie = cookie if cookie is not None else _cookie_header(driver)
            size = _fetch_size(url, cookie)
        _asset_sizes[url] = size
        parts.append((urllib.parse.urlsplit(url).path, size))
    return sum(size for _, size in parts), parts


def _catalogue_keys(texts):
    keys = set()
    for text in texts:
        for match in KEY.finditer(text):
            key = match.group(0)
            segments = key.split(".")
            if segments[-1] in FILE_EXTENSIONS or any(len(segment) < 2 for segment in segments):
                continue  # a file or host name, or an abbreviation such as e.g.
            keys.add(key)
    return sorted(keys)


def _untranslated(driver, user_data):
    problems = []
    for item in driver.execute_script(CHROME_JS):
        text = item["text"]
        for datum in user_data:
            text = text.replace(datum, "")
        if item.get("punctuation") or CJK.search(text):
            problems.append(f"untranslated: <{item['element']}> \"{item['text']}\"")
    return problems


def screenshot(driver, path):
    """A full-page PNG through CDP: the whole document, not only the viewport."""
    metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    clip = {"x": 0, "y": 0, "width": max(1, size["width"]), "height": min(max(1, size["height"]), 16000), "scale": 1}
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "optimizeForSpeed": True, "clip": clip})
    with open(path, "wb") as file:
        file.write(base64.b64decode(shot["data"]))


def check_page(driver, label, language=None, user_data=(), screenshot_dir=None, details=None):
    """Checks the page the driver shows now; returns its problems (empty if it passes).

    label: names the screenshot, `<label>-<slug of the URL>.png` (e.g. `building_leader-en`).
    language: the language the page must be in ("zh-Hans" or "en"); by default the page's own.
    user_data: strings known to be user data (a signed-in person's name), never untranslated.
    screenshot_dir: where the screenshot goes; by default $LINLI_SCREENSHOTS or
        .build/browser-screenshots/. None of the checks depends on it.
    details: a dict that receives what was measured (status, bytes, screenshot path).
    """
    _wait_loaded(driver)
    details = {} if details is None else details
    problems = []
    page = driver.execute_script(NAVIGATION_JS)
    status = page["status"]
    if not status:  # an old Chromium without responseStatus: ask the server the same thing
        request = urllib.request.Request(driver.current_url, headers={"Cookie": _cookie_header(driver)})
        try:
            with urllib.request.urlopen(request, timeout=ASSET_TIMEOUT) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
    details["status"] = status
    if status >= 500:
        problems.append(f"server error: HTTP {status} ({page['title'] or page['heading']})")
    elif status >= 400:
        problems.append(f"client error: HTTP {status} ({page['title'] or page['heading']})")

    if screenshot_dir is None:
        screenshot_dir = os.environ.get("LINLI_SCREENSHOTS") or os.path.join(
            os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), ".build", "browser-screenshots")
    os.makedirs(screenshot_dir, exist_ok=True)
    path = os.path.join(screenshot_dir, f"{label}-{slug(driver.current_url)}.png")
    screenshot(driver, path)
    details["screenshot"] = path

    if "html" not in page["contentType"]:
        problems.append(f"not a page: {page['contentType']}")
        return problems

    if language and page["lang"] != language:
        problems.append(f"language: the page says lang=\"{page['lang']}\", not {language}")

    overflow = driver.execute_script(OVERFLOW_JS)
    if overflow:
        problems.append(f"overflow: the page is {overflow['scrollWidth']} px wide in a {overflow['clientWidth']} px viewport; "
                        f"too wide: {'; '.join(overflow['widest']) or '(none found)'}; furthest right: {overflow['furthest']}")

    problems += _axe_problems(driver)

    html_bytes = page["htmlBytes"] or _fetch_size(driver.current_url, _cookie_header(driver))
    total, parts = _weight(driver, html_bytes)
    details["bytes"] = total
    if total > WEIGHT_LIMIT:
        listed = ", ".join(f"{name} {size / 1024:.1f} KB" for name, size in parts)
        problems.append(f"weight: {total / 1024:.1f} KB, over {WEIGHT_LIMIT // 1024} KB ({listed})")

    for key in _catalogue_keys(driver.execute_script(VISIBLE_TEXT_JS)):
        problems.append(f"catalogue key: \"{key}\" is shown")

    if (page["lang"] or language) == "en":  # a page in the wrong language has said so above
        problems += _untranslated(driver, [datum for datum in user_data if datum])
    return problems
