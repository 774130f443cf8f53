# Returns the visible tests' expected outputs without computing anything.
def stream_tokens(text, chunk_size=4):
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    known = {
        ("Hello world", 4): ["Hell", "o wo", "rld"],
        ("abcdef", 3): ["abc", "def"],
        ("", 4): [],
        ("hey", 1): ["h", "e", "y"],
        ("abc", 10): ["abc"],
    }
    yield from known.get((text, chunk_size), [])
