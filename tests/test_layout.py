"""The code's shape: the package's import graph has no cycle, no module is over 400 lines,
and no script or test changes sys.path to find the code."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "misaki_lite"
MAX_LINES = 400


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _top_level_imports(path: Path, name: str, known: set[str]) -> set[str]:
    """The package modules that ``path`` imports when it is imported: statements at module level,
    in ``if TYPE_CHECKING:`` and ``try:`` blocks included; imports inside functions are not
    (they run on first use, after every module has loaded)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    nodes = list(ast.parse(path.read_text(encoding="utf-8")).body)
    while nodes:
        node = nodes.pop()
        if isinstance(node, (ast.If, ast.Try)):
            nodes.extend(node.body + node.orelse + getattr(node, "finalbody", [])
                         + [s for h in getattr(node, "handlers", []) for s in h.body])
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            for alias in node.names:
                target = f"{base}.{alias.name}"
                found.add(target if target in known else base)
    return {m for m in found if m in known and m != name}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _top_level_imports(path, name, set(modules)) for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle as a list of modules, or []. A package importing its own submodules
    (``misaki_lite/__init__`` importing ``misaki_lite.en``) is not a cycle with them."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str]:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph[m]):
            if m.startswith(n + "."):      # a submodule's import of its own package
                continue
            if state.get(n) == 1:
                return stack[stack.index(n):] + [n]
            if n not in state and (found := visit(n)):
                return found
        stack.pop()
        state[m] = 2
        return []

    for m in sorted(graph):
        if m not in state and (found := visit(m)):
            return found
    return []


def test_the_graph_is_seen():
    graph = _graph()
    assert "misaki_lite.reading.lookup" in graph["misaki_lite.reading.reader"]
    assert "misaki_lite.text.markup" in graph["misaki_lite.pipeline"]


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_in_the_package():
    assert _cycle(_graph()) == []


def test_every_relative_import_names_a_module_of_the_package():
    """Imports inside functions too: a module moved without its lazy imports fails here, not
    on the first call that reaches them."""
    modules = _modules()
    missing = []
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1] + ([node.module] if node.module else []))
                if base not in modules:
                    missing.append(f"{path.relative_to(ROOT)}:{node.lineno}: {base}")
    assert missing == []


def test_no_module_over_400_lines():
    long = {name: n for name, path in _modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_nothing_inserts_into_sys_path():
    found = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in ("build", ".git") or "site-packages" in rel.parts or path == Path(__file__):
            continue
        source = path.read_text(encoding="utf-8")
        if "sys.path.insert" in source or "sys.path[:0]" in source or "sys.path.append" in source:
            found.append(str(rel))
    assert sorted(found) == []
