# __iter__ returns a fresh iterator: a for loop over a half-used iterator starts over.
class ChunkIterator:
    def __init__(self, text, chunk_size=4):
        if chunk_size < 1:
            raise ValueError("chunk_size must be at least 1")
        self.text = text
        self.chunk_size = chunk_size
        self.position = 0

    def __iter__(self):
        return ChunkIterator(self.text, self.chunk_size)

    def __next__(self):
        if self.position >= len(self.text):
            raise StopIteration
        chunk = self.text[self.position : self.position + self.chunk_size]
        self.position += self.chunk_size
        return chunk
