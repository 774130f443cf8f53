"""Every exercise proven three ways through the real nbgrader: reference, stub, mutants."""

from __future__ import annotations

import json

import nbformat
import pytest

from course import (
    ASSIGNMENTS,
    ROOT,
    mutants_of,
    nbgrader,
    notebooks,
    reference_solutions,
    scores,
    scratch_course,
    submit,
)

pytestmark = pytest.mark.slow


def student_id(exercise: str, mutant) -> str:
    return f"mutant-{exercise}-{mutant.stem}"


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    """Autograde, once per assignment: the reference, the stub, and every mutant."""
    cache = {}

    def grade(assignment: str):
        if assignment not in cache:
            course = scratch_course(tmp_path_factory.mktemp(assignment), assignment)
            reference = {}
            for source in notebooks(ROOT / "solutions" / assignment):
                reference.update(reference_solutions(source))
            submit(course, assignment, "reference", reference)
            submit(course, assignment, "stub", {})
            for exercise, mutant in mutants_of(assignment):
                wrong = {**reference, exercise: mutant.read_text()}
                submit(course, assignment, student_id(exercise, mutant), wrong)
            nbgrader(course, "autograde", assignment, "--force")
            cache[assignment] = (course, scores(course, assignment))
        return cache[assignment]

    return grade


def released(folder):
    """The notebooks of a release folder, as JSON, in a comparable form."""
    return {path.name: json.loads(path.read_text()) for path in notebooks(folder)}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_exercises_are_what_nbgrader_generates_from_solutions(assignment, graded):
    course, _ = graded(assignment)
    generated = released(course / "exercises" / assignment)
    committed = released(ROOT / "exercises" / assignment)
    assert committed == generated, f"exercises/{assignment} is stale: run `make release`"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reference_solution_scores_full_marks(assignment, graded):
    _, result = graded(assignment)
    lost = {cell: s for cell, s in result["reference"].items() if s[0] != s[1]}
    assert result["reference"] and not lost, f"the reference loses points in {lost}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_untouched_stub_scores_zero(assignment, graded):
    _, result = graded(assignment)
    scored = {cell: s for cell, s in result["stub"].items() if s[0] != 0}
    assert result["stub"] and not scored, f"the stub scores points in {scored}"


@pytest.mark.parametrize(
    "assignment, exercise, mutant",
    [(a, e, m) for a in ASSIGNMENTS for e, m in mutants_of(a)],
    ids=lambda v: getattr(v, "stem", v),
)
def test_mutant_loses_points_only_on_its_own_exercise(assignment, exercise, mutant, graded):
    _, result = graded(assignment)
    cells = result[student_id(exercise, mutant)]
    own = {c: s for c, s in cells.items() if c.startswith(f"test_{exercise}_")}
    others = {c: s for c, s in cells.items() if c not in own}
    assert any(score < top for score, top in own.values()), f"{mutant.name} keeps full marks"
    assert all(score == top for score, top in others.values()), (
        f"{mutant.name} also loses points outside {exercise}: "
        f"{ {c: s for c, s in others.items() if s[0] != s[1]} }"
    )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_exercise_has_mutants_and_tests(assignment):
    for source in notebooks(ROOT / "solutions" / assignment):
        nb = nbformat.read(source, as_version=4)
        tests = [
            c.metadata.nbgrader["grade_id"]
            for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade")
        ]
        for exercise in reference_solutions(source):
            assert any(t.startswith(f"test_{exercise}_") for t in tests), (
                f"{exercise} has no test cell"
            )
            assert [m for e, m in mutants_of(assignment) if e == exercise], (
                f"{exercise} has no mutant"
            )
