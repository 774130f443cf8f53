"""The checks batch grading runs around nbgrader, on their own (no nbgrader, no kernel)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import nbgrader.utils
import pytest

from course import ASSIGNMENTS, ROOT
from graders._batch_checks import suspicious_code
from graders._batch_threads import steady_process_state


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reference_answers_use_nothing_suspicious(assignment):
    for source in sorted((ROOT / "solutions" / assignment).glob("*.ipynb")):
        nb = nbformat.read(source, as_version=4)
        assert suspicious_code(nb) == [], source.name


@pytest.mark.parametrize(
    "code, name",
    [
        ("import os\nos._exit(0)", "exit"),
        ("import builtins\nbuiltins.print = None", "builtins"),
        ("__import__('sys').modules.clear()", "sys.modules"),
        ("eval('1')", "exec/eval"),
        ("get_ipython().run_cell = None", "displayhook"),
    ],
)
def test_cheating_code_is_named(code, name):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    assert name in suspicious_code(nb)


def test_test_cells_are_not_scanned():
    cell = nbformat.v4.new_code_cell("from graders import expect_items")
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "test_x", "points": 1}
    assert suspicious_code(nbformat.v4.new_notebook(cells=[cell])) == []


def test_guard_reimports_graders_that_learner_code_patched():
    patched_then_checked = (
        "import graders, graders._batch_guard as guard\n"
        "guard.check()\n"
        "graders.expect_items = lambda *args, **kwargs: None\n"
        "guard.check()\n"
        "import graders\n"
        "print(graders.expect_items.__module__)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", patched_then_checked], capture_output=True, text=True
    )
    assert run.stdout.strip() == "graders._expect", run.stderr


def test_grading_threads_find_the_course_and_its_environment_held_still(tmp_path, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    before = Path.cwd()
    with steady_process_state(tmp_path):
        with nbgrader.utils.setenv(NBGRADER_EXECUTION="autograde"):
            pass  # nbgrader's own, per notebook: deleting the variable here would race
        assert Path.cwd() == tmp_path
        assert os.environ["NBGRADER_EXECUTION"] == "autograde"
    assert Path.cwd() == before
    assert "NBGRADER_EXECUTION" not in os.environ
