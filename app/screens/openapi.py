"""Corrections to the OpenAPI schema FAB generates, so that it says what the API answers.

FAB's method docstrings (from which apispec builds the paths) and its shared error
responses were written for any model; a client generated from them, or a fuzzer checking
answers against them (tests/test_fuzz.py), finds them wrong in ways that hold for every
entity:

* ids are integers (FAB declares `id` and the items of `ids` as strings);
* `_info`'s `add_columns` / `edit_columns` are lists of field descriptions, not objects;
* a refusal's `message` is a sentence or, for a refused record, {field: [reasons]};
* a value already used answers 409 (app/registry/refusals.py), which FAB does not list;
* fixed-point amounts are strings ("1000000.00"), as FAB's JSON writes a Decimal;
* FAB's menu API lists separators ("-") among the menu entries;
* date-times are the office's local time (Asia/Shanghai) without an offset, which the
  strict `date-time` format (RFC 3339) refuses: they are described by a pattern instead.
"""
from __future__ import annotations

from flask_babel import gettext

#: A refusal's message: a sentence, or the reasons per field of a refused record.
MESSAGE = {"oneOf": [{"type": "string"},
                     {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}]}

LOCAL_DATE_TIME = {
    "type": "string",
    "pattern": r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$",
}

FIELD_LIST = {"type": "array", "items": {"type": "object"}}

REFUSALS = ("400", "401", "403", "404", "409", "422", "500")


def _refusal(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"type": "object", "properties": {"message": MESSAGE}}}}}


def _local_times(schema) -> None:
    """Date-time properties of a component schema (nested ones included) as local times."""
    if isinstance(schema, dict):
        if schema.get("format") == "date-time":
            schema.pop("format")
            schema.update(LOCAL_DATE_TIME)
            schema["description"] = gettext("Local time (Asia/Shanghai), without an offset")
        for value in schema.values():
            _local_times(value)
    elif isinstance(schema, list):
        for value in schema:
            _local_times(value)


def _integer_ids(schema: dict) -> None:
    properties = schema.get("properties") or {}
    if properties.get("id", {}).get("type") == "string":
        properties["id"] = {"type": "integer"}
    if (properties.get("ids") or {}).get("items", {}).get("type") == "string":
        properties["ids"]["items"] = {"type": "integer"}
    for name in ("add_columns", "edit_columns"):
        if properties.get(name, {}).get("type") == "object":
            properties[name] = dict(FIELD_LIST)


#: A fixed-point amount: JSON carries it as a string ("1000000.00", exact), and a number
#: or such a string is accepted on input.
DECIMAL = {"anyOf": [{"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}, {"type": "number"}]}


def _decimals(schema: dict, names: set[str]) -> None:
    for name, spec in (schema.get("properties") or {}).items():
        if name in names and isinstance(spec, dict):
            nullable = bool(spec.get("nullable")) or any(option.get("type") == "null"
                                                         for option in spec.get("anyOf", []))
            spec.clear()
            spec["anyOf"] = DECIMAL["anyOf"] + ([{"type": "null"}] if nullable else [])


def _menu_separators(api_spec) -> None:
    """FAB's menu API lists a separator between menu entries as the string "-"."""
    for operation in (api_spec._paths.get("/api/v1/menu/") or {}).values():
        schema = (((operation.get("responses") or {}).get("200") or {}).get("content") or {}) \
            .get("application/json", {}).get("schema") or {}
        items = (schema.get("properties") or {}).get("result", {}).get("items", {})
        childs = (items.get("properties") or {}).get("childs")
        if isinstance(childs, dict) and childs.get("items") == {"type": "object"}:
            childs["items"] = {"oneOf": [{"type": "object"}, {"type": "string"}]}


def correct_spec(api_spec, path_prefix: str, component_prefix: str, decimals: set[str] = frozenset()) -> None:
    """Correct the paths under `path_prefix` and the component schemas whose names start
    with `component_prefix` (one API's; `decimals` names its fixed-point columns), and the
    shared refusal responses."""
    components = api_spec.components
    _menu_separators(api_spec)
    for status in REFUSALS:
        described = components.responses.get(status, {}).get("description") or gettext("Refused")
        components.responses[status] = _refusal(described)
    components.responses["409"] = _refusal(
        gettext("Conflict: a value is already used, or the record changed meanwhile"))
    for name, schema in components.schemas.items():
        if name.startswith(component_prefix):
            _local_times(schema)
            _decimals(schema, decimals)
    for path, operations in api_spec._paths.items():
        if not path.startswith(path_prefix):
            continue
        for method, operation in operations.items():
            if not isinstance(operation, dict):
                continue
            responses = operation.get("responses") or {}
            for response in responses.values():
                schema = (response.get("content") or {}).get("application/json", {}).get("schema")
                if isinstance(schema, dict):
                    _integer_ids(schema)
                    _local_times(schema)
            if method in ("post", "put"):
                responses.setdefault("409", {"$ref": "#/components/responses/409"})
