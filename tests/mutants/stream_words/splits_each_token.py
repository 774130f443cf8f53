# Splits each token on its own: 'Hel' + 'lo' come out as two words.
def stream_words(tokens):
    for token in tokens:
        yield from token.split()
