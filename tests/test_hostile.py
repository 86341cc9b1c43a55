"""Hostile input: every bad file gets its specific reason, in bounded time and memory,
and nothing the user gave is modified.

The table of files lives in tests/hostile.py. The loader tests run the library alone (no
Prefect); one batch then runs every file through the real Prefect flow and reads
quarantine.json and manifest.jsonl.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from flows.inputs import expand_inputs
from pipeline.config import OcrOptions
from pipeline.errors import DaftarError, InputFileError
from pipeline.load import identify, iter_pages
from hostile import ANY_SPECIFIC, NOT_INGESTED, HostileCase, generate

_ROOT = Path(tempfile.mkdtemp(prefix="daftar-hostile-"))
atexit.register(shutil.rmtree, _ROOT, True)
CASES: list[HostileCase] = generate(_ROOT / "in")
LOAD_CASES = [c for c in CASES if c.stage == "load"]
INPUT_CASES = [c for c in CASES if c.stage == "inputs"]
REPO = Path(__file__).resolve().parent.parent


def sha256(path: Path) -> str:
    if not path.is_file() or path.is_symlink():
        return "-"  # links, pipes: nothing to hash (and opening a pipe would block)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_all(case: HostileCase, workdir: Path) -> int:
    """identify + iter_pages with the case's password and limits; returns the page count."""
    options = OcrOptions().with_(**case.options)
    source = identify(case.path, options, password=case.password)
    pages = list(iter_pages(source, workdir, options, password=case.password))
    return len(pages)


def test_generator_covers_the_hostile_kinds() -> None:
    bad = [c for c in CASES if c.reason is not None]
    assert len(bad) >= 60, len(bad)
    reasons = {c.reason for c in CASES}
    assert {"empty-file", "corrupt", "encrypted-pdf", "too-large", "text-encoding",
            "unsupported-type", "symlink-outside-input", "missing-file"} <= reasons
    assert sum(1 for c in CASES if c.good) >= 10
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("case", LOAD_CASES, ids=[c.name.encode("unicode_escape").decode() for c in LOAD_CASES])
def test_loader_gives_the_specific_reason(case: HostileCase, tmp_path: Path) -> None:
    before = sha256(case.path)
    try:
        pages = load_all(case, tmp_path)
        outcome = None
    except DaftarError as exc:
        outcome, pages = exc.reason, 0
        assert str(exc).strip(), "errors must say what is wrong"
    if case.reason == ANY_SPECIFIC:
        pass  # either loads or a DaftarError (anything else propagated and failed the test)
    else:
        assert outcome == case.reason, f"{case.what}: expected {case.reason}, got {outcome}"
        if case.reason is None:
            assert pages >= 1
    assert sha256(case.path) == before, "the input file was modified"


def test_folder_walk_refuses_links_out_and_dangling_links() -> None:
    scan = expand_inputs([_ROOT / "in"])
    rejected = {Path(r.path).name: r.error.reason for r in scan.rejected}
    for case in INPUT_CASES:
        assert rejected.get(case.name) == case.reason, case.what
    listed = {p.name for p in scan.files}
    assert "secret.txt" not in listed  # the file behind the link is never read
    assert not any(c.name in listed for c in INPUT_CASES)


@pytest.mark.parametrize("kind", ["good-page.png", "good-textlayer.pdf", "good-text.txt",
                                  "good-page.jpg"])
def test_file_vanishing_between_identify_and_load_is_an_input_error(kind: str, tmp_path: Path) -> None:
    """A file listed and identified, then deleted before its pages are read (a moving share)."""
    original = next(c for c in CASES if c.name == kind)
    path = tmp_path / kind
    shutil.copyfile(original.path, path)
    source = identify(path)
    path.unlink()
    with pytest.raises(DaftarError) as caught:
        list(iter_pages(source, tmp_path / "work"))
    # Not "corrupt": the file was fine, it is gone. InputFileError itself says "unreadable".
    assert type(caught.value) is InputFileError, f"{type(caught.value).__name__}: {caught.value}"
    assert "exist" in str(caught.value) or "no such" in str(caught.value).lower()


_RSS_PROBE = textwrap.dedent("""
    import json, resource, sys
    from pipeline.errors import DaftarError
    from pipeline.load import identify, iter_pages
    from pathlib import Path
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        source = identify(sys.argv[1])
        list(iter_pages(source, Path(sys.argv[2])))
        reason = None
    except DaftarError as exc:
        reason = exc.reason
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"reason": reason, "peak_kib": peak, "after_imports_kib": base}))
""")


