# A top-level loop that swallows every interrupt: only killing the kernel stops it.
while True:
    try:
        while True:
            pass
    except BaseException:
        pass
