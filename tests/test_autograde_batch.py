"""`python -m graders.autograde`: every submission graded in one process, none left silent or stale."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys

import nbformat
import pytest
from nbgrader.api import Gradebook
from nbgrader.apps import NbGraderAPI

from course import ASSIGNMENTS, ROOT, reference_solutions, scores, scratch_course, submit
from graders.autograde import grade_assignment, load_config

pytestmark = pytest.mark.slow

ASSIGNMENT = "01_generators"
SOURCE = ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
HARD_CODED = (ROOT / "tests" / "adversarial" / "hard_coded_visible.py").read_text()
OS_EXIT = (ROOT / "tests" / "adversarial" / "os_exit.py").read_text()


def run_batch(course, *args):
    env = {**os.environ, "PATH": f"{ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(
        [sys.executable, "-m", "graders.autograde", ASSIGNMENT, "--course", str(course), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def assert_left_for_a_human(course, student):
    """No autograded score survives for `student`; every grade needs a manual one."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        submission = gb.find_submission(ASSIGNMENT, student)
        grades = [g for nb in submission.notebooks for g in nb.grades]
        assert grades and all(g.auto_score is None and g.needs_manual_grade for g in grades)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A course with three submissions, and the command-line run that graded them."""
    course = scratch_course(tmp_path_factory.mktemp("batch"), ASSIGNMENT)
    reference = reference_solutions(SOURCE)
    submit(course, ASSIGNMENT, "ada", reference)
    submit(course, ASSIGNMENT, "bob", {})
    submit(course, ASSIGNMENT, "cy", {**reference, "stream_tokens": HARD_CODED})
    return course, run_batch(course)


@pytest.fixture
def course(graded):
    return graded[0]


@pytest.fixture
def first_run(graded):
    return graded[1]


def test_batch_grades_every_submission_and_exits_zero_when_no_one_needs_a_human(course, first_run):
    assert first_run.returncode == 0, first_run.stderr[-2000:]
    table = first_run.stdout.splitlines()
    rows = {line.split()[0]: line.split()[1:3] for line in table[1:4]}
    full = scores(course, ASSIGNMENT)["ada"]
    total = sum(m for _, m in full.values())
    assert rows == {
        "ada": ["graded", f"{total:g}/{total:g}"],
        "bob": ["graded", f"0/{total:g}"],
        "cy": ["graded", f"{total - 2:g}/{total:g}"],
    }


def test_batch_shows_a_progress_bar_on_stderr(first_run):
    assert "3/3" in first_run.stderr


def test_grades_csv_has_each_submission_with_its_status(course):
    with (course / "grades.csv").open() as file:
        rows = {row["student_id"]: row for row in csv.DictReader(file)}
    assert sorted(rows) == ["ada", "bob", "cy"]
    assert {row["status"] for row in rows.values()} == {"graded"}
    assert rows["bob"]["score"] == "0"


def test_regrading_gives_the_same_scores(course):
    before = scores(course, ASSIGNMENT)
    again = grade_assignment(course, ASSIGNMENT, progress=False)
    assert scores(course, ASSIGNMENT) == before
    assert [(r.student, r.score, r.reasons) for r in again] == [
        ("ada", again[0].max_score, []),
        ("bob", 0.0, []),
        ("cy", again[0].max_score - 2, []),
    ]


def test_a_kernel_killed_by_os_exit_leaves_no_earlier_grade_and_exits_one(course):
    submit(course, ASSIGNMENT, "dee", reference_solutions(SOURCE))
    grade_assignment(course, ASSIGNMENT, ["dee"], progress=False)
    assert scores(course, ASSIGNMENT)["dee"]["test_stream_tokens_hidden"] == (2, 2)
    notebook = course / "submitted" / "dee" / ASSIGNMENT
    for path in notebook.iterdir():
        path.unlink()
    notebook.rmdir()
    submit(course, ASSIGNMENT, "dee", {**reference_solutions(SOURCE), "stream_tokens": OS_EXIT})

    run = run_batch(course, "--student", "dee")

    assert run.returncode == 1
    line = next(line for line in run.stdout.splitlines() if line.startswith("dee "))
    assert "NOT graded" in line and "the kernel died" in line
    assert all(score == 0 for score, _ in scores(course, ASSIGNMENT)["dee"].values())
    assert_left_for_a_human(course, "dee")
    with (course / "grades.csv").open() as file:
        row = next(r for r in csv.DictReader(file) if r["student_id"] == "dee")
    assert (row["status"], row["score"]) == ("not graded", "")


def test_feedback_shows_messages_but_no_hidden_tests_or_tracebacks(course):
    api = NbGraderAPI(config=load_config(course))
    result = api.generate_feedback(ASSIGNMENT, "cy")
    assert result["success"], result.get("log")
    html = (course / "feedback" / "cy" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "failed a hidden test" in html
    assert "BEGIN HIDDEN TESTS" not in html
    assert "naïve café" not in html and "long_text" not in html  # hidden inputs
    assert "most recent call last" not in html and "site-packages" not in html
    assert "_expect.py" not in html and "ipykernel" not in html


def test_a_course_released_without_its_gradebook_is_graded(tmp_path, monkeypatch):
    # `make release` generates exercises/ with a throwaway gradebook: the batch records the
    # assignment itself, without touching exercises/.
    monkeypatch.setenv("PATH", f"{ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}")
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    for folder in ("solutions", "exercises"):
        shutil.copytree(ROOT / folder / ASSIGNMENT, tmp_path / folder / ASSIGNMENT)
    submit(tmp_path, ASSIGNMENT, "eve", reference_solutions(SOURCE))
    released = (tmp_path / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_bytes()

    [result] = grade_assignment(tmp_path, ASSIGNMENT, progress=False)

    assert result.graded and result.score == result.max_score > 0
    assert (tmp_path / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_bytes() == released


def test_a_source_that_fails_on_its_own_grades_no_one_and_keeps_no_grade(tmp_path):
    course = scratch_course(tmp_path, ASSIGNMENT)
    submit(course, ASSIGNMENT, "fay", reference_solutions(SOURCE))
    [first] = grade_assignment(course, ASSIGNMENT, progress=False)
    assert first.graded and first.score == first.max_score
    source = course / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(source, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('broken source')"))
    nbformat.write(nb, source)

    [again] = grade_assignment(course, ASSIGNMENT, progress=False)

    assert not again.graded
    assert again.reasons == [
        f"grading failed: {source} fails with its reference answers: RuntimeError: broken source"
    ]
    assert_left_for_a_human(course, "fay")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_assignment_gets_full_marks_in_the_sandbox_and_its_stub_none(tmp_path, assignment):
    course = scratch_course(tmp_path, assignment)
    source = ROOT / "solutions" / assignment / f"{assignment}.ipynb"
    submit(course, assignment, "reference", reference_solutions(source))
    submit(course, assignment, "stub", {})
    results = {r.student: r for r in grade_assignment(course, assignment, progress=False)}
    reference, stub = results["reference"], results["stub"]
    assert reference.graded and not reference.reasons, reference
    assert reference.score == reference.max_score > 0
    assert stub.graded and stub.score == 0, stub
