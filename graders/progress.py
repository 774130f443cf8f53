"""A learner's progress: which exercises pass their visible checks, per module and overall.

    from graders.progress import progress; progress()        # in a notebook
    python -m graders.progress [FOLDER] [--self-study] [--reference NAME]

It reads the learner's saved notebooks in `exercises/` and runs each one's code
cells in order, in a fresh namespace in this process, with their output
captured: the set-up cells, the learner's solution cells and the test cells
after each. An exercise is done when all its test cells pass. The released
notebooks hold no hidden tests, and in this default mode nothing else is read.

Self-study mode (`self_study=True`, `--self-study`) is for learners without an
instructor who have the course's source notebooks (`solutions/`, beside
`exercises/`): for each exercise whose visible checks pass, it also runs the
hidden tests with the learner's code and offers the reference solution.
"""

from __future__ import annotations

import argparse
import ast
import builtins
import contextlib
import gc
import html
import io
import json
import linecache
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ._limits import OutOfTime, within
from ._messages import CheckFailed
from ._reference import reference_solutions

DONE = "done"
FAILING = "not yet"
NOT_STARTED = "not started"
SYMBOLS = {DONE: "✓", FAILING: "✗", NOT_STARTED: "·"}

CELL_LIMIT = 10.0
"""Seconds one cell may run (each check inside a test cell has its own, shorter limit)."""

_running = False


@dataclass
class Exercise:
    """How one exercise stands: its status, its checks, and the first problem found."""

    module: str
    name: str
    status: str
    passed: int
    checks: int
    problem: str = ""
    """What the first failing check said (empty when done)."""
    points: float = 0.0
    """Points its test cells scored (in self-study mode, hidden tests included)."""
    max_points: float = 0.0
    hidden: str | None = None
    """Self-study: DONE when every test passes, hidden ones included; None: not run."""
    hidden_problem: str = ""
    reference: str | None = field(default=None, repr=False)
    """Self-study: the reference solution, once the visible checks pass."""


@dataclass
class Progress:
    """Every exercise found, in course order; shown as a table (HTML in Jupyter)."""

    folder: Path
    exercises: list[Exercise]
    self_study: bool = False

    def modules(self) -> dict[str, list[Exercise]]:
        """The exercises of each module, by module name."""
        found: dict[str, list[Exercise]] = {}
        for exercise in self.exercises:
            found.setdefault(exercise.module, []).append(exercise)
        return found

    def done(self) -> int:
        """How many exercises pass all their visible checks."""
        return sum(exercise.status == DONE for exercise in self.exercises)

    def reference(self, name: str) -> str:
        """The reference solution of exercise `name` (self-study, visible checks passed)."""
        exercise = next((e for e in self.exercises if e.name == name), None)
        if exercise is None:
            known = ", ".join(e.name for e in self.exercises)
            raise KeyError(f"There is no exercise named {name!r}. The exercises are: {known}.")
        if not self.self_study:
            raise ValueError(
                "Reference solutions are shown in self-study mode only: "
                "run progress(self_study=True)."
            )
        if exercise.reference is None:
            raise ValueError(
                f"{name} does not pass its visible checks yet ({exercise.passed}/"
                f"{exercise.checks}). Give it an honest try first: the reference is "
                "shown once they pass."
            )
        return exercise.reference

    def __str__(self) -> str:
        return _text_table(self)

    def __repr__(self) -> str:
        return f"<Progress: {self.done()}/{len(self.exercises)} exercises done>"

    def _repr_pretty_(self, printer: object, cycle: bool) -> None:
        printer.text(str(self))  # type: ignore[attr-defined]

    def _repr_html_(self) -> str:
        return _html_table(self)


def progress(
    folder: str | Path = "exercises",
    *,
    self_study: bool = False,
    solutions: str | Path | None = None,
) -> Progress:
    """Run the visible checks of every exercise in `folder`; return the table of results.

    `folder` is looked for in the working directory, then one and two levels up
    (from a lesson's folder, or an exercise's). With `self_study=True` the tests
    in `solutions` (default: `solutions/` beside `folder`), hidden ones included,
    also run for the exercises whose visible checks pass.
    """
    global _running
    if _running:
        raise RuntimeError("progress() cannot run inside a notebook that it is checking.")
    root = _find(Path(folder))
    source_root = None
    if self_study:
        source_root = Path(solutions) if solutions is not None else root.parent / "solutions"
        if not source_root.is_dir():
            raise FileNotFoundError(
                f"Self-study mode needs the course's source notebooks, and {source_root} "
                "is not there. Clone the course's repository and run this beside its "
                "`solutions/` folder, or pass solutions='path/to/solutions'."
            )
    _running = True
    try:
        exercises = []
        for notebook in sorted(root.glob("*/*.ipynb")):
            module = notebook.parent.name
            found = _check_notebook(module, notebook)
            if source_root is not None:
                _self_study(found, notebook, source_root / module / notebook.name)
            exercises += found
    finally:
        _running = False
    return Progress(root, exercises, self_study)


