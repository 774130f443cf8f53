# Subtle: treats None as "no item" and skips it, but None is an item like any other.
def batch_items(items, batch_size=32):
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    batch = []
    for item in items:
        if item is None:
            continue
        batch.append(item)
        if len(batch) == batch_size:
            yield batch
            batch = []
    if batch:
        yield batch
