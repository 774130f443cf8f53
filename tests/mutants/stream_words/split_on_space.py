# split(' ') instead of split(): empty words between spaces, newlines kept inside words.
def stream_words(tokens):
    buffer = ""
    for token in tokens:
        buffer += token
        *words, buffer = buffer.split(" ")
        yield from words
    yield from buffer.split(" ")
