"""lite/sitecustomize.py, which the browser kernel's Python runs at start, tried in CPython.

The browser tests (tests/test_lite.py) check the same in the real kernel.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SITECUSTOMIZE = Path(__file__).resolve().parent.parent / "lite" / "sitecustomize.py"

STARTS = f"""
import runpy, sys, types
runpy.run_path({str(SITECUSTOMIZE)!r})
sys.path.insert(0, "")  # what Pyodide does once it has started
import graphlib  # an import while the kernel starts
print("" in sys.path)
sys.path.insert(2, "")  # what IPython does while the kernel starts
import zipapp
print("" in sys.path)
sys.modules["pyodide_kernel"] = types.SimpleNamespace(kernel_instance=object())
import mailbox  # the first import once the kernel is up
print(sys.path[-1] == "", sys.path.count(""))
print([getattr(finder, "__name__", "") for finder in sys.meta_path])
"""


def test_the_working_directory_is_left_out_while_the_kernel_starts_then_searched_last():
    result = subprocess.run([sys.executable, "-c", STARTS], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:3] == ["False", "False", "True 1"]
    assert "WorkingDirectoryLast" not in lines[3], "the finder should leave once done"
