"""The chat page of ``custlens serve`` driven in a real browser: headless Chromium (Debian's
``chromium`` and ``chromium-driver``) through Selenium, against the service on a loopback port.

Without Chromium the module skips with one line saying how to install it; CI (.ci/run) installs it
and sets CUSTLENS_REQUIRE_BROWSER=1, so there a missing browser fails instead of skipping. Each wait
is bounded (WAIT seconds), so a page that never answers fails the test rather than CI's budget.

CUSTLENS_SCREENSHOT=docs/web-page.png keeps a screenshot of the page after the conversation."""

import io
import os
import shutil
import time
from pathlib import Path

import httpx
import pandas as pd
import pytest
from embedding import serving

from custlens import Assistant
from custlens.server import create_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
HOW = ("the browser tests need Chromium: apt-get install -y chromium chromium-driver "
       "(and pip install -e '.[test]' for selenium)")
try:
    from selenium import webdriver
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
    missing = not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER))
except ImportError:
    missing = True
if missing:
    if os.environ.get("CUSTLENS_REQUIRE_BROWSER"):
        raise RuntimeError(HOW)
    pytest.skip(HOW, allow_module_level=True)

#: the longest any one step may take (a question on the demo store takes well under a second;
#: the full report a few seconds on a loaded CI machine)
WAIT = 90
TOKEN = "web-page-token-123"
XSS = "<script>alert(1)</script>"
IMG_XSS = '<img src=x onerror="document.title=\'pwned\'">'


@pytest.fixture(scope="module")
def empty_assistant():
    """The service as `custlens serve` without --data: each conversation loads its own."""
    assistant = Assistant(entry_points=False)
    yield assistant
    assistant.close()


@pytest.fixture(scope="module")
def url(empty_assistant):
    with serving(create_app(empty_assistant, max_upload=64 * 1024)) as base:
        yield base


@pytest.fixture(scope="module")
def downloads(tmp_path_factory):
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000",
                "--disable-gpu", "--no-first-run", "--disable-extensions"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(WAIT)
    driver.set_script_timeout(WAIT)
    yield driver
    driver.quit()


def wait(driver, condition, what: str):
    return WebDriverWait(driver, WAIT, poll_frequency=0.1).until(condition, message=f"waiting for {what}")


def turns(driver):
    return driver.find_elements(By.CSS_SELECTOR, "#log .turn:not(.notice)")


def ask(driver, question: str):
    """Type the question, press Enter, and return the answer's <article> (or error block)."""
    before = len(turns(driver))
    box = driver.find_element(By.ID, "question")
    box.send_keys(question, Keys.ENTER)
    wait(driver, lambda d: len(turns(d)) > before and not turns(d)[-1].find_elements(By.CLASS_NAME, "waiting"),
         f"the answer to {question!r}")
    last = turns(driver)[-1]
    found = last.find_elements(By.CSS_SELECTOR, "article.answer, .error-block")
    assert found, last.text
    return found[0]


def load_demo(driver, url):
    driver.get(url + "/")
    wait(driver, lambda d: "No data loaded" in d.find_element(By.ID, "data-status").text, "the page to start")
    driver.find_element(By.ID, "demo").click()
    wait(driver, lambda d: "demo orders" in d.find_element(By.ID, "data-status").text, "the demo to load")


def scope(driver) -> str:
    return driver.find_element(By.ID, "scope").text


def cells(table_element, column: int) -> list[str]:
    return [row.find_elements(By.TAG_NAME, "td")[column].text
            for row in table_element.find_elements(By.CSS_SELECTOR, "tbody tr")]


def number(text: str) -> float:
    return float(text.replace(",", ""))


def resources(driver) -> list[str]:
    return driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")


