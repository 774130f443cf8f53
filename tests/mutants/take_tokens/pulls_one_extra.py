# Checks the count after pulling: the (n+1)th token is pulled and thrown away.
def take_tokens(tokens, n):
    if n < 0:
        raise ValueError("n must be at least 0")
    try:
        for index, token in enumerate(tokens):
            if index >= n:
                break
            yield token
    finally:
        if hasattr(tokens, "close"):
            tokens.close()