def _find(folder: Path) -> Path:
    candidates = [folder, Path("..") / folder, Path("../..") / folder]
    if sys.platform == "emscripten":  # JupyterLite: the site's files are under /drive
        candidates.append(Path("/drive") / folder)
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"There is no folder {str(folder)!r} here ({Path.cwd()}) or up to two levels up. "
        "Pass the folder that holds your exercise notebooks, "
        "for example progress('path/to/exercises')."
    )


# Reading notebooks


@dataclass(eq=False)
class _Cell:
    kind: str  # "setup", "solution" or "test"
    source: str
    grade_id: str = ""
    points: float = 0.0


def _cells(notebook: Path) -> list[_Cell]:
    """The code cells of a notebook, each marked as set-up, solution or test."""
    found = []
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        if cell.get("cell_type") != "code":
            continue
        meta = cell.get("metadata", {}).get("nbgrader", {})
        source = "".join(cell.get("source", ""))
        kind = "solution" if meta.get("solution") else "test" if meta.get("grade") else "setup"
        points = float(meta.get("points", 0) or 0) if kind == "test" else 0.0
        found.append(_Cell(kind, source, meta.get("grade_id", ""), points))
    return found


def _exercises(cells: list[_Cell]) -> Iterator[tuple[_Cell, list[_Cell]]]:
    """Each solution cell with the test cells that follow it."""
    for index, cell in enumerate(cells):
        if cell.kind == "solution":
            tests = []
            for later in cells[index + 1 :]:
                if later.kind == "solution":
                    break
                if later.kind == "test":
                    tests.append(later)
            yield cell, tests


def _is_a_check(source: str) -> bool:
    """Whether a test cell does more than import (a released hidden cell keeps only those)."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return True
    return any(not isinstance(node, ast.Import | ast.ImportFrom | ast.Pass) for node in body)


# Running them


def _run(cells: list[_Cell], name: str, wanted: set[str] | None = None) -> dict[int, str | None]:
    """Run `cells` in order in a fresh namespace; return each run cell's problem (None: passed).

    With `wanted`, test cells whose grade_id is not in it are skipped.
    """
    namespace = {"__name__": "__main__", "__builtins__": builtins}  # as in the notebook
    results: dict[int, str | None] = {}
    files = []
    try:
        with _captured():
            for index, cell in enumerate(cells):
                if cell.kind == "test" and wanted is not None and cell.grade_id not in wanted:
                    continue
                filename = f"<{name} cell {cell.grade_id or index}>"
                files.append(filename)
                results[index] = _run_cell(cell.source, filename, namespace)
            namespace.clear()
            gc.collect()  # what learner code left behind complains now, into the capture
    finally:
        for filename in files:
            linecache.cache.pop(filename, None)
    return results


def _run_cell(source: str, filename: str, namespace: dict) -> str | None:
    """Run one cell under CELL_LIMIT; its problem, or None when it ran without error."""
    source = _as_python(source)
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    try:
        code = compile(source, filename, "exec")
        within(CELL_LIMIT, lambda: exec(code, namespace))
    except KeyboardInterrupt:
        raise
    except OutOfTime:
        return f"the cell did not finish within {CELL_LIMIT:g} s: is there a loop that never ends?"
    except BaseException as error:  # noqa: BLE001 (learner code may raise anything)
        return _problem(error)
    return None


def _as_python(source: str) -> str:
    """The cell as plain Python, with IPython's magics turned into calls, as Jupyter does."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:
        return source
    return TransformerManager().transform_cell(source)


def _problem(error: BaseException) -> str:
    if isinstance(error, NotImplementedError):
        return "not implemented yet: it raised NotImplementedError."
    if isinstance(error, CheckFailed):
        return str(error)
    text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return text


def _not_started(problem: str) -> bool:
    return "not implemented yet" in problem


