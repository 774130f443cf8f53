# Integer division drops the last, shorter chunk.
def stream_tokens(text, chunk_size=4):
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    for i in range(len(text) // chunk_size):
        yield text[i * chunk_size : (i + 1) * chunk_size]
