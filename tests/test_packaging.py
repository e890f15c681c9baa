"""The wheel carries the rules and lexicons: build it, install it in a fresh virtual
environment, and phonemize a sentence from there (outside the source tree)."""
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGED = ("pyproject.toml", "README.md", "NOTICE", "misaki_lite", "rules", "lexicons")


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(python of the fresh venv, the wheel, a scratch folder)."""
    tmp = tmp_path_factory.mktemp("pkg")
    # built from a copy: setuptools writes build/ and *.egg-info beside the sources it builds
    source = tmp / "src"
    source.mkdir()
    for name in PACKAGED:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy2
        copy(ROOT / name, source / name, **({"ignore": shutil.ignore_patterns("__pycache__")}
                                            if (ROOT / name).is_dir() else {}))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(tmp / "dist"), str(source)], check=True)
    wheels = list((tmp / "dist").glob("misaki_lite-*.whl"))
    assert len(wheels) == 1
    env_dir = tmp / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    site = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site),
                    str(wheels[0])], check=True)
    # The dependencies (regex, num2words, pyyaml, espeakng-loader) come from the environment
    # running the tests, appended after the venv's own site-packages: this keeps the test
    # offline, and misaki_lite itself can only come from the wheel.
    outer = {sysconfig_path(k) for k in ("purelib", "platlib")}
    (site / "_outer_deps.pth").write_text("\n".join(sorted(outer)) + "\n", encoding="utf-8")
    return py, wheels[0], tmp


def sysconfig_path(key: str) -> str:
    import sysconfig
    return sysconfig.get_paths()[key]


def _run(py, tmp, code):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([str(py), "-c", code], cwd=tmp, env=env, capture_output=True, text=True,
                          timeout=300)


def test_wheel_contains_rules_and_lexicons(installed):
    import zipfile
    names = zipfile.ZipFile(installed[1]).namelist()
    assert "misaki_lite/data/lexicons/us_gold.tsv" in names
    assert "misaki_lite/data/rules/markup.yaml" in names
    assert "misaki_lite/data/lexicons/NOTICE" in names


def test_installed_wheel_phonemizes(installed):
    py, _, tmp = installed
    r = _run(py, tmp, "import misaki_lite, sys; print(misaki_lite.__file__); "
                      "print(misaki_lite.phonemize('Hello world.'))")
    assert r.returncode == 0, r.stderr
    where, phonemes = r.stdout.splitlines()
    assert str(ROOT) not in where                      # not the source checkout
    assert phonemes == "həlˈO wˈɜɹld."                 # the oracle's answer for this sentence
