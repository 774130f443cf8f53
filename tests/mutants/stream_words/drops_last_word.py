# Forgets the word still in the buffer when the tokens run out.
def stream_words(tokens):
    buffer = ""
    for token in tokens:
        buffer += token
        words = buffer.split()
        if buffer and not buffer[-1].isspace() and words:
            buffer = words.pop()
        else:
            buffer = ""
        yield from words
