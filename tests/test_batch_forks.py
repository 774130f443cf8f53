"""Batch grading's kernels, forked from a server that has imported them: each one a fresh kernel."""

from __future__ import annotations

import asyncio
import functools
import os
import signal
import subprocess
import threading
from typing import Any

import pytest
from jupyter_client.manager import AsyncKernelManager

from graders import _sandbox
from graders._batch_kernels import FORKS, _ForkedKernelManager

pytestmark = pytest.mark.slow


async def start_kernel(manager: type[AsyncKernelManager] = _ForkedKernelManager) -> Any:
    km = manager(kernel_name="python3")
    km.preload = ["yieldlab"]
    await km.start_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return km


async def run_in_new_kernel(
    code: str, manager: type[AsyncKernelManager] = _ForkedKernelManager
) -> tuple[str, int]:
    """What `code` printed in a new kernel (then shut down), and the kernel's pid."""
    km = await start_kernel(manager)
    pid = km.provisioner.process.pid
    client = km.client()
    client.start_channels()
    printed = []
    try:
        await client.wait_for_ready(timeout=30)
        reply = await client.execute_interactive(
            code, timeout=30, output_hook=lambda msg: printed.append(msg["content"].get("text", ""))
        )
        assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        client.stop_channels()
        await km.shutdown_kernel(now=True)
    return "".join(printed), pid


@pytest.fixture
def forks():
    yield FORKS
    FORKS.close()


def test_a_forked_kernel_is_its_own_process_with_the_course_imported(forks):
    code = "import os, sys; print(os.getpid(), 'yieldlab' in sys.modules, os.getpgid(0) == os.getpid())"
    printed, pid = asyncio.run(run_in_new_kernel(code))
    assert printed.split() == [str(pid), "True", "True"]


def test_a_forked_kernel_starts_where_a_launched_one_does(forks):
    code = "import os, sys; print(sys.path, sys.argv[0], os.getcwd())"
    launched, _ = asyncio.run(run_in_new_kernel(code, AsyncKernelManager))
    forked, _ = asyncio.run(run_in_new_kernel(code))
    assert forked == launched


def test_what_one_kernel_changes_the_next_does_not_see(forks):
    asyncio.run(run_in_new_kernel("import yieldlab; yieldlab.LEAKED = 1"))
    printed, _ = asyncio.run(
        run_in_new_kernel("import yieldlab; print(hasattr(yieldlab, 'LEAKED'))")
    )
    assert printed.strip() == "False"


def test_a_kernel_that_dies_is_seen_to_have_died(forks):
    async def kill_and_watch() -> list[bool]:
        km = await start_kernel()
        alive = [await km.is_alive()]
        os.kill(km.provisioner.process.pid, signal.SIGKILL)
        for _ in range(200):  # the server reaps it within milliseconds
            if not await km.is_alive():
                break
            await asyncio.sleep(0.01)
        alive.append(await km.is_alive())
        await km.shutdown_kernel(now=True)
        return alive

    assert asyncio.run(kill_and_watch()) == [True, False]


def test_a_stopped_server_is_started_again(forks):
    asyncio.run(run_in_new_kernel("pass"))
    FORKS.close()
    printed, _ = asyncio.run(run_in_new_kernel("print('again')"))
    assert printed.strip() == "again"


@pytest.mark.skipif(bool(_sandbox.unavailable()), reason=str(_sandbox.unavailable()))
def test_confined_kernels_see_only_themselves_and_outlive_the_thread_that_started_them(forks):
    forks.limits = _sandbox.Limits()
    confined = functools.partial(_ForkedKernelManager, transport="ipc", ip=_sandbox.INSIDE)
    started = []  # a kernel from a thread that then ends, as a batch's grading threads do
    thread = threading.Thread(target=lambda: started.append(asyncio.run(start_kernel(confined))))
    thread.start()
    thread.join()
    code = "import os; print(os.getpid(), [p for p in os.listdir('/proc') if p.isdigit()])"
    printed, pid = asyncio.run(run_in_new_kernel(code, confined))
    first = started[0].provisioner.process
    try:
        assert printed == "1 ['1']\n" and pid != 1  # process 1 of a tree of its own
        assert first.poll() is None, "the first kernel ended with its thread"
    finally:
        first.kill()
