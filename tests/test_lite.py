"""The JupyterLite site in headless Chromium: lessons run, exercises grade, nothing leaves.

Builds the site (`make lite`), serves lite/_output on 127.0.0.1 for the module, and
opens each notebook in a fresh browser context. Screenshots go to artifacts/.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "lite"))
import browser as lite  # noqa: E402 (lite/browser.py drives the site for tests and benchmarks)

pytestmark = pytest.mark.slow

ARTIFACTS = ROOT / "artifacts"
LESSONS = sorted(path.relative_to(ROOT).as_posix() for path in ROOT.glob("course/*.ipynb"))
EXERCISES = sorted(path.relative_to(ROOT).as_posix() for path in ROOT.glob("exercises/*/*.ipynb"))


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    subprocess.run(["make", "lite"], cwd=ROOT, check=True)
    with lite.serve() as url:
        yield url


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = lite.launch(playwright)
        yield browser
        browser.close()


@contextmanager
def fresh_page(chromium: Browser, base_url: str) -> Iterator[tuple[Page, list[str]]]:
    """A page in a fresh browser context, and the network problems it records; closed after."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    network = lite.watch(context, base_url)
    try:
        yield context.new_page(), network.problems
    finally:
        context.close()


def run_in_browser(
    chromium: Browser, base_url: str, path: str, shot: str, **run: object
) -> tuple[list, list[str]]:
    """Open `path` in a fresh context, run all its cells; return the cells and network problems."""
    with fresh_page(chromium, base_url) as (page, problems):
        try:
            lite.open_notebook(page, base_url, path)
            cells = lite.run_all(page, **run)
        finally:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=ARTIFACTS / f"lite-{shot}.png", full_page=True)
    return cells, problems


def errors(cells: list) -> list[str]:
    """Each error output of cells not tagged raises-exception, as 'cell: text'."""
    return [
        f"{lite.describe(cell)}: {lite.error_text(output)}"
        for cell in cells
        if "raises-exception" not in cell["tags"]
        for output in cell["outputs"]
        if output["output_type"] == "error"
    ]


def first_error(cells: list) -> str:
    """The first error in full and the other failing cells by name, for a failure message."""
    found = errors(cells)
    others = [text.split(":", 1)[0] for text in found[1:]]
    return found[0] + (f"\n\n{len(others)} more cells failed: {others}" if others else "")


def not_run(cells: list) -> list[str]:
    """The code cells that never ran."""
    return [
        lite.describe(cell)
        for cell in cells
        if cell["type"] == "code" and cell["source"].strip() and cell["executionCount"] is None
    ]


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_runs_every_cell_without_error_in_the_browser(chromium, base_url, lesson):
    cells, network = run_in_browser(chromium, base_url, lesson, Path(lesson).stem)
    assert not network, "\n".join(network)
    assert not errors(cells), first_error(cells)
    assert not not_run(cells), f"cells that never ran: {not_run(cells)}"


@pytest.mark.parametrize("exercise", EXERCISES)
def test_exercise_with_reference_solutions_passes_its_visible_tests_in_the_browser(
    chromium, base_url, exercise
):
    shot = f"{Path(exercise).stem}-reference"
    sources = lite.reference_sources(exercise)
    cells, network = run_in_browser(chromium, base_url, exercise, shot, sources=sources)
    assert not network, "\n".join(network)
    assert not errors(cells), first_error(cells)
    assert not not_run(cells), f"cells that never ran: {not_run(cells)}"


@pytest.mark.parametrize("exercise", EXERCISES)
def test_exercise_stubs_fail_with_not_implemented_yet_in_the_browser(chromium, base_url, exercise):
    shot = f"{Path(exercise).stem}-stub"
    cells, network = run_in_browser(chromium, base_url, exercise, shot)
    assert not network, "\n".join(network)
    solution_ids = set(lite.reference_sources(exercise))
    told = []
    for index, cell in enumerate(cells):
        if cell["gradeId"] in solution_ids:
            tests = [later for later in cells[index + 1 :] if later["gradeId"]]
            first = tests[0] if tests else None
            said = [lite.error_text(out) for out in (first or {}).get("outputs", [])]
            told.append((cell["gradeId"], any("not implemented yet" in text for text in said)))
    silent = [name for name, ok in told if not ok]
    assert told, f"{exercise} has no solution cells"
    assert not silent, (
        f"the first test after these stubs did not say 'not implemented yet': {silent}"
    )


