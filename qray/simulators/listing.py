"""The table ``qray backends`` prints: every registered simulator backend, available or
why not (a plugin that cannot load: broken, with its error), and their options."""

from __future__ import annotations


def list_backends() -> str:
    """A table of every registered backend: available or the reason it is not."""
    from qray.simulators.registry import BACKENDS, BROKEN, availability

    lines = [f"{'backend':28} {'status':12} detail"]
    for name, reason in availability().items():
        b = BACKENDS[name]
        if reason is None:
            detail = f"{b.distribution} {b.version()}" + ("  [GPU]" if b.gpu else "")
            lines.append(f"{name:28} {'available':12} {detail}")
        else:
            lines.append(f"{name:28} {'unavailable':12} {reason}")
    for name, why in sorted(BROKEN.items()):
        lines.append(f"{name:28} {'broken':12} {why}")
    lines += ["", "backend options (backend_options.<backend>.<option> = default: allowed; meaning):"]
    for name, b in BACKENDS.items():
        for opt, spec in sorted(b.OPTIONS.items()):
            lines.append(f"  {name}.{opt} = {spec.default!r}: {spec.allowed()}; {spec.doc}")
    return "\n".join(lines)
