"""Cheats and crashes in one submission never stop the batch, and each gets the score it earns.

Each file in tests/adversarial/ replaces the `stream_tokens` solution cell of 01_generators
(a `# notebook:` line also edits the notebook); the other exercises keep the reference
answers, so every cell outside `stream_tokens` must keep its points. Honest students are
graded before and after the cheats, all in one batch run. The threat model is in
docs/instructors.md.

The attacks on the machine (SANDBOXED) know where everything is: the test writes the
course's path, the repository's, the batch's pid and a listening port into them. Each
prints ATTACK WORKED or ATTACK FAILED, and the test also looks for what it would have done.
"""

from __future__ import annotations

import os
import socket
import sqlite3

import nbformat
import pytest

from course import ROOT, nbgrader_meta, reference_solutions, scores, scratch_course, submit
from graders.autograde import grade_assignment

pytestmark = pytest.mark.slow

ASSIGNMENT = "01_generators"
EXERCISE = "stream_tokens"
BANK = ROOT / "tests" / "adversarial"
HONEST = ["honest-first", "honest-last"]

# name: (outcome, points stream_tokens keeps, words the reason must contain)
# A wrong answer that returns an iterator keeps the point of test_stream_tokens_lazy.
# outcome: "graded" (no human needed), "review" (graded, a human must look), "not graded".
EXPECTED = {
    "endless_loop_sync": ("graded", 0, ""),
    "endless_loop_async": ("graded", 0, ""),
    "endless_loop_at_top_level": ("review", 0, "hit the cell time limit"),
    "endless_loop_uninterruptible": ("not graded", None, "ran longer than"),
    "sys_exit_at_top_level": ("review", 0, "exit in its own cells"),
    "sys_exit_in_function": ("review", 0, "exit in its own cells"),
    "os_exit": ("not graded", None, "the kernel died"),
    "ctypes_crash": ("not graded", None, "the kernel died"),
    "huge_output": ("review", 5, "printed over"),
    "huge_allocation": ("graded", 0, ""),
    "patch_graders": ("review", 1, "graders in its own cells"),
    "patch_graders_when_called": ("review", 1, "graders in its own cells"),
    "fake_all_passed": ("graded", 1, ""),
    "fake_partial_credit": ("review", 1, "failed but had a score"),
    "hard_coded_visible": ("graded", 3, ""),
    "raise_keyboard_interrupt": ("graded", 0, ""),
    "raise_base_exception": ("graded", 1, ""),
    "edit_test_cells": ("review", 1, "edited (restored from the source)"),
    "delete_test_cell": ("review", 1, "deleted (restored from the source)"),
    "equal_to_everything": ("graded", 1, ""),
}
# Attacks past the submission's own notebook, which the sandbox stops (and reports).
SANDBOXED = {
    "read_the_key": ("review", "the sandbox stopped it: read"),
    "read_a_classmate": ("review", "the sandbox stopped it: read"),
    "write_the_course": ("review", "the sandbox stopped it: write"),
    "write_the_gradebook": ("review", "the sandbox stopped it: open the database"),
    "signal_neighbours": ("review", "signal in its own cells"),  # it sees no one to signal
    "kill_the_batch": ("review", "the sandbox stopped it: signal process"),
    "fork_bomb": ("review", "the sandbox stopped it: start over 64 processes"),
    "network": ("review", "the sandbox stopped it: connect to 127.0.0.1"),
}
EXPECTED |= {name: (outcome, 1, why) for name, (outcome, why) in SANDBOXED.items()}
# Cheats that one kernel cannot stop: they keep what they forge, and a human is called.
UNSTOPPABLE = {
    "patch_import": "builtins in its own cells",
}
# Cheats that take every later cell with them: nothing after them can score.
TAKES_ALL = {
    "patch_shell": "scored without running its checks",
}


