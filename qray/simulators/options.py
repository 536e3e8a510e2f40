"""Backend options: the settings a backend accepts under ``backend_options.<backend>``.

Each backend declares its options (name, default, allowed values); a config's options are
checked against that declaration before any work, and the resolved options (defaults
filled in) are part of every task's measurement identity and of its row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from qray.errors import ConfigError, UnknownNameError


@dataclass(frozen=True)
class Option:
    """One backend option.

    Attributes:
        default: the value used when the config does not set it.
        choices: the allowed values (strings or booleans), or empty for an integer range.
        low, high: the inclusive range of an integer option.
        doc: one line for ``qray keys`` and errors.
    """

    default: Any
    choices: tuple[Any, ...] = ()
    low: int | None = None
    high: int | None = None
    doc: str = ""

    def allowed(self) -> str:
        """What the option accepts, in words."""
        if self.choices:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        return f"an integer in {self.low}..{self.high}"

    def check(self, key: str, value: Any) -> Any:
        """``value`` if allowed, else a ConfigError naming ``key``."""
        if self.choices:
            if isinstance(value, bool) != isinstance(self.choices[0], bool) or \
                    value not in self.choices:
                raise ConfigError(key, value, self.allowed())
            return value
        if isinstance(value, bool) or not isinstance(value, int) or \
                not self.low <= value <= self.high:  # type: ignore[operator]
            raise ConfigError(key, value, self.allowed())
        return value


#: the float precision of a statevector: complex128 (double) or complex64 (single)
PRECISION = Option("double", ("double", "single"),
                   doc="amplitude precision: double (complex128) or single (complex64)")


def resolve_options(declared: Mapping[str, Option], given: Mapping[str, Any] | None,
                    prefix: str) -> dict[str, Any]:
    """The options ``given`` for a backend checked against ``declared``, with the
    defaults of the others filled in. Errors name ``<prefix>.<option>``."""
    given = dict(given or {})
    for name in given:
        if name not in declared:
            if not declared:
                raise ConfigError(f"{prefix}.{name}", given[name],
                                  "no options (this backend takes none)",
                                  problem="unknown option")
            raise UnknownNameError(f"{prefix}.{name}", name, "backend option", declared)
    return {name: opt.check(f"{prefix}.{name}", given.get(name, opt.default))
            for name, opt in sorted(declared.items())}


def settings_label(threads: int, num_gpus: float, warmup: int,
                   options: Mapping[str, Any]) -> str:
    """A short label of what a timing was measured under, e.g.
    ``threads=2 warmup=1 method=statevector precision=double`` (the summary groups by it)."""
    parts = [f"threads={threads}"]
    if num_gpus:
        parts.append(f"gpu={num_gpus:g}")
    parts.append(f"warmup={warmup}")
    parts += [f"{k}={v}" for k, v in sorted(options.items())]
    return " ".join(parts)
