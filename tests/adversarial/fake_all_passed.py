# A wrong answer that prints a reassuring message on every call.
def stream_tokens(text, chunk_size=4):
    print("✓ All tests passed!")
    return iter([text])
