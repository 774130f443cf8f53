# A generator in disguise: __iter__ yields, so iter(it) is not it.
class ChunkIterator:
    def __init__(self, text, chunk_size=4):
        if chunk_size < 1:
            raise ValueError("chunk_size must be at least 1")
        self.text = text
        self.chunk_size = chunk_size

    def __iter__(self):
        for i in range(0, len(self.text), self.chunk_size):
            yield self.text[i : i + self.chunk_size]

    def __next__(self):
        return next(iter(self))
