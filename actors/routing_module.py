"""The RLModule of the learned router under its former path, which the RLlib checkpoints
written before ``actors/routing/`` existed record; new code imports
``actors.routing.module``."""

from actors.routing.module import EdgeScorerModule

__all__ = ["EdgeScorerModule"]
