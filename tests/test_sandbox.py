"""Where kernels cannot be sandboxed, the batch says why and grades nothing unless told to."""

from __future__ import annotations

import pytest

from graders import _sandbox, autograde


def test_unavailable_names_the_package_when_bwrap_is_missing(monkeypatch):
    monkeypatch.setattr(_sandbox.shutil, "which", lambda name: None)
    assert "apt-get install bubblewrap" in _sandbox.unavailable()


def test_unavailable_says_root_is_needed(monkeypatch):
    monkeypatch.setattr(_sandbox.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(_sandbox.os, "geteuid", lambda: 1000)
    assert "root" in _sandbox.unavailable()


def test_the_batch_refuses_to_grade_unsandboxed_and_says_what_that_risks(
    monkeypatch, tmp_path, capsys
):
    (tmp_path / "nbgrader_config.py").write_text("")
    monkeypatch.setattr(_sandbox, "unavailable", lambda: "bubblewrap is not installed")
    with pytest.raises(SystemExit) as exit:
        autograde.main(["01_generators", "--course", str(tmp_path)])
    assert exit.value.code == 2
    err = capsys.readouterr().err
    assert "Cannot sandbox the kernels: bubblewrap is not installed" in err
    assert "--no-sandbox" in err and "hidden tests" in err
