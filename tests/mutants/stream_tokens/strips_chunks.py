# Subtle: strips each chunk, losing the spaces at chunk edges.
def stream_tokens(text, chunk_size=4):
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    for i in range(0, len(text), chunk_size):
        yield text[i : i + chunk_size].strip() or text[i : i + chunk_size]
