"""Make zipped packages quicker to start in the browser: bytecode, and no unused stubs.

Run by lite/build.py under Pyodide's own Python in Node, so the bytecode is
exactly what the browser's Python reads. The arguments are pairs of zip files,
SOURCE DEST, each SOURCE a wheel or the standard library zip; DEST gets:
- a sourceless .pyc in place of each .py, so the browser compiles nothing at
  import (a file that does not compile, or is in KEEP_SOURCE, stays as source);
- none of jedi's type stubs for third-party packages (the offline site cannot
  install them, and their thousands of files cost seconds to unpack at every start).
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import marshal
import os
import sys
import warnings
import zipfile

SITE_PACKAGES = "/lib/python3.14/site-packages/"
STDLIB = "/lib/python314.zip/"
LEFT_OUT = ("jedi/third_party/typeshed/stubs/", "jedi/third_party/django-stubs/")
"""jedi's stubs for third-party packages; its stubs for the standard library stay."""
KEEP_SOURCE = {"anyio/__init__.py"}
"""Modules whose source is read at import: anyio's lazy importer parses its own __init__."""
UNCHECKED_HASH = (1).to_bytes(4, "little")
"""The pyc flags of PEP 552: hash-based, never checked against a source (there is none)."""


def pyc(source: bytes, path: str) -> bytes:
    """The sourceless .pyc of one module, its tracebacks naming `path`."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escapes and the like: the browser never sees them
        code = compile(source, path, "exec", dont_inherit=True)
    header = importlib.util.MAGIC_NUMBER + UNCHECKED_HASH + importlib.util.source_hash(source)
    return header + marshal.dumps(code)


def compiled(name: str, data: bytes, prefix: str) -> tuple[str, bytes]:
    """A zip member's name and content, with its source turned into bytecode if it compiles."""
    if not name.endswith(".py") or name in KEEP_SOURCE:
        return name, data
    try:
        return name + "c", pyc(data, prefix + name)
    except SyntaxError:
        return name, data


def record(files: dict[str, bytes], name: str) -> bytes:
    """The wheel RECORD `name` for `files`: each one's sha256 and size."""
    lines = []
    for path, data in files.items():
        if path != name:
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            lines.append(f"{path},sha256={digest},{len(data)}")
    return ("\n".join([*lines, f"{name},,"]) + "\n").encode()


def rewrite(source: str, dest: str) -> None:
    """Write the zip `source` again as `dest`: bytecode for sources, LEFT_OUT left out.

    Each member keeps its date, compression and permissions; a wheel's RECORD is rewritten.
    `dest` appears only once complete.
    """
    prefix = SITE_PACKAGES if source.endswith(".whl") else STDLIB
    partial = f"{dest}.partial"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(partial, "w") as new:
        members = [
            (info, *compiled(info.filename, old.read(info), prefix))
            for info in old.infolist()
            if not info.filename.startswith(LEFT_OUT)
        ]
        files = {name: data for _, name, data in members}
        for info, name, data in members:
            copy = zipfile.ZipInfo(name, date_time=info.date_time)
            copy.compress_type, copy.external_attr = info.compress_type, info.external_attr
            new.writestr(copy, record(files, name) if name.endswith(".dist-info/RECORD") else data)
    os.replace(partial, dest)


if __name__ == "__main__":
    pairs = sys.argv[1:]
    for source, dest in zip(pairs[::2], pairs[1::2], strict=True):
        rewrite(source, dest)
