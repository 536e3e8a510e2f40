"""Finding a user's experiment callable and what identifies its code.

``experiment:`` names a callable as ``<file>.py:<name>`` (a file relative to the YAML or
the working directory), ``<module>:<name>`` (an importable module) or, from Python, an
object registered with :func:`register_object` (``<object>:<name>``, what
``actors.experiment.run`` does for a notebook's callable).

A file's code reaches the actors as its text (:class:`Payload`), executed there as a
module of its own: nothing needs to be installed or copied to a worker node. Its
identity is the SHA-256 of that text (so editing the file, a comment included, gives new
task ids), or the config's ``version`` when given; its path is not part of it.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import inspect
import linecache
import re
import sys
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from qray.errors import ConfigError

#: prefix of in-process objects' references (``<object>:fidelity``)
OBJECT_PREFIX = "<object>"
_OBJECTS: dict[str, Any] = {}
REF_ALLOWED = ("'<file>.py:<callable>' (a file relative to the YAML or the working "
               "directory) or '<module>:<callable>' (an importable module)")
_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def register_object(obj: Any, name: str | None = None) -> str:
    """Make ``obj`` (a function or class defined in this process, e.g. in a notebook)
    nameable as an experiment; returns its reference, ``<object>:<name>``."""
    name = name or getattr(obj, "__qualname__", None) or getattr(obj, "__name__", "callable")
    name = re.sub(r"[^A-Za-z0-9_.]", "_", str(name))
    ref = f"{OBJECT_PREFIX}:{name}"
    _OBJECTS[ref] = obj
    return ref


@dataclass(frozen=True)
class Payload:
    """How an actor gets the callable: a file's text (executed there), a module to
    import, or the object itself (pickled by Ray)."""

    kind: str  # "file" | "module" | "object"
    name: str
    filename: str = ""
    text: str = ""
    module: str = ""
    obj: Any = field(default=None, compare=False)

    def load(self) -> Any:
        """The callable, in this process."""
        if self.kind == "object":
            return self.obj
        if self.kind == "module":
            return _attr(importlib.import_module(self.module), self.name)
        return _attr(_exec_file(self.filename, self.text), self.name)


@dataclass(frozen=True)
class Experiment:
    """A resolved experiment callable: the object, whether it is a class, its code's
    identity and what ships it to the actors (with the file its frames are in)."""

    obj: Any
    name: str
    code_id: str
    payload: Payload

    @property
    def is_class(self) -> bool:
        return inspect.isclass(self.obj)


def split_ref(ref: str) -> tuple[str, str]:
    """``(target, callable name)`` of an ``experiment:`` value."""
    target, sep, name = str(ref).rpartition(":")
    if not sep or not target or not _NAME_RE.match(name):
        raise ConfigError("experiment", ref, REF_ALLOWED, problem="malformed reference")
    return target, name


def resolve_path(ref: str, base_dir: str | Path | None) -> str:
    """``ref`` with a relative ``.py`` file made absolute: relative to ``base_dir`` (the
    YAML's folder) where the file is there, else to the working directory."""
    if not isinstance(ref, str) or ref.startswith(OBJECT_PREFIX):
        return ref
    target, sep, name = ref.rpartition(":")
    if not sep or not target.endswith(".py"):
        return ref
    p = Path(target).expanduser()
    if not p.is_absolute():
        near = Path(base_dir) / p if base_dir is not None else None
        p = near if near is not None and near.is_file() else Path.cwd() / p
    return f"{p.resolve()}:{name}"


def load_experiment(ref: str, version: str | None = None) -> Experiment:
    """Resolve an ``experiment:`` value; a ConfigError naming the file or key when the
    file is missing, does not compile or lacks the callable."""
    if ref in _OBJECTS:
        return _object_experiment(ref, version)
    target, name = split_ref(ref)
    if target.endswith(".py"):
        return _file_experiment(Path(target), name, version)
    try:
        module = importlib.import_module(target)
    except ImportError as exc:
        raise ConfigError("experiment", ref, REF_ALLOWED,
                          problem=f"cannot import module {target!r} ({exc}) in") from None
    obj = _lookup(module, name, ref, str(getattr(module, "__file__", target)))
    try:
        text = inspect.getsource(module)
    except (OSError, TypeError):
        text = ""
    code_id = _code_id(version, text, ref)
    return Experiment(obj, name, code_id, Payload("module", name, module=target))


def _file_experiment(path: Path, name: str, version: str | None) -> Experiment:
    key = f"{path}:{name}"
    if not path.is_file():
        raise ConfigError("experiment", key, REF_ALLOWED, problem="no such file")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError("experiment", key, "a readable UTF-8 Python file",
                          problem=f"cannot read ({exc})") from None
    try:
        compile(text, str(path), "exec")
    except SyntaxError as exc:
        raise ConfigError("experiment", key, "a Python file that compiles",
                          problem=f"syntax error at line {exc.lineno} ({exc.msg}) in") from None
    try:
        module = _exec_file(str(path), text)
    except Exception as exc:
        raise ConfigError("experiment", key, "a file that imports without error",
                          problem=f"importing it raised {type(exc).__name__}: {exc}; "
                                  "in") from None
    obj = _lookup(module, name, key, str(path))
    return Experiment(obj, name, _code_id(version, text, key),
                      Payload("file", name, filename=str(path), text=text))


def _object_experiment(ref: str, version: str | None) -> Experiment:
    obj = _OBJECTS[ref]
    name = ref.split(":", 1)[1]
    try:
        text = inspect.getsource(obj)
    except (OSError, TypeError):
        text = ""
    if not text and version is None:
        raise ConfigError("version", None, "a string naming the code's version",
                          problem=f"the source of {name} cannot be read, so its tasks' ids "
                                  "need one:")
    filename = ""
    with contextlib.suppress(TypeError, OSError):
        filename = inspect.getsourcefile(obj) or ""
    return Experiment(obj, name, _code_id(version, text, ref),
                      Payload("object", name, filename=filename, obj=obj))


def _code_id(version: str | None, text: str, key: str) -> str:
    if version is not None:
        return f"version:{version}"
    if not text:
        raise ConfigError("version", None, "a string naming the code's version",
                          problem=f"the source of {key} cannot be read, so its tasks' ids "
                                  "need one:")
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def _lookup(module: Any, name: str, key: str, where: str) -> Any:
    try:
        obj = _attr(module, name)
    except AttributeError:
        found = sorted(n for n, v in vars(module).items()
                       if callable(v) and not n.startswith("_")
                       and getattr(v, "__module__", None) == module.__name__)
        raise ConfigError("experiment", key, "a function or class defined in "
                          f"{where}: " + (", ".join(found) or "(it defines none)"),
                          problem=f"no callable {name!r}:") from None
    if not callable(obj):
        raise ConfigError("experiment", key, "a function or a class",
                          problem=f"{name!r} is a {type(obj).__name__}:")
    return obj


def _attr(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


@cache
def _exec_file(filename: str, text: str) -> types.ModuleType:
    """The module of a file's text (executed once per process and text), registered in
    ``sys.modules`` under a name of its own and with its lines in ``linecache``, so
    tracebacks show them on nodes that do not have the file."""
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    stem = re.sub(r"\W", "_", Path(filename).stem)
    modname = f"qray_experiment_{stem}_{digest}"
    module = types.ModuleType(modname)
    module.__file__ = filename
    lines = text.splitlines(keepends=True)
    linecache.cache[filename] = (len(text), None, lines, filename)
    sys.modules[modname] = module
    try:
        exec(compile(text, filename, "exec"), module.__dict__)  # the user's own code
    except BaseException:
        sys.modules.pop(modname, None)
        raise
    return module


def call_parameters(exp: Experiment) -> inspect.Signature:
    """The signature each task is called with: the function's, or the class's
    ``__call__`` without ``self``."""
    fn: Callable[..., Any] = exp.obj
    if exp.is_class:
        call = getattr(exp.obj, "__call__", None)  # noqa: B004 - the class's own method
        if call is None or call is object.__call__:
            raise ConfigError("experiment", exp.name, "a function, or a class with "
                              "__call__(**params) -> dict", problem="a class without __call__:")
        sig = inspect.signature(call)
        params = list(sig.parameters.values())[1:]
        return sig.replace(parameters=params)
    return inspect.signature(fn)
