"""Loading and checking the YAML rule files under ``rules/``.

Every rule file has the same outer shape::

    description: one paragraph saying what the file is for
    rules:
      - id: short-kebab-name        # unique within the file
        examples:                   # at least one; a test executes every one of them
          - {in: "...", out: "..."}
        ...                         # the keys of this kind of rule (see its Schema)

The stage that reads a file declares the keys its rules may carry with a ``Schema``; a rule
with an unknown key, a missing key, a duplicate id or no examples is a ``RuleFileError``
naming the file and the rule. When the schema asks for ``priority``, two rules with the same
priority are an error too (order must never depend on file order by accident).

``loaded_files()`` lists every file read so far, which lets a test prove that no file under
``rules/`` is orphaned.

Parsing YAML is most of what reading the rules costs at start-up, so the package carries a
snapshot (``data/rules.snapshot``, written by ``python -m tools.snapshot_rules``): each rule
file's parsed document as JSON, under a fingerprint of the file's bytes (their length, CRC-32
and Adler-32: zlib's, as hashlib would load OpenSSL at start-up). A file whose bytes are
in the snapshot is read from it; any other (edited since, or not shipped) is parsed as YAML,
and PyYAML is imported only then. Either way the document is checked as below.
"""
from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .errors import RuleFileError
from .resources import data_dir

__all__ = ["Schema", "load", "read", "loaded_files", "SNAPSHOT"]

SNAPSHOT = "rules.snapshot"     # in data_dir("data"): fingerprint<TAB>path<TAB>JSON, a line a file
_FILE_KEYS = {"description", "rules"}
_BASE_KEYS = {"id", "examples"}
_loaded: set[str] = set()


@dataclass(frozen=True)
class Schema:
    """The keys a kind of rule must have (``required``) and may have (``optional``)."""

    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()

    @classmethod
    def of(cls, required: str = "", optional: str = "") -> "Schema":
        return cls(frozenset(required.split()), frozenset(optional.split()))


def _fail(path: str, rule: Any, message: str) -> RuleFileError:
    where = f"{path}: rule {rule!r}" if rule is not None else path
    return RuleFileError(f"{where}: {message}")


def _check_rule(path: str, index: int, rule: Any, schema: Schema) -> dict:
    if not isinstance(rule, dict):
        raise _fail(path, f"#{index}", "a rule must be a mapping")
    rid = rule.get("id")
    if not isinstance(rid, str) or not rid:
        raise _fail(path, f"#{index}", "every rule needs a non-empty string 'id'")
    keys = set(rule)
    unknown = keys - _BASE_KEYS - schema.required - schema.optional
    if unknown:
        allowed = sorted(_BASE_KEYS | schema.required | schema.optional)
        raise _fail(path, rid, f"unknown key(s) {sorted(unknown)}; allowed: {allowed}")
    missing = (_BASE_KEYS | schema.required) - keys
    if missing:
        raise _fail(path, rid, f"missing key(s) {sorted(missing)}")
    examples = rule["examples"]
    if not isinstance(examples, list) or not examples:
        raise _fail(path, rid, "'examples' must be a non-empty list")
    return rule


@cache
def load(name: str, schema: Schema) -> tuple[dict, ...]:
    """Read ``rules/<name>``, check every rule against ``schema`` and return the rules."""
    rules = read(data_dir("rules") / name, schema, shown=f"rules/{name}")
    _loaded.add(Path(name).as_posix())
    return rules


def read(path: Path, schema: Schema, shown: str = "") -> tuple[dict, ...]:
    """Read and check one rule file at ``path`` (``load`` is the cached form for rules/)."""
    shown = shown or str(path)
    doc = _document(Path(path), shown)
    if not isinstance(doc, dict) or set(doc) != _FILE_KEYS:
        raise _fail(shown, None, f"the file must be a mapping with exactly the keys {sorted(_FILE_KEYS)}")
    if not isinstance(doc["rules"], list) or not doc["rules"]:
        raise _fail(shown, None, "'rules' must be a non-empty list")
    rules = tuple(_check_rule(shown, i, r, schema) for i, r in enumerate(doc["rules"]))
    seen: set[str] = set()
    priorities: dict[Any, str] = {}
    for rule in rules:
        if rule["id"] in seen:
            raise _fail(shown, rule["id"], "duplicate id")
        seen.add(rule["id"])
        if "priority" in schema.required:
            other = priorities.setdefault(rule["priority"], rule["id"])
            if other != rule["id"]:
                raise _fail(shown, rule["id"], f"priority {rule['priority']} ties with rule {other!r}")
    return rules


def _document(path: Path, shown: str) -> Any:
    """The parsed document of the file at ``path``: from the snapshot when it holds these
    exact bytes, else parsed as YAML."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _fail(shown, None, f"cannot read: {exc}") from exc
    known = _snapshot().get(fingerprint(raw))
    if known is not None:
        return json.loads(known)
    return parse_yaml(raw, shown)


def fingerprint(raw: bytes) -> str:
    """What the snapshot knows a rule file's bytes by."""
    return f"{len(raw)}-{zlib.crc32(raw):08x}-{zlib.adler32(raw):08x}"


def parse_yaml(raw: bytes, shown: str) -> Any:
    """A rule file's bytes (UTF-8) parsed by PyYAML's safe loader (libyaml's when PyYAML was
    built with it, much faster; both accept exactly the same documents)."""
    import yaml

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(shown, None, f"not UTF-8: {exc}") from exc
    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise _fail(shown, None, f"invalid YAML: {exc}") from exc


@cache
def _snapshot() -> dict[str, str]:
    """fingerprint of a rule file's bytes -> its document as JSON text (parsed on use, so that
    every read gets its own objects); empty if the package has no snapshot."""
    try:
        text = (data_dir("data") / SNAPSHOT).read_text(encoding="utf-8")
    except OSError:
        return {}
    known = {}
    for line in text.splitlines():
        key, _, rest = line.partition("\t")
        doc = rest.partition("\t")[2]
        if doc:
            known[key] = doc
    return known


def loaded_files() -> set[str]:
    """Names (relative to ``rules/``) of the rule files loaded so far in this process."""
    return set(_loaded)
