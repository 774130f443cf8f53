"""Every notebook is committed clean and runs top to bottom."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from course import ROOT

LESSONS = sorted((ROOT / "course").glob("*.ipynb"))
SOLUTIONS = sorted((ROOT / "solutions").glob("*/*.ipynb"))
EXERCISES = sorted((ROOT / "exercises").glob("*/*.ipynb"))


def relative(path) -> str:
    return str(path.relative_to(ROOT))


def execute(path):
    """Run a notebook in a fresh kernel from its own folder; return it with outputs."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=120, allow_errors=True, resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    return nb


def problems(nb) -> list[str]:
    """Errors in cells not tagged `raises-exception`, and anything written to stderr."""
    found = []
    for index, cell in enumerate(nb.cells):
        expected_error = "raises-exception" in cell.get("metadata", {}).get("tags", [])
        for output in cell.get("outputs", []):
            if output.output_type == "error" and not expected_error:
                found.append(f"cell {index}: {output.ename}: {output.evalue}")
            if output.output_type == "stream" and output.name == "stderr":
                found.append(f"cell {index} wrote to stderr: {output.text[:300]}")
        if expected_error and not any(o.output_type == "error" for o in cell.get("outputs", [])):
            found.append(f"cell {index} is tagged raises-exception but raised nothing")
    return found


@pytest.mark.parametrize("path", LESSONS + SOLUTIONS + EXERCISES, ids=relative)
def test_notebook_is_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    dirty = [i for i, c in enumerate(nb.cells) if c.get("outputs") or c.get("execution_count")]
    assert not dirty, f"{relative(path)} has outputs in cells {dirty}: clear them before committing"


@pytest.mark.slow
@pytest.mark.parametrize("path", LESSONS + SOLUTIONS, ids=relative)
def test_notebook_runs_top_to_bottom_cleanly(path):
    assert problems(execute(path)) == []
