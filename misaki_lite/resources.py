"""Where the data folders live: inside the installed package, or at the top of a source checkout.

The wheel maps the top-level ``rules/`` and ``lexicons/`` folders into the package as
``misaki_lite/data/rules`` and ``misaki_lite/data/lexicons`` (see pyproject.toml; not
``misaki_lite/rules``, which would shadow the module ``misaki_lite.rules``), so an installed
copy finds them under ``data/``; a source checkout finds them at the top of the repository.
``data_dir("data")`` is the package's own data folder (the tagger weights).
"""
from functools import cache
from pathlib import Path

__all__ = ["data_dir"]

_HERE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """Return the folder ``rules`` or ``lexicons`` (or ``data``, the package's own data)."""
    candidates = (_HERE / "data",) if name == "data" else (_HERE / "data" / name, _HERE.parent / name)
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"misaki_lite data folder {name!r} not found next to {_HERE}")
