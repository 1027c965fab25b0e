"""Records as JSON and back, declared once by their dataclass fields and type hints (standard library only).

`encode(record)` writes each field under its own name; `decode(Record, data)` reads them back by
name, never by position. A key the record does not have is ignored (a newer writer added it), a
field the data lacks takes its default (an older writer did not have it yet), and a required
field that is missing, or a value of the wrong kind, is a CodecError naming the record, the field
and where it sits (`Sidecar.steps[2].frame`).

What a field may hold: another record, `tuple[X, ...]` (or a fixed `tuple[X, Y]`), `list[X]`,
`frozenset[X]`, `dict[str, X]`, `X | None`, str, int, float, bool, an Enum (by its value), `Any`
(free-form JSON, passed through as it is), and value types registered with `register_value`
(Path as its text; the script's Params register themselves as plain dicts).
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from explainer.files import read_json, write_json

R = TypeVar("R")


class CodecError(ValueError):
    """Data that is not the record it is read as."""


@dataclasses.dataclass(frozen=True)
class _ValueType:
    to_json: Callable[[Any], Any]
    from_json: Callable[[Any], Any]
    json_type: type


_VALUE_TYPES: dict[type, _ValueType] = {}


def register_value(kind: type, to_json: Callable[[Any], Any], from_json: Callable[[Any], Any],
                   json_type: type) -> None:
    """Carry `kind`, a value that is not a record, as the JSON `to_json` makes of it (a `json_type`);
    `from_json` rebuilds it from that."""
    _VALUE_TYPES[kind] = _ValueType(to_json, from_json, json_type)


register_value(Path, str, Path, str)


def encode(value: Any) -> Any:
    """`value` as JSON-able data: records as objects keyed by field name, tuples and lists as
    arrays, sets as sorted arrays, value types as their JSON."""
    return _encoder(type(value))(value)


def decode(kind: type[R], data: Any) -> R:
    """The `kind` record (or value) `data` encodes; CodecError says where and why it is not one."""
    try:
        return _decoder(kind)(data)
    except _Mismatch as mismatch:
        where = getattr(kind, "__name__", str(kind)) + "".join(reversed(mismatch.path))
        raise CodecError(f"{where}: {mismatch.problem}") from None


def read_record(kind: type[R], path: Path) -> R | None:
    """The `kind` record in the JSON file at `path`; None when there is no file, it is not JSON, or
    it is not such a record (a format this code no longer reads: the caller makes it again)."""
    data = read_json(path)
    if data is None:
        return None
    try:
        return decode(kind, data)
    except CodecError:
        return None


def write_record(path: Path, record: Any, only_if_changed: bool = False) -> bool:
    """Write `record` as JSON to `path` atomically (see files.write_json); True when it wrote."""
    return write_json(path, encode(record), only_if_changed)


# -- encoding: one function per runtime type, made once -----------------------------------------
@cache
def _encoder(kind: type) -> Callable[[Any], Any]:
    if kind in (str, int, float, bool, type(None)):
        return _same
    if dataclasses.is_dataclass(kind):
        names = tuple(f.name for f in _fields(kind))
        return lambda record: {name: encode(getattr(record, name)) for name in names}
    value_type = _value_type(kind)
    if value_type is not None:
        return value_type.to_json
    if issubclass(kind, enum.Enum):
        return lambda member: encode(member.value)
    if issubclass(kind, dict):
        return _encode_dict
    if issubclass(kind, (list, tuple)):
        return lambda items: [encode(item) for item in items]
    if issubclass(kind, (set, frozenset)):
        return lambda items: sorted(encode(item) for item in items)
    raise CodecError(f"cannot encode a {kind.__name__}: make it a dataclass or register it with register_value")


def _encode_dict(mapping: dict) -> dict[str, Any]:
    if not all(isinstance(key, str) for key in mapping):
        raise CodecError(f"cannot encode a dict with keys other than str: {sorted(map(repr, mapping))[:3]}")
    return {key: encode(value) for key, value in mapping.items()}


def _same(value: Any) -> Any:
    return value


# -- decoding: one function per type hint, made once ---------------------------------------------
class _Mismatch(Exception):
    """Raised where the data and the hint part; each container on the way out adds where it sits."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.path: list[str] = []   # innermost first


@cache
def _decoder(hint: Any) -> Callable[[Any], Any]:
    if hint is Any:
        return _same
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Union or origin is types.UnionType:
        return _union_decoder(args)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _array_decoder(tuple, args[0])
    if origin is tuple:
        return _fixed_tuple_decoder(args)
    if origin in (list, frozenset, set):
        return _array_decoder(origin, args[0])
    if origin is dict:
        if args[0] is not str:
            raise TypeError(f"{hint}: JSON objects have str keys; declare the field dict[str, …]")
        return _dict_decoder(args[1])
    if hint is type(None):
        return _null
    if not isinstance(hint, type):
        raise TypeError(f"the codec cannot read a {hint!r}; declare the field with a type it knows "
                        "(see explainer/codec.py)")
    if dataclasses.is_dataclass(hint):
        return _record_decoder(hint)
    value_type = _value_type(hint)
    if value_type is not None:
        return lambda data: value_type.from_json(_expect(data, value_type.json_type))
    if issubclass(hint, enum.Enum):
        return _enum_decoder(hint)
    if hint is float:
        return _float
    if hint in (str, int, bool, dict, list):
        return lambda data: _expect(data, hint)
    raise TypeError(f"the codec cannot read a {hint.__name__}; make it a dataclass or register it with register_value")


