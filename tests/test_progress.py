"""The learners' progress check (graders/progress.py) on a notebook with some exercises solved.

The scratch learner has, in module 1: two reference answers, one answer that passes the
visible checks but not the hidden ones, one wrong answer and one untouched stub; module 3
is untouched. Issue 14.3: the check runs only the learner's own notebooks (never
`solutions/`), except in self-study mode, which adds the hidden tests and the reference
once an exercise's visible checks pass.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course import MUTANTS, ROOT, nbgrader_meta
from graders import progress as progress_module
from graders import reference_solutions
from graders.progress import DONE, FAILING, NOT_STARTED, progress

GENERATORS = "01_generators"
SSE = "03_server_sent_events"
SOURCE = ROOT / "solutions" / GENERATORS / f"{GENERATORS}.ipynb"
REFERENCE = reference_solutions(SOURCE)
NOISY = '\nprint("debugging")\nimport sys\nprint("oops", file=sys.stderr)\n'
ANSWERS = {
    "stream_tokens": REFERENCE["stream_tokens"] + NOISY,
    "batch_items": (MUTANTS / "batch_items" / "skips_none.py").read_text(),  # hidden tests fail
    "ChunkIterator": REFERENCE["ChunkIterator"],
    "stream_words": (MUTANTS / "stream_words" / "drops_last_word.py").read_text(),
}  # take_tokens keeps its stub
WATCHED: list[list[str]] = []


def _record_opens(event: str, args: tuple) -> None:
    if event == "open" and WATCHED and isinstance(args[0], str | Path):
        WATCHED[-1].append(str(args[0]))


sys.addaudithook(_record_opens)  # records only while a test watches


def learner_course(where: Path, answers: dict[str, str]) -> Path:
    """A course folder with exercises/ only: module 1 with these answers, module 3 untouched."""
    for assignment in [GENERATORS, SSE]:
        shutil.copytree(ROOT / "exercises" / assignment, where / "exercises" / assignment)
    notebook = where / "exercises" / GENERATORS / f"{GENERATORS}.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if nbgrader_meta(cell).get("solution") and nbgrader_meta(cell)["grade_id"] in answers:
            cell.source = answers[nbgrader_meta(cell)["grade_id"]]
    nbformat.write(nb, notebook)
    return where


@pytest.fixture(scope="module")
def learner(tmp_path_factory) -> Path:
    return learner_course(tmp_path_factory.mktemp("learner"), ANSWERS)


@pytest.fixture(scope="module")
def checked(learner):
    return progress(learner / "exercises")


@pytest.fixture(scope="module")
def self_studied(learner):
    return progress(learner / "exercises", self_study=True, solutions=ROOT / "solutions")


def by_name(result) -> dict:
    return {exercise.name: exercise for exercise in result.exercises}


def test_solved_wrong_and_untouched_exercises_are_counted(checked):
    statuses = {e.name: e.status for e in checked.exercises if e.module == GENERATORS}
    assert statuses == {
        "stream_tokens": DONE,
        "batch_items": DONE,
        "ChunkIterator": DONE,
        "stream_words": FAILING,
        "take_tokens": NOT_STARTED,
    }
    modules = {name: [e.status for e in found] for name, found in checked.modules().items()}
    assert list(modules) == [GENERATORS, SSE]
    assert [status == DONE for status in modules[SSE]] == [False] * 6
    assert set(modules[SSE]) == {NOT_STARTED}
    assert checked.done() == 3
    assert len(checked.exercises) == 11


def test_a_wrong_answer_shows_its_first_failing_check(checked):
    words = by_name(checked)["stream_words"]
    assert (words.passed, words.checks) == (0, 2)
    assert words.problem.startswith("stream_words(['Hel', 'lo', ' wor', 'ld!']) yielded")
    tokens = by_name(checked)["stream_tokens"]
    assert (tokens.passed, tokens.checks, tokens.problem) == (3, 3, "")


def test_the_text_table_has_a_row_per_exercise_and_totals(checked):
    text = str(checked)
    assert text.splitlines()[0].endswith("exercises: 3/11 done  █████░░░░░░░░░░░░░░░")
    assert re.search(r"^01_generators  3/5 done  ", text, re.M)
    assert re.search(r"^03_server_sent_events  0/6 done  ", text, re.M)
    assert re.search(r"^  ✓ done +stream_tokens +3/3 checks$", text, re.M)
    assert re.search(r"^  ✓ done +batch_items +4/4 checks$", text, re.M)
    assert re.search(r"^  ✗ not yet +stream_words +0/2 checks +stream_words\(\['Hel'", text, re.M)
    assert re.search(r"^  · not started +take_tokens +0/2 checks$", text, re.M)
    assert re.search(r"^  · not started +aiter_sse +0/4 checks$", text, re.M)
    assert "hidden" not in text


def test_the_html_table_has_rows_and_progress_bars(checked):
    page = checked._repr_html_()
    assert page.count("<svg") == 3  # overall and one per module
    assert 'aria-label="3 of 11 done"' in page and 'aria-label="3 of 5 done"' in page
    for name in ["stream_tokens", "stream_words", "take_tokens", "accumulate_chat_stream"]:
        assert f"<code>{name}</code>" in page
    assert "✗ not yet" in page and "· not started" in page
    assert "Reference solution" not in page and "hidden" not in page
    assert not re.search(r"https?://|<script|<img|<link", page)  # nothing to fetch


def test_what_the_learner_cells_print_is_not_shown(learner, capsys):
    progress(learner / "exercises")
    assert capsys.readouterr() == ("", "")


def test_the_untouched_release_is_all_not_started():
    result = progress(ROOT / "exercises")
    stubs = sum(
        len(reference_solutions(source)) for source in sorted(ROOT.glob("solutions/*/*.ipynb"))
    )
    assert len(result.exercises) == stubs
    assert {e.name: e.status for e in result.exercises if e.status != NOT_STARTED} == {}


def test_from_a_lesson_or_an_exercise_folder_it_finds_the_exercises(learner, monkeypatch, tmp_path):
    (learner / "course").mkdir(exist_ok=True)
    monkeypatch.chdir(learner / "course")
    assert progress().done() == 3
    monkeypatch.chdir(learner / "exercises" / GENERATORS)
    assert progress().done() == 3
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError, match="no folder 'exercises' here"):
        progress()


def test_the_default_mode_reads_nothing_from_solutions(learner, tmp_path):
    course = tmp_path / "course"
    shutil.copytree(learner / "exercises", course / "exercises")
    shutil.copytree(ROOT / "solutions" / GENERATORS, course / "solutions" / GENERATORS)
    WATCHED.append([])
    try:
        progress(course / "exercises")
        default = [path for path in WATCHED[-1] if "solutions" in path]
        WATCHED[-1].clear()
        progress(course / "exercises", self_study=True)
        self_study = [path for path in WATCHED[-1] if "solutions" in path]
    finally:
        WATCHED.pop()
    assert default == []
    assert self_study  # the watch does see it when it happens


def test_self_study_runs_hidden_tests_only_where_the_visible_checks_pass(self_studied):
    hidden = {e.name: e.hidden for e in self_studied.exercises if e.module == GENERATORS}
    assert hidden == {
        "stream_tokens": DONE,
        "batch_items": FAILING,
        "ChunkIterator": DONE,
        "stream_words": None,
        "take_tokens": None,
    }
    items = by_name(self_studied)["batch_items"]
    assert items.status == DONE  # visibly
    assert items.hidden_problem.startswith("batch_items failed a hidden test")
    assert re.search(
        r"^  ✓ done +batch_items +4/4 checks +✗ +4/6 +batch_items failed", str(self_studied), re.M
    )


def test_self_study_scores_what_the_autograder_would(self_studied):
    points = {
        e.name: (e.points, e.max_points) for e in self_studied.exercises if e.module == GENERATORS
    }
    assert points == {
        "stream_tokens": (5, 5),
        "batch_items": (4, 6),
        "ChunkIterator": (5, 5),
        "stream_words": (0, 4),
        "take_tokens": (0, 4),
    }
    assert "Score: 14/" in str(self_studied)


def test_the_reference_is_shown_only_once_the_visible_checks_pass(checked, self_studied):
    assert self_studied.reference("stream_tokens") == REFERENCE["stream_tokens"]
    assert self_studied.reference("batch_items") == REFERENCE["batch_items"]
    with pytest.raises(ValueError, match="honest try"):
        self_studied.reference("stream_words")
    with pytest.raises(ValueError, match="honest try"):
        self_studied.reference("take_tokens")
    with pytest.raises(KeyError, match="no exercise named 'stream'"):
        self_studied.reference("stream")
    with pytest.raises(ValueError, match="self-study mode only"):
        checked.reference("stream_tokens")
    assert self_studied._repr_html_().count("<summary>Reference solution</summary>") == 3


def test_self_study_without_solutions_says_where_to_get_them(learner):
    with pytest.raises(FileNotFoundError, match="Clone the course's repository"):
        progress(learner / "exercises", self_study=True)


def test_a_cell_that_never_ends_is_stopped_and_the_rest_still_runs(tmp_path, monkeypatch):
    monkeypatch.setattr(progress_module, "CELL_LIMIT", 0.2)
    looping = "while True:\n    pass\n"
    course = learner_course(
        tmp_path, {"stream_tokens": looping, "ChunkIterator": REFERENCE["ChunkIterator"]}
    )
    result = by_name(progress(course / "exercises"))
    assert result["stream_tokens"].status == FAILING
    assert "did not finish within 0.2 s" in result["stream_tokens"].problem
    assert result["ChunkIterator"].status == DONE


def test_the_command_line_prints_the_table(learner, tmp_path):
    command = [sys.executable, "-m", "graders.progress"]
    done = subprocess.run(command, cwd=learner, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stderr) == (0, "")
    assert re.search(r"^  ✓ done +stream_tokens +3/3 checks$", done.stdout, re.M)
    shown = subprocess.run(
        [
            *command,
            "exercises",
            "--solutions",
            str(ROOT / "solutions"),
            "--reference",
            "take_tokens",
        ],
        cwd=learner,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.returncode == 1
    assert "take_tokens does not pass its visible checks yet" in shown.stderr
    missing = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert missing.returncode == 1 and "There is no folder 'exercises'" in missing.stderr
