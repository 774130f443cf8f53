"""Lesson 4's web page (course/browser_client.html) in headless Chromium, against the lesson's app.

The app is the lesson's own cell `browser-app`, run here and served by uvicorn on 127.0.0.1
(`yieldlab.BackgroundServer`); a wrapper records every request the server receives and cuts
each body chunk in two, inside a UTF-8 character, so the page must keep partial events.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

import nbformat
import pytest
from fastapi import FastAPI, Header
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from yieldlab import BackgroundServer, SimulatedModel

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "lite"))
import browser  # noqa: E402 (lite/browser.py: Debian's Chromium and the network watch)

pytestmark = pytest.mark.slow

LESSON = ROOT / "course" / "04_fastapi_streaming.ipynb"
PAGE = ROOT / "course" / "browser_client.html"
PROMPT = "Why stream?"
RETRY_MS = 20
"""The `retry:` the app sends: a browser that reconnects does so within milliseconds."""
MODEL = SimulatedModel(
    script="Streams arrive café by café ✓, token by token.", tokens_per_second=400
)

_WAIT_FOR_REOPEN = """async (url) => await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`no reconnection to ${url}`)), 15000);
  const source = new EventSource(url);
  let opens = 0;
  source.onopen = () => {
    opens += 1;
    if (opens === 2) { source.close(); clearTimeout(timer); resolve(opens); }
  };
})"""
"""Open a bare EventSource that never closes; resolve once the browser has reconnected."""

_FIRST_ERROR = """async (url) => await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`no error event from ${url}`)), 15000);
  const source = new EventSource(url);
  source.onerror = (event) => {
    clearTimeout(timer);
    const seen = {message: event instanceof MessageEvent, data: event.data ?? null,
                  readyState: source.readyState};
    source.close();
    resolve(seen);
  };
})"""
"""What a bare EventSource's `onerror` receives first: the event's kind, data and readyState."""


def lesson_browser_app():
    """`browser_app` as the lesson defines it, from its cell `browser-app`."""
    nb = nbformat.read(LESSON, as_version=4)
    source = next(cell.source for cell in nb.cells if cell.get("id") == "browser-app")
    # The names the cell takes from the lesson's earlier cells.
    namespace = {
        "json": json,
        "BaseModel": BaseModel,
        "FastAPI": FastAPI,
        "Header": Header,
        "StreamingResponse": StreamingResponse,
    }
    exec(compile(source, f"{LESSON.name}, cell browser-app", "exec"), namespace)
    return namespace["browser_app"]


def recorded_and_split(app, requests: list[dict]):
    """`app` that records each HTTP request and sends each body chunk as two pieces."""

    async def wrapper(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        headers = dict(scope["headers"])
        requests.append(
            {
                "method": scope["method"],
                "path": scope["path"],
                "query": parse_qs(scope["query_string"].decode()),
                "last_event_id": headers.get(b"last-event-id", b"").decode() or None,
            }
        )

        async def split_send(message):
            body = message.get("body", b"")
            if message["type"] != "http.response.body" or len(body) < 2:
                return await send(message)
            multibyte = next((i for i, byte in enumerate(body) if byte >= 0x80), None)
            cut = multibyte + 1 if multibyte is not None else len(body) // 2
            await send({"type": "http.response.body", "body": body[:cut], "more_body": True})
            await asyncio.sleep(0.002)  # let the first piece leave on its own
            await send({**message, "body": body[cut:]})

        await app(scope, receive, split_send)

    return wrapper


def chat_requests(requests: list[dict], method: str, prompt: str) -> list[dict]:
    return [
        r
        for r in requests
        if r["method"] == method and r["path"] == "/chat" and r["query"].get("prompt") == [prompt]
    ]


def unexpected(network: browser.Network) -> list[str]:
    """The network's problems, but for the page's own streams that it closed on [DONE].

    `source.close()` or `reader.cancel()` before the browser has read the end of the body
    aborts the request (net::ERR_ABORTED): that is the page hanging up, as it should.
    """
    hung_up = f"failed: {network.base_url}/chat"
    return [
        problem
        for problem in network.problems
        if not (problem.startswith(hung_up) and problem.endswith("(net::ERR_ABORTED)"))
    ]


@pytest.fixture(scope="module")
def chromium():
    if not Path(browser.CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {browser.CHROMIUM}")
    playwright = pytest.importorskip("playwright.sync_api")
    playwright.expect.set_options(timeout=30_000)
    with playwright.sync_playwright() as p:
        chromium = browser.launch(p)
        yield chromium
        chromium.close()


@pytest.fixture
def server() -> Iterator[tuple[BackgroundServer, list[dict]]]:
    """The lesson's app on 127.0.0.1 (a free port), and the requests it has received."""
    requests: list[dict] = []
    app = lesson_browser_app()(MODEL, page=PAGE, retry_ms=RETRY_MS)
    with BackgroundServer(recorded_and_split(app, requests)) as running:
        yield running, requests


