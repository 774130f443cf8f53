"""The browser kernel's Python looks in the notebook's folder last (added to Pyodide's stdlib).

Pyodide puts '' (the working directory) first on sys.path once it has started.
In JupyterLite the working directory is the notebook's folder in the browser's
storage, where each lookup is a round trip through the page, slow while the page
is busy: every import asked it first, about 60 round trips before the first
cell's output. Here the kernel starts without it, and it comes back last, so it
is asked only for modules found nowhere else, and a module saved next to a
notebook still imports.
"""

import sys


def kernel_started() -> bool:
    """Whether JupyterLite's kernel is up (the last thing pyodide_kernel's start-up sets)."""
    return getattr(sys.modules.get("pyodide_kernel"), "kernel_instance", None) is not None


class WorkingDirectoryLast:
    """A finder that finds nothing: it keeps '' off sys.path until the kernel is up."""

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        sys.path[:] = [entry for entry in sys.path if entry != ""]
        if kernel_started():
            sys.path.append("")
            sys.meta_path.remove(cls)
        return None


sys.meta_path.insert(0, WorkingDirectoryLast)
