"""Autograde every submission of an assignment in one process, and say which need a human.

    python -m graders.autograde 01_generators [--course DIR] [--student ID ...] [--jobs N]

Each submission ends either graded, with its score, or NOT graded with the
reason; nothing that failed is left looking like a 0 or keeps an earlier
grade. The outcomes are also written to `grades.csv`. Exit status 1 means
some submission needs a human. `--jobs` submissions are graded at once, each
in its own thread with its own kernels (default: one per CPU core, at most 4).
Every kernel runs in a sandbox of its own (see _sandbox.py); `--no-sandbox`
runs learner code with your own rights instead.
"""

from __future__ import annotations

import sys

# jsonschema, which nbformat imports, compiles a grammar for IRIs at import time
# (1.4 s here) if rfc3987-syntax is installed; notebooks' schemas never use it.
sys.modules.setdefault("rfc3987_syntax", None)

import argparse
import contextlib
import csv
import logging
import os
import queue
import tempfile
import threading
import warnings
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.apps import NbGraderAPI
from nbgrader.converters import Autograde
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    IgnorePattern,
    LimitOutput,
    SaveAutoGrades,
)
from nbgrader.utils import capture_log, temp_attrs
from sqlalchemy.exc import SAWarning
from tqdm import tqdm
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from . import _batch_checks as checks
from . import _sandbox
from ._batch_kernels import FORKS, GuardedExecute, thread_state
from ._batch_speed import speed_up_nbgrader
from ._batch_threads import steady_process_state

NO_SANDBOX = (
    "Without the sandbox (--no-sandbox), learner code runs with your rights: it can read the"
    " hidden tests and other students' work, change the gradebook and graders/, and signal"
    " the kernels beside it. Use it only for code you trust."
)

CSV_COLUMNS = ["assignment", "student_id", "status", "score", "max_score", "reason"]

_FAILURES = {
    "Kernel died": "the kernel died (os._exit, a crash, or over a limit: memory, CPU, processes)",
    "partial credit cannot be greater": "a test cell's output looked like a score above its points",
    "No notebooks found": "the submission has none of the assignment's notebooks",
}


class SandboxUnavailable(RuntimeError):
    """Kernels cannot be confined on this machine (the message says why)."""


@dataclass
class Result:
    """How one submission ended: graded with a score, or not, and why a human should look."""

    student: str
    graded: bool
    score: float | None = None
    max_score: float | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def needs_review(self) -> bool:
        """True when a human must look at this submission."""
        return not self.graded or bool(self.reasons)


def load_config(
    course: Path, *, notebook_timeout: float = 120.0, memory_limit_mb: int = 2048
) -> Config:
    """The course's nbgrader_config.py, with nbgrader's Execute step replaced by the guarded one."""
    config = Config()
    if (course / "nbgrader_config.py").exists():
        config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    config.CourseDirectory.root = str(course)
    config.Autograde.autograde_preprocessors = [
        GuardedExecute,
        IgnorePattern,
        "nbconvert.preprocessors.ClearMetadataPreprocessor",
        LimitOutput,
        SaveAutoGrades,
        AssignLatePenalties,
        CheckCellMetadata,
    ]
    config.Execute.shutdown_kernel = "immediate"
    config.GuardedExecute.notebook_timeout = notebook_timeout
    config.GuardedExecute.memory_limit_mb = memory_limit_mb
    config.NbGraderAPI.log_level = "WARN"
    return config


def ensure_in_gradebook(api: NbGraderAPI, assignment: str) -> None:
    """Record the assignment's cells in the gradebook if `make release` has not (throwaway db)."""
    with Gradebook(api.coursedir.db_url, api.course_id) as gb:
        try:
            gb.find_assignment(assignment)
            return
        except MissingEntry:
            pass
    with tempfile.TemporaryDirectory() as scratch:
        with temp_attrs(api.coursedir, release_directory=scratch):
            result = api.generate_assignment(assignment)
    if not result["success"]:
        raise SystemExit(f"could not read the source of {assignment}:\n{result.get('log', '')}")


