"""Two costs nbgrader pays again and again in one process, removed for batch grading."""

from __future__ import annotations

import functools
import json

import jsonschema
import nbgrader.api
import nbgrader.nbgraderformat.common as nbgraderformat_common


def speed_up_nbgrader() -> None:
    """Remove two costs nbgrader pays again and again, without changing what it does.

    It opens the gradebook about ten times per submission, each time with a new
    database engine that compiles every query again: keep one engine per URL.
    It checks each cell's metadata with `jsonschema.validate`, which first checks
    the schema itself, on every cell: check each schema once.
    """
    if not isinstance(nbgrader.api.create_engine, functools._lru_cache_wrapper):
        nbgrader.api.create_engine = functools.cache(nbgrader.api.create_engine)
    nbgraderformat_common.jsonschema = _CheckedSchemas()


class _CheckedSchemas:
    """`jsonschema.validate` that checks each schema once, not on every call."""

    def __init__(self) -> None:
        self._validators: dict[str, jsonschema.protocols.Validator] = {}

    def validate(self, instance: object, schema: dict) -> None:
        key = json.dumps(schema, sort_keys=True)
        if key not in self._validators:
            cls = jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            self._validators[key] = cls(schema)
        error = jsonschema.exceptions.best_match(self._validators[key].iter_errors(instance))
        if error is not None:
            raise error
