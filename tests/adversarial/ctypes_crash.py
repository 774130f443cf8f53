# Reading address 0 through ctypes: the interpreter crashes (segmentation fault).
import ctypes

ctypes.string_at(0)
