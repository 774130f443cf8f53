# Right words, but waits for every token before yielding the first word.
def stream_words(tokens):
    yield from "".join(tokens).split()
