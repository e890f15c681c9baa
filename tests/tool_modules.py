"""The scripts of ``tools/`` (and ``fuzz/``) as modules, for the tests that use or check them
(neither folder is a package)."""
import importlib.util
import sys
from pathlib import Path

TOOLS = Path(__file__).resolve().parent.parent / "tools"
FUZZ = TOOLS.parent / "fuzz"


def load(name: str, as_name: str = "", folder: Path = TOOLS):
    """``<folder>/<name>.py`` (default ``tools/``) imported as the module ``as_name`` (default
    ``name``)."""
    spec = importlib.util.spec_from_file_location(as_name or name, folder / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module
