# Closes the source after the loop, but not in a finally: an early close() skips it.
import itertools


def take_tokens(tokens, n):
    if n < 0:
        raise ValueError("n must be at least 0")
    yield from itertools.islice(tokens, n)
    if hasattr(tokens, "close"):
        tokens.close()
