"""Importing misaki's lexicons. Run each as ``python -m tools.lexicons.<name>``."""
