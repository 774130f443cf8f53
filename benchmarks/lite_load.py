"""How fast the JupyterLite site gets going, cold, and how big it is.

Serves lite/_output (build it first: `make lite`) on 127.0.0.1 and opens it in
Debian's headless Chromium, each time in a freshly started browser (nothing cached):
- first output: from opening lesson 1 to its first code cell's output;
- whole exercise: from opening exercise 1 to the end of all its cells, with the
  reference solutions put in.
Goals: first output within 10 s cold; the site under 60 MB.

    .venv/bin/python benchmarks/lite_load.py [runs]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import Playwright, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "lite"))
import browser as lite  # noqa: E402 (lite/browser.py drives the site for tests and benchmarks)

LESSON = "course/01_generators.ipynb"
EXERCISE = "exercises/01_generators/01_generators.ipynb"


def megabytes(folder: Path) -> float:
    """The size of every file under `folder`, in MB."""
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 1e6


def cold_seconds(playwright: Playwright, base_url: str, path: str, **run: object) -> float:
    """Seconds from opening `path` in a fresh browser to the end of the cells run."""
    chromium = lite.launch(playwright)
    context = chromium.new_context()
    network = lite.watch(context, base_url)
    page = context.new_page()
    started = time.perf_counter()
    lite.open_notebook(page, base_url, path)
    cells = lite.run_all(page, **run)
    seconds = time.perf_counter() - started
    chromium.close()
    ran = [cell for cell in cells if cell["type"] == "code" and cell["executionCount"]]
    failed = [out for cell in ran for out in cell["outputs"] if out["output_type"] == "error"]
    if network.problems or not ran or not ran[-1]["outputs"] and len(ran) == 1 or failed:
        raise SystemExit(f"{path}: no output, an error, or network problems: {network.problems}")
    return seconds


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    if not lite.SITE.exists():
        raise SystemExit("lite/_output is missing: run `make lite` first")
    print(f"site: {megabytes(lite.SITE):.1f} MB (goal < 60), of which Pyodide and wheels "
          f"{megabytes(lite.SITE / 'static' / 'pyodide'):.1f} MB")  # fmt: skip
    sources = lite.reference_sources(EXERCISE)
    with lite.serve() as base_url, sync_playwright() as playwright:
        first = [cold_seconds(playwright, base_url, LESSON, cells=1) for _ in range(runs)]
        whole = [cold_seconds(playwright, base_url, EXERCISE, sources=sources) for _ in range(runs)]
    for label, times in [("first output, cold", first), ("whole exercise 1, cold", whole)]:
        print(f"{label:<24} median {statistics.median(times):5.1f} s, "
              f"runs {', '.join(f'{t:.1f}' for t in times)}")  # fmt: skip


if __name__ == "__main__":
    main()
