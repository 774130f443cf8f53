"""What nbgrader changes for the whole process around each notebook, held still for grading threads."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import nbgrader.utils


@contextlib.contextmanager
def steady_process_state(course: Path) -> Iterator[None]:
    """Keep the working directory and `NBGRADER_EXECUTION` as every notebook needs them.

    Around each notebook nbgrader moves into the course directory and back, and sets
    `NBGRADER_EXECUTION=autograde` then deletes it. From two threads at once that
    moves one notebook out of the course directory, or deletes a variable already gone
    (KeyError). So: be in the course with the variable set for the whole batch, and let
    nbgrader's per-notebook setting do nothing; both are put back afterwards.
    """
    cwd, env, setenv = os.getcwd(), os.environ.get("NBGRADER_EXECUTION"), nbgrader.utils.setenv
    os.chdir(course)
    os.environ["NBGRADER_EXECUTION"] = "autograde"
    nbgrader.utils.setenv = lambda **_: contextlib.nullcontext()
    try:
        yield
    finally:
        nbgrader.utils.setenv = setenv
        if env is None:
            os.environ.pop("NBGRADER_EXECUTION", None)
        else:
            os.environ["NBGRADER_EXECUTION"] = env
        os.chdir(cwd)
