"""The live view in real JupyterLab, in headless Chromium: it renders, finishes, and Stop works.

Screenshots go to artifacts/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "lite"))
import browser  # noqa: E402 (lite/browser.py: Debian's Chromium and the site's server)

ARTIFACTS = ROOT / "artifacts"
CELLS = [
    # Runs to its end: the finished view.
    "from yieldlab import SimulatedModel, show_stream\n"
    "model = SimulatedModel(seed=3, sentences=3, time_to_first_token=0.3, tokens_per_second=60)\n"
    "done = show_stream(model.astream('hi'), total=len(model.tokens('hi')), title='Live view')",
    # Slow enough to be stopped with the button.
    "slow = SimulatedModel(seed=4, sentences=8, time_to_first_token=0.1, tokens_per_second=8)\n"
    "stopped = show_stream(slow.astream('hi'), total=len(slow.tokens('hi')), title='Stop me')",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on 127.0.0.1 with a token, serving a folder with one notebook; stopped by PID."""
    folder = tmp_path_factory.mktemp("lab")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, folder / "live.ipynb")
    news = folder / ".settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    port, token = free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTER_RUNTIME_DIR": str(folder / ".runtime"),
        "JUPYTERLAB_WORKSPACES_DIR": str(folder / ".workspaces"),
        "JUPYTERLAB_SETTINGS_DIR": str(folder / ".settings"),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            "--allow-root",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={folder}",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("jupyter lab did not start") from None
                time.sleep(0.2)
        yield f"{base}/lab/tree/live.ipynb?token={token}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def lite():
    """The JupyterLite site (built by `make lite`) served on 127.0.0.1."""
    if not (browser.SITE / "index.html").exists():
        pytest.skip("the JupyterLite site is not built: run `make lite`")
    with browser.serve() as url:
        yield f"{url}/lab/index.html"


@pytest.fixture
def page():
    """A page in headless Chromium from Debian; timeouts fit 2 shared cores."""
    if not Path(browser.CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {browser.CHROMIUM}")
    playwright = pytest.importorskip("playwright.sync_api")
    playwright.expect.set_options(timeout=120_000)
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright.sync_playwright() as p:
        chromium = browser.launch(p)
        page = chromium.new_page(viewport={"width": 1100, "height": 900})
        page.set_default_timeout(120_000)
        try:
            yield page
        finally:
            chromium.close()


def test_live_view_stops_in_jupyterlite(lite, page):
    from playwright.sync_api import expect

    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(lite)
    page.locator('.jp-LauncherCard[data-category="Notebook"]').first.click()
    page.locator(".jp-Cell .cm-content").first.click()
    page.keyboard.insert_text("from yieldlab import SimulatedModel, show_stream\n" + CELLS[1])
    page.keyboard.press("Shift+Enter")
    view = page.locator(".jp-OutputArea-output .widget-vbox").first
    try:
        expect(view).to_contain_text("first token")  # a token has arrived: stop mid-stream
        view.get_by_role("button", name="Stop").click()
        expect(view).to_contain_text("· stopped")
    finally:
        page.screenshot(path=ARTIFACTS / "live_view_lite.png")
    origin = lite.split("/lab/")[0]
    assert [url for url in requests if not url.startswith(origin)] == []


def test_live_view_renders_finishes_and_stops_in_jupyterlab(lab, page):
    from playwright.sync_api import expect

    page.goto(lab)
    expect(page.locator(".jp-StatusBar-Widget")).to_contain_text(["Idle"])
    page.get_by_role("menuitem", name="Run").click()
    page.get_by_text("Run All Cells", exact=True).click()
    views = page.locator(".jp-OutputArea-output .widget-vbox")
    try:
        expect(views).to_have_count(2)
        finished, running = views.nth(0), views.nth(1)
        expect(finished).to_contain_text("· done")
        expect(finished).to_contain_text("first token")
        expect(finished.locator("button")).to_be_disabled()
        finished.screenshot(path=ARTIFACTS / "live_view_done.png")
        expect(running).to_contain_text("first token")
        running.get_by_role("button", name="Stop").click()
        expect(running).to_contain_text("· stopped")
        running.screenshot(path=ARTIFACTS / "live_view_stopped.png")
    finally:
        page.screenshot(path=ARTIFACTS / "live_view_page.png")
