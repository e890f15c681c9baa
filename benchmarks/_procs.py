"""Helpers for bench_g2p.py that look at whole processes and environments, not at code.

* ``first_output``: time from process start to its first line of output, and its peak RSS;
* ``fresh_venv``: a virtual environment with misaki-lite installed from this checkout
  (no extras), reused between runs, the project itself reinstalled every time;
* ``closure``: bytes installed per distribution in an environment (pip/setuptools excluded).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOLING = {"pip", "setuptools", "wheel", "distribute"}

# Run with the environment's own interpreter: sizes of every installed distribution.
_CLOSURE_SCRIPT = """
import json, importlib.metadata as md
sizes = {}
for dist in md.distributions():
    total = 0
    for f in dist.files or []:
        p = f.locate()
        try:
            total += p.stat().st_size
        except OSError:
            pass
    sizes[dist.metadata["Name"]] = total
print(json.dumps(sizes))
"""


# Run by a small launcher process: on Linux a child's ru_maxrss starts from its parent's
# resident size at fork time, so the benchmark (which holds a loaded G2P) must not be the parent.
_LAUNCHER = """
import json, os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
line = proc.stdout.readline().decode("utf-8", "replace").rstrip("\\n")
elapsed = time.perf_counter() - start
proc.stdout.read()
_, status, usage = os.wait4(proc.pid, 0)
print(json.dumps({"seconds": elapsed, "maxrss_kib": usage.ru_maxrss, "line": line,
                  "status": os.waitstatus_to_exitcode(status)}))
"""


def first_output(argv: list[str]) -> tuple[float, float, str]:
    """(seconds from start to the first stdout line, peak RSS in MB, that line) of ``argv``,
    run as a user runs it: without the benchmark's own OPENBLAS_NUM_THREADS."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    out = subprocess.run([sys.executable, "-S", "-c", _LAUNCHER, *argv], capture_output=True,
                         text=True, check=True, env=env).stdout
    r = json.loads(out)
    if r["status"] != 0:
        raise RuntimeError(f"{argv[0]} exited with status {r['status']}")
    return r["seconds"], r["maxrss_kib"] / 1024, r["line"]   # ru_maxrss is in KiB on Linux


def fresh_venv(path: Path, reinstall: bool = True) -> Path:
    """Create (once) a venv at ``path`` with misaki-lite from this checkout; returns its bin/.

    An existing venv gets the project reinstalled (deps kept) unless ``reinstall`` is off."""
    bindir = path / "bin"
    if (bindir / "python").exists() and not reinstall:
        return bindir
    # setuptools builds in ./build and keeps what it copied there: a module since deleted or
    # moved would still be in the wheel, and in the sizes and imports measured
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    if not (bindir / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
        subprocess.run([bindir / "python", "-m", "pip", "install", "-q", str(ROOT)], check=True)
    else:   # deps stay; the project's own code and data are refreshed
        subprocess.run([bindir / "python", "-m", "pip", "install", "-q", "--no-deps",
                        "--force-reinstall", str(ROOT)], check=True)
    check = subprocess.run([bindir / "misaki-lite", "Hello."], capture_output=True, text=True)
    if check.returncode != 0:
        raise RuntimeError(f"misaki-lite installed in {path} does not run:\n{check.stderr[-800:]}")
    return bindir


def closure(python: str | Path) -> dict[str, int]:
    """Bytes installed per distribution (files listed in each RECORD), tooling excluded."""
    out = subprocess.run([str(python), "-c", _CLOSURE_SCRIPT], check=True, capture_output=True, text=True)
    sizes = json.loads(out.stdout)
    return {name: size for name, size in sorted(sizes.items()) if name.lower() not in TOOLING}
