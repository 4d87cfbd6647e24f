"""pymongo's `count_documents` is answered by the engine's `SELECT COUNT(*)` instead of an aggregation.

pymongo sends `count_documents(filter, skip=, limit=)` as the aggregation
`[{$match: filter}, {$skip}?, {$limit}?, {$group: {_id: 1, n: {$sum: 1}}}]`;
mongoeco runs it as a pipeline that decodes every matching document in Python.
The same count is what mongoeco's own `count_documents` computes (a find of the
filter with skip and limit, counted by SQLite where the filter translates,
else by its Python matcher), so that shape — and only that shape, without
collation, hint or `let` — is answered by it, in the aggregation's reply form:
one `{_id: <the group key>, <name>: n}` document, none when nothing matches.
"""

from mongoeco._types.documents import CommandCursorResult

_EXPRESSION_OPERATORS = {"$text", "$expr", "$where", "$function", "$jsonSchema"}


def _uses_expressions(value) -> bool:
    # $text scores and $expr/$where/$function (which read the aggregation's variables, $$NOW) keep the pipeline.
    if isinstance(value, dict):
        return any(key in _EXPRESSION_OPERATORS or _uses_expressions(item) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return any(_uses_expressions(item) for item in value)
    return False


def count_shape(pipeline) -> tuple | None:
    """Return (filter, skip, limit, group key, field name) for pymongo's count pipeline, else None."""
    if not isinstance(pipeline, (list, tuple)) or len(pipeline) < 2:
        return None
    stages = [stage for stage in pipeline if isinstance(stage, dict) and len(stage) == 1]
    if len(stages) != len(pipeline) or "$match" not in stages[0] or "$group" not in stages[-1]:
        return None
    match, group = stages[0]["$match"], stages[-1]["$group"]
    if not isinstance(match, dict) or _uses_expressions(match) or not isinstance(group, dict) or len(group) != 2:
        return None
    key = group.get("_id")
    names = [name for name in group if name != "_id"]
    if "_id" not in group or isinstance(key, (dict, list, str)) or group[names[0]] != {"$sum": 1}:
        return None
    skip, limit = 0, None
    for stage in stages[1:-1]:
        ((name, value),) = stage.items()
        if name == "$skip" and limit is None and skip == 0 and type(value) is int and value >= 0:
            skip = value
        elif name == "$limit" and limit is None and type(value) is int and value > 0:
            limit = value
        else:
            return None
    return match, skip, limit, key, names[0]


def count_by_engine(execute_aggregate):
    """Return `execute_aggregate` (the wire's aggregate command) answering count pipelines with COUNT(*)."""

    async def execute_aggregate_command(self, collection_name, operation, *, session=None):
        shape = count_shape(operation.pipeline)
        # The wire wraps `let` in an execution context; only its bindings are the caller's.
        bindings = getattr(operation.let, "bindings", operation.let)
        if shape is None or operation.collation is not None or operation.hint is not None or bindings:
            return await execute_aggregate(self, collection_name, operation, session=session)
        match, skip, limit, key, name = shape
        collection = self._admin._database.get_collection(collection_name)
        count = await collection.count_documents(
            match, skip=skip, limit=limit, max_time_ms=operation.max_time_ms, session=session
        )
        return CommandCursorResult(
            namespace=f"{self._admin._db_name}.{collection_name}",
            first_batch=[{"_id": key, name: count}] if count else [],
        )

    return execute_aggregate_command
