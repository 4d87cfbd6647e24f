"""Equality and `$in` on string fields that hold no arrays get a conjunct SQLite can answer from the index.

mongoeco writes `{field: value}` as an OR of a scalar test and an array test
in JSON functions, which SQLite cannot match to the expression indexes mongoeco
itself creates on (db_name, coll_name, type, value per field): every find and
count reads the whole namespace.

Why adding the conjunct changes no result: for a string value, a document
matches `{f: s}` when f is the string s or an array holding s. When mongoeco's
own probe says no document has an array at f (`_field_is_top_level_array_in_collection`,
which mongoeco uses for the same decision; top-level fields only), a matching
document has the plain string s at f, whose index expressions are type '' and
value s. So `type(f) = '' AND value(f) IN (the strings)` holds for every
document mongoeco's WHERE accepts; ANDed beside that WHERE (which stays whole),
it only lets SQLite seek the index instead of scanning. The same holds for the
probe a sorted find runs, uncached, before every sort (`_sort_requires_python`:
"does any matching document have an array or an object at the sort field?").
"""

from mongoeco.core.query_plan import AndCondition, EqualsCondition, InCondition
from mongoeco.engines._sqlite_plan_heuristics import sort_requires_python
from mongoeco.engines.sqlite_query import (
    index_expressions_sql,
    json_path_for_field,
    translate_query_plan,
    type_expression_sql,
)


def _string_values(node) -> tuple[str, tuple[str, ...]] | None:
    if isinstance(node, EqualsCondition):
        values = (node.value,)
    elif isinstance(node, InCondition):
        values = tuple(node.values)
    else:
        return None
    if "." in node.field or node.field == "_id" or not values or any(type(value) is not str for value in values):
        return None
    return node.field, values


def conjuncts(engine, db_name: str, coll_name: str, plan) -> tuple[str, list]:
    """Return the index-shaped conjuncts implied by `plan` (an empty string when there are none)."""
    clauses = plan.clauses if isinstance(plan, AndCondition) else (plan,)
    sql, params = [], []
    for clause in clauses:
        found = _string_values(clause)
        if found is None:
            continue
        field, values = found
        if engine._field_is_top_level_array_in_collection(db_name, coll_name, field):
            continue
        type_sql, value_sql = index_expressions_sql(field)
        marks = ", ".join("?" for _ in values)
        sql.append(f"{type_sql} = '' AND {value_sql} IN ({marks})")
        params.extend(values)
    return " AND ".join(sql), params


def add_index_conjuncts(translate):
    """Return `translate` (a plan's SQL WHERE) with index-shaped conjuncts ANDed beside it."""

    def translate_query_plan_with_multikey(self, db_name, coll_name, plan):
        return _with_conjuncts(self, db_name, coll_name, plan, translate(self, db_name, coll_name, plan))

    return translate_query_plan_with_multikey


def _with_conjuncts(engine, db_name, coll_name, plan, fragment):
    where, params = fragment
    extra, extra_params = conjuncts(engine, db_name, coll_name, plan)
    if not extra:
        return where, params
    return f"{extra} AND ({where})", [*extra_params, *params]


def sort_probe_with_conjuncts(_original):
    """Return `_sort_requires_python` whose probe over the matching documents carries the conjuncts too."""

    def sort_requires_python_seeking(self, db_name, coll_name, plan, sort):
        # mongoeco's own method, with only `translate_query_plan` given the conjuncts.
        return sort_requires_python(
            db_name=db_name,
            coll_name=coll_name,
            plan=plan,
            sort=sort,
            plan_has_array_traversing_paths=self._plan_has_array_traversing_paths,
            translate_query_plan=lambda current: _with_conjuncts(
                self, db_name, coll_name, current, translate_query_plan(current)
            ),
            field_traverses_array_in_collection=self._field_traverses_array_in_collection,
            field_contains_tagged_bytes_in_collection=self._field_contains_tagged_bytes_in_collection,
            field_contains_tagged_undefined_in_collection=self._field_contains_tagged_undefined_in_collection,
            fetchone=lambda sql, params: self._require_connection().execute(sql, params).fetchone(),
            type_expression_sql=type_expression_sql,
            json_path_for_field=json_path_for_field,
        )

    return sort_requires_python_seeking