def _record_decoder(kind: type) -> Callable[[Any], Any]:
    plan: list[tuple[str, Callable[[Any], Any], bool]] | None = None

    def record(data: Any) -> Any:
        nonlocal plan
        values = _expect(data, dict)
        if plan is None:   # resolved at first use (a record may name one defined after it), whole at once
            hints = typing.get_type_hints(kind)
            plan = [(f.name, _decoder(hints[f.name]), _required(f)) for f in _fields(kind)]
        known = {}
        for name, decode_field, required in plan:
            if name in values:
                try:
                    known[name] = decode_field(values[name])
                except _Mismatch as mismatch:
                    mismatch.path.append(f".{name}")
                    raise
            elif required:
                raise _Mismatch(f"missing '{name}', a required field of {kind.__name__}")
        return kind(**known)

    return record


def _array_decoder(container: type, item_hint: Any) -> Callable[[Any], Any]:
    decode_item = _decoder(item_hint)

    def array(data: Any) -> Any:
        return container(_at(index, decode_item, item) for index, item in enumerate(_expect(data, list)))

    return array


def _at(index: int, decode_item: Callable[[Any], Any], item: Any) -> Any:
    """One array item decoded; a mismatch inside it says which item it was."""
    try:
        return decode_item(item)
    except _Mismatch as mismatch:
        mismatch.path.append(f"[{index}]")
        raise


def _fixed_tuple_decoder(hints: tuple[Any, ...]) -> Callable[[Any], Any]:
    decoders = [_decoder(hint) for hint in hints]

    def fixed(data: Any) -> tuple:
        items = _expect(data, list)
        if len(items) != len(decoders):
            raise _Mismatch(f"expected {len(decoders)} items, got {len(items)}")
        return tuple(_at(index, decode_item, item) for index, (decode_item, item) in enumerate(zip(decoders, items)))

    return fixed


def _dict_decoder(value_hint: Any) -> Callable[[Any], Any]:
    decode_value = _decoder(value_hint)
    if decode_value is _same:   # free-form values (dict[str, Any]): nothing to convert
        return lambda data: _expect(data, dict)

    def mapping(data: Any) -> dict[str, Any]:
        decoded = {}
        for key, value in _expect(data, dict).items():
            try:
                decoded[key] = decode_value(value)
            except _Mismatch as mismatch:
                mismatch.path.append(f"[{key!r}]")
                raise
        return decoded

    return mapping


def _union_decoder(options: tuple[Any, ...]) -> Callable[[Any], Any]:
    nullable = type(None) in options
    decoders = [_decoder(option) for option in options if option is not type(None)]

    def union(data: Any) -> Any:
        if data is None and nullable:
            return None
        problems = []
        for decode_option in decoders:
            try:
                return decode_option(data)
            except _Mismatch as mismatch:
                if len(decoders) == 1:
                    raise
                problems.append(mismatch.problem)
        raise _Mismatch(f"{data!r:.40} is none of the kinds it may be ({'; '.join(problems)})")

    return union


def _enum_decoder(kind: type[enum.Enum]) -> Callable[[Any], Any]:
    def member(data: Any) -> Any:
        try:
            return kind(data)
        except ValueError:
            raise _Mismatch(f"{data!r} is not one of {[m.value for m in kind]}") from None

    return member


def _float(data: Any) -> float:
    # JSON has one kind of number: 2 is a float field's 2.0.
    if isinstance(data, bool) or not isinstance(data, (int, float)):
        raise _Mismatch(f"expected a number, got {_kind(data)}")
    return float(data)


def _null(data: Any) -> None:
    if data is not None:
        raise _Mismatch(f"expected null, got {_kind(data)}")


_NAMES = {dict: "an object", list: "an array", str: "a string", int: "an integer", float: "a number",
          bool: "a boolean"}


def _expect(data: Any, kind: type) -> Any:
    # An array may arrive as a tuple: Dask's messages unpack arrays as tuples (msgpack, use_list=False).
    accepted = (list, tuple) if kind is list else kind
    if not isinstance(data, accepted) or (kind is int and isinstance(data, bool)):
        raise _Mismatch(f"expected {_NAMES.get(kind, kind.__name__)}, got {_kind(data)}")
    return data


def _kind(data: Any) -> str:
    if data is None:
        return "null"
    return f"{_NAMES.get(type(data), type(data).__name__)} ({data!r:.40})"


@cache
def _fields(kind: type) -> tuple[dataclasses.Field, ...]:
    # Fields the constructor takes: one it computes itself (init=False) is not data.
    return tuple(f for f in dataclasses.fields(kind) if f.init)


def _required(field: dataclasses.Field) -> bool:
    return field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING


def _value_type(kind: type) -> _ValueType | None:
    # By the class and its bases: a PosixPath is carried as a Path.
    return next((_VALUE_TYPES[base] for base in kind.__mro__ if base in _VALUE_TYPES), None)
