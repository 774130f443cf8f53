"""Every worked example in an exercise's instructions reproduces, with the notebook's own objects.

Issue 14.4: a learner copies the example under an exercise into a cell and must see exactly
what the instructions print. The examples are ```python blocks in the markdown cells, written
as doctest (`>>> ` lines, then the exact output). For each notebook in solutions/, this test
runs the setup cells and the reference solutions (not the test cells) in a fresh module, then
runs every such block with the stdlib `doctest` module.

Examples may use top-level `await` and `async for`, as a notebook cell does: they are compiled
with `ast.PyCF_ALLOW_TOP_LEVEL_AWAIT` and awaited on one event loop per notebook, the way
`python -m asyncio` runs its prompt. Each block starts from a copy of the notebook's namespace,
so one example never depends on another. Options: NORMALIZE_WHITESPACE (a long repr may be
wrapped over lines) and ELLIPSIS (`...` in the output stands for any text).
"""

from __future__ import annotations

import ast
import asyncio
import builtins
import contextlib
import doctest
import inspect
import io
import re
import signal
import sys
import traceback
import types
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from course import ROOT
from graders import reference_solutions

NOTEBOOKS = sorted((ROOT / "solutions").glob("*/*.ipynb"))
SECONDS_PER_EXAMPLE = 10
TOP_LEVEL_AWAIT = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
# Frames of these files are the test's machinery, left out of an example's traceback.
MACHINERY = (Path(doctest.__file__), Path(__file__), Path(asyncio.__file__).parent)
# Long reprs may be wrapped over several lines, and `...` may stand for the rest of a long one.
OPTIONS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
FENCE = re.compile(r"^```python[ \t]*\n(.*?)^```", re.MULTILINE | re.DOTALL)


def machinery(filename: str) -> bool:
    return any(Path(filename) == part or Path(filename).is_relative_to(part) for part in MACHINERY)


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def is_test_cell(cell) -> bool:
    """An nbgrader test cell (graded, not a solution): never run here."""
    meta = nbgrader(cell)
    return bool(meta.get("grade")) and not meta.get("solution")


def where(path: Path, index: int, cell) -> str:
    grade_id = nbgrader(cell).get("grade_id")
    return f"{relative(path)}, {cell.cell_type} cell {index}" + (
        f" ({grade_id})" if grade_id else ""
    )


def example_blocks(source: str) -> Iterator[tuple[int, str]]:
    """(line in the cell, text) of each ```python block that holds `>>> ` lines."""
    for match in FENCE.finditer(source):
        body = match.group(1)
        if any(line.lstrip().startswith(">>> ") for line in body.splitlines()):
            yield source.count("\n", 0, match.start(1)) + 1, body


