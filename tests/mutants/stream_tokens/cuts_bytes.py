# Subtle: counts UTF-8 bytes, not characters; fine for ASCII, wrong for 'café 🚀'.
def stream_tokens(text, chunk_size=4):
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    data = text.encode()
    for i in range(0, len(data), chunk_size):
        chunk = data[i : i + chunk_size].decode(errors="ignore")
        if chunk:
            yield chunk
