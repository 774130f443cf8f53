"""Build the offline JupyterLite site in lite/_output (run by `make lite`).

Everything the browser loads is served by the site itself: Pyodide from npm,
a pyodide-lock.json written here with the sha256 of the wheels actually
served, the kernel's own wheels, the course's packages (yieldlab and graders,
built as one wheel from this checkout) and their dependencies from PyPI. The
kernel preloads most of them and loads the rest when a cell imports them, so
notebooks need no install cell and never reach a CDN or PyPI. The standard
library and every wheel but the course's are served as bytecode
(lite/precompile.py): the browser then starts without compiling sources.
Two files of lite/ make the first output come sooner: sitecustomize.py, added
to Pyodide's standard library, and early_kernel.js, a JupyterLab extension.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from itertools import chain
from pathlib import Path

import jupyter_server
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

LITE = Path(__file__).resolve().parent
ROOT = LITE.parent
BUILD = LITE / "build"
OUTPUT = LITE / "_output"
LABEXTENSIONS = Path(sys.prefix) / "share" / "jupyter" / "labextensions"
SERVED = LITE / "static" / "pyodide"
"""jupyterlite-pyodide-kernel copies this folder into the site and points the kernel at it."""

PYODIDE_VERSION = "314.0.6"
RUNTIME = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm"]
STDLIB = "python_stdlib.zip"
PLATFORM = ["--platform", "pyemscripten_2026_0_wasm32", "--python-version", "3.14"]
PLATFORM += ["--implementation", "cp", "--abi", "cp314", "--only-binary=:all:"]
KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
SITECUSTOMIZE = LITE / "sitecustomize.py"
EARLY_KERNEL = LITE / "early_kernel.js"
EARLY_KERNEL_NAME = "yieldlab-early-kernel"
EXTENSIONS = [
    "@jupyterlite/pyodide-kernel-extension",
    "@jupyter-widgets/jupyterlab-manager",
    "@jupyter-notebook/lab-extension",
    "jupyterlab_pygments",
]
"""The JupyterLab extensions the site gets (not nbgrader's, which needs a server)."""
KERNEL_WHEELS = ["ipykernel-", "piplite-", "pyodide_kernel-", "widgetsnbextension-4."]
"""The kernel's own wheels (shipped in its labextension) that the browser needs."""

MARKERS = {
    "sys_platform": "emscripten",
    "platform_system": "Emscripten",
    "platform_machine": "wasm32",
    "os_name": "posix",
    "python_version": "3.14",
    "python_full_version": "3.14.2",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "extra": "",
}
"""The environment markers of Pyodide 314, to read wheels' dependencies as the browser would."""


def run(*command: str | Path) -> None:
    """Run a command in lite/ (where doit keeps its database); stop the build if it fails."""
    print("+", " ".join(str(part) for part in command), flush=True)
    subprocess.run([str(part) for part in command], cwd=LITE, check=True)


def pyodide_core() -> Path:
    """Install pyodide@314.0.6 from npm into lite/node_modules; return its folder."""
    package = LITE / "node_modules" / "pyodide"
    manifest = package / "package.json"
    if not manifest.exists() or json.loads(manifest.read_text())["version"] != PYODIDE_VERSION:
        run("npm", "ci", "--prefix", LITE, "--no-audit", "--no-fund")
    return package


def wheels() -> list[Path]:
    """Fetch the third-party wheels the browser loads (PyPI's and the kernel's); return them."""
    pypi = BUILD / "wheels"
    run(sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--require-hashes",
        *PLATFORM, "--dest", pypi, "--requirement", LITE / "requirements.txt")  # fmt: skip
    kernel = kernel_wheel_dir()
    shipped = [path for path in kernel.glob("*.whl") if path.name.startswith(tuple(KERNEL_WHEELS))]
    pinned = {line.split("==")[0] for line in (LITE / "requirements.txt").read_text().split()}
    fetched = [path for path in pypi.glob("*.whl") if wheel_key(path) in pinned]
    return sorted([*fetched, *shipped])


def course_wheel(folder: Path) -> Path:
    """Pack yieldlab and graders from this checkout into one pure-Python wheel; return it.

    Its dependencies are left out: the browser's are pinned in lite/requirements.txt.
    """
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    info = "yieldlab-0.1.0.dist-info"
    files = {
        path.relative_to(ROOT).as_posix(): path.read_bytes()
        for package in ["yieldlab", "graders"]
        for path in sorted((ROOT / package).rglob("*.py"))
        if "__pycache__" not in path.parts
    }
    files[f"{info}/METADATA"] = b"Metadata-Version: 2.1\nName: yieldlab\nVersion: 0.1.0\n"
    files[f"{info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: lite/build.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    files[f"{info}/top_level.txt"] = b"graders\nyieldlab\n"
    record = [f"{name},sha256={urlsafe_digest(data)},{len(data)}" for name, data in files.items()]
    files[f"{info}/RECORD"] = ("\n".join([*record, f"{info}/RECORD,,"]) + "\n").encode()
    path = folder / "yieldlab-0.1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, data in files.items():
            wheel.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data)
    return path


IN_PYODIDE = """
const [pyodide, ...argv] = process.argv.slice(1);
const { loadPyodide } = await import(pyodide);
const py = await loadPyodide();
py.mountNodeFS("/host", "/");
py.globals.set("argv", argv.map((arg) => "/host" + arg));
py.runPython("import runpy, sys; sys.argv = list(argv); runpy.run_path(argv[0], run_name='__main__')");
"""
"""Node code running a script with Pyodide's Python: arguments pyodide.mjs, script, its arguments."""


def stdlib_zip(core: Path) -> Path:
    """Pyodide's standard library zip with lite/sitecustomize.py added; return it."""
    path = BUILD / STDLIB
    if not is_newer(path, core / STDLIB, SITECUSTOMIZE):
        BUILD.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        shutil.copyfile(core / STDLIB, partial)
        with zipfile.ZipFile(partial, "a") as stdlib:
            stdlib.write(SITECUSTOMIZE, "sitecustomize.py")
        partial.replace(path)
    return path


def early_kernel_extension() -> Path:
    """lite/early_kernel.js as a prebuilt JupyterLab extension folder; return the folder.

    Its file is named by its hash, so no browser keeps running an older copy.
    """
    folder = BUILD / EARLY_KERNEL_NAME
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "static").mkdir(parents=True)
    script = EARLY_KERNEL.read_bytes()
    load = f"static/remoteEntry.{hashlib.sha256(script).hexdigest()[:16]}.js"
    (folder / load).write_bytes(script)
    build = {"load": load, "extension": "./extension"}
    package = {"name": EARLY_KERNEL_NAME, "version": "0.1.0", "jupyterlab": {"_build": build}}
    (folder / "package.json").write_text(json.dumps(package, indent=1) + "\n")
    return folder