def submitted_students(api: NbGraderAPI, assignment: str) -> list[str]:
    """Students with a submission of `assignment`, sorted."""
    pattern = api.coursedir.format_path(api.coursedir.submitted_directory, "*", assignment)
    return sorted(Path(path).parent.name for path in Path("/").glob(pattern.lstrip("/")))


def reference_checks(api: NbGraderAPI, assignment: str) -> dict[str, dict[str, int]]:
    """Run the source notebooks once: how many checks each graded cell passes on the reference."""
    source = Path(api.coursedir.format_path(api.coursedir.source_directory, ".", assignment))
    counts = {}
    for path in sorted(source.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, timeout=60, resources={"metadata": {"path": str(source)}})
        try:
            client.execute()
        except CellExecutionError as error:
            raise RuntimeError(
                f"{path} fails with its reference answers: {error.ename}: {error.evalue}"
            ) from None
        counts[path.stem] = checks.passed_checks(nb)
    return counts


def grade_one(
    api: NbGraderAPI,
    assignment: str,
    student: str,
    reference: Future[dict[str, dict[str, int]]],
) -> Result:
    """Autograde one submission through nbgrader, then check and correct what it recorded.

    `reference` is `reference_checks` of the assignment, awaited only once it is needed.
    """
    notes = thread_state.notes
    notes.clear()
    outcome = _autograde(api, assignment, student)
    coursedir = api.coursedir
    submitted = Path(coursedir.format_path(coursedir.submitted_directory, student, assignment))
    autograded = Path(coursedir.format_path(coursedir.autograded_directory, student, assignment))
    notebooks = sorted(autograded.glob("*.ipynb"))
    reasons = [f"{name} in its own cells" for name in _suspicious(submitted)]
    reasons += _altered(coursedir, assignment, submitted)
    reasons += notes
    with Gradebook(coursedir.db_url, api.course_id) as gb:
        if not outcome["success"] or not notebooks:
            checks.flag_for_review(gb, assignment, student, clear=True)
            killed = any(note.startswith("the notebook ran longer") for note in notes)
            return Result(
                student, False, reasons=[*([] if killed else [_failure(outcome)]), *reasons]
            )
        for path in notebooks:
            notebook = checks.read(path)
            failed = checks.failed_test_cells(notebook)
            for cell in checks.zero_failed_cells(gb, assignment, student, failed):
                reasons.append(f"{cell} failed but had a score: scored 0")
            got, expected = checks.passed_checks(notebook), reference.result().get(path.stem, {})
            for cell in checks.zero_silent_passes(gb, assignment, student, got, expected):
                reasons.append(f"{cell} scored without running its checks: scored 0")
            reasons += [
                f"{cell} hit the cell time limit" for cell in checks.timed_out_cells(notebook)
            ]
        manual = checks.manual_cells(gb, assignment, student)
        if manual:
            reasons.append(f"{', '.join(manual)} need a manual grade")
        if reasons:
            checks.flag_for_review(gb, assignment, student, clear=False)
        score, max_score = checks.score(gb, assignment, student)
    return Result(student, True, score, max_score, reasons)


def _autograde(api: NbGraderAPI, assignment: str, student: str) -> dict:
    """`api.autograde`, logging to this thread's own logger (nbgrader's is shared by all)."""
    log = logging.getLogger(f"{__name__}.{threading.current_thread().name}")
    log.propagate = False
    with temp_attrs(api.coursedir, assignment_id=assignment, student_id=student):
        app = Autograde(coursedir=api.coursedir, parent=api, log=log)
        app.force = app.create_student = True
        return capture_log(app)


