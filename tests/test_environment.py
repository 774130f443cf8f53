"""The project's set-up: environment.yml mirrors pyproject.toml, and CI runs `make test`."""

from __future__ import annotations

import re
import tomllib

from course import ROOT


def pinned(lines: list[str]) -> set[str]:
    return {
        line.strip().lower()
        for line in lines
        if re.fullmatch(r"[\w.\-\[\]]+==[\w.]+", line.strip())
    }


def test_environment_yml_pins_the_same_packages_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = pinned(project["dependencies"] + sum(project["optional-dependencies"].values(), []))
    listed = pinned(
        line.strip().removeprefix("- ")
        for line in (ROOT / "environment.yml").read_text().splitlines()
    )
    assert wanted == listed, (
        f"only in pyproject: {wanted - listed}; only in environment.yml: {listed - wanted}"
    )


def test_every_dependency_is_pinned():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for requirement in project["dependencies"] + sum(project["optional-dependencies"].values(), []):
        assert "==" in requirement, f"{requirement} is not pinned"


def test_the_browser_pins_the_same_versions_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    cpython = dict(pin.split("==") for pin in pinned(project["dependencies"]))
    browser = dict(
        pin.split("==")
        for pin in pinned(
            (ROOT / "lite" / "requirements.txt").read_text().replace("\\", "").split()
        )
    )
    differ = {
        name: (cpython[name], browser[name])
        for name in cpython.keys() & browser.keys()
        if cpython[name] != browser[name]
    }
    assert cpython.keys() & browser.keys() and not differ, (
        f"pyproject and lite/requirements.txt differ: {differ}"
    )


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    assert "make test" in (ROOT / "README.md").read_text()
