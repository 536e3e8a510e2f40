"""A backend module that raises on import (a plugin's bug)."""

raise ImportError("qray_broken.backend needs a library that is not installed")
