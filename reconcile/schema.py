"""One definition of the report: its frozen dataclasses give the JSON form and the JSON Schema alike.

`to_json(value)` turns a report (or any part of one) into JSON values, field by field in the order the
class defines them; `json_schema(Report)` describes that form, from the same fields and their types.
What a field needs beyond its type is said once, in its `metadata` (see `spec`):

- ``round``: digits a float (or each float of a list or dict) is rounded to;
- ``name``: the key in JSON, where it differs from the field's name;
- ``read``: the attribute the value is read from instead (a property: Problem's ``label`` is its title);
- ``omit_none`` / ``omit_empty``: the key is left out when the value is None / empty;
- ``exclude``: for a nested dataclass, fields of it this place leaves out (the outlet has no speaker).

A class whose JSON keys stand in another order than its fields, or that adds computed values, lists
them in ``JSON_KEYS`` (attribute names; a method there is called). This module imports nothing of the
package: every stage's dataclasses can use it.
"""

from __future__ import annotations

import dataclasses
import numbers
import types
import typing
from collections.abc import Mapping
from enum import Enum
from typing import Any, Union, get_args, get_origin, get_type_hints


def spec(
    *,
    round: int | None = None,  # noqa: A002 - the metadata key is the builtin's name, as it does the same
    name: str | None = None,
    read: str | None = None,
    omit_none: bool = False,
    omit_empty: bool = False,
    exclude: tuple[str, ...] = (),
    description: str = "",
) -> dict[str, Any]:
    """A field's JSON metadata: `field(metadata=spec(round=4))`."""
    out: dict[str, Any] = {}
    for key, value in (
        ("round", round),
        ("name", name),
        ("read", read),
        ("omit_none", omit_none or None),
        ("omit_empty", omit_empty or None),
        ("exclude", exclude or None),
        ("description", description or None),
    ):
        if value is not None:
            out[key] = value
    return out


def _keys(cls: type) -> list[tuple[str, Mapping[str, Any]]]:
    """(attribute, metadata) of each JSON key of a dataclass, in order."""
    fields = {f.name: f.metadata for f in dataclasses.fields(cls)}
    listed: tuple[str, ...] | None = getattr(cls, "JSON_KEYS", None)
    if listed is None:
        return [(f.name, f.metadata) for f in dataclasses.fields(cls) if f.init]
    return [(name, fields.get(name, {})) for name in listed]


def _rounded(value: Any, digits: int) -> Any:
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        return round(value, digits)
    if isinstance(value, dict):
        return {k: _rounded(v, digits) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v, digits) for v in value]
    return value


def to_json(value: Any, *, exclude: tuple[str, ...] = ()) -> Any:
    """The JSON form of a report's value: dataclasses to dicts, enums and declared kinds to their strings."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, str):
        return str.__str__(value)  # a declared FindingType or ProblemKind is its value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for attribute, meta in _keys(type(value)):
            if attribute in exclude:
                continue
            item = getattr(value, meta.get("read", attribute))
            if callable(item):
                item = item()
            if (meta.get("omit_none") and item is None) or (meta.get("omit_empty") and not item):
                continue
            item = to_json(item, exclude=meta.get("exclude", ()))
            if "round" in meta:
                item = _rounded(item, meta["round"])
            out[meta.get("name", attribute)] = item
        return out
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    return value


# ------------------------------------------------------------------------------------------- the schema


def json_schema(cls: type, *, title: str = "", names: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of `to_json` of an instance of `cls`, its nested dataclasses under $defs.

    names: the types that annotations name but their modules import only for type checking.
    """
    defs: dict[str, Any] = {}
    _NAMES.clear()
    _NAMES.update(names or {})
    root = _object_schema(cls, defs, ())
    schema: dict[str, Any] = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    if title:
        schema["title"] = title
    return {**schema, **root, "$defs": dict(sorted(defs.items()))}


_NAMES: dict[str, Any] = {}  # json_schema's names, for the one call it lasts


def _object_schema(cls: type, defs: dict[str, Any], exclude: tuple[str, ...]) -> dict[str, Any]:
    hints = get_type_hints(cls, localns=_NAMES)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for attribute, meta in _keys(cls):
        if attribute in exclude:
            continue
        key = meta.get("name", attribute)
        read = meta.get("read", attribute)
        kind = hints.get(read) or _returned(cls, read)
        properties[key] = _type_schema(kind, defs, meta.get("exclude", ()))
        if "description" in meta:
            properties[key]["description"] = meta["description"]
        if not (meta.get("omit_none") or meta.get("omit_empty")):
            required.append(key)
    out: dict[str, Any] = {"type": "object", "properties": properties, "required": required}
    if cls.__doc__ and not cls.__doc__.startswith(f"{cls.__name__}("):
        out["description"] = " ".join(cls.__doc__.split())
    return out


def _returned(cls: type, attribute: str) -> Any:
    """The type a property or method of cls returns (for keys that are not fields)."""
    member = getattr(cls, attribute)
    function = member.fget if isinstance(member, property) else member
    return get_type_hints(function, localns=_NAMES).get("return", Any)


def _type_schema(kind: Any, defs: dict[str, Any], exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    origin, args = get_origin(kind), get_args(kind)
    if kind is Any or kind is object:
        return {}
    if origin in (Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        inner = _type_schema(options[0], defs, exclude) if len(options) == 1 else {"anyOf": []}
        if type(None) in args:
            return (
                {"anyOf": [inner, {"type": "null"}]}
                if "$ref" in inner or not inner.get("type")
                else {
                    **inner,
                    "type": [inner["type"], "null"],
                }
            )
        return inner
    if origin in (tuple, list, typing.Sequence) or kind in (tuple, list):
        item = args[0] if args else Any
        return {"type": "array", "items": _type_schema(item, defs)}
    if origin is dict or kind is dict:
        value = args[1] if len(args) == 2 else Any
        return {"type": "object", "additionalProperties": _type_schema(value, defs)}
    if isinstance(kind, type) and issubclass(kind, Enum):
        return {"type": "string", "enum": [m.value for m in kind]}
    if kind is bool:
        return {"type": "boolean"}
    if kind is int:
        return {"type": "integer"}
    if kind is float:
        return {"type": "number"}
    if isinstance(kind, type) and issubclass(kind, str):
        return {"type": "string"}
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        name = kind.__name__ + ("".join(f"-without-{e}" for e in exclude))
        if name not in defs:
            defs[name] = {}  # a placeholder while it is built: a class that holds itself ends here
            defs[name] = _object_schema(kind, defs, exclude)
        return {"$ref": f"#/$defs/{name}"}
    return {}
