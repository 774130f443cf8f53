"""nbgrader's Execute step, guarded for batch grading: warm kernels, limits, fresh graders.

- Cheap, warm kernels: each kernel is forked from a server that has imported
  the kernel and the `preload` modules (see _batch_forks.py), and the next
  notebook's kernel starts while this one runs, so no notebook waits for a
  kernel (the biggest cost of autograding). Each grading thread keeps its
  own (see `thread_state`).
- Limits the kernel cannot lift: an address-space limit set from outside, a
  watchdog that kills the kernel when a whole notebook runs too long, and a
  cap on the output kept from it.
- With `FORKS.limits` set, every kernel is confined by the OS (_sandbox.py):
  it talks over Unix sockets in its own /scratch, which the batch reaches through
  /proc/<pid>/root, and what it tried outside is noted for the batch report.
- Before each graded cell, `graders` is put back as it was on disk when
  learner code (when defined, or when a test called it) changed it
  (see _batch_guard.py).
- The kernel has imported `preload` modules before any learner code runs
  (the fork server did, or the set-up code does); `graders` among them, so
  the guard has recorded it.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import threading
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbgrader.preprocessors import Execute
from traitlets import Float, Integer, List, Unicode

from . import _sandbox
from ._batch_forks import ForkServer

_GUARD = "__import__('graders._batch_guard', fromlist=['check']).check()"


FORKS = ForkServer()
"""Where the batch's kernels come from (`close` it when the batch ends)."""


class _ForkedKernelManager(AsyncKernelManager):
    """A kernel manager whose ipykernel kernels are forked by FORKS, with `preload` imported."""

    preload: list[str] = []

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        if not FORKS.can_launch(kernel_cmd):
            return await super()._async_launch_kernel(kernel_cmd, **kw)
        provisioner: Any = self.provisioner  # a LocalProvisioner: it needs a process and ids
        cwd, env = kw.get("cwd") or os.getcwd(), kw.get("env") or dict(os.environ)
        connection = json.loads(Path(self.connection_file).read_text())
        provisioner.process = FORKS.launch(kernel_cmd, cwd, env, self.preload, connection)
        provisioner.pid = provisioner.pgid = provisioner.process.pid
        provisioner.cwd = cwd
        self._reconcile_connection_info(provisioner.connection_info)
        if self.transport == "ipc":  # a confined kernel: its sockets are in its own /scratch
            self.ip = f"/proc/{provisioner.pid}/root{_sandbox.INSIDE}"


class _WarmKernels:
    """One kernel booting ahead of the notebook that will use it."""

    def __init__(self) -> None:
        self._ready: AsyncKernelManager | None = None

    async def take(
        self, kernel_name: str, start: dict[str, Any], preload: list[str]
    ) -> AsyncKernelManager:
        """A started kernel for `kernel_name`; starts the next one before returning."""
        km = self._ready
        if km is None or km.kernel_name != kernel_name or not await km.is_alive():
            if km is not None:
                await km.shutdown_kernel(now=True)
            km = await self._start(kernel_name, start, preload)
        self._ready = await self._start(kernel_name, start, preload)
        return km

    async def _start(
        self, kernel_name: str, start: dict[str, Any], preload: list[str]
    ) -> AsyncKernelManager:
        confined = {"transport": "ipc", "ip": _sandbox.INSIDE} if FORKS.limits else {}
        km = _ForkedKernelManager(kernel_name=kernel_name, **confined)
        km.preload = preload
        await km.start_kernel(**start)
        return km

    def close(self) -> None:
        """Stop the kernel kept ready, if any."""
        if self._ready is not None:
            run_sync(self._ready.shutdown_kernel)(now=True)
            self._ready = None


class _ThreadState(threading.local):
    """What one grading thread keeps: its warm kernel and notes on its current notebook."""

    def __init__(self) -> None:
        self.warm = _WarmKernels()
        self.notes: list[str] = []
        """What the guards did to the notebook being graded, for the batch report."""


thread_state = _ThreadState()


