"""Content-addressed file store: objects/<2 hex>/<sha256><suffix>, written once, never changed."""

from __future__ import annotations

import hashlib
import mimetypes
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import ArchiveError, InputFileError, NotFoundError


@dataclass(frozen=True)
class StoredObject:
    sha256: str
    suffix: str
    media_type: str
    size: int


def _sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _safe_suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    return suffix if suffix[1:].isalnum() and len(suffix) <= 8 else ""


class ObjectStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        # (device, inode, size, mtime) -> address: the documents of one long scan share its
        # original, its searchable PDF and its page images, which are hashed once, not once
        # per document (a 500-page file's 195 MB PDF, a thousand times). A file changed in
        # place gets a new mtime or size, hence a new key.
        self._known: dict[tuple[int, int, int, int], StoredObject] = {}

    def put(self, source: Path) -> StoredObject:
        """Copy ``source`` in (the caller's file is only read) and return its address."""
        source = Path(source)
        if not source.is_file():
            raise InputFileError(f"no such file to archive: {source}", path=str(source))
        info = source.stat()
        key = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
        known = self._known.get(key)
        if known is not None and self.path(known.sha256, known.suffix).exists():
            return known
        stored = self._put(source)
        self._known[key] = stored
        return stored

    def _put(self, source: Path) -> StoredObject:
        sha = _sha256_of(source)
        suffix = _safe_suffix(source)
        target = self.path(sha, suffix)
        if not target.exists():
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
                os.close(fd)
                shutil.copyfile(source, tmp)
                os.chmod(tmp, 0o444)
                os.replace(tmp, target)
            except OSError as exc:
                raise ArchiveError(f"cannot store {source} in {self.root}: {exc}") from exc
        media = mimetypes.guess_type(f"x{suffix}")[0] or "application/octet-stream"
        return StoredObject(sha, suffix, media, target.stat().st_size)

    def path(self, sha256: str, suffix: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise NotFoundError(f"not an object address: {sha256!r}")
        if suffix and not (suffix.startswith(".") and suffix[1:].isalnum()):
            raise NotFoundError(f"not an object suffix: {suffix!r}")
        target = (self.root / sha256[:2] / f"{sha256}{suffix}").resolve()
        if self.root not in target.parents:
            raise NotFoundError(f"object path escapes the store: {target}")
        return target
