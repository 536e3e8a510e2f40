"""Make the repository importable when a job runs from a checkout without installation
(``ray job submit --working-dir .`` ships the tree but does not install it)."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
