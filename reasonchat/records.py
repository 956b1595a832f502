"""Frozen value types declared like dataclasses, without loading `dataclasses`.

`import dataclasses` imports `inspect` (and with it `ast`, `dis`, `tokenize`): 7 ms on a machine where
`python -c pass` takes 8 — a third of what `reasonchat presets`, `history` or `export` may take in all
(P8' in benchmarks/README.md). The value types those commands load (the config, the store's rows, costs,
a provider) are therefore `@record`s. mypy checks a record exactly as a frozen dataclass (the names below
are `dataclasses`' own while type checking); at run time `record` gives the class what the project uses of
a frozen dataclass, built from its annotations with no code generated: construction by position or
keyword with defaults and `field(default_factory=…)`, immutability, `==`, `hash`, a `repr` that leaves out
`field(repr=False)`, and `replace`. tests/unit/test_records.py holds each to what `dataclasses` does.

The engine's stream events, the TUI and the demo server keep `dataclasses`: the SDK and Textual load it
anyway, and there the generated `__init__` is faster per object.
"""

from __future__ import annotations

TYPE_CHECKING = False  # mypy reads this as true; importing `typing` costs a quick command ~4 ms
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    _T = TypeVar("_T")

__all__ = ["FrozenInstanceError", "field", "record", "replace"]

_MISSING: Any = object()


class FrozenInstanceError(AttributeError):
    """Assigning to a field of a record (the same exception type name as `dataclasses`')."""


class _Field:
    __slots__ = ("default", "factory", "repr")

    def __init__(self, default: Any, factory: Callable[[], Any] | None, repr: bool) -> None:
        self.default, self.factory, self.repr = default, factory, repr


def _field(*, default: Any = _MISSING, default_factory: Callable[[], Any] | None = None, repr: bool = True) -> Any:
    return _Field(default, default_factory, repr)


def _fields_of(cls: type) -> tuple[list[str], dict[str, Any], dict[str, Callable[[], Any]], list[str]]:
    """Names in declaration order, defaults, default factories, the names a repr shows. A record's fields
    are its own annotations: no record here inherits from another, so inheritance is not supported."""
    names = list(cls.__dict__.get("__annotations__", {}))  # noqa: RUF063 (inspect is what this avoids)
    defaults: dict[str, Any] = {}
    factories: dict[str, Callable[[], Any]] = {}
    shown: list[str] = []
    for name in names:
        value = cls.__dict__.get(name, _MISSING)
        if isinstance(value, _Field):
            if value.factory is not None:
                factories[name] = value.factory
            elif value.default is not _MISSING:
                defaults[name] = value.default
            if value.repr:
                shown.append(name)
            continue
        if value is not _MISSING:
            defaults[name] = value
        shown.append(name)
    return names, defaults, factories, shown


def _record(cls: type[_T]) -> type[_T]:
    if any(hasattr(base, "__record_fields__") for base in cls.__mro__[1:]):
        raise TypeError(f"{cls.__qualname__}: a record cannot inherit from another")
    names, defaults, factories, shown = _fields_of(cls)
    known = frozenset(names)
    qualname = cls.__qualname__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if len(args) > len(names):
            raise TypeError(f"{qualname}() takes {len(names)} arguments but {len(args)} were given")
        for name, value in zip(names, args, strict=False):
            if name in kwargs:
                raise TypeError(f"{qualname}() got multiple values for argument '{name}'")
            kwargs[name] = value
        for name in kwargs:
            if name not in known:
                raise TypeError(f"{qualname}() got an unexpected keyword argument '{name}'")
        values = self.__dict__
        for name in names:
            if name in kwargs:
                values[name] = kwargs[name]
            elif name in defaults:
                values[name] = defaults[name]
            elif name in factories:
                values[name] = factories[name]()
            else:
                raise TypeError(f"{qualname}() missing required argument: '{name}'")

    def __setattr__(self: Any, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field '{name}'")

    def __delattr__(self: Any, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field '{name}'")

    def _values(self: Any) -> tuple[Any, ...]:
        values = self.__dict__
        return tuple(values[name] for name in names)

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return bool(_values(self) == _values(other))

    def __hash__(self: Any) -> int:
        return hash(_values(self))

    def __repr__(self: Any) -> str:
        values = self.__dict__
        return f"{qualname}({', '.join(f'{name}={values[name]!r}' for name in shown)})"

    for name in names:  # a field's class attribute is its default, as in a dataclass; a factory's is none
        value = cls.__dict__.get(name, _MISSING)
        if isinstance(value, _Field):
            if value.default is _MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, value.default)
    methods: dict[str, Any] = {"__init__": __init__, "__setattr__": __setattr__, "__delattr__": __delattr__,
                               "__eq__": __eq__, "__hash__": __hash__, "__match_args__": tuple(names),
                               "__record_fields__": tuple(names)}
    if "__repr__" not in cls.__dict__:
        methods["__repr__"] = __repr__
    for name, method in methods.items():
        setattr(cls, name, method)
    return cls


def _replace(obj: _T, /, **changes: Any) -> _T:
    names = getattr(obj, "__record_fields__", None)
    if names is None:  # a dataclass (the engine's and the TUI's types)
        import dataclasses

        return dataclasses.replace(obj, **changes)  # type: ignore[type-var]
    values = {name: getattr(obj, name) for name in names}
    values.update(changes)
    return type(obj)(**values)


if TYPE_CHECKING:
    from dataclasses import field as field
    from dataclasses import replace as replace

    from typing_extensions import dataclass_transform

    @dataclass_transform(frozen_default=True, field_specifiers=(field,))
    def record(cls: type[_T]) -> type[_T]: ...
else:
    record, field, replace = _record, _field, _replace
