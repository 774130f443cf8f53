# Forgets to check n: a negative n silently yields nothing.
def take_tokens(tokens, n):
    iterator = iter(tokens)
    try:
        for _ in range(n):
            try:
                item = next(iterator)
            except StopIteration:
                return
            yield item
    finally:
        if hasattr(tokens, "close"):
            tokens.close()
