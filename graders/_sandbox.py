"""Grading kernels confined by the operating system, so no submission reaches past its own.

The fork server (_batch_forks.py) runs inside bubblewrap (`bwrap`), which gives
it a file system holding only the system, Python, the venv and the course's
packages, all read-only, and no network. Each kernel forked from it then
enters namespaces of its own before any learner code runs (`confine`):

- a PID namespace: the kernel is process 1 of a tree of its own, and cannot
  see or signal the server, the batch or the kernels beside it;
- a mount namespace: a private `/scratch` (its only writable place, and its
  working directory, size-capped) and a `/proc` that shows its own tree only;
- a network namespace with no interface up: no network, loopback included;
- a uid used by no other kernel and no file, no capabilities, and caps on
  processes, CPU time and file size.

The kernel's sockets live in its own `/scratch`: the batch (root) reaches them
through `/proc/<pid>/root`. What learner code tries outside the sandbox
(opening, signalling, connecting) is written to a report file the kernel
cannot read back, for the batch to flag (see `reports`).
"""

from __future__ import annotations

import ctypes
import json
import os
import random
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

SCRATCH = "/scratch"
"""A confined kernel's working directory, home and temporary folder: all it can write."""
INSIDE = f"{SCRATCH}/kernel"
"""Where a confined kernel's connection file and sockets are, as it sees them."""

_NAMESPACES = 0x00020000 | 0x20000000 | 0x40000000 | 0x08000000 | 0x04000000
"""CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS"""
_MS_NOSUID, _MS_NODEV, _MS_NOEXEC, _MS_REC, _MS_PRIVATE = 2, 4, 8, 1 << 14, 1 << 18
_PR_SET_PDEATHSIG, _PR_SET_NO_NEW_PRIVS = 1, 38
_libc = ctypes.CDLL(None, use_errno=True)


@dataclass(frozen=True)
class Limits:
    """What one confined kernel may use."""

    disk_mb: int = 256
    """Size of its scratch folder, all it can write."""
    processes: int = 256
    """Processes and threads of its uid (ipykernel itself runs about ten threads)."""
    cpu_seconds: int = 600
    """CPU time of each of its processes."""
    memory_mb: int = 2048
    """Address space of each of its processes."""


def unavailable() -> str | None:
    """Why kernels cannot be confined here (None: they can)."""
    if not sys.platform.startswith("linux"):
        return "sandboxed grading needs Linux namespaces"
    if shutil.which("bwrap") is None:
        return "bubblewrap is not installed (sudo apt-get install bubblewrap)"
    if os.geteuid() != 0:
        return "sandboxed grading gives each kernel a uid of its own, which needs root"
    trial = subprocess.run(
        ["bwrap", "--unshare-net", "--ro-bind", "/", "/", "true"], capture_output=True, text=True
    )
    if trial.returncode:
        return f"bwrap does not work here: {trial.stderr.strip()}"
    return None