def _altered(coursedir, assignment: str, submitted: Path) -> list[str]:
    """Locked cells the learner deleted or edited (nbgrader grades with the source's)."""
    released = Path(coursedir.format_path(coursedir.release_directory, ".", assignment))
    reasons = []
    for notebook in sorted(submitted.glob("*.ipynb")):
        if (released / notebook.name).exists():
            deleted, edited = checks.altered_cells(
                checks.read(notebook), checks.read(released / notebook.name)
            )
            reasons += [
                f"{', '.join(cells)} {how} (restored from the source)"
                for cells, how in ((deleted, "deleted"), (edited, "edited"))
                if cells
            ]
    return reasons


def _suspicious(submitted: Path) -> list[str]:
    return sorted(
        {
            name
            for nb in submitted.glob("*.ipynb")
            for name in checks.suspicious_code(checks.read(nb))
        }
    )


def _failure(outcome: dict) -> str:
    text = outcome.get("log", "") + outcome.get("error", "")
    for marker, reason in _FAILURES.items():
        if marker in text:
            return reason
    errors = [line for line in text.splitlines() if line.startswith("[ERROR]")]
    return errors[0].removeprefix("[ERROR] ") if errors else "nbgrader could not grade it"


def grade_assignment(
    course: Path,
    assignment: str,
    students: Sequence[str] | None = None,
    *,
    progress: bool = True,
    jobs: int = 0,
    sandbox: bool = True,
    **limits: float,
) -> list[Result]:
    """Autograde every submission of `assignment` (or only `students`) in `course`.

    `jobs` submissions are graded at once (0: one per CPU core, at most 4), while
    the source notebooks run once for `reference_checks`. Each kernel is confined
    (`sandbox`); where it cannot be, this raises `SandboxUnavailable`.
    """
    if sandbox and (reason := _sandbox.unavailable()):
        raise SandboxUnavailable(reason)
    warnings.filterwarnings("ignore", category=SAWarning)
    speed_up_nbgrader()
    config = load_config(course.resolve(), **limits)
    memory_mb = config.GuardedExecute.memory_limit_mb
    FORKS.limits = _sandbox.Limits(memory_mb=memory_mb) if sandbox else None
    api = NbGraderAPI(config=config)
    students = list(students or submitted_students(api, assignment))
    if not students:
        return []
    ensure_in_gradebook(api, assignment)
    todo: queue.SimpleQueue[str] = queue.SimpleQueue()
    for student in students:
        todo.put(student)
    done: queue.SimpleQueue[Result] = queue.SimpleQueue()
    jobs = min(jobs or min(os.cpu_count() or 1, 4), len(students))
    results = {}
    with (
        steady_process_state(api.coursedir.root),
        contextlib.closing(FORKS),
        ThreadPoolExecutor(1, thread_name_prefix="reference") as pool,
        tqdm(total=len(students), desc=assignment, unit="nb", disable=not progress) as bar,
    ):
        reference = pool.submit(reference_checks, api, assignment)
        graders = [
            threading.Thread(
                target=_grade_queued,
                args=(NbGraderAPI(config=config), assignment, reference, todo, done),
                name=f"grader-{n + 1}",
                daemon=True,
            )
            for n in range(jobs)
        ]
        for thread in graders:
            thread.start()
        while len(results) < len(students):
            result = done.get()
            results[result.student] = result
            bar.set_postfix_str(result.student)
            bar.update()
        for thread in graders:
            thread.join()
    return [results[student] for student in students]


def _grade_queued(
    api: NbGraderAPI,
    assignment: str,
    reference: Future[dict[str, dict[str, int]]],
    todo: queue.SimpleQueue[str],
    done: queue.SimpleQueue[Result],
) -> None:
    """Grade submissions from `todo` until none is left (one grading thread; `api` its own)."""
    try:
        while True:
            try:
                student = todo.get_nowait()
            except queue.Empty:
                return
            try:
                done.put(grade_one(api, assignment, student, reference))
            except Exception as error:  # reported in the table and the gradebook, never lost
                done.put(_not_graded(api, assignment, student, error))
    finally:
        thread_state.warm.close()


