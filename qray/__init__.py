"""qray: the domain library (config, tasks, circuits, simulators, result rows).

Never imports Ray; the Ray layer is the ``actors`` package (``actors.sweep(...)`` runs a
sweep from Python) and the drivers in ``jobs/``.
"""

from qray.config import load_config
from qray.errors import ConfigError, QrayError
from qray.tasks import Task

__all__ = ["ConfigError", "QrayError", "Task", "load_config"]
__version__ = "0.1.0"
