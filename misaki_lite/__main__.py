"""``python -m misaki_lite``: the ``misaki-lite`` command."""
import sys

from .run.cli import main

if __name__ == "__main__":
    sys.exit(main())
