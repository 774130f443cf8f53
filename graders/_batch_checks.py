"""What batch grading checks around nbgrader: suspicious code, time-outs, scores, stale grades."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbgrader.api import Gradebook

SUSPICIOUS = {
    "graders": r"\bgraders\b",
    "builtins": r"\b__builtins__\b|\bbuiltins\b",
    "sys.modules": r"\.\s*modules\b",
    "importlib": r"\bimportlib\b|__import__|__loader__",
    "ctypes": r"\bctypes\b",
    "exit": r"\b_exit\s*\(|(?<![\w.])(?:exit|quit)\s*\(|\bsys\s*\.\s*exit\b|\bos\s*\.\s*abort\b",
    "exec/eval": r"(?<![\w.])(?:exec|eval|compile)\s*\(",
    "signal": r"\bsignal\b|setitimer",
    "displayhook": r"displayhook|get_ipython",
    "frames": r"_getframe|\bf_globals\b|\bf_back\b|\bgc\s*\.",
    "subprocess": r"\bsubprocess\b|\bos\s*\.\s*(?:system|kill|fork|popen)",
    "tracing": r"\bset(?:trace|profile)\b",
}
"""Names that honest answers to these exercises never need, and cheats do."""


def read(path: Path) -> NotebookNode:
    """A notebook, read without nbformat's schema validation (the slowest part of reading)."""
    return nbformat.v4.reads(path.read_text())


def suspicious_code(nb: NotebookNode) -> list[str]:
    """The SUSPICIOUS names that the learner's own cells (not the test cells) use."""
    sources = [
        cell.source
        for cell in nb.cells
        if cell.cell_type == "code" and not cell.metadata.get("nbgrader", {}).get("grade")
    ]
    text = "\n".join(sources)
    return [name for name, pattern in SUSPICIOUS.items() if re.search(pattern, text)]


def altered_cells(submitted: NotebookNode, released: NotebookNode) -> tuple[list, list]:
    """Locked cells of the released notebook that the submission (deleted, edited)."""

    def locked(nb: NotebookNode) -> dict[str, str]:
        return {
            meta["grade_id"]: cell.source
            for cell in nb.cells
            if (meta := cell.metadata.get("nbgrader", {})).get("locked") and "grade_id" in meta
        }

    given, handed_in = locked(released), locked(submitted)
    deleted = [grade_id for grade_id in given if grade_id not in handed_in]
    edited = [g for g in given if g in handed_in and handed_in[g].strip() != given[g].strip()]
    return deleted, edited


def timed_out_cells(nb: NotebookNode) -> list[str]:
    """Cells (grade id or number) that hit nbgrader's per-cell time limit."""
    return [
        cell.metadata.get("nbgrader", {}).get("grade_id") or f"cell {index + 1}"
        for index, cell in enumerate(nb.cells)
        if any(out.get("ename") == "CellTimeoutError" for out in cell.get("outputs", []))
    ]


def failed_test_cells(nb: NotebookNode) -> set[str]:
    """Graded cells that showed an error or wrote to stderr anywhere in their output."""
    return {
        cell.metadata["nbgrader"]["grade_id"]
        for cell in nb.cells
        if cell.metadata.get("nbgrader", {}).get("grade")
        and any(
            out.output_type == "error" or out.get("name") == "stderr"
            for out in cell.get("outputs", [])
        )
    }


def passed_checks(nb: NotebookNode) -> dict[str, int]:
    """For each graded cell, how many "✓" lines (checks that passed) it printed."""
    return {
        cell.metadata["nbgrader"]["grade_id"]: sum(
            line.startswith("✓")
            for out in cell.get("outputs", [])
            if out.get("name") == "stdout"
            for line in out.text.splitlines()
        )
        for cell in nb.cells
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade")
    }


def zero_silent_passes(
    gb: Gradebook, assignment: str, student: str, got: dict[str, int], reference: dict[str, int]
) -> list[str]:
    """Score 0 in each cell that scored but printed fewer passed checks than the reference.

    Every check that passes prints a "✓" line, so a cell that scores with
    fewer of them did not run its checks: the shell or graders were tampered with.
    """
    changed = []
    for grade in _grades(gb, assignment, student):
        if (grade.auto_score or 0) > 0 and got.get(grade.name, 0) < reference.get(grade.name, 0):
            grade.auto_score = 0.0
            changed.append(grade.name)
    gb.db.commit()
    return changed


def zero_failed_cells(gb: Gradebook, assignment: str, student: str, failed: set[str]) -> list[str]:
    """Score 0 in each failed cell that nbgrader scored above 0; the cells changed.

    nbgrader reads only the first error or number in a cell's output, so a
    number printed as a result before the error would count as partial credit.
    """
    changed = []
    for grade in _grades(gb, assignment, student):
        if grade.name in failed and (grade.auto_score or 0) > 0:
            grade.auto_score = 0.0
            changed.append(grade.name)
    gb.db.commit()
    return changed


def flag_for_review(gb: Gradebook, assignment: str, student: str, *, clear: bool) -> None:
    """Mark every grade of the submission as needing a human; `clear` drops autograded scores."""
    for grade in _grades(gb, assignment, student):
        grade.needs_manual_grade = True
        if clear:
            grade.auto_score = None
    gb.db.commit()


def manual_cells(gb: Gradebook, assignment: str, student: str) -> list[str]:
    """Grade cells that nbgrader left for manual grading (a test cell deleted or renamed)."""
    return [g.name for g in _grades(gb, assignment, student) if g.needs_manual_grade]


def score(gb: Gradebook, assignment: str, student: str) -> tuple[float, float]:
    """The submission's (score, max_score) as the gradebook holds them."""
    submission = gb.find_submission(assignment, student)
    return submission.score, submission.max_score


def _grades(gb: Gradebook, assignment: str, student: str) -> list:
    submission = gb.find_submission(assignment, student)
    return [grade for notebook in submission.notebooks for grade in notebook.grades]
