"""The simulator backends, one module each (`<name>_backend.py`) on the `Backend` base
(`base.py`); `qray.simulators.registry` lists them by name."""