class ExampleTimedOut(BaseException):
    """An example or setup cell ran too long (not an Exception, so no example can catch it,
    and not a TimeoutError, so it never passes for an example that expects one)."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ExampleTimedOut in whatever runs longer than `seconds` (where SIGALRM exists)."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def expire(signum, frame):
        raise ExampleTimedOut(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_code(code: types.CodeType, namespace: dict, runner: asyncio.Runner) -> None:
    """Run compiled cell or example code; code with top-level await is awaited on `runner`."""
    with time_limit(SECONDS_PER_EXAMPLE):
        if code.co_flags & inspect.CO_COROUTINE:
            runner.run(eval(code, namespace))
        else:
            builtins.exec(code, namespace)


class ExampleRunner(doctest.DocTestRunner):
    """A doctest runner whose reports name the notebook, the cell and the example."""

    def _where(self, test: doctest.DocTest, example: doctest.Example) -> str:
        number = test.examples.index(example) + 1
        return f"{test.name}, example {number} (line {test.lineno + example.lineno + 1} of the cell):\n"

    def report_failure(self, out, test, example, got):
        out(
            self._where(test, example)
            + self._checker.output_difference(example, got, self.optionflags)
        )

    def report_unexpected_exception(self, out, test, example, exc_info):
        kind, value, tb = exc_info
        while tb is not None and machinery(tb.tb_frame.f_code.co_filename):
            tb = tb.tb_next  # start the traceback at the example, not in the test's machinery
        error = "".join(traceback.format_exception(kind, value, tb))
        source = "".join(f"    {line}\n" for line in example.source.splitlines())
        out(f"{self._where(test, example)}Failed example:\n{source}Exception raised:\n{error}")


def run_notebook_examples(path: Path, monkeypatch) -> tuple[int, list[str]]:
    """Run the setup and reference cells of `path`, then its examples: (examples run, failures)."""
    nb = nbformat.read(path, as_version=4)
    solutions = reference_solutions(path)
    module = types.ModuleType(f"_worked_examples_{path.stem}")
    module.__file__ = str(path)
    namespace = module.__dict__
    failures: list[str] = []
    ran = 0
    monkeypatch.chdir(path.parent)
    monkeypatch.setitem(sys.modules, module.__name__, module)
    with asyncio.Runner() as runner:
        # doctest calls exec(); this one also awaits examples that use top-level await.
        monkeypatch.setattr(
            doctest, "exec", lambda code, globs: run_code(code, globs, runner), raising=False
        )
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or is_test_cell(cell):
                continue
            meta = nbgrader(cell)
            source = solutions[meta["grade_id"]] if meta.get("solution") else cell.source
            try:
                code = compile(source, where(path, index, cell), "exec", TOP_LEVEL_AWAIT)
                with contextlib.redirect_stdout(io.StringIO()):
                    run_code(code, namespace, runner)
            except BaseException as error:  # a broken or endless setup cell is a failure
                if isinstance(error, KeyboardInterrupt):
                    raise
                trace = "".join(traceback.format_exception(error))
                failures.append(f"{where(path, index, cell)} (setup) raised:\n{trace}")
                return ran, failures
        parser = doctest.DocTestParser()
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "markdown":
                continue
            for number, (line, block) in enumerate(example_blocks(cell.source), start=1):
                name = f"{where(path, index, cell)}, python block {number}"
                globs = dict(namespace)
                test = parser.get_doctest(block, globs, name, relative(path), line - 1)
                report: list[str] = []
                flags = doctest._extract_future_flags(globs) | TOP_LEVEL_AWAIT
                examples = ExampleRunner(verbose=False, optionflags=OPTIONS)
                result = examples.run(
                    test, compileflags=flags, out=report.append, clear_globs=False
                )
                ran += result.attempted
                failures += report
    return ran, failures


@pytest.mark.parametrize("path", NOTEBOOKS, ids=relative)
def test_worked_examples_reproduce(path, monkeypatch):
    ran, failures = run_notebook_examples(path, monkeypatch)
    assert not failures, (
        f"{len(failures)} worked example(s) in {relative(path)} do not print what the "
        "instructions say (run the notebook's setup and solution cells, then the example, to "
        "see it):\n\n" + "\n".join(failures)
    )
    assert ran, f"{relative(path)} has no worked examples (```python blocks with >>> lines)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=relative)
def test_every_exercise_has_a_runnable_example(path):
    """The instructions of each exercise (the markdown since the last solution cell) show one."""
    nb = nbformat.read(path, as_version=4)
    missing, runnable, new_exercise = [], False, True
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            new_exercise = True
            runnable = runnable or any(example_blocks(cell.source))
        elif nbgrader(cell).get("solution"):
            # A second solution cell with no markdown since the last belongs to the same exercise.
            if new_exercise and not runnable:
                missing.append(where(path, index, cell))
            runnable = new_exercise = False
    assert not missing, (
        "these exercises have no runnable worked example (a ```python block with >>> lines "
        "and the exact output) in the instructions before them: " + "; ".join(missing)
    )
