# Asks for 16 GB at the top level: the kernel's memory limit turns it into MemoryError.
hoard = bytearray(16 * 1024**3)


def stream_tokens(text, chunk_size=4):
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    for start in range(0, len(text), chunk_size):
        yield text[start : start + chunk_size]
