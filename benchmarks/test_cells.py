"""How long each graded test cell takes on the reference solution.

Runs every solutions/ notebook in a fresh kernel and reports, per assignment,
the slowest and the median test cell. Goal: every test cell well under 1 s.

    .venv/bin/python benchmarks/test_cells.py
"""

from __future__ import annotations

import statistics
from datetime import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def cell_seconds(cell) -> float:
    """Wall time of one executed cell, from the timestamps the kernel recorded."""
    times = cell.metadata["execution"]
    started = datetime.fromisoformat(times["iopub.execute_input"].replace("Z", "+00:00"))
    ended = datetime.fromisoformat(times["shell.execute_reply"].replace("Z", "+00:00"))
    return (ended - started).total_seconds()


def main() -> None:
    print(f"{'assignment':<24} {'test cells':>10} {'median s':>9} {'slowest s':>10}  slowest cell")
    for path in sorted((ROOT / "solutions").glob("*/*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        NotebookClient(
            nb, timeout=120, record_timing=True, resources={"metadata": {"path": str(path.parent)}}
        ).execute()
        timed = [
            (cell_seconds(cell), cell.metadata["nbgrader"]["grade_id"])
            for cell in nb.cells
            if cell.metadata.get("nbgrader", {}).get("grade")
        ]
        slowest = max(timed)
        median = statistics.median(seconds for seconds, _ in timed)
        print(
            f"{path.parent.name:<24} {len(timed):>10} {median:>9.3f} {slowest[0]:>10.3f}  {slowest[1]}"
        )


if __name__ == "__main__":
    main()
