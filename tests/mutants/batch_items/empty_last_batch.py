# Always yields the final batch, even when it is empty.
def batch_items(items, batch_size=32):
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == batch_size:
            yield batch
            batch = []
    yield batch