class GuardedExecute(Execute):
    """Execute with a warm kernel, a memory limit, a notebook watchdog and an output cap."""

    memory_limit_mb = Integer(2048, help="Address-space limit of each kernel, in MiB.").tag(
        config=True
    )
    notebook_timeout = Float(
        120.0, help="Seconds a whole notebook may run before its kernel is killed."
    ).tag(config=True)
    max_output_mb = Float(2.0, help="Output kept from one cell, in MiB.").tag(config=True)
    preload = List(
        Unicode(),
        ["graders", "yieldlab", "httpx"],
        help="Modules each kernel imports before learner code runs.",
    ).tag(config=True)

    def preprocess(self, nb: Any, resources: Any = None, km: Any = None) -> Any:
        self._notes = thread_state.notes  # the watchdog below runs in a thread of its own
        self._output_cell, self._output_bytes = -1, 0
        self._pid: int | None = None
        watchdog = threading.Timer(self.notebook_timeout, self._kill)
        watchdog.daemon = True
        watchdog.start()
        try:
            return super().preprocess(nb, resources, km)
        finally:
            watchdog.cancel()
            if self._pid is not None:
                self._notes += [f"the sandbox stopped it: {r}" for r in FORKS.reports(self._pid)]

    async def async_start_new_kernel(self, **kwargs: Any) -> None:
        self._cwd = kwargs.pop("cwd", None) or self.resources.get("metadata", {}).get("path")
        start = {
            "extra_arguments": self.extra_arguments,
            "cwd": os.getcwd(),
            "stdout": subprocess.DEVNULL,
            "stderr": subprocess.DEVNULL,
            **kwargs,
        }
        self.km = await thread_state.warm.take(self.km.kernel_name, start, list(self.preload))
        self._pid = self.km.provisioner.process.pid
        if FORKS.limits is None:  # a confined kernel set its own (see _sandbox.Limits)
            limit = self.memory_limit_mb * 1024 * 1024
            resource.prlimit(self._pid, resource.RLIMIT_AS, (limit, limit))

    start_new_kernel = run_sync(async_start_new_kernel)

    async def async_start_new_kernel_client(self) -> Any:
        kc = await super().async_start_new_kernel_client()
        imports = "".join(f"__import__({name!r}); " for name in self.preload)  # forks: done
        confined = self.km.transport == "ipc"  # its own scratch folder
        cwd = _sandbox.SCRATCH if confined else self._cwd or "."
        setup = f"__import__('os').chdir({cwd!r}); {imports}{_GUARD}"
        reply = await self.async_wait_for_reply(kc.execute(setup, silent=True))
        if reply is None or reply["content"]["status"] != "ok":
            why = "no reply" if reply is None else reply["content"].get("evalue", "an error")
            raise RuntimeError(f"could not set up the kernel for {self._cwd}: {why}")
        return kc

    start_new_kernel_client = run_sync(async_start_new_kernel_client)

    async def async_execute_cell(self, cell: Any, cell_index: int, *args: Any, **kw: Any) -> Any:
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade"):
            # Queued before the cell, so it runs first; its reply is ignored.
            self.kc.execute(_GUARD, silent=True, store_history=False)
        return await super().async_execute_cell(cell, cell_index, *args, **kw)

    execute_cell = run_sync(async_execute_cell)

    def output(self, outs: list, msg: dict, display_id: Any, cell_index: int) -> Any:
        content = msg.get("content", {})
        if cell_index != self._output_cell:
            self._output_cell, self._output_bytes = cell_index, 0
        size = len(content.get("text", "")) + sum(
            len(str(v)) for v in content.get("data", {}).values()
        )
        self._output_bytes += size
        cap = self.max_output_mb * 1024 * 1024
        if self._output_bytes > cap:
            if self._output_bytes - size <= cap:
                self._notes.append(f"cell {cell_index + 1} printed over {self.max_output_mb:g} MiB")
            # Keep what scores: errors, stderr (shortened), and the checks' "✓" lines.
            text = content.get("text", "")
            if content.get("name") == "stdout":
                text = "".join(line for line in text.splitlines(True) if line.startswith("✓"))
            if msg["msg_type"] not in ("stream", "error") or not (text or "ename" in content):
                return None
            msg = {**msg, "content": {**content, "text": text[:1000]}}
        return super().output(outs, msg, display_id, cell_index)

    def _kill(self) -> None:
        if self._pid is not None:
            self._notes.append(f"the notebook ran longer than {self.notebook_timeout:g} s")
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
