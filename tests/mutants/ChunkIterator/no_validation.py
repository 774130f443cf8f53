# Forgets to check chunk_size: 0 never moves and never ends.
class ChunkIterator:
    def __init__(self, text, chunk_size=4):
        self.text = text
        self.chunk_size = chunk_size
        self.position = 0

    def __iter__(self):
        return self

    def __next__(self):
        if self.position >= len(self.text):
            raise StopIteration
        chunk = self.text[self.position : self.position + self.chunk_size]
        self.position += self.chunk_size
        return chunk
