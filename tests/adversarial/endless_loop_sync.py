# A busy loop that never ends, inside the function: each check times out, nothing else is lost.
def stream_tokens(text, chunk_size=4):
    while True:
        pass