def _not_graded(api: NbGraderAPI, assignment: str, student: str, error: Exception) -> Result:
    """The result of a submission that grading failed on, its grades cleared for a human."""
    with contextlib.suppress(MissingEntry), Gradebook(api.coursedir.db_url, api.course_id) as gb:
        checks.flag_for_review(gb, assignment, student, clear=True)
    return Result(student, False, reasons=[f"grading failed: {error}"])


def format_table(results: Sequence[Result]) -> str:
    """One line per submission: student, outcome, score, and what a human should look at."""
    rows = [("student", "outcome", "score", "why")]
    for r in results:
        score = f"{r.score:g}/{r.max_score:g}" if r.graded else "-"
        outcome = "NOT graded" if not r.graded else "review" if r.reasons else "graded"
        rows.append((r.student, outcome, score, "; ".join(r.reasons)))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
        + "  "
        + row[3]
        for row in rows
    )


def write_csv(path: Path, assignment: str, results: Sequence[Result]) -> None:
    """Replace `assignment`'s rows of the grades CSV at `path`, keeping other assignments'."""
    rows = []
    if path.exists():
        with path.open(newline="") as file:
            reader = csv.DictReader(file)
            if reader.fieldnames == CSV_COLUMNS:
                rows = [row for row in reader if row["assignment"] != assignment]
    for r in results:
        status = "graded" if not r.needs_review else "needs review"
        rows.append(
            {
                "assignment": assignment,
                "student_id": r.student,
                "status": status if r.graded else "not graded",
                "score": "" if r.score is None else f"{r.score:g}",
                "max_score": "" if r.max_score is None else f"{r.max_score:g}",
                "reason": "; ".join(r.reasons),
            }
        )
    rows.sort(key=lambda row: (row["assignment"], row["student_id"]))
    with path.open("w", newline="") as file:
        writer = csv.DictWriter(file, CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def main(argv: Sequence[str] | None = None) -> int:
    """Grade, print the table, write the CSV; 1 when a submission needs a human."""
    parser = argparse.ArgumentParser(prog="python -m graders.autograde", description=__doc__)
    parser.add_argument("assignment")
    parser.add_argument("--course", type=Path, default=Path("."), help="course directory")
    parser.add_argument("--student", action="append", help="grade only this student (repeat)")
    parser.add_argument("--csv", type=Path, help="grades CSV (default: COURSE/grades.csv)")
    parser.add_argument("--notebook-timeout", type=float, default=120.0, help="seconds")
    parser.add_argument("--memory-limit-mb", type=int, default=2048)
    parser.add_argument("--jobs", type=int, default=0, help="submissions at once (0: cores)")
    parser.add_argument(
        "--no-sandbox",
        action="store_true",
        help="run learner code with your own rights (only for code you trust)",
    )
    args = parser.parse_args(argv)
    if not (args.course / "nbgrader_config.py").exists():
        parser.error(f"{args.course.resolve()} has no nbgrader_config.py: pass --course")
    if args.no_sandbox:
        print(NO_SANDBOX, file=sys.stderr)
    try:
        results = grade_assignment(
            args.course,
            args.assignment,
            args.student,
            notebook_timeout=args.notebook_timeout,
            memory_limit_mb=args.memory_limit_mb,
            jobs=args.jobs,
            sandbox=not args.no_sandbox,
        )
    except SandboxUnavailable as error:
        parser.exit(2, f"Cannot sandbox the kernels: {error}.\n{NO_SANDBOX}\n")
    if not results:
        print(f"No submissions of {args.assignment} in {args.course.resolve()}/submitted.")
        return 0
    print(format_table(results))
    write_csv(args.csv or args.course / "grades.csv", args.assignment, results)
    review = sum(r.needs_review for r in results)
    print(f"\n{len(results) - review} graded, {review} need a human.")
    return 1 if review else 0


if __name__ == "__main__":
    sys.exit(main())