def server_command(python: str, arguments: Sequence[str], reports: Path) -> list[str]:
    """`python *arguments` inside bubblewrap, seeing only what a kernel needs, read-only."""
    readable = _minimal(
        [sys.base_prefix, sys.prefix, *(_package_dir(name) for name in ("graders", "yieldlab"))]
    )
    # No --die-with-parent: it follows the thread that started bwrap, not the batch. The
    # server ends when its stdin does, whatever ends the batch.
    command = ["bwrap", "--unshare-net", "--unshare-ipc", "--unshare-uts"]
    command += ["--cap-add", "CAP_SYS_ADMIN,CAP_SETUID,CAP_SETGID", "--ro-bind", "/usr", "/usr"]
    command += [
        arg
        for entry in sorted(Path("/").iterdir())
        if entry.is_symlink()  # /bin, /lib, ... on a merged-/usr system
        for arg in ("--symlink", os.readlink(entry), str(entry))
    ]
    command += ["--ro-bind", "/etc", "/etc", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    command += ["--perms", "0755", "--dir", SCRATCH]
    for folder in _parents([*readable, reports]):
        command += ["--perms", "0755", "--dir", folder]  # bwrap would make them 0700
    for folder in readable:
        command += ["--ro-bind", folder, folder]
    command += ["--bind", str(reports), str(reports), "--remount-ro", "/tmp", "--chdir", "/"]
    return [*command, python, *arguments]


def kernel_env(env: dict[str, str]) -> dict[str, str]:
    """What a confined kernel keeps of the environment: no secrets of the grader's."""
    kept = {name: env[name] for name in ("PATH", "LANG", "LC_ALL", "TZ") if name in env}
    home = {"HOME": SCRATCH, "TMPDIR": SCRATCH, "MPLCONFIGDIR": f"{SCRATCH}/.matplotlib"}
    return {**kept, **home}


def uids() -> Iterable[int]:
    """Uids for this batch's kernels: one each, far above any real account's."""
    first = random.randrange(1 << 30, 1 << 31, 1 << 16)
    return iter(range(first, first + (1 << 16)))


def confine(
    uid: int, connection: dict, reports: Path, limits: Limits, tell_pid: Callable[[int], None]
) -> None:
    """In a child of the fork server: return as the confined kernel, process 1 of its own tree.

    The child itself stays outside as the kernel's parent: it calls `tell_pid` with
    the kernel's pid (as the batch sees it), waits for the kernel and exits. What the
    kernel tries outside is written to `reports/<that pid>.log`.
    """
    _check(_libc.prctl(_PR_SET_PDEATHSIG, 9, 0, 0, 0), "prctl")  # the server gone: end
    report = os.open(reports / f"{os.getpid()}.log", os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o600)
    _check(_libc.unshare(_NAMESPACES), "unshare")
    pid = os.fork()
    if pid:
        os.rename(reports / f"{os.getpid()}.log", reports / f"{pid}.log")
        tell_pid(pid)
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):  # the server's pipes: the batch waits for them to close
            os.dup2(devnull, fd)
        os.waitpid(pid, 0)
        os._exit(0)
    _mount(None, "/", None, _MS_REC | _MS_PRIVATE)
    _mount("proc", "/proc", "proc", _MS_NOSUID | _MS_NODEV | _MS_NOEXEC)
    options = f"size={limits.disk_mb}m,mode=0700,uid={uid},gid={uid}"
    _mount("tmpfs", SCRATCH, "tmpfs", _MS_NOSUID | _MS_NODEV, options)
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)  # every capability goes with root
    _check(_libc.prctl(_PR_SET_PDEATHSIG, 9, 0, 0, 0), "prctl")  # a new uid cleared it
    _check(_libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl")
    for which, value in [
        (resource.RLIMIT_NPROC, limits.processes),
        (resource.RLIMIT_CPU, limits.cpu_seconds),
        (resource.RLIMIT_FSIZE, limits.disk_mb << 20),
        (resource.RLIMIT_AS, limits.memory_mb << 20),
    ]:
        resource.setrlimit(which, (value, value))
    os.chdir(SCRATCH)
    Path(f"{INSIDE}.json").write_text(json.dumps({**connection, "ip": INSIDE}))
    sys.addaudithook(_Reporter(report))


def reports(folder: Path, pid: int) -> list[str]:
    """What the kernel `pid` tried that the sandbox stopped, once each, in order."""
    path = folder / f"{pid}.log"
    if not path.exists():
        return []
    return list(dict.fromkeys(path.read_text(errors="replace").splitlines()))[:5]


class _Reporter:
    """An audit hook: writes what learner code tries outside its sandbox to the report file."""

    _WRITE = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC

    _LINES = 100
    """Lines written at most: a loop of attempts must not fill the grader's disk."""
    _FORKS = 64
    """Processes started (forks) above which the kernel is noted: a fork bomb, say."""

    def __init__(self, fd: int) -> None:
        self.fd, self.lines, self.forks = fd, 0, 0
        self.readable = tuple(str(p) for p in (sys.base_prefix, sys.prefix, "/usr", "/etc"))
        self.readable += tuple(_package_dir(name) for name in ("graders", "yieldlab"))

    def __call__(self, event: str, args: tuple) -> None:
        try:
            line = self._stopped(event, args)
        except Exception:  # an audit hook must never break the code it watches
            return
        if line and self.lines < self._LINES:
            self.lines += 1
            os.write(self.fd, f"{line}\n".encode())

    def _stopped(self, event: str, args: tuple) -> str | None:
        if event == "open" and isinstance(args[0], str | bytes | os.PathLike):
            path = os.path.abspath(os.fsdecode(args[0]))
            writes = (isinstance(args[1], str) and any(c in args[1] for c in "wax+")) or (
                isinstance(args[2], int) and args[2] & self._WRITE
            )
            inside = path.startswith((f"{SCRATCH}/", "/dev/", "/proc/self/")) or path == SCRATCH
            if not inside and (writes or not path.startswith(self.readable)):
                return f"{'write' if writes else 'read'} {path}"
        elif event == "sqlite3.connect" and not str(args[0]).startswith((SCRATCH, ":memory:")):
            return f"open the database {args[0]}"
        elif event == "os.fork":
            self.forks += 1
            if self.forks == self._FORKS:
                return f"start over {self._FORKS} processes"
        elif event in ("os.kill", "os.killpg") and args[0] != os.getpid():
            return f"signal process {args[0]}"
        elif event == "socket.connect" and isinstance(args[1], tuple):
            return f"connect to {args[1][0]}:{args[1][1]}"
        return None


def _package_dir(name: str) -> str:
    module = sys.modules.get(name) or __import__(name)
    return str(Path(module.__file__).parent)


def _minimal(folders: Iterable[str]) -> list[str]:
    """`folders` resolved, without those inside another one."""
    resolved = sorted({str(Path(f).resolve()) for f in folders})
    return [f for f in resolved if not any(f.startswith(o + "/") for o in resolved)]


def _parents(folders: Iterable[str | Path]) -> list[str]:
    """Every ancestor folder of `folders` below /, parents first."""
    return sorted({str(p) for f in folders for p in Path(f).parents if p != Path("/")})


def _mount(source: str | None, target: str, kind: str | None, flags: int, data: str = "") -> None:
    encode = lambda text: text.encode() if text else None  # noqa: E731
    result = _libc.mount(encode(source), target.encode(), encode(kind), flags, encode(data))
    _check(result, f"mount {target}")


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")