# ---------------------------------------------------------------------- a conversation
def test_a_conversation_in_the_page(browser, url, downloads, empty_assistant):
    d = browser
    load_demo(d, url)
    assert d.execute_script("return document.title") == "custlens"

    # 1. a question: interpretation line, narrative, a sortable table with "show all", a chart
    first = ask(d, "total revenue by country")
    assert first.get_attribute("data-analysis") == "overview"
    assert "country" in first.find_element(By.CLASS_NAME, "understood").text
    assert "Revenue by country" in first.find_element(By.CLASS_NAME, "narrative").text
    assert "**" not in first.find_element(By.CLASS_NAME, "narrative").text  # Markdown rendered, not shown raw
    by_country = next(f for f in first.find_elements(By.CSS_SELECTOR, "figure.table")
                      if "country" in f.find_element(By.TAG_NAME, "thead").text)
    countries = cells(by_country, 0)
    assert len(countries) == len(set(countries)) >= 5
    headers = by_country.find_elements(By.CSS_SELECTOR, "thead th")
    revenue = next(i for i, h in enumerate(headers) if h.text.strip().startswith("revenue"))
    headers[revenue].find_element(By.TAG_NAME, "button").click()  # numbers sort largest first
    values = [number(v) for v in cells(by_country, revenue)]
    assert values == sorted(values, reverse=True) and headers[revenue].get_attribute("aria-sort") == "descending"
    headers[revenue].find_element(By.TAG_NAME, "button").send_keys(Keys.ENTER)  # by keyboard: the other way
    values = [number(v) for v in cells(by_country, revenue)]
    assert values == sorted(values) and headers[revenue].get_attribute("aria-sort") == "ascending"
    chart = wait(d, lambda _: first.find_elements(By.CSS_SELECTOR, "img.chart"), "the chart")[0]
    wait(d, lambda _: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", chart) > 100,
         "the chart to be drawn")

    # the CSV download is the full table, as the API serves it
    by_country.find_element(By.CSS_SELECTOR, "button.csv").click()
    wait(d, lambda _: any(p.suffix == ".csv" for p in downloads.iterdir()), "the CSV download")
    csv = next(p for p in downloads.iterdir() if p.suffix == ".csv")
    wait(d, lambda _: csv.stat().st_size > 0, "the CSV download to finish")
    assert csv.read_bytes() == httpx.get(url + by_country.get_attribute("data-csv")).content
    frame = pd.read_csv(csv)
    assert set(countries) <= set(frame["country"]) and len(frame) >= len(countries)

    # "why?" shows the method and the SQL
    why = first.find_element(By.CSS_SELECTOR, "details.why")
    why.find_element(By.TAG_NAME, "summary").click()
    assert "SELECT" in why.find_element(By.CSS_SELECTOR, "pre.sql").text.upper()

    # 2. another question
    products = ask(d, "top 20 products")
    table = next(f for f in products.find_elements(By.CSS_SELECTOR, "figure.table")
                 if "product" in f.find_element(By.TAG_NAME, "thead").text)
    assert len(cells(table, 0)) == 10
    table.find_element(By.CSS_SELECTOR, "button.show-all").click()
    assert len(cells(table, 0)) == 20 and not table.find_elements(By.CSS_SELECTOR, "button.show-all")

    # a follow-up: the filter shows in force, and is removed from its chip
    germany = ask(d, "and for Germany?")
    assert "Germany" in germany.find_element(By.CLASS_NAME, "understood").text
    assert "country: Germany" in scope(d)
    if os.environ.get("CUSTLENS_SCREENSHOT"):  # the README's picture: this answer, its filter in force
        d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",  # exactly this viewport, no window frame
                          {"width": 1100, "height": 1150, "deviceScaleFactor": 1, "mobile": False})
        wait(d, lambda _: germany.find_elements(By.CSS_SELECTOR, "img.chart") and d.execute_script(
            "return [...document.querySelectorAll('img.chart')].every(i => i.complete)"), "the charts")
        d.execute_script("arguments[0].scrollIntoView({block: 'start'})", turns(d)[-1])
        d.save_screenshot(os.environ["CUSTLENS_SCREENSHOT"])
        d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    d.find_element(By.CSS_SELECTOR, "#scope .chip-remove").click()
    wait(d, lambda _: "Germany" not in scope(d) and len(turns(d)) == 4
         and not turns(d)[-1].find_elements(By.CLASS_NAME, "waiting"), "the filter to be removed")
    unfiltered = turns(d)[-1].find_element(By.CSS_SELECTOR, "article.answer")
    assert "Germany" not in unfiltered.find_element(By.CLASS_NAME, "understood").text

    # 3. an ambiguous question: its readings are buttons, picking one answers it
    readings = ask(d, "tell me about customers")
    assert readings.get_attribute("data-analysis") == "clarify"
    picks = readings.find_elements(By.CSS_SELECTOR, ".readings-buttons button")
    assert len(picks) >= 2
    chosen = picks[1].get_attribute("data-analysis")
    picks[1].click()
    wait(d, lambda _: len(turns(d)) == 6 and turns(d)[-1].find_elements(By.CSS_SELECTOR, "article.answer"),
         "the reading picked")
    assert turns(d)[-1].find_element(By.CSS_SELECTOR, "article.answer").get_attribute("data-analysis") == chosen

    # 4. a follow-up suggestion is a button that asks it
    cohort = ask(d, "monthly cohort retention")
    suggestion = cohort.find_element(By.CSS_SELECTOR, ".follow-ups button")
    asked = suggestion.text
    suggestion.click()
    wait(d, lambda _: turns(d)[-1].find_element(By.CLASS_NAME, "question").text.endswith(asked)
         and not turns(d)[-1].find_elements(By.CLASS_NAME, "waiting"), "the suggestion's answer")


    # nothing the page loaded came from outside this service
    assert resources(d) and all(r.startswith(url + "/") or r.startswith("blob:" + url) for r in resources(d))


