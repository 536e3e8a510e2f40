"""The qray error hierarchy.

Every error raised for bad input names the offending key, the value received, what is
allowed and, where a name was mistyped, the closest valid name.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any


class QrayError(Exception):
    """Root of every error qray raises on purpose.

    Every subclass survives pickling (a Ray worker raises it, the driver reports it)
    whatever its constructor takes: it is rebuilt from its message and attributes.
    """

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.args, dict(self.__dict__)))


def _rebuild(cls: type[QrayError], args: tuple[Any, ...], state: dict[str, Any]) -> QrayError:
    exc = cls.__new__(cls)
    Exception.__init__(exc, *args)
    exc.__dict__.update(state)
    return exc


def closest(name: str, choices: Iterable[str]) -> str | None:
    """Return the choice closest to ``name`` (difflib ratio), or None when nothing is close."""
    matches = difflib.get_close_matches(str(name), list(choices), n=1, cutoff=0.5)
    return matches[0] if matches else None


class ConfigError(QrayError):
    """A config value is wrong: names the key, the value and what is allowed."""

    def __init__(
        self,
        key: str,
        value: Any,
        allowed: str | Iterable[str],
        *,
        problem: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.key = key
        self.value = value
        self.problem = problem
        self.hint = hint
        if isinstance(allowed, str):
            allowed_text = allowed
            suggestion = None
        else:
            choices = sorted(str(a) for a in allowed)
            allowed_text = "one of " + ", ".join(repr(c) for c in choices)
            suggestion = closest(str(value), choices) if isinstance(value, str) else None
        self.allowed = allowed_text
        head = f"config key '{key}': {problem or 'invalid value'} {value!r}"
        parts = [head, f"allowed: {allowed_text}"]
        if suggestion is not None:
            parts.append(f"did you mean {suggestion!r}?")
        if hint:
            parts.append(hint)
        super().__init__("; ".join(parts))


class UnknownKeyError(ConfigError):
    """A config key that the workload does not define."""

    def __init__(self, key: str, known: Iterable[str], *, section: str = "") -> None:
        known = sorted(known)
        name = key.rsplit(".", 1)[-1]
        self.key = key
        self.value = name
        self.problem = "unknown key"
        self.hint = None
        self.allowed = ", ".join(known)
        suggestion = closest(name, known)
        where = f" in '{section}'" if section else ""
        msg = f"config key '{key}': unknown key{where}; allowed keys: {', '.join(known)}"
        if suggestion:
            msg += f"; did you mean {suggestion!r}?"
        Exception.__init__(self, msg)


class UnknownNameError(ConfigError):
    """A name that is not in a registry (backend, circuit family, learner, ...)."""

    def __init__(self, key: str, value: str, kind: str, known: Iterable[str]) -> None:
        hint = None
        if isinstance(value, str) and "," in value:  # backends=numpy,stim on a command line
            base = key.split("[")[0]
            items = ",".join(v.strip() for v in value.split(","))
            hint = f"a list is written in brackets: {base}=[{items}]"
        super().__init__(key, value, known, problem=f"unknown {kind}", hint=hint)


class UnsupportedError(QrayError):
    """A backend cannot do what a task asks (stim on a non-Clifford circuit, noise on a
    noiseless-only backend). Raised before any compute is spent."""


class MemoryGuardError(QrayError):
    """A run would need more memory than the actor's budget; the message gives the estimate."""


class ResourceError(QrayError):
    """The cluster cannot satisfy a resource request (a GPU asked for where there is none)."""


class SweepInterruptedError(QrayError):
    """A sweep stopped by Ctrl-C or SIGTERM: its rows so far are kept and the same command resumes
    it. ``report`` is the driver's report of the run (when it made one)."""

    def __init__(self, done: int, total: int, *, report: Any = None,
                 signum: int = 2) -> None:
        by = "SIGTERM" if signum == 15 else "Ctrl-C" if signum == 2 else f"signal {signum}"
        super().__init__(f"stopped by {by}: {done} of {total} tasks have rows; rerun the "
                         "same command to resume")
        self.done, self.total, self.report = done, total, report
        #: the signal that stopped the sweep (the exit status is 128 + signum)
        self.signum = signum
