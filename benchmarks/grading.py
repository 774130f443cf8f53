"""Seconds per submission: the batch command, with its sandbox and without, and `nbgrader autograde`.

    .venv/bin/python benchmarks/grading.py [--submissions 20] [--assignment 01_generators]

Each runs as a command, from a fresh copy of the course with the same submissions
(half reference answers, half untouched stubs), so each pays its own start-up.
Goals: the sandboxed batch at most 1.0 s per notebook, at most 10% slower than
without its sandbox, and at least 2.5x faster than nbgrader. Wall time depends on
what else the machine runs; CPU seconds (the command and its kernels) much less.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from graders import reference_solutions

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}


def course_with_submissions(where: Path, assignment: str, count: int) -> Path:
    """A copy of the course in `where` with `count` submissions of `assignment`."""
    where.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", where)
    shutil.copytree(ROOT / "solutions" / assignment, where / "solutions" / assignment)
    subprocess.run(
        [sys.executable, "-m", "nbgrader", "generate_assignment", assignment, "--force"],
        cwd=where,
        env=ENV,
        check=True,
        capture_output=True,
    )
    for n in range(count):
        target = where / "submitted" / f"student{n:02d}" / assignment
        target.mkdir(parents=True)
        for released in (where / "exercises" / assignment).glob("*.ipynb"):
            nb = nbformat.read(released, as_version=4)
            if n % 2 == 0:
                answers = reference_solutions(where / "solutions" / assignment / released.name)
                for cell in nb.cells:
                    if cell.metadata.get("nbgrader", {}).get("solution"):
                        cell.source = answers[cell.metadata.nbgrader.grade_id]
            nbformat.write(nb, target / released.name)
    return where


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and its kernels) for one run of `command`."""
    start, cpu = time.perf_counter(), _children_cpu()
    result = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):  # 1: the batch found submissions for a human
        raise SystemExit(f"{command} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return elapsed, _children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--submissions", type=int, default=20)
    parser.add_argument("--assignment", default="01_generators")
    args = parser.parse_args()
    n, assignment = args.submissions, args.assignment
    batch = [sys.executable, "-m", "graders.autograde", assignment]
    methods = {
        "graders.autograde (sandbox)": batch,
        "graders.autograde --no-sandbox": [*batch, "--no-sandbox"],
        "nbgrader autograde": [sys.executable, "-m", "nbgrader", "autograde", assignment],
    }
    times = {}
    with tempfile.TemporaryDirectory() as scratch:
        for number, (name, command) in enumerate(methods.items()):
            course = course_with_submissions(Path(scratch, str(number)), assignment, n)
            times[name] = timed(command, course)
    load = os.getloadavg()[1]
    print(f"{n} submissions of {assignment}, {os.cpu_count()} cores, 5-min load average {load:.1f}")
    print(f"{'method':<32}{'wall s':>8}{'wall s/nb':>11}{'CPU s/nb':>10}")
    for name, (wall, cpu) in times.items():
        print(f"{name:<32}{wall:>8.1f}{wall / n:>11.2f}{cpu / n:>10.2f}")
    sandboxed, bare, cli = (times[name][0] for name in methods)
    overhead = sandboxed / bare - 1
    print(f"sandbox overhead: {overhead:+.0%} wall (goal: at most +10%)")
    print(f"sandboxed batch / nbgrader: {cli / sandboxed:.1f}x faster (goal: at least 2.5x)")
    verdict = "met" if sandboxed / n <= 1.0 else "NOT met on this machine at this load"
    print(f"goal, sandboxed batch at most 1.0 s wall per notebook: {verdict}")


if __name__ == "__main__":
    main()