@contextlib.contextmanager
def _captured() -> Iterator[None]:
    """Keep everything the cells print or display off the screen."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            from IPython.utils.capture import capture_output
        except ImportError:
            sink = io.StringIO()
            with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                yield
            return
        with capture_output():
            yield


def _check_notebook(module: str, notebook: Path) -> list[Exercise]:
    """Run one learner notebook; each exercise in it, with its status."""
    cells = _cells(notebook)
    results = _run(cells, notebook.name)
    exercises = []
    for solution, tests in _exercises(cells):
        problems = [results[cells.index(test)] for test in tests]
        own = results[cells.index(solution)]
        checks = [p for test, p in zip(tests, problems, strict=True) if _is_a_check(test.source)]
        failing = [p for p in [own, *problems] if p is not None]
        if not failing:
            status = DONE
        elif all(_not_started(p) for p in failing):
            status = NOT_STARTED
        else:
            status = FAILING
        problem = "" if not failing else failing[0]
        if own is not None:
            problem = f"the cell that defines {solution.grade_id}: {own}"
        exercise = Exercise(
            module=module,
            name=solution.grade_id,
            status=status,
            passed=sum(p is None for p in checks),
            checks=len(checks),
            problem=problem,
            max_points=sum(test.points for test in tests),
            points=sum(
                test.points
                for test, p in zip(tests, problems, strict=True)
                if p is None and _is_a_check(test.source)
            ),
        )
        exercises.append(exercise)
    return exercises


def _self_study(exercises: list[Exercise], notebook: Path, source: Path) -> None:
    """Run the hidden tests of the exercises that pass visibly, with the learner's code."""
    passing = {exercise.name: exercise for exercise in exercises if exercise.status == DONE}
    if not source.exists():
        for exercise in passing.values():
            exercise.hidden_problem = f"{source} is missing"
        return
    mine = {solution.grade_id: solution.source for solution, _ in _exercises(_cells(notebook))}
    cells = _cells(source)
    for cell in cells:
        if cell.kind == "solution" and cell.grade_id in mine:
            cell.source = mine[cell.grade_id]
    groups = [(solution, tests) for solution, tests in _exercises(cells)]
    wanted = {
        test.grade_id
        for solution, tests in groups
        if solution.grade_id in passing
        for test in tests
    }
    results = _run(cells, f"{notebook.name} (self-study)", wanted)
    references = reference_solutions(source)
    for solution, tests in groups:
        exercise = passing.get(solution.grade_id)
        if exercise is None:
            continue
        problems = [results[cells.index(test)] for test in tests]
        failing = [p for p in problems if p is not None]
        exercise.hidden = FAILING if failing else DONE
        exercise.hidden_problem = failing[0] if failing else ""
        exercise.max_points = sum(test.points for test in tests)
        exercise.points = sum(t.points for t, p in zip(tests, problems, strict=True) if p is None)
        exercise.reference = references.get(solution.grade_id)


# Showing the results


