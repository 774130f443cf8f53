# sys.exit() while the cell runs: IPython catches SystemExit, the function is never defined.
import sys

sys.exit("bye")
