"""The page at `/` in a real headless Chromium (Debian's, driven by Selenium) against a real server with the
real models. Screenshots go to tests/artifacts/screenshots/ for a person to look at."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from rag.settings import REPO_ROOT
from tests.live import start

KEY = "web-test-key-0123456789"
KILLED = "How many people were killed in the clashes in Guayaquil?"
SHOTS = REPO_ROOT / "tests" / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def server(tmp_path_factory, embedder, llm):
    with start(tmp_path_factory, embedder, llm, "web", api_key=KEY) as srv:
        yield srv


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1200,1000",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_script_timeout(30)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def shot(driver, name: str) -> Path:
    path = SHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def wait(driver, seconds: float = 300) -> WebDriverWait:
    return WebDriverWait(driver, seconds, poll_frequency=0.05)


def ask(driver, url: str, question: str) -> None:
    driver.get(url + "/")
    box = driver.find_element(By.ID, "question")
    box.clear()
    box.send_keys(question, Keys.ENTER)  # Enter asks


def test_the_page_is_served_with_a_strict_content_security_policy(server):
    r = httpx.get(server.url + "/")
    assert r.status_code == 200 and "<title>newsqa</title>" in r.text
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp and "unsafe-inline" not in csp
    assert httpx.get(server.url + "/static/app.js").headers["content-security-policy"] == csp


def test_asking_streams_a_draft_then_shows_the_verified_answer_and_its_highlighted_citation(server, browser):
    ask(browser, server.url, KILLED)
    draft = wait(browser).until(EC.visibility_of_element_located((By.ID, "draft")))
    assert "draft" in draft.text.lower()  # the streamed text says it is not yet checked
    shot(browser, "1-ask-streaming")
    wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#answer a.cite")))
    answer = browser.find_element(By.ID, "answer").text
    assert "22" in answer and not browser.find_element(By.ID, "draft").is_displayed()
    citation = browser.find_element(By.ID, "cite-1")
    assert "22 people were killed" in citation.text and "2025-03-07" in citation.text
    assert "= 2025-03-06" in citation.text  # "On Thursday = 2025-03-06": the resolved date is visible
    assert "first word after" in browser.find_element(By.ID, "timings").text
    shot(browser, "2-answer-with-citations")

    quote = citation.find_element(By.CSS_SELECTOR, ".quote").text.strip("“”")
    browser.find_element(By.CSS_SELECTOR, "#answer a.cite[data-n='1']").click()
    mark = wait(browser, 30).until(EC.visibility_of_element_located((By.ID, "highlight")))
    assert mark.text == quote
    in_view = browser.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight;", mark)
    assert in_view
    shot(browser, "3-article-with-highlighted-span")


def test_an_unanswerable_question_shows_the_abstention_in_plain_words(server, browser):
    ask(browser, server.url, "What is the population of Guayaquil?")
    abstention = wait(browser).until(EC.visibility_of_element_located((By.ID, "abstention")))
    assert "The articles do not say." in abstention.text and len(abstention.text) > 30
    assert browser.find_element(By.ID, "question").get_attribute("value") == "What is the population of Guayaquil?"
    shot(browser, "4-abstention")


def test_upload_with_the_key_then_ask_about_it_and_script_in_an_article_stays_text(server, browser, tmp_path):
    article = {"id": "ferry-line", "title": "<script>window.pwned = 1</script>Ferry line opens",
               "published": "2025-05-02", "source": "Harbour News",
               "text": "The new ferry line carried 3,400 passengers on its first day. "
                       "<script>window.pwned = 1</script> Officials called it a success."}
    path = tmp_path / "ferry.jsonl"
    path.write_text(json.dumps(article) + "\n")
    browser.get(server.url + "/")
    browser.find_element(By.CSS_SELECTOR, "#manage summary").click()
    key = browser.find_element(By.ID, "api-key")
    key.send_keys(KEY, Keys.TAB)
    browser.find_element(By.ID, "upload").send_keys(str(path))
    browser.find_element(By.ID, "upload-button").click()
    wait(browser, 120).until(EC.text_to_be_present_in_element((By.ID, "manage-status"), "ferry-line: added"))
    assert KEY not in browser.current_url

    search = browser.find_element(By.ID, "article-search")
    search.send_keys("Ferry")
    link = wait(browser, 30).until(EC.visibility_of_element_located((By.PARTIAL_LINK_TEXT, "Ferry line opens")))
    assert "<script>" in link.text  # the title is shown as text
    link.click()
    body = wait(browser, 30).until(EC.visibility_of_element_located((By.ID, "article-text")))
    assert "<script>window.pwned = 1</script>" in body.text
    assert browser.execute_script("return window.pwned === undefined")

    ask(browser, server.url, "How many passengers did the new ferry line carry on its first day?")
    wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#answer a.cite")))
    assert "3,400" in browser.find_element(By.ID, "answer").text


def test_a_question_of_this_week_is_asked_as_of_the_day_set_under_filters(server, browser):
    """An archive asked as of a past day: the seed (2025-03-07) answers "this week" asked on 2025-03-09;
    left empty, the day is today and the 2025 article is no answer."""
    question = "How many people were killed in the clashes in Guayaquil this week?"
    ask(browser, server.url, question)
    abstention = wait(browser).until(EC.visibility_of_element_located((By.ID, "abstention")))
    assert "The articles do not say." in abstention.text
    browser.find_element(By.CSS_SELECTOR, "#filters summary").click()
    browser.find_element(By.ID, "asked-on").send_keys("03092025")
    assert browser.find_element(By.ID, "asked-on").get_attribute("value") == "2025-03-09"
    browser.find_element(By.ID, "ask-button").click()
    wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#answer a.cite")))
    assert "22" in browser.find_element(By.ID, "answer").text


def test_errors_read_as_sentences_and_keep_the_question(server, browser):
    browser.get(server.url + "/")
    browser.find_element(By.CSS_SELECTOR, "#filters summary").click()
    browser.find_element(By.ID, "article-ids").send_keys(",".join(f"id-{i}" for i in range(1001)))
    browser.find_element(By.ID, "question").send_keys(KILLED, Keys.ENTER)
    status = wait(browser, 60).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#status.error")))
    assert "did not accept" in status.text
    assert browser.find_element(By.ID, "question").get_attribute("value") == KILLED


def test_the_page_reads_at_phone_width(server, browser):
    browser.set_window_size(390, 844)
    try:
        ask(browser, server.url, KILLED)
        wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#answer a.cite")))
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= browser.execute_script("return window.innerWidth")  # nothing runs off the side
        shot(browser, "5-phone-width")
    finally:
        browser.set_window_size(1200, 1000)
