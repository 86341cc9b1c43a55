"""Expand the paths a user gave into the files of a batch.

Folders are walked recursively in sorted order, hidden files and folders are skipped, and a
symbolic link is followed only when it stays inside the folder the user named: a link out of
it is refused (quarantined), so importing a folder can never read files its owner did not put
there. Nothing here touches Prefect; the flow only calls ``expand_inputs``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import DaftarError, InputFileError


class SymlinkOutsideInputError(InputFileError):
    """A symbolic link inside an input folder points outside that folder."""

    reason = "symlink-outside-input"


class MissingInputError(InputFileError):
    reason = "missing-file"


@dataclass(frozen=True)
class Rejected:
    """A path refused before any stage ran, with the error that says why."""

    path: str
    error: DaftarError


@dataclass(frozen=True)
class InputScan:
    files: tuple[Path, ...]
    rejected: tuple[Rejected, ...]


def expand_inputs(paths: Iterable[str | os.PathLike[str]]) -> InputScan:
    """Files named directly, plus every non-hidden file under each folder, in a stable order.

    A file named twice (directly, or through a link inside its folder) appears once.
    """
    files: list[Path] = []
    rejected: list[Rejected] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found, refused = _walk_folder(path)
        elif path.is_file():
            found, refused = [path], []  # named by the user: a link here is their choice
        elif path.is_symlink():
            found, refused = [], [_broken_link(path)]
        else:
            refused = [Rejected(str(path), MissingInputError("no such file or folder", path=str(path)))]
            found = []
        rejected.extend(refused)
        for file in found:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                files.append(file)
    return InputScan(tuple(files), tuple(rejected))


def _walk_folder(root: Path) -> tuple[list[Path], list[Rejected]]:
    real_root = root.resolve()
    found: list[Path] = []
    refused: list[Rejected] = []
    for folder, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        # os.walk lists links to folders among dirnames; never descend into them (loops,
        # escapes), but refuse the ones that leave the input folder so the user hears of them.
        for name in list(dirnames):
            link = Path(folder) / name
            if link.is_symlink():
                dirnames.remove(name)
                if not _inside(link, real_root):
                    refused.append(_outside(link))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            file = Path(folder) / name
            if file.is_symlink():
                if not file.exists():
                    refused.append(_broken_link(file))
                    continue
                if not _inside(file, real_root):
                    refused.append(_outside(file))
                    continue
            if file.is_file():
                found.append(file)
    return found, refused


def _inside(link: Path, real_root: Path) -> bool:
    target = link.resolve()
    return target == real_root or real_root in target.parents


def _outside(link: Path) -> Rejected:
    message = f"symbolic link points outside the input folder (to {link.resolve()})"
    return Rejected(str(link), SymlinkOutsideInputError(message, path=str(link)))


def _broken_link(link: Path) -> Rejected:
    return Rejected(str(link), MissingInputError("broken symbolic link", path=str(link)))
