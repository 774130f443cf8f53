# Copy a classmate's answers from the course's submitted/ folder.
from pathlib import Path


def stream_tokens(text, chunk_size=4):
    return iter([])


try:
    notebook = Path("COURSE_DIR/submitted/honest-first/01_generators/01_generators.ipynb")
    print("ATTACK WORKED:", notebook.read_text()[:80])
except OSError as error:
    print("ATTACK FAILED:", error)
