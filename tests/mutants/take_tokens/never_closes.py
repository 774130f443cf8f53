# Right items, but the source is left open: its cleanup waits for the garbage collector.
import itertools


def take_tokens(tokens, n):
    if n < 0:
        raise ValueError("n must be at least 0")
    yield from itertools.islice(tokens, n)
