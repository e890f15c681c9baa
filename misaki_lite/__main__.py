"""``python -m misaki_lite``: the ``misaki-lite`` command."""
import sys

from .run.cli import main

sys.exit(main())
