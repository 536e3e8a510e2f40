"""Reading an RLlib checkpoint of a Tune trial: its RLModule folder, the module, and the
env config the trial trained with."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from qray.errors import QrayError

#: where an algorithm checkpoint keeps its (single-agent) RLModule
MODULE_PATH = ("learner_group", "learner", "rl_module", "default_policy")


def module_checkpoint(checkpoint: str | Path) -> Path:
    """The RLModule folder of an algorithm checkpoint (or the module folder itself); a
    QrayError naming the folder when it is neither."""
    path = Path(checkpoint)
    if not path.is_dir():
        raise QrayError(f"checkpoint {str(checkpoint)!r}: no such folder")
    module_dir = path.joinpath(*MODULE_PATH)
    found = module_dir if module_dir.is_dir() else path
    if not (found / "class_and_ctor_args.pkl").is_file():
        raise QrayError(f"checkpoint {str(checkpoint)!r}: not an RLlib algorithm or RLModule "
                        f"checkpoint (no {'/'.join(MODULE_PATH)}/ with an RLModule in it); "
                        "pass a checkpoint_* folder of a training trial")
    return found


def load_module(checkpoint: str | Path) -> Any:
    """The RLModule of an algorithm checkpoint (or of a module checkpoint folder)."""
    from ray.rllib.core.rl_module.rl_module import RLModule

    found = module_checkpoint(checkpoint)
    try:
        module = RLModule.from_checkpoint(str(found))
    except Exception as exc:  # a damaged checkpoint: pickles, state files
        raise QrayError(f"checkpoint {str(checkpoint)!r}: cannot load its RLModule "
                        f"({type(exc).__name__}: {' '.join(str(exc).split())[:200]})") from None
    module.eval()
    return module


def recorded_env(checkpoint: str | Path) -> dict[str, Any] | None:
    """The env config a Tune trial trained with (its ``params.json``, plain JSON), if the
    checkpoint sits in a trial folder."""
    params = Path(checkpoint).resolve().parent / "params.json"
    if not params.is_file():
        return None
    return json.loads(params.read_text()).get("env_config")