@pytest.fixture
def page(chromium, server):
    """The lesson's page, opened from the app; the test's network problems are checked after."""
    running, _ = server
    context = chromium.new_context()
    network = browser.watch(context, running.url)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{running.url}/")
    page.fill("#prompt", PROMPT)
    try:
        yield page, network
    finally:
        context.close()


def test_eventsource_streams_the_tokens_in_order_and_closes_on_done(page, server):
    from playwright.sync_api import expect

    page, network = page
    running, requests = server
    page.click("#with-eventsource")
    expect(page.locator("#status")).to_have_text("EventSource: done (1 connection(s))")
    assert page.locator("#reply").text_content() == MODEL.reply(PROMPT)
    # A bare EventSource opened after the page's closed reconnects on its own, RETRY_MS after
    # its stream ends: by then the page's own client would have reconnected too.
    assert page.evaluate(_WAIT_FOR_REOPEN, f"{running.url}/chat?prompt=control") == 2
    control = chat_requests(requests, "GET", "control")
    assert [r["last_event_id"] for r in control[:2]] == [None, str(len(MODEL.tokens(PROMPT)))]
    assert len(chat_requests(requests, "GET", PROMPT)) == 1, "the page reconnected after [DONE]"
    assert unexpected(network) == []


def test_fetch_posts_json_and_gets_the_same_text(page, server):
    from playwright.sync_api import expect

    page, network = page
    _, requests = server
    page.click("#with-fetch")
    expect(page.locator("#status")).to_have_text("fetch: done")
    assert page.locator("#reply").text_content() == MODEL.reply(PROMPT)
    assert [(r["method"], r["path"]) for r in requests if r["path"] == "/chat"] == [
        ("POST", "/chat")
    ]
    page.click("#with-eventsource")
    expect(page.locator("#status")).to_have_text("EventSource: done (1 connection(s))")
    assert page.locator("#reply").text_content() == MODEL.reply(PROMPT)
    assert unexpected(network) == []


def test_server_error_event_and_connection_failure_are_told_apart(page, server):
    from playwright.sync_api import expect

    page, _ = page
    running, requests = server
    failing = f"{running.url}/chat?prompt=bare&fail_after=3"
    error = {"error": "simulated failure after 3 tokens"}
    # The browser itself: the server's `event: error` is a MessageEvent with data, stream open.
    seen = page.evaluate(_FIRST_ERROR, failing)
    assert seen == {"message": True, "data": f'{{"error": "{error["error"]}"}}', "readyState": 1}

    page.check("#fail")
    page.click("#with-eventsource")
    status = page.locator("#status")
    expect(status).to_have_text(f"EventSource: server error: {error['error']}")
    assert page.locator("#reply").text_content() == "".join(MODEL.tokens(PROMPT)[:3])
    page.click("#with-fetch")
    expect(status).to_have_text(f"fetch: server error: {error['error']}")
    assert page.evaluate(_WAIT_FOR_REOPEN, f"{running.url}/chat?prompt=control") == 2
    assert len(chat_requests(requests, "GET", PROMPT)) == 1, "the page reconnected after an error"

    # An HTTP error (422: `fail_after` is not a number) is a plain Event, and the browser gives up.
    seen = page.evaluate(_FIRST_ERROR, f"{running.url}/chat?prompt=bare&fail_after=x")
    assert seen == {"message": False, "data": None, "readyState": 2}

    running.stop()
    # The browser itself: a refused connection is a plain Event, and it will try again.
    seen = page.evaluate(_FIRST_ERROR, f"{running.url}/chat?prompt=bare")
    assert seen == {"message": False, "data": None, "readyState": 0}
    page.uncheck("#fail")
    page.click("#with-eventsource")
    expect(status).to_have_text("EventSource: connection lost, the browser is reconnecting")
    page.click("#with-fetch")
    expect(status).to_have_text("fetch: connection failed: Failed to fetch")
