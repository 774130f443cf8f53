# A correct answer, after printing 100 MB when the cell runs.
print("x" * 100_000_000)


def stream_tokens(text, chunk_size=4):
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    for start in range(0, len(text), chunk_size):
        yield text[start : start + chunk_size]