def test_hanging_async_answers_time_out_and_the_kernel_stays_usable_in_the_browser(
    chromium, base_url
):
    exercise = "exercises/02_async_generators/02_async_generators.ipynb"
    sources = lite.reference_sources(exercise)
    sources["word_count_stream"] = (
        "async def word_count_stream(tokens):\n    while True:  # a busy loop\n        pass\n"
        "    yield\n"
    )
    sources["buffer_sentences"] = (
        "import asyncio\n\nasync def buffer_sentences(tokens):\n"
        "    await asyncio.Event().wait()  # a deadlock\n    yield\n"
    )
    cells, network = run_in_browser(chromium, base_url, exercise, "02-hanging", sources=sources)
    assert not network, "\n".join(network)
    failures = [
        (lite.describe(cell), lite.error_text(output))
        for cell in cells
        for output in cell["outputs"]
        if output["output_type"] == "error"
    ]
    timed_out = {name for name, text in failures if "did not finish within" in text}
    broken = {name for name, _ in failures} - timed_out
    assert not broken, first_error(cells)
    hanging = ("test_word_count_stream_", "test_buffer_sentences_")
    assert all(name.startswith(hanging) for name in timed_out), timed_out
    for name in ["word_count_stream", "buffer_sentences"]:
        assert any(test.startswith(f"test_{name}_") for test in timed_out), (name, failures)
    assert not not_run(cells), f"cells that never ran: {not_run(cells)}"


_KERNELS = """async () => {
  const app = window.jupyterapp;
  const context = app.shell.currentWidget.sessionContext;
  await context.ready;
  const { kernels, sessions } = app.serviceManager;
  await Promise.all([kernels.refreshRunning(), sessions.refreshRunning()]);
  return {
    kernels: [...kernels.running()].map((kernel) => kernel.id),
    sessions: [...sessions.running()].map((session) => [session.path, session.kernel.id]),
    notebook: context.session.kernel.id,
  };
}"""

_EXECUTE = """async (code) => {
  const context = window.jupyterapp.shell.currentWidget.sessionContext;
  await context.ready;
  const future = context.session.kernel.requestExecute({ code, store_history: false });
  let text = '';
  future.onIOPub = (msg) => {
    if (msg.header.msg_type === 'stream') text += msg.content.text;
    if (msg.header.msg_type === 'error') text += `${msg.content.ename}: ${msg.content.evalue}`;
  };
  await future.done;
  return text;
}"""


def test_the_notebook_uses_the_kernel_started_while_the_page_loads(chromium, base_url):
    events = []
    with fresh_page(chromium, base_url) as (page, problems):
        page.on("worker", lambda worker: events.append("kernel starts"))
        lite.open_notebook(page, base_url, LESSONS[0])
        events.append("notebook opens")
        state = page.evaluate(_KERNELS)
    assert not problems, "\n".join(problems)
    assert events == ["kernel starts", "notebook opens"]
    assert state["kernels"] == [state["notebook"]], state
    assert state["sessions"] == [[LESSONS[0], state["notebook"]]], state


def test_no_kernel_starts_early_for_a_notebook_that_is_not_there(chromium, base_url):
    with fresh_page(chromium, base_url) as (page, _):  # asking for the missing file is a 404
        with page.expect_console_message(
            lambda message: "The kernel will start when the notebook opens" in message.text
        ):
            page.goto(f"{base_url}/notebooks/index.html?path=course/not_there.ipynb")
        workers = page.workers
    assert workers == []


def test_a_module_saved_beside_the_notebook_imports_and_is_searched_last(chromium, base_url):
    code = (
        "from pathlib import Path\n"
        "Path('beside_the_notebook.py').write_text('ANSWER = 42\\n')\n"
        "import sys, beside_the_notebook\n"
        "print(beside_the_notebook.ANSWER, sys.path.index(''), len(sys.path))\n"
    )
    with fresh_page(chromium, base_url) as (page, problems):
        lite.open_notebook(page, base_url, LESSONS[0])
        printed = page.evaluate(_EXECUTE, code)
    assert not problems, "\n".join(problems)
    answer, where, length = printed.split()
    assert answer == "42", printed
    assert int(where) == int(length) - 1, f"'' should come last on sys.path: {printed}"
