"""Learning from archivists: their fixes become rules once seen often enough.

A ``Fix`` is one archivist's change (wrong -> right, optionally with the context it applied
in). ``LearnedRules.from_fixes`` turns fixes seen at least ``min_support`` times (or marked
as a rule by the archivist) into rules, ranked by support; a rule with a context applies only
where that context occurs on the same line. ``JsonFixStore`` keeps fixes in one JSON file,
locked with fcntl and replaced atomically.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import tempfile
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Protocol

import jsonschema

from pipeline.config import default_home
from pipeline.errors import BadArgsError, InputFileError

from corrections.edits import Edit
from corrections.knowledge import data_text

STORE_VERSION = 1


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Fix:
    wrong: str
    right: str
    context: str | None = None
    actor: str = "unknown"
    doc_id: str | None = None
    at: str = field(default_factory=_now)
    rule: bool = False  # the archivist says: always apply this

    def __post_init__(self) -> None:
        if not self.wrong.strip():
            raise BadArgsError("a fix needs the wrong text")
        if self.wrong == self.right:
            raise BadArgsError(f"a fix must change something: {self.wrong!r} -> {self.right!r}")


class FixStore(Protocol):
    def add(self, fix: Fix) -> None: ...

    def fixes(self) -> list[Fix]: ...


def default_store_path() -> Path:
    return default_home() / "corrections" / "fixes.json"


class JsonFixStore:
    """Fixes in one JSON file; safe for several processes (fcntl lock + atomic replace)."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_store_path()

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        with open(lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _read(self) -> list[Fix]:
        if not self.path.exists():
            return []
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
            jsonschema.validate(document, json.loads(data_text("fixes.schema.json")))
        except (json.JSONDecodeError, UnicodeDecodeError, jsonschema.ValidationError) as exc:
            raise InputFileError(f"fix store is not a valid fixes file: {exc}", path=str(self.path)) from exc
        return [Fix(**entry) for entry in document["fixes"]]

    def _write(self, fixes: list[Fix]) -> None:
        document = {"version": STORE_VERSION, "fixes": [asdict(f) for f in fixes]}
        handle, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".fixes-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(document, out, ensure_ascii=False, indent=1)
            os.replace(temp, self.path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def add(self, fix: Fix) -> None:
        with self._locked():
            self._write(self._read() + [fix])

    def fixes(self) -> list[Fix]:
        with self._locked():
            return self._read()


@dataclass(frozen=True)
class LearnedRule:
    wrong: str
    right: str
    context: str | None
    support: int

    def pattern(self) -> re.Pattern[str]:
        left = r"(?<![\w])" if self.wrong[:1].isalnum() else ""
        right = r"(?![\w])" if self.wrong[-1:].isalnum() else ""
        return re.compile(left + re.escape(self.wrong) + right)


@dataclass(frozen=True)
class LearnedRules:
    rules: tuple[LearnedRule, ...] = ()

    @classmethod
    def from_fixes(cls, fixes: Iterable[Fix], min_support: int = 2) -> "LearnedRules":
        if min_support < 1:
            raise BadArgsError(f"min_support must be at least 1, not {min_support}")
        support: dict[tuple[str, str, str | None], int] = defaultdict(int)
        marked: set[tuple[str, str, str | None]] = set()
        for fix in fixes:
            key = (fix.wrong, fix.right, fix.context or None)
            support[key] += 1
            if fix.rule:
                marked.add(key)
        rules = [LearnedRule(w, r, c, n) for (w, r, c), n in support.items()
                 if n >= min_support or (w, r, c) in marked]
        rules.sort(key=lambda rule: (-rule.support, rule.context is None, rule.wrong))
        return cls(tuple(rules))

    def propose(self, raw_text: str) -> list[Edit]:
        edits = []
        for rule in self.rules:
            for match in rule.pattern().finditer(raw_text):
                if rule.context is not None and not _context_matches(raw_text, match.start(), match.end(), rule.context):
                    continue
                edits.append(Edit(match.start(), match.end(), rule.right, f"learned:{rule.support}",
                                  min(0.99, 0.8 + 0.05 * rule.support),
                                  f"archivists fixed {rule.wrong!r} -> {rule.right!r} {rule.support} time(s)"))
        return edits


def _context_matches(text: str, start: int, end: int, context: str) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start: line_end if line_end != -1 else len(text)]
    return context.lower() in line.lower()


def fix_from_row(row: Mapping[str, object]) -> Fix:
    """A Fix from a stored row (the archive keeps archivists' fixes as plain rows)."""
    return Fix(
        wrong=str(row["wrong"]),
        right=str(row["right"]),
        context=(str(row["context"]) if row.get("context") else None),
        actor=str(row.get("actor") or "unknown"),
        doc_id=(str(row["doc_id"]) if row.get("doc_id") else None),
        at=str(row.get("at") or _now()),
        rule=bool(row.get("rule", False)),
    )


def rules_from(*sources: Iterable[Fix | Mapping[str, object]], min_support: int = 2) -> LearnedRules | None:
    """Learned rules from every store of fixes (CLI file, archive), or None when there are none."""
    fixes = [f if isinstance(f, Fix) else fix_from_row(f) for source in sources for f in source]
    rules = LearnedRules.from_fixes(fixes, min_support=min_support)
    return rules if rules.rules else None
