"""Allows `python -m shopfront`."""

from shopfront.cli import main

raise SystemExit(main())
