# Calls close() on every source: a list has none, so it crashes after its items.
import itertools


def take_tokens(tokens, n):
    if n < 0:
        raise ValueError("n must be at least 0")
    try:
        yield from itertools.islice(tokens, n)
    finally:
        tokens.close()
