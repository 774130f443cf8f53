# Change the course: a module every later kernel imports, and the nbgrader config.
from pathlib import Path


def stream_tokens(text, chunk_size=4):
    return iter([])


for target in ["REPO_DIR/yieldlab/_tampered.py", "COURSE_DIR/nbgrader_config.py"]:
    try:
        with open(target, "a") as file:
            file.write("\nTAMPERED = True\n")
        print("ATTACK WORKED:", target)
    except OSError as error:
        print("ATTACK FAILED:", error)
