# Builds the whole list first: right chunks, but nothing is streamed.
def stream_tokens(text, chunk_size=4):
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    return [text[i : i + chunk_size] for i in range(0, len(text), chunk_size)]
