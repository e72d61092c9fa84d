"""The night's per-hospital list and the bag labels printed on A4 by headless Chromium (its print
to PDF), as a committee worker prints them before the run: every household has exactly one label,
no label is split across two pages, and nothing runs off the paper. The PDF's pages are kept as
PNG files beside the screenshots (`medicine-print/`), so a person can look at what was printed.

Run: LINLI_BIN=.build/debug/linli python3 -m pytest -q -p no:cacheprovider Tests/Browser/test_medicine_print.py
Needs poppler-utils (pdftotext, pdfinfo, pdftoppm), which .ci/run installs.
"""
import base64
import os
import re
import subprocess

from selenium.webdriver.common.by import By
from selenium.webdriver.common.print_page_options import PrintOptions

from conftest import SCREENSHOTS, set_language, sign_in, sign_out

A4_POINTS = (595, 842)


def print_pdf(driver, path):
    options = PrintOptions()
    options.page_width = 21.0
    options.page_height = 29.7
    options.margin_top = options.margin_bottom = options.margin_left = options.margin_right = 1.0
    options.background = True
    options.shrink_to_fit = False
    with open(path, "wb") as pdf:
        pdf.write(base64.b64decode(driver.print_page(options)))
    info = subprocess.run(["pdfinfo", path], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.MULTILINE)
    assert size and abs(float(size.group(1)) - A4_POINTS[0]) < 2 and abs(float(size.group(2)) - A4_POINTS[1]) < 2, f"{path} is not A4: {info}"
    return pages


def page_texts(path, pages):
    return [subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), path, "-"], check=True, capture_output=True, text=True).stdout
            for page in range(1, pages + 1)]


def keep_pngs(path, prefix):
    subprocess.run(["pdftoppm", "-png", "-r", "60", path, prefix], check=True)


PRINTABLE_PX = round((21.0 - 2.0) / 2.54 * 96)   # A4 less the 1 cm margins, in CSS px


def overflowing(driver):
    """Elements whose right edge passes the printable width, laid out as print lays them out:
    print media, on a viewport as wide as the paper less its margins."""
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": PRINTABLE_PX, "height": 1000, "deviceScaleFactor": 1, "mobile": False})
    try:
        return driver.execute_script("""
            const width = arguments[0];
            const main = document.querySelector('main') || document.body;
            const left = main.getBoundingClientRect().left;
            return [...main.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right - left > width + 1 || e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible')
              .map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 40));
        """, PRINTABLE_PX)
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_hospital_list_and_labels_print_on_a4(demo, browser):
    out = os.path.join(SCREENSHOTS, "medicine-print")
    os.makedirs(out, exist_ok=True)
    staff = demo.logins_for("committee_staff")[0]
    sign_out(browser, demo.base)
    set_language(browser, demo.base, "zh-Hans")
    sign_in(browser, demo.base, staff)
    browser.get(demo.base + "/medicine")
    batches = sorted({link.get_attribute("href") for link in browser.find_elements(By.CSS_SELECTOR, "#medicine-batch-list a[href$='/labels']")})
    assert batches, "the demo has no medicine batch on the board"
    label_pages = []
    for labels_url in batches:
        batch = re.search(r"/medicine/batches/(\d+)/labels", labels_url).group(1)

        browser.get(labels_url)
        labels = browser.find_elements(By.CSS_SELECTOR, ".medicine-label")
        assert labels, f"batch {batch} prints no label"
        households = [label.get_attribute("data-household") for label in labels]
        assert len(households) == len(set(households)), f"batch {batch}: a household has two labels"
        expected = browser.find_element(By.ID, "medicine-label-count").get_attribute("data-households")
        assert int(expected) == len(labels), f"batch {batch}: {expected} households but {len(labels)} labels"
        # A label's number opens it ("No.000123") and closes it ("— 000123 —"): both must be
        # on the same page. (Text with mixed fonts is not extracted in reading order, numbers are.)
        heads = [label.find_element(By.CSS_SELECTOR, ".label-number").text.strip() for label in labels]
        feet = [label.find_element(By.CSS_SELECTOR, ".label-foot").text.strip() for label in labels]
        overflow = overflowing(browser)
        assert not overflow, f"batch {batch}: labels run off the paper: {overflow}"
        path = os.path.join(out, f"batch-{batch}-labels.pdf")
        pages = print_pdf(browser, path)
        label_pages.append(pages)
        texts = page_texts(path, pages)
        for head, foot in zip(heads, feet):
            head_pages = [n for n, text in enumerate(texts) if head in text]
            foot_pages = [n for n, text in enumerate(texts) if foot in text]
            assert foot_pages, f"batch {batch}: label {foot} is not in the PDF (cut off?)"
            assert len(foot_pages) == 1, f"batch {batch}: label {foot} is on pages {foot_pages}"
            assert foot_pages[0] in head_pages, f"batch {batch}: label {foot} is split across pages {head_pages} and {foot_pages}"
        keep_pngs(path, os.path.join(out, f"batch-{batch}-labels"))

        browser.get(demo.base + f"/medicine/batches/{batch}/list")
        rows = browser.find_elements(By.CSS_SELECTOR, ".medicine-list-row")
        assert rows, f"batch {batch}: the hospital list is empty"
        drugs = [row.find_element(By.CSS_SELECTOR, ".medicine-list-drug").text.strip() for row in rows]
        overflow = overflowing(browser)
        assert not overflow, f"batch {batch}: the list runs off the paper: {overflow}"
        path = os.path.join(out, f"batch-{batch}-list.pdf")
        pages = print_pdf(browser, path)
        printed = "\n".join(page_texts(path, pages))
        for drug in drugs:
            assert drug in printed, f"batch {batch}: {drug} is on the page but not in the PDF"
        keep_pngs(path, os.path.join(out, f"batch-{batch}-list"))
    # Last night's demo batch has thirty households: the page breaks are really tested.
    assert max(label_pages) >= 2, f"no batch's labels filled more than one page: {label_pages}"
