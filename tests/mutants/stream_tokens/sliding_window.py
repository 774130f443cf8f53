# Steps by one character instead of by chunk_size: overlapping windows.
def stream_tokens(text, chunk_size=4):
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    for i in range(0, max(len(text) - chunk_size + 1, 1)):
        if text[i : i + chunk_size]:
            yield text[i : i + chunk_size]