def peak_rss_of_loading(path: Path, workdir: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", _RSS_PROBE, str(path), str(workdir)],
                         capture_output=True, text=True, cwd=REPO, timeout=120, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.timeout(300)
@pytest.mark.parametrize("name, limit_mib", [
    ("bomb-40000x40000.png", 60), ("bomb-65000x65000.jpg", 60), ("bomb-tiff.tif", 60),
    ("huge-image.pdf", 200), ("poster-page.pdf", 256),  # 256 MiB: the page memory budget
])
def test_bombs_fail_or_load_without_allocating(name: str, limit_mib: int, tmp_path: Path) -> None:
    """Peak RSS growth of a fresh process loading the file (limit is above the import baseline)."""
    case = next(c for c in CASES if c.name == name)
    result = peak_rss_of_loading(case.path, tmp_path)
    assert result["reason"] == case.reason
    grown_mib = (result["peak_kib"] - result["after_imports_kib"]) / 1024
    assert grown_mib < limit_mib, f"{name}: peak RSS grew by {grown_mib:.0f} MiB while loading"


@pytest.mark.timeout(120)
def test_pdf_pages_are_never_rendered_past_the_pixel_limit(tmp_path: Path) -> None:
    """A poster-sized page is rendered at reduced dpi or refused, never over max_pixels."""
    case = next(c for c in CASES if c.name == "poster-page.pdf")
    options = OcrOptions().with_(max_pixels=20_000_000)
    try:
        pages = list(iter_pages(identify(case.path, options), tmp_path, options))
    except DaftarError as exc:
        assert exc.reason == "too-large"
        return
    for page in pages:
        assert page.width * page.height <= options.max_pixels, (page.width, page.height)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("dpi", [72, 100, 150])
def test_preprocessing_never_upscales_past_the_pixel_limit(dpi: int) -> None:
    """Upscaling a low-dpi page must respect max_pixels, or the bomb guard is undone later:
    a 200-inch poster rendered at 72 dpi was upscaled to 60,000 x 60,000 (3.6 gigapixels),
    Tesseract refused it after minutes, and the OCR task was retried twice."""
    import numpy as np

    from pipeline.preprocess import preprocess

    gray = np.full((900, 700), 255, dtype=np.uint8)
    gray[400:420, 100:600] = 0  # a line of "text"
    options = OcrOptions().with_(max_pixels=1_000_000)
    out, _, _ = preprocess(gray, dpi, options)
    assert out.shape[0] * out.shape[1] <= options.max_pixels, out.shape


# ----------------------------------------------------------------------------- one batch


def _batch_folder(tmp_path: Path) -> tuple[Path, list[HostileCase]]:
    cases = generate(tmp_path / "in")
    for case in cases:
        if not case.in_batch:
            case.path.unlink()
    return tmp_path / "in", [c for c in cases if c.in_batch]


@pytest.mark.timeout(900)
def test_batch_quarantines_every_hostile_file_and_ingests_the_good(
    prefect_harness: None, tmp_path: Path
) -> None:
    from flows.ingest import ingest

    folder, cases = _batch_folder(tmp_path)
    hashes = {c.name: sha256(c.path) for c in cases}
    out = tmp_path / "out"
    summary = ingest([str(folder)], str(out), use_archive=False, workers=2, batch="hostile")

    quarantine = json.loads((out / "quarantine.json").read_text(encoding="utf-8"))
    reasons = {Path(e["path"]).name: e["reason"] for e in quarantine}
    manifest_file = out / "manifest.jsonl"
    lines = manifest_file.read_text().splitlines() if manifest_file.exists() else []
    manifest = [json.loads(line) for line in lines]
    ingested = {Path(e["path"]).name for e in manifest}
    problems = [f"{Path(e['path']).name!r}: internal-error ({e['message']})"
                for e in quarantine if e["reason"] == "internal-error"]
    for case in cases:
        want = case.batch_reason
        if want is None:
            ok = case.name in ingested and case.name not in reasons
        elif want == ANY_SPECIFIC:
            ok = (case.name in ingested) != (case.name in reasons)
        elif want == NOT_INGESTED:
            ok = case.name not in ingested
        else:
            ok = reasons.get(case.name) == want and case.name not in ingested
        if not ok:
            problems.append(f"{case.name!r} ({case.what}): want {want}, quarantined as "
                            f"{reasons.get(case.name)}, ingested={case.name in ingested}")
    assert not problems, "\n".join(problems)
    assert len(summary.quarantined) == len(quarantine)
    for record_file in out.glob("*.json"):
        if record_file.name not in ("quarantine.json", "summary.json"):
            json.loads(record_file.read_text(encoding="utf-8"))
    assert {c.name: sha256(c.path) for c in cases} == hashes, "an input file was modified"
    assert (tmp_path / "in-outside" / "secret.txt").read_bytes().startswith(b"private")
