"""The whole nbgrader round trip on a scratch exchange, and the formgrader inside JupyterLab.

Every step is the real nbgrader command; autograding is `python -m graders.autograde`.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import nbformat
import pytest
from nbgrader.utils import get_username

from course import ROOT, nbgrader_meta, reference_solutions, scratch_course

pytestmark = pytest.mark.slow

ASSIGNMENT = "01_generators"
BIN = ROOT / ".venv" / "bin"


def run(cwd, *command):
    """Run a command with the venv on PATH; fail loudly."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, (
        f"{command} failed:\n{result.stdout[-2000:]}{result.stderr[-3000:]}"
    )
    return result


def nbgrader(cwd, step, exchange):
    flags = [f"--Exchange.root={exchange}", "--CourseDirectory.course_id=yieldlab"]
    return run(cwd, sys.executable, "-m", "nbgrader", step, ASSIGNMENT, *flags)


def answer(path) -> None:
    """What a student does: fill every solution cell with the reference answer."""
    reference = reference_solutions(ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if nbgrader_meta(cell).get("solution"):
            cell.source = reference[nbgrader_meta(cell)["grade_id"]]
    nbformat.write(nb, path)


def test_release_fetch_submit_collect_grade_and_return_feedback(tmp_path):
    (tmp_path / "course").mkdir()
    course = scratch_course(tmp_path / "course", ASSIGNMENT)
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    student = tmp_path / "student"  # nbgrader names the student after the OS account
    student.mkdir()

    nbgrader(course, "release_assignment", exchange)
    nbgrader(student, "fetch_assignment", exchange)
    answer(student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    nbgrader(student, "submit", exchange)
    nbgrader(course, "collect", exchange)
    assert (course / "submitted" / get_username() / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").exists()

    graded = run(course, sys.executable, "-m", "graders.autograde", ASSIGNMENT)
    assert "1 graded, 0 need a human" in graded.stdout

    nbgrader(course, "generate_feedback", exchange)
    nbgrader(course, "release_feedback", exchange)
    nbgrader(student, "fetch_feedback", exchange)
    [feedback] = (student / ASSIGNMENT / "feedback").glob(f"*/{ASSIGNMENT}.html")
    assert "BEGIN HIDDEN TESTS" not in feedback.read_text()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_formgrader_is_served_by_jupyterlab(tmp_path):
    course = tmp_path
    shutil.copy(ROOT / "nbgrader_config.py", course)
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    lab = subprocess.Popen(
        [
            str(BIN / "jupyter"),
            "lab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={course}",
            "--allow-root",
        ],
        cwd=course,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/formgrader?token={token}"
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    status, page = response.status, response.read().decode()
                break
            except OSError:
                assert lab.poll() is None and time.monotonic() < deadline, (
                    "jupyter lab did not start"
                )
                time.sleep(0.5)
        assert status == 200 and "formgrader" in page.lower()
    finally:
        lab.terminate()
        lab.wait(timeout=30)