def precompiled(core: Path, zips: list[Path]) -> list[Path]:
    """Copies of `zips` (wheels, the standard library) made by lite/precompile.py; return them.

    It runs under Pyodide's own Python, whose bytecode the browser reads. A copy
    newer than its source and than the script is kept from an earlier build.
    """
    folder = BUILD / "precompiled"
    folder.mkdir(parents=True, exist_ok=True)
    script = LITE / "precompile.py"
    pairs = [(path, folder / path.name) for path in zips]
    stale = [(source, copy) for source, copy in pairs if not is_newer(copy, source, script)]
    if stale:
        run("node", "--input-type=module", "--eval", IN_PYODIDE, core / "pyodide.mjs", script,
            *chain.from_iterable(stale))  # fmt: skip
    return [copy for _, copy in pairs]


def is_newer(path: Path, *than: Path) -> bool:
    """Whether `path` exists and changed after every one of `than`."""
    return path.exists() and all(path.stat().st_mtime > other.stat().st_mtime for other in than)


def urlsafe_digest(data: bytes) -> str:
    """The sha256 of `data` as a wheel's RECORD writes it."""
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def kernel_wheel_dir() -> Path:
    """The folder of wheels inside the installed jupyterlite-pyodide-kernel labextension."""
    return LABEXTENSIONS / "@jupyterlite" / "pyodide-kernel-extension" / "static" / "pypi"


def wheel_key(path: Path) -> str:
    """The canonical project name of a wheel file, as pyodide-lock.json keys it."""
    return canonicalize_name(parse_wheel_filename(path.name)[0])


