"""``python -m actors.cli <command>``: the ``qray`` command."""

from actors.cli import main

raise SystemExit(main())
