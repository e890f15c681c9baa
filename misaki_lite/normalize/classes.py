"""The normalization classes: one YAML file each under ``rules/normalize/``.

A rule (see ``rules/normalize/README`` in the project README for the full format)::

    - id: hh-mm-ampm
      priority: 340             # higher wins where two matches overlap; unique over all files
      pattern: '(?<![\\d:])(?P<h>1[0-2]|0?[1-9]):(?P<m>[0-5]\\d)\\s?(?P<ap>[AaPp])\\.?[Mm]\\b\\.?'
      say: "{h:cardinal} {m:minutes} {ap:ampm}"
      needs: '\\d'              # optional: a pattern every text with a match contains; text
                                # without it is not searched (nor the rule's pattern compiled)
      dialect: us               # optional: us or gb; the rule applies to that dialect only
      tag: CD                   # optional: the Penn tag of the merged token
      tables: {name: {key: reading}}   # optional: word lists the pattern and say: use
      examples:
        - {in: "at 10:05 pm", out: "at ten oh five P M"}

``pattern`` is a ``regex`` pattern; ``<<name>>`` in it stands for an alternation of the keys of
table ``name`` (longest first, escaped), ``<<num>>`` for a number with optional thousands
separators (or Indian lakh grouping, "2,50,000") and decimals, ``<<int>>`` for a run of digits. Both number macros refuse to start
inside a run of digits, commas and periods, which keeps every pattern linear on long lines.
Example ``out`` is the whole ``in`` text with each normalized span replaced by its words (see
``misaki_lite.normalize.to_words``).

Patterns compile on first use, not at import.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Mapping, Optional, Union

import regex

from .. import rules
from ..errors import RuleFileError
from ..inventory import Dialect
from ..resources import data_dir
from .say import Field, parse_template

__all__ = ["CLASSES", "Rule", "all_rules", "rules_in", "class_names", "SCHEMA"]

SCHEMA = rules.Schema.of(required="priority pattern say", optional="needs dialect tag tables note")
DIALECTS = ("us", "gb")

# Number macros. The look-behind stops a match from starting inside a run of digits, commas and
# periods, so a failing pattern is tried once per run, not once per character.
_MACROS = {
    "num": r"(?<![\d,.])(?>\d{1,3}(?:,\d{3})+|\d{1,2}(?:,\d\d)+,\d{3}|\d+)(?:\.\d+)?+(?!,\d)",
    "int": r"(?<![\d,.])\d++",
}
_MACRO = regex.compile(r"<<(\w+)>>")


@dataclass(frozen=True)
class Rule:
    cls: str
    id: str
    priority: int
    pattern: str
    say: tuple[Union[str, Field], ...]
    dialect: Optional[str] = None
    tag: Optional[str] = None
    tables: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    examples: tuple = ()
    needs: Optional[str] = None

    @cached_property
    def regex(self) -> regex.Pattern:
        return regex.compile(_expand(self.pattern, self.tables, self.where), regex.VERSION1)

    @property
    def where(self) -> str:
        return f"rules/normalize/{self.cls}.yaml: rule {self.id!r}"

    def applies(self, dialect: Dialect) -> bool:
        return self.dialect is None or self.dialect == dialect.value


@cache
def needs_regex(pattern: str) -> regex.Pattern:
    """The compiled ``needs:`` of a rule: find() skips the rule for a text without a match of
    it (a rule's ``needs`` must hold for every text the rule matches)."""
    return regex.compile(pattern, regex.VERSION1)


def _expand(pattern: str, tables: Mapping[str, Mapping[str, str]], where: str) -> str:
    def macro(m: regex.Match) -> str:
        name = m.group(1)
        if name in _MACROS:
            return _MACROS[name]
        if name not in tables:
            raise RuleFileError(f"{where}: unknown macro <<{name}>>")
        keys = sorted(tables[name], key=lambda k: (-len(k), k))
        return "(?:" + "|".join(regex.escape(k) for k in keys) + ")"
    return _MACRO.sub(macro, pattern)


def _check(cls: str, raw: dict) -> Rule:
    where = f"rules/normalize/{cls}.yaml: rule {raw['id']!r}"
    if not isinstance(raw["priority"], int) or isinstance(raw["priority"], bool):
        raise RuleFileError(f"{where}: priority must be an integer")
    if raw.get("dialect") not in (None,) + DIALECTS:
        raise RuleFileError(f"{where}: dialect must be one of {DIALECTS}")
    tables = raw.get("tables") or {}
    if not isinstance(tables, dict) or not all(
            isinstance(t, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in t.items())
            for t in tables.values()):
        raise RuleFileError(f"{where}: tables must map names to {{string: string}} mappings")
    for ex in raw["examples"]:
        if not isinstance(ex, dict) or set(ex) != {"in", "out"}:
            raise RuleFileError(f"{where}: every example is {{in: ..., out: ...}}")
    return Rule(cls=cls, id=raw["id"], priority=raw["priority"], pattern=str(raw["pattern"]),
                say=parse_template(str(raw["say"]), where), dialect=raw.get("dialect"),
                tag=raw.get("tag"), tables=tables, examples=tuple(raw["examples"]),
                needs=None if raw.get("needs") is None else str(raw["needs"]))


def class_names(folder: Path) -> tuple[str, ...]:
    """The classes of a rules folder: one per ``<class>.yaml`` file, by name."""
    return tuple(sorted(p.stem for p in folder.glob("*.yaml")))


# Every shipped class: each is rules/normalize/<class>.yaml (adding a file adds a class).
CLASSES = class_names(data_dir("rules") / "normalize")


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule of every shipped class, highest priority first (priorities are unique overall)."""
    return rules_in(None)


def rules_in(folder: Optional[Path]) -> tuple[Rule, ...]:
    """Every rule of the classes of ``folder`` (None: the shipped ``rules/normalize/``),
    highest priority first; a priority used twice is an error naming both rules."""
    out: list[Rule] = []
    seen: dict[int, str] = {}
    for cls in (CLASSES if folder is None else class_names(folder)):
        shown = f"rules/normalize/{cls}.yaml"
        raws = (rules.load(f"normalize/{cls}.yaml", SCHEMA) if folder is None
                else rules.read(folder / f"{cls}.yaml", SCHEMA, shown=shown))
        for raw in raws:
            rule = _check(cls, raw)
            other = seen.setdefault(rule.priority, f"{cls}/{rule.id}")
            if other != f"{cls}/{rule.id}":
                raise RuleFileError(f"{rule.where}: priority {rule.priority} ties with {other}")
            out.append(rule)
    return tuple(sorted(out, key=lambda r: -r.priority))