def lock_entry(path: Path, available: set[str]) -> dict:
    """The pyodide-lock.json entry for one served wheel, with its sha256 and dependencies."""
    with zipfile.ZipFile(path) as wheel:
        names = wheel.namelist()
        info = next(name.split("/")[0] for name in names if name.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(wheel.read(f"{info}/METADATA").decode())
        if f"{info}/top_level.txt" in names:
            imports = wheel.read(f"{info}/top_level.txt").decode().split()
        else:
            imports = sorted({name.split("/")[0].split(".")[0] for name in names})
    depends = []
    for line in metadata.get_all("Requires-Dist") or []:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate(MARKERS):
            depends.append(canonicalize_name(requirement.name))
    missing = set(depends) - available
    if missing:
        raise SystemExit(f"{path.name} needs {sorted(missing)}: add them to lite/requirements.txt")
    name, version, _, _ = parse_wheel_filename(path.name)
    return {
        "name": metadata["Name"],
        "version": str(version),
        "file_name": path.name,
        "install_dir": "site",
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "package_type": "package",
        "imports": [module for module in imports if module.isidentifier()],
        "depends": sorted(set(depends)),
        "unvendored_tests": False,
        "shared_library": False,
    }


def serve_pyodide(core: Path, runtime: list[Path], served_wheels: list[Path]) -> dict:
    """Fill lite/static/pyodide with the runtime, the wheels and their lock; return the lock."""
    shutil.rmtree(SERVED, ignore_errors=True)
    SERVED.mkdir(parents=True)
    for path in runtime:
        shutil.copy2(path, SERVED / path.name)
    available = {wheel_key(path) for path in served_wheels}
    packages = {}
    for path in served_wheels:
        shutil.copy2(path, SERVED / path.name)
        packages[wheel_key(path)] = lock_entry(path, available)
    upstream = json.loads((core / "pyodide-lock.json").read_text())
    lock = {"info": upstream["info"], "packages": dict(sorted(packages.items()))}
    (SERVED / "pyodide-lock.json").write_text(json.dumps(lock, indent=1) + "\n")
    return lock


def stage_contents() -> Path:
    """Copy the lessons and exercises that exist now into the folder the site will show."""
    contents = BUILD / "contents"
    shutil.rmtree(contents, ignore_errors=True)
    for folder in ["course", "exercises"]:
        shutil.copytree(
            ROOT / folder,
            contents / folder,
            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", ".*"),
        )
    return contents


def build_site(contents: Path) -> None:
    """Run `jupyter lite build` from scratch (a stale doit database skips steps silently)."""
    (LITE / ".jupyterlite.doit.db").unlink(missing_ok=True)
    shutil.rmtree(OUTPUT, ignore_errors=True)
    jupyter = Path(sys.executable).parent / "jupyter"
    folders = [*(LABEXTENSIONS / name for name in EXTENSIONS), early_kernel_extension()]
    extensions = [f"--LiteBuildConfig.federated_extensions={folder}" for folder in folders]
    run(jupyter, "lite", "build", "--lite-dir", LITE, "--output-dir", OUTPUT,
        "--contents", contents, "--ignore-sys-prefix", *extensions)  # fmt: skip
    # The notebook view shows the kernel's state in the tab's icon, from jupyter_server's set.
    favicons = Path(jupyter_server.__file__).parent / "static" / "favicons"
    shutil.copytree(favicons, OUTPUT / "static" / "favicons")
    shutil.copy2(OUTPUT / "lab" / "favicon.ico", OUTPUT / "favicon.ico")  # browsers ask for it


def check_site(lock: dict) -> None:
    """Fail the build unless the site's config points only at what the site itself serves."""
    config = json.loads((OUTPUT / "jupyter-lite.json").read_text())["jupyter-config-data"]
    kernel = config["litePluginSettings"][KERNEL_PLUGIN]
    assert kernel["pyodideUrl"] == "./static/pyodide/pyodide.mjs", kernel
    assert kernel["disablePyPIFallback"] is True, kernel
    preload = kernel["loadPyodideOptions"]["packages"]
    unknown = {canonicalize_name(name) for name in preload} - set(lock["packages"])
    assert not unknown, f"preloaded but not in pyodide-lock.json: {sorted(unknown)}"
    served = OUTPUT / "static" / "pyodide"
    assert json.loads((served / "pyodide-lock.json").read_text()) == lock
    for entry in lock["packages"].values():
        digest = hashlib.sha256((served / entry["file_name"]).read_bytes()).hexdigest()
        assert digest == entry["sha256"], entry["file_name"]
    for name in [*RUNTIME, STDLIB]:
        assert (served / name).exists(), name
    with zipfile.ZipFile(served / STDLIB) as stdlib:
        assert "sitecustomize.pyc" in stdlib.namelist(), "lite/sitecustomize.py is not served"
    names = {extension["name"] for extension in config["federated_extensions"]}
    assert names == {*EXTENSIONS, EARLY_KERNEL_NAME}, names
    pages = ["lab/index.html", "notebooks/index.html", "tree/index.html"]
    for page in [*pages, "favicon.ico", "static/favicons/favicon-notebook.ico"]:
        assert (OUTPUT / page).exists(), page
    for settings in OUTPUT.rglob("jupyter-lite.json"):
        external = re.findall(r"https?://[^\s\"']+", settings.read_text())
        assert not external, f"{settings} points outside the site: {external}"


def main() -> None:
    """Build the site and check it."""
    core = pyodide_core()
    stdlib, *compiled = precompiled(core, [stdlib_zip(core), *wheels()])
    runtime = [*(core / name for name in RUNTIME), stdlib]
    lock = serve_pyodide(core, runtime, [*compiled, course_wheel(BUILD / "project")])
    build_site(stage_contents())
    check_site(lock)
    size = sum(path.stat().st_size for path in OUTPUT.rglob("*") if path.is_file())
    print(f"lite/_output: {size / 1e6:.1f} MB, {len(lock['packages'])} wheels served")


if __name__ == "__main__":
    main()