def edit_notebook(path, header: str) -> None:
    """Apply a `# notebook: empty|delete GRADE_ID...` line to a submitted notebook."""
    action, *grade_ids = header.split()
    nb = nbformat.read(path, as_version=4)
    targets = [c for c in nb.cells if nbgrader_meta(c).get("grade_id") in grade_ids]
    for cell in targets:
        if action == "empty":
            cell.source = "pass"
        else:
            nb.cells.remove(cell)
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def listener():
    """A port on loopback that no submission may reach."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.setblocking(False)
        yield server


@pytest.fixture(scope="module")
def batch(tmp_path_factory, listener):
    """One batch run over every cheat, between two honest students."""
    course = scratch_course(tmp_path_factory.mktemp("adversarial"), ASSIGNMENT)
    with (course / "nbgrader_config.py").open("a") as config:
        config.write("\nc.Execute.timeout = 5  # a shorter cell limit keeps this test fast\n")
    reference = reference_solutions(ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    submit(course, ASSIGNMENT, HONEST[0], reference)
    where = {
        "COURSE_DIR": str(course),
        "REPO_DIR": str(ROOT),
        "BATCH_PID": str(os.getpid()),
        "LISTEN_PORT": str(listener.getsockname()[1]),
    }
    for path in sorted(BANK.glob("*.py")):
        code = path.read_text()
        for placeholder, value in where.items():
            code = code.replace(placeholder, value)
        submit(course, ASSIGNMENT, path.stem, {**reference, EXERCISE: code})
        header = path.read_text().splitlines()[1]
        if header.startswith("# notebook:"):
            notebook = course / "submitted" / path.stem / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
            edit_notebook(notebook, header.removeprefix("# notebook:"))
    submit(course, ASSIGNMENT, HONEST[1], reference)
    results = grade_assignment(course, ASSIGNMENT, progress=False, notebook_timeout=15)
    return {r.student: r for r in results}, scores(course, ASSIGNMENT), course


def points(cells: dict, exercise: bool) -> float:
    return sum(
        s for name, (s, _) in cells.items() if name.startswith(f"test_{EXERCISE}_") == exercise
    )


def max_points(cells: dict, exercise: bool) -> float:
    return sum(
        m for name, (_, m) in cells.items() if name.startswith(f"test_{EXERCISE}_") == exercise
    )


def test_every_file_of_the_bank_has_a_stated_outcome():
    stated = {*EXPECTED, *UNSTOPPABLE, *TAKES_ALL}
    assert stated == {path.stem for path in BANK.glob("*.py")}


@pytest.mark.parametrize("student", HONEST)
def test_honest_students_around_the_cheats_get_full_marks(batch, student):
    results, cells, _ = batch
    assert results[student].graded and not results[student].reasons, results[student]
    assert results[student].score == results[student].max_score > 0


@pytest.mark.parametrize("cheat", sorted(EXPECTED))
def test_cheat_gets_the_stated_outcome_and_score(batch, cheat):
    results, cells, _ = batch
    outcome, kept, why = EXPECTED[cheat]
    result = results[cheat]
    shown = "NOT graded" if not result.graded else "review" if result.reasons else "graded"
    assert shown.lower() == outcome.lower(), result
    assert why in "; ".join(result.reasons), result
    if kept is None:
        assert result.score is None
        assert all(score == 0 for score, _ in cells[cheat].values()), "a stale grade survived"
    else:
        assert points(cells[cheat], exercise=True) == kept, cells[cheat]
        assert points(cells[cheat], exercise=False) == max_points(cells[cheat], exercise=False)


@pytest.mark.parametrize("cheat", sorted(UNSTOPPABLE))
def test_cheat_that_one_kernel_cannot_stop_is_sent_to_a_human(batch, cheat):
    results, _, _ = batch
    assert results[cheat].graded and UNSTOPPABLE[cheat] in "; ".join(results[cheat].reasons)


@pytest.mark.parametrize("cheat", sorted(TAKES_ALL))
def test_cheat_that_silences_every_later_cell_scores_nothing(batch, cheat):
    results, cells, _ = batch
    assert TAKES_ALL[cheat] in "; ".join(results[cheat].reasons)
    assert results[cheat].score == 0, cells[cheat]


def printed(course, student: str) -> str:
    """Everything the submission's solution cells printed when autograded."""
    nb = nbformat.read(course / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    return "".join(
        output.get("text", "")
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )


@pytest.mark.parametrize("attack", sorted(SANDBOXED))
def test_attack_on_the_machine_fails_inside_the_sandbox(batch, attack):
    _, _, course = batch
    output = printed(course, attack)
    assert "ATTACK FAILED" in output and "ATTACK WORKED" not in output, output


def test_no_attack_left_a_trace(batch, listener):
    _, cells, course = batch
    assert not (ROOT / "yieldlab" / "_tampered.py").exists()
    assert "TAMPERED" not in (course / "nbgrader_config.py").read_text()
    with sqlite3.connect(course / "gradebook.db") as db:
        assert db.execute("SELECT count(*) FROM grade WHERE manual_score = 99").fetchone() == (0,)
    with pytest.raises(BlockingIOError):
        listener.accept()  # no submission connected
    assert all(score == maximum for score, maximum in cells[HONEST[0]].values())
