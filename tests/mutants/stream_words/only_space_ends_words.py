# Subtle: only ' ' ends a word, so a newline at the end of a token glues two words together.
def stream_words(tokens):
    buffer = ""
    for token in tokens:
        buffer += token
        words = buffer.split()
        if buffer and not buffer.endswith(" ") and words:
            buffer = words.pop()
        else:
            buffer = ""
        yield from words
    if buffer.strip():
        yield buffer.strip()
