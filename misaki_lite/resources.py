"""Where the data folders live: inside the installed package, or at the top of a source checkout.

The wheel maps the top-level ``rules/`` and ``lexicons/`` folders into the package
(see pyproject.toml), so an installed copy finds them next to this file; a source checkout
finds them one level up.
"""
from functools import cache
from pathlib import Path

__all__ = ["data_dir"]

_HERE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """Return the folder ``rules`` or ``lexicons`` (or ``data``, the package's own data)."""
    for candidate in (_HERE / name, _HERE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"misaki_lite data folder {name!r} not found next to {_HERE}")
