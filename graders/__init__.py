"""What the exercises' test cells call: checks with clear messages, under a time limit."""

from ._calls import Outcome, call, drain
from ._expect import (
    expect_items,
    expect_raises,
    expect_streaming,
    expect_value,
    first_difference,
    passed,
    require,
    same,
)
from ._limits import LIMIT, OutOfTime, run_async, within
from ._messages import CheckFailed, describe_call, short
from ._probes import AsyncSource, Source, leftover_tasks
from ._reference import reference_solutions

__all__ = [
    "LIMIT",
    "AsyncSource",
    "CheckFailed",
    "OutOfTime",
    "Outcome",
    "Source",
    "call",
    "describe_call",
    "drain",
    "expect_items",
    "expect_raises",
    "expect_streaming",
    "expect_value",
    "first_difference",
    "leftover_tasks",
    "passed",
    "reference_solutions",
    "require",
    "run_async",
    "same",
    "short",
    "within",
]