def test_an_upload_shows_hostile_names_as_text(browser, url, tmp_path):
    d = browser
    load_demo(d, url)
    orders = pd.DataFrame({"customer_id": ["C1", "C2", "C3", "C1"], "order_id": ["O1", "O2", "O3", "O4"],
                           "order_date": ["2024-01-05", "2024-02-06", "2024-03-07", "2024-04-08"],
                           "product": [XSS, IMG_XSS, "Plain", XSS], "amount": [500.0, 40.0, 10.0, 250.0]})
    path = tmp_path / "hostile orders.csv"
    orders.to_csv(path, index=False)
    d.find_element(By.ID, "upload").send_keys(str(path))
    wait(d, lambda _: "hostile orders.csv" in d.find_element(By.ID, "data-status").text, "the upload")
    assert "demo" not in d.find_element(By.ID, "data-status").text  # the upload replaced the demo, for this page
    answer = ask(d, "top products")
    table = next(f for f in answer.find_elements(By.CSS_SELECTOR, "figure.table")
                 if "product" in f.find_element(By.TAG_NAME, "thead").text)
    assert cells(table, 0)[:3] == [XSS, IMG_XSS, "Plain"]  # by revenue: 750, 40, 10, shown as the text they are
    with pytest.raises(NoAlertPresentException):
        d.switch_to.alert.text
    assert d.title == "custlens"
    assert d.execute_script("return document.querySelectorAll('script').length") == 1
    assert d.execute_script("return document.querySelectorAll('#log img:not(.chart)').length") == 0

    # a file over the limit is refused before it is sent; the wrong kind of file by the service
    big = tmp_path / "big.csv"
    big.write_text("customer_id,amount\n" + "C1,1\n" * 20000)
    d.find_element(By.ID, "upload").send_keys(str(big))
    wait(d, lambda _: "over this service's upload limit" in d.find_element(By.ID, "log").text, "the size check")
    odd = tmp_path / "notes.docx"
    odd.write_bytes(b"PK")
    d.find_element(By.ID, "upload").send_keys(str(odd))
    wait(d, lambda _: "upload a data file ending in" in d.find_element(By.ID, "log").text, "the file-type check")


