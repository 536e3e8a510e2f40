"""A workload spec module that raises on import (a plugin's bug)."""

raise RuntimeError("qray_broken.spec is broken on purpose")
