"""The reference answers in an nbgrader source notebook, as a learner would hand them in."""

from __future__ import annotations

import json
import re
from pathlib import Path

_MARKER = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.MULTILINE)


def reference_solutions(source: Path) -> dict[str, str]:
    """The code of each solution cell of `source`, by grade_id, without the solution markers."""
    cells = json.loads(Path(source).read_text())["cells"]
    return {
        cell["metadata"]["nbgrader"]["grade_id"]: _MARKER.sub("", "".join(cell["source"]))
        for cell in cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution")
    }
