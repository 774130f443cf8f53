# Yields a full batch only after pulling the next item: one item too greedy.
def batch_items(items, batch_size=32):
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    batch = []
    for item in items:
        if len(batch) == batch_size:
            yield batch
            batch = []
        batch.append(item)
    if batch:
        yield batch
