"""Fuzzing: run each as ``python -m fuzz.<name>`` from the repository root (see README.md)."""
