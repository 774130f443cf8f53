# A loop at the top level of the cell: nbgrader's per-cell time limit interrupts it.
while True:
    pass
