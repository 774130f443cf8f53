# One step too far: yields an empty chunk when the text is a whole number of chunks.
def stream_tokens(text, chunk_size=4):
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    for i in range(0, len(text) + 1, chunk_size):
        yield text[i : i + chunk_size]
