"""Golden files and parity: checks of misaki_lite's output against stored answers. Run each as ``python -m tools.golden.<name>``."""
