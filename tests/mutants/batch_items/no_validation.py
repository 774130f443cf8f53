# Forgets to check batch_size: 0 puts everything in one batch.
def batch_items(items, batch_size=32):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == batch_size:
            yield batch
            batch = []
    if batch:
        yield batch
