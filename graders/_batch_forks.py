"""Kernels forked from a process that has imported them already, for batch grading.

A kernel started the usual way is a new Python that spends most of its start-up
(about 0.5 s of CPU) importing ipykernel, IPython and the course's packages. The
fork server imports them once; each kernel is a fork of it that only runs the
kernel app: about 0.1 s. Each kernel still runs one submission only. With
`limits` set, the server runs in bubblewrap and each kernel is confined before
it starts (see _sandbox.py).

    python -m graders._batch_forks graders yieldlab    # the server; the batch starts it
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from . import _sandbox

LAUNCHER = ["-m", "ipykernel_launcher"]
"""What a kernel command runs after the interpreter, for the server to fork it instead."""


class ForkedKernel:
    """What jupyter_client needs of a `Popen`, for a kernel forked by the server (not our child)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        """None while the kernel runs; -1 once it has ended (the server reaped it)."""
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = -1
        return self.returncode

    def wait(self) -> int:
        """Wait for the kernel to end (jupyter_client asks once `poll` says it has)."""
        while self.poll() is None:
            time.sleep(0.01)
        return -1

    def send_signal(self, signum: int) -> None:
        """Signal the kernel, if it still runs."""
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ForkServer:
    """Starts kernels as forks of one server process; shared by the batch's grading threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._server: subprocess.Popen | None = None
        self._preload: list[str] = []
        self.limits: _sandbox.Limits | None = None
        """Set: confine every kernel (see _sandbox.py); None: kernels run as the batch does."""
        self._confined: _sandbox.Limits | None = None
        self._reports: Path | None = None
        self._uids = _sandbox.uids()

    @staticmethod
    def can_launch(command: Sequence[str]) -> bool:
        """True for an ipykernel command run by this interpreter."""
        return list(command[:3]) == [sys.executable, *LAUNCHER]

    def launch(
        self,
        command: Sequence[str],
        cwd: str,
        env: dict[str, str],
        preload: Sequence[str],
        connection: dict | None = None,
    ) -> ForkedKernel:
        """Fork a kernel running `command` (see `can_launch`) in `cwd` with `env`.

        A confined kernel gets `connection` (its connection file's content) instead
        of the file, a working directory and an environment of its own.
        """
        request = {"argv": list(command[3:]), "cwd": cwd, "env": env}
        with self._lock:
            if (
                self._server is None
                or self._server.poll() is not None
                or (self._preload, self._confined) != (list(preload), self.limits)
            ):
                self._start(preload, cwd)
            assert self._server is not None and self._server.stdin and self._server.stdout
            if self._confined is not None:
                argv = request["argv"]
                argv[argv.index("-f") + 1] = f"{_sandbox.INSIDE}.json"
                request.update(cwd=_sandbox.SCRATCH, env=_sandbox.kernel_env(env))
                request["sandbox"] = {
                    "uid": next(self._uids),
                    "connection": connection,
                    "reports": str(self._reports),
                    "limits": vars(self._confined),
                }
            request = json.dumps(request)
            self._server.stdin.write(request + "\n")
            self._server.stdin.flush()
            reply = self._server.stdout.readline()
        if not reply.strip().isdigit():
            raise RuntimeError(f"could not start a kernel: {reply.strip() or 'the server stopped'}")
        return ForkedKernel(int(reply))

    def reports(self, pid: int) -> list[str]:
        """What the confined kernel `pid` tried that its sandbox stopped."""
        return _sandbox.reports(self._reports, pid) if self._reports else []

    def _start(self, preload: Sequence[str], cwd: str) -> None:
        self._stop()
        self._preload, self._confined = list(preload), self.limits
        command = [sys.executable, "-m", __name__, *preload]
        if self._confined is not None:
            self._reports = Path(tempfile.mkdtemp(prefix="yieldlab-sandbox-"))
            command = _sandbox.server_command(command[0], command[1:], self._reports)
        self._server = subprocess.Popen(
            command,
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )

    def close(self) -> None:
        """Stop the server (its kernels are stopped by their managers) and forget `limits`."""
        self.limits = None
        self._stop()

    def _stop(self) -> None:
        if self._server is not None:
            try:
                self._server.communicate(timeout=10)  # end of input: the server exits
            except subprocess.TimeoutExpired:
                self._server.kill()
                self._server.communicate()
            self._server = None
        if self._reports is not None:
            shutil.rmtree(self._reports, ignore_errors=True)
            self._reports = None


def serve(preload: Sequence[str]) -> None:
    """Import the kernel and `preload`, then fork a kernel for each request read from stdin."""
    if Path(sys.path[0]) == Path.cwd():  # as ipykernel_launcher does; the kernel adds it back
        del sys.path[0]
    for name in ["ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.debugger", *preload]:
        importlib.import_module(name)
    signal.signal(signal.SIGCHLD, _reap)
    for line in sys.stdin:
        request = json.loads(line)
        read, write = os.pipe()
        if os.fork() == 0:
            os.close(read)
            _run_kernel(**request, reply=os.fdopen(write, "w"))
        os.close(write)
        with os.fdopen(read) as kernel:
            print(kernel.readline().strip() or "it ended at once", flush=True)


def _reap(*_: object) -> None:
    """Collect ended kernels at once (their CPU time then counts as this server's children's)."""
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


def _run_kernel(
    argv: list[str], cwd: str, env: dict[str, str], reply: TextIO, sandbox: dict | None = None
) -> None:
    """In the forked child: become a kernel as `python -m ipykernel_launcher *argv` would.

    The first line written to `reply` is the kernel's pid (this process's, or with
    `sandbox`, the confined kernel's: see `_sandbox.confine`), or why it could not start.
    """

    def tell(text: object) -> None:
        if not reply.closed:
            reply.write(f"{text}\n")
            reply.close()

    status = 1
    try:
        if sandbox is None:
            tell(os.getpid())
        else:
            limits = _sandbox.Limits(**sandbox["limits"])
            reports = Path(sandbox["reports"])
            _sandbox.confine(sandbox["uid"], sandbox["connection"], reports, limits, tell)
        os.setsid()  # its own process group, as jupyter_client gives every kernel
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):  # also closes the server's pipes in this process
            os.dup2(devnull, fd)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env, JPY_PARENT_PID=str(os.getppid()))
        random.seed()
        sys.argv = [importlib.util.find_spec("ipykernel_launcher").origin, *argv]
        from ipykernel.kernelapp import launch_new_instance

        launch_new_instance()
        status = 0
    except SystemExit as exit:
        status = exit.code if isinstance(exit.code, int) else 1
    except BaseException as error:
        tell(f"{type(error).__name__}: {error}")
    finally:
        os._exit(status)


if __name__ == "__main__":
    serve(sys.argv[1:])
