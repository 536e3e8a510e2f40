"""Every key of a config dataclass with its type, default and doc (``qray keys``).

The docs come from the ``Attributes:`` sections (Google style) of the dataclass and its
bases, so the reference cannot drift from the code it documents.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

#: the default of a field that has none (it must be given)
REQUIRED = "(required)"
_ENTRY_RE = re.compile(r"^(\w+(?:\s*,\s*\w+)*):(?:\s+(.*))?$")


@dataclass(frozen=True)
class KeyDoc:
    """One config key: its dotted name, annotated type, default (``REQUIRED`` when it has
    none; None also for a section's own line) and one-line doc."""

    name: str
    type: str
    default: Any
    doc: str
    section: bool = False


def config_keys(cls: type) -> list[KeyDoc]:
    """Every key of config dataclass ``cls``, depth first: a nested dataclass's line is
    followed by its keys (``actor``, ``actor.batch_size``); a mapping of dataclasses by
    the keys of one entry (``resources.<name>.num_cpus``)."""
    return list(_walk(cls, ""))


def _walk(cls: type, prefix: str) -> Iterator[KeyDoc]:
    hints = typing.get_type_hints(cls)
    docs = attribute_docs(cls)
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        tp = hints[f.name]
        nested = _dataclass_in(tp)
        entry = _mapped_dataclass(tp)
        section = nested is not None
        yield KeyDoc(f"{prefix}{f.name}", _type_text(f, tp),
                     None if section else _default(f), docs.get(f.name, ""), section)
        if nested is not None:
            yield from _walk(nested, f"{prefix}{f.name}.")
        elif entry is not None:
            yield from _walk(entry, f"{prefix}{f.name}.<name>.")


def attribute_docs(cls: type) -> dict[str, str]:
    """``field -> doc`` from the ``Attributes:`` sections of ``cls`` and its bases (a
    subclass's entry wins); an entry naming several fields (``dqn, ppo: ...``) documents
    each."""
    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        docs.update(parse_attributes(klass.__dict__.get("__doc__") or ""))
    return docs


def parse_attributes(doc: str) -> dict[str, str]:
    """The entries of a Google-style ``Attributes:`` section, each joined into one line
    (reST double backquotes become single ones)."""
    lines = inspect.cleandoc(doc).splitlines()
    try:
        start = next(i for i, ln in enumerate(lines) if ln.strip() == "Attributes:")
    except StopIteration:
        return {}
    base = _indent(lines[start])
    entries: dict[str, list[str]] = {}
    names: list[str] = []
    entry_indent: int | None = None
    for line in lines[start + 1:]:
        if not line.strip():
            continue
        indent = _indent(line)
        if indent <= base:
            break  # the next section, or the end of this one
        if entry_indent is None:
            entry_indent = indent
        match = _ENTRY_RE.match(line.strip()) if indent == entry_indent else None
        if match:
            names = [n.strip() for n in match.group(1).split(",")]
            text = match.group(2) or ""
            for n in names:
                entries[n] = [text]
        elif indent > entry_indent:
            for n in names:
                entries[n].append(line.strip())
        else:
            break
    return {n: " ".join(" ".join(parts).split()).replace("``", "`")
            for n, parts in entries.items()}


def format_value(value: Any) -> str:
    """A value as a ``key=value`` override writes it (YAML flow style)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value if value and value.strip() == value and ":" not in value else repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(format_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {format_value(v)}" for k, v in value.items()) + "}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return format_value(dataclasses.asdict(value))
    return str(value)


def _default(f: dataclasses.Field) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return REQUIRED


def _type_text(f: dataclasses.Field, tp: Any) -> str:
    """The type as annotated in the source (``float | None``), else as typing prints it."""
    if isinstance(f.type, str):
        return f.type
    return getattr(tp, "__name__", None) if isinstance(tp, type) else str(tp).replace(
        "typing.", "")


def _dataclass_in(tp: Any) -> type | None:
    """The dataclass ``tp`` is, or that an ``X | None`` holds."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        tp = inner[0] if len(inner) == 1 else None
    return tp if isinstance(tp, type) and dataclasses.is_dataclass(tp) else None


def _mapped_dataclass(tp: Any) -> type | None:
    """The value dataclass of a ``dict[str, X]``."""
    if typing.get_origin(tp) in (dict, Mapping):
        args = typing.get_args(tp)
        return _dataclass_in(args[1]) if len(args) == 2 else None
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())
