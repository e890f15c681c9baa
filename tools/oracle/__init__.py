"""Tools that run the real misaki, spaCy or eSpeak (the oracle environment) or read their data. Run each as ``python -m tools.oracle.<name>``."""