def _shortened(text: str, width: int = 72) -> str:
    """`text` on one line, cut to `width` characters."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


def _bar(done: int, total: int, width: int = 20) -> str:
    filled = round(width * done / total) if total else 0
    return "█" * filled + "░" * (width - filled)


def _hidden_cell(exercise: Exercise) -> str:
    if exercise.hidden is None:
        return "–"
    return SYMBOLS[exercise.hidden]


def _note(exercise: Exercise) -> str:
    if exercise.status == DONE:
        return _shortened(exercise.hidden_problem) if exercise.hidden == FAILING else ""
    if exercise.status == NOT_STARTED:
        return ""
    return _shortened(exercise.problem)


def _rows(result: Progress, exercise: Exercise) -> list[str]:
    checks = f"{exercise.passed}/{exercise.checks} checks"
    row = [f"{SYMBOLS[exercise.status]} {exercise.status}", exercise.name, checks]
    if result.self_study:
        row += [_hidden_cell(exercise), f"{exercise.points:g}/{exercise.max_points:g}"]
    return [*row, _note(exercise)]


def _headers(result: Progress) -> list[str]:
    extra = ["hidden tests", "points"] if result.self_study else []
    return ["status", "exercise", "visible checks", *extra, "first problem"]


def _summary(done: int, total: int) -> str:
    return f"{done}/{total} done"


def _text_table(result: Progress) -> str:
    total = len(result.exercises)
    headers = _headers(result)
    rows = [_rows(result, e) for e in result.exercises]
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        padded = [text.ljust(width) for text, width in zip(cells, widths, strict=True)]
        return ("  " + "  ".join(padded)).rstrip()

    lines = [
        f"Your progress in {result.folder}: {_summary(result.done(), total)}  "
        f"{_bar(result.done(), total)}",
        "(this checks your saved notebooks: save yours first)",
        "",
        line(headers),
    ]
    for module, exercises in result.modules().items():
        done = sum(e.status == DONE for e in exercises)
        lines += ["", f"{module}  {_summary(done, len(exercises))}  {_bar(done, len(exercises))}"]
        lines += [line(_rows(result, exercise)) for exercise in exercises]
    if result.self_study:
        points = sum(e.points for e in result.exercises)
        top = sum(e.max_points for e in result.exercises)
        lines += [
            "",
            f"Score: {points:g}/{top:g} points (hidden tests run once the visible checks pass).",
            "A reference solution, once its visible checks pass:",
            "progress(self_study=True).reference(NAME) or python -m graders.progress --reference NAME",
        ]
    return "\n".join(lines)


_CELL = "text-align:left;padding:0.1em 1em 0.1em 0"
_STYLE = {
    DONE: "color:#1b5e20",
    FAILING: "color:#b71c1c",
    NOT_STARTED: "color:#616161",
}


def _svg_bar(done: int, total: int, width: int = 160) -> str:
    filled = round(width * done / total) if total else 0
    return (
        f'<svg width="{width}" height="10" role="img" aria-label="{done} of {total} done">'
        f'<rect width="{width}" height="10" rx="3" fill="#e0e0e0"/>'
        f'<rect width="{filled}" height="10" rx="3" fill="#43a047"/></svg>'
    )


def _html_table(result: Progress) -> str:
    escape = html.escape
    headers = _headers(result)
    total = len(result.exercises)
    parts = [
        f"<p><b>Your progress: {_summary(result.done(), total)}</b> "
        f"{_svg_bar(result.done(), total, 240)}<br>"
        "<small>This checks your saved notebooks: save yours first (Ctrl+S).</small></p>",
        '<table style="border-collapse:collapse">',
        "<tr>" + "".join(f'<th style="{_CELL}">{escape(h)}</th>' for h in headers) + "</tr>",
    ]
    for module, exercises in result.modules().items():
        done = sum(e.status == DONE for e in exercises)
        parts.append(
            f'<tr><td colspan="{len(headers)}" style="text-align:left;padding-top:0.6em">'
            f"<b>{escape(module)}</b> {_summary(done, len(exercises))} "
            f"{_svg_bar(done, len(exercises))}</td></tr>"
        )
        for exercise in exercises:
            row = [escape(text) for text in _rows(result, exercise)]
            row[0] = f'<span style="{_STYLE[exercise.status]}">{row[0]}</span>'
            row[1] = f"<code>{row[1]}</code>"
            if exercise.reference is not None:
                row[-1] += (
                    "<details><summary>Reference solution</summary>"
                    f"<pre>{escape(exercise.reference)}</pre></details>"
                )
            full = exercise.hidden_problem if exercise.status == DONE else exercise.problem
            cells = [f'<td style="{_CELL}">{cell}</td>' for cell in row]
            if row[-1]:
                cells[-1] = f'<td style="{_CELL}" title="{escape(full)}">{row[-1]}</td>'
            parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</table>")
    if result.self_study:
        points = sum(e.points for e in result.exercises)
        top = sum(e.max_points for e in result.exercises)
        parts.append(
            f"<p>Score: {points:g}/{top:g} points "
            "(hidden tests run once an exercise's visible checks pass).</p>"
        )
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    """The command line: print the table (and a reference solution, if asked)."""
    parser = argparse.ArgumentParser(
        prog="python -m graders.progress",
        description="Run the visible checks of your exercises and show your progress.",
    )
    parser.add_argument("folder", nargs="?", default="exercises", help="default: exercises")
    parser.add_argument(
        "--self-study", action="store_true", help="also run the hidden tests from solutions/"
    )
    parser.add_argument(
        "--solutions", help="the course's source notebooks (default: beside FOLDER)"
    )
    parser.add_argument(
        "--reference", metavar="NAME", help="show the reference solution of NAME (self-study)"
    )
    args = parser.parse_args(argv)
    self_study = args.self_study or args.reference is not None or args.solutions is not None
    try:
        result = progress(args.folder, self_study=self_study, solutions=args.solutions)
        print(result)
        if args.reference is not None:
            print(f"\nReference solution of {args.reference}:\n")
            print(result.reference(args.reference))
    except (FileNotFoundError, KeyError, ValueError) as error:
        print(error.args[0] if error.args else error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
