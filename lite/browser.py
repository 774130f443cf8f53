"""Drive the built site in Debian's Chromium: serve it, open a notebook, run its cells.

Shared by tests/test_lite.py and benchmarks/lite_load.py. Everything stays on
127.0.0.1: a request for any other address is blocked and recorded.
"""

from __future__ import annotations

import functools
import json
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, Playwright

from graders import reference_solutions

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "lite" / "_output"
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RUN_LIMIT_MS = 240_000
"""How long opening a notebook and running all its cells may take before the run fails."""


class _Quiet(SimpleHTTPRequestHandler):
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
    }

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a closed page hangs up
            super().handle_error(request, client_address)


@contextmanager
def serve(site: Path = SITE) -> Iterator[str]:
    """Serve `site` as plain static files on 127.0.0.1; yield its base URL."""
    server = _Server(("127.0.0.1", 0), functools.partial(_Quiet, directory=site))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def launch(playwright: Playwright) -> Browser:
    """Start Debian's Chromium (never a downloaded one) with the project's flags."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)


@dataclass
class Network:
    """What a browser context asked for that it should not have: each problem in words."""

    base_url: str
    problems: list[str] = field(default_factory=list)


def watch(context: BrowserContext, base_url: str) -> Network:
    """Block and record requests that leave the local server, failures and HTTP errors.

    The browser matches the pattern itself, so local requests never wait for this process.
    """
    network = Network(base_url)

    def block(route) -> None:
        network.problems.append(f"left the local server: {route.request.url}")
        route.abort()

    context.route(re.compile(f"^(?!{re.escape(base_url)}/|data:|blob:)"), block)
    context.on(
        "requestfailed",
        lambda request: network.problems.append(f"failed: {request.url} ({request.failure})"),
    )
    context.on(
        "response",
        lambda response: (
            response.status >= 400
            and network.problems.append(f"HTTP {response.status}: {response.url}")
        ),
    )
    return network


def open_notebook(page: Page, base_url: str, path: str) -> None:
    """Open `path` (relative to the site's files) in the notebook view, ready to run."""
    page.goto(f"{base_url}/notebooks/index.html?path={path}")
    page.wait_for_function(
        "window.jupyterapp?.shell.currentWidget?.sessionContext !== undefined",
        timeout=RUN_LIMIT_MS,
    )


_RUN_ALL = """async ({sources, limit, cellsToRun}) => {
  const app = window.jupyterapp;
  const panel = app.shell.currentWidget;
  const notebook = panel.content;
  const run = async () => {
    await panel.context.ready;
    for (const cell of notebook.widgets) {
      const gradeId = (cell.model.getMetadata('nbgrader') || {}).grade_id;
      if (gradeId in sources) cell.model.sharedModel.setSource(sources[gradeId]);
    }
    await panel.sessionContext.ready;
    // One cell at a time: in JupyterLite, Run All stops at a cell tagged raises-exception.
    let ran = 0;
    for (let index = 0; index < notebook.widgets.length && ran < cellsToRun; index++) {
      if (notebook.widgets[index].model.type !== 'code') continue;
      ran++;
      notebook.activeCellIndex = index;
      notebook.deselectAll();
      await app.commands.execute('notebook:run-cell');
    }
  };
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`cells still running after ${limit} ms`)), limit);
  });
  try { await Promise.race([run(), late]); } finally { clearTimeout(timer); }
  return notebook.widgets.map((cell) => ({
    type: cell.model.type,
    gradeId: (cell.model.getMetadata('nbgrader') || {}).grade_id || null,
    tags: cell.model.getMetadata('tags') || [],
    source: cell.model.sharedModel.getSource(),
    executionCount: cell.model.type === 'code' ? cell.model.executionCount : null,
    outputs: cell.model.type === 'code' ? cell.model.outputs.toJSON() : [],
  }));
}"""


def run_all(page: Page, sources: dict[str, str] | None = None, cells: int | None = None) -> list:
    """Run every code cell of the open notebook in order, each even after an earlier one failed.

    `sources` first replaces the source of the cells with those nbgrader grade_ids;
    `cells` stops after that many code cells. Returns each cell's type, grade_id,
    tags, source, execution count and outputs.
    """
    arguments = {"sources": sources or {}, "limit": RUN_LIMIT_MS, "cellsToRun": cells or 10**6}
    return page.evaluate(_RUN_ALL, arguments)


def error_text(output: dict) -> str:
    """An error output as plain text: its name, value and traceback without colours."""
    text = "\n".join([output.get("ename", ""), output.get("evalue", ""), *output["traceback"]])
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def describe(cell: dict) -> str:
    """A cell for a failure message: its grade_id or its first line."""
    first_line = (cell["source"].splitlines() or [""])[0]
    return cell["gradeId"] or json.dumps(first_line)


def reference_sources(exercise: str) -> dict[str, str]:
    """The reference solution cells of exercises/A/N.ipynb, by grade_id, without the markers."""
    path = Path(exercise)
    return reference_solutions(ROOT / "solutions" / path.parent.name / path.name)