def test_the_report_opens_as_its_document(browser, url):
    d = browser
    load_demo(d, url)
    report = ask(d, "write the full customer analysis")
    assert report.get_attribute("data-analysis") == "report"
    link = report.find_element(By.CSS_SELECTOR, "a.document")
    wait(d, lambda _: link.is_displayed(), "the document link")
    page = d.current_window_handle
    link.click()
    wait(d, lambda _: len(d.window_handles) == 2, "the document's tab")
    d.switch_to.window(next(h for h in d.window_handles if h != page))
    try:
        wait(d, lambda _: d.find_elements(By.TAG_NAME, "h1"), "the document")
        text = d.find_element(By.TAG_NAME, "body").text
        assert "Recommendations" in text or "recommend" in text.lower()
        assert d.find_elements(By.CSS_SELECTOR, "img[src^='data:image/png']")  # charts inside, nothing fetched
    finally:
        d.close()
        d.switch_to.window(page)


def test_phone_width_and_keyboard(browser, url):
    d = browser
    d.set_window_size(390, 844)
    try:
        load_demo(d, url)
        answer = ask(d, "revenue by month")
        assert answer.find_elements(By.CSS_SELECTOR, "figure.table")
        # the page itself never scrolls sideways: wide tables scroll in their own box
        assert d.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
        # Tab from the question box reaches the Ask button; Enter in the box asks
        box = d.find_element(By.ID, "question")
        box.click()
        box.send_keys(Keys.TAB)
        assert d.switch_to.active_element.get_attribute("id") == "ask-button"
    finally:
        d.set_window_size(1280, 1000)


def test_docs_load_nothing_from_outside(browser, url):
    d = browser
    d.get(url + "/docs")
    wait(d, lambda _: "custlens" in d.find_element(By.TAG_NAME, "body").text and
         d.find_elements(By.CSS_SELECTOR, ".opblock"), "Swagger UI to draw the API")
    assert all(r.startswith(url + "/") for r in resources(d)), resources(d)


def test_the_page_asks_for_the_token_once(browser, tmp_path):
    assistant = Assistant(entry_points=False)
    try:
        with serving(create_app(assistant, token=TOKEN)) as base:
            d = browser
            d.get(base + "/")
            wait(d, lambda _: d.find_element(By.ID, "token-panel").is_displayed(), "the token form")
            d.find_element(By.ID, "token-input").send_keys("wrong-token-wrong", Keys.ENTER)
            wait(d, lambda _: "refused" in d.find_element(By.ID, "token-error").text, "the wrong token refused")
            d.find_element(By.ID, "token-input").send_keys(TOKEN, Keys.ENTER)
            wait(d, lambda _: "No data loaded" in d.find_element(By.ID, "data-status").text, "the page with the token")
            d.find_element(By.ID, "demo").click()
            wait(d, lambda _: "demo orders" in d.find_element(By.ID, "data-status").text, "the demo")
            answer = ask(d, "revenue by month")
            chart = wait(d, lambda _: answer.find_elements(By.CSS_SELECTOR, "img.chart"), "the chart")[0]  # by token
            wait(d, lambda _: d.execute_script("return arguments[0].naturalWidth", chart) > 100, "the chart")
            d.refresh()  # asked once: the tab keeps it
            wait(d, lambda _: "No data loaded" in d.find_element(By.ID, "data-status").text, "the page again")
            assert not d.find_element(By.ID, "token-panel").is_displayed()
            # the page and its files are served without the token; the data is not
            assert httpx.get(base + "/").status_code == httpx.get(base + "/static/app.js").status_code == 200
            assert httpx.get(base + "/health").status_code == 401
            d.execute_script("sessionStorage.clear()")
    finally:
        assistant.close()
