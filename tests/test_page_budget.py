"""The page budget: every page is sized by pixels before anything is allocated.

A page is read at no more than ``OcrOptions.page_pixels`` (a larger JPEG is decoded smaller
by libjpeg, a larger image resized once decoded, a larger PDF page rendered at a lower
dpi) and decoding it may take at most ``page_memory`` (else ``too-large``); the decision is
in the page's record. Then the whole tree of ``daftar ingest`` — CLI, Prefect's server, the
Tesseracts — stays under 1 GiB on the hostile batch with OCRmyPDF's ``hugemono.pdf`` (one
8,400 x 8,400 pt page holding a 35,000 x 35,000 1-bit image), measured with
``bench/memory.py``'s sampler.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PIL import Image

from hostile import ANY_SPECIFIC, CIRCULAR_TEXT, generate, text_page_image
from pipeline.config import OcrOptions
from pipeline.errors import FileTooLargeError
from pipeline.load import identify, iter_pages, open_single_page

REPO = Path(__file__).resolve().parent.parent
HUGEMONO = Path(__file__).resolve().parent / "data" / "hugemono.pdf"
GIB = 2**30


def _bench_memory():
    """bench/memory.py, the one tree sampler, loaded by path: bench/ on sys.path would put
    bench/corrections.py in place of the corrections package."""
    spec = importlib.util.spec_from_file_location("daftar_bench_memory",
                                                  REPO / "bench" / "memory.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench_memory = _bench_memory()


def _page_image(size: tuple[int, int], mode: str = "L") -> Image.Image:
    page = text_page_image(CIRCULAR_TEXT.format(n=3, topic="budgets"))
    return page.convert(mode).resize(size)


def test_a_large_jpeg_is_decoded_small_and_the_page_says_so(tmp_path: Path) -> None:
    path = tmp_path / "big.jpg"
    _page_image((3000, 2000), "RGB").save(path, "JPEG", quality=80, dpi=(300, 300))
    options = OcrOptions(page_pixels=1_000_000)
    source, page, pixels = open_single_page(path, tmp_path / "w", options)
    assert page is not None and pixels is not None
    assert page.width * page.height <= options.page_pixels
    assert pixels.shape == (page.height, page.width)
    assert page.dpi == round(300 * page.width / 3000)  # the dpi goes down with the pixels
    assert "3000x2000 pixels read as" in page.decision and "page budget" in page.decision
    assert page.image_path != str(path)  # reduced: never the user's file read as it is


@pytest.mark.parametrize("fmt", ["PNG", "TIFF"])
def test_a_large_image_is_reduced_to_the_page_budget(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"big.{fmt.lower()}"
    _page_image((2400, 1600)).save(path, fmt, dpi=(200, 200))
    options = OcrOptions(page_pixels=1_000_000)
    [page] = list(iter_pages(identify(path, options), tmp_path / "w", options))
    assert page.width * page.height <= options.page_pixels
    assert page.dpi == round(200 * page.width / 2400)
    assert "page budget" in page.decision


def test_an_image_that_cannot_be_read_within_the_page_memory_is_too_large(tmp_path: Path) -> None:
    """PNG cannot be decoded smaller: past the page memory it is refused before decoding."""
    path = tmp_path / "colour.png"
    _page_image((3000, 3000), "RGB").save(path, "PNG")  # 9 Mpx at 4 bytes, then grey
    options = OcrOptions(page_memory=32 * 2**20)
    with pytest.raises(FileTooLargeError, match="page budget of 32 MiB"):
        identify(path, options)


def test_a_page_within_the_budget_is_read_as_before(tmp_path: Path) -> None:
    path = tmp_path / "page.png"
    image = _page_image((2480, 1300))
    image.save(path, "PNG", dpi=(300, 300))
    source, page, pixels = open_single_page(path, tmp_path / "w")
    assert (page.width, page.height, page.dpi) == (2480, 1300, 300)
    assert page.image_path == str(path) and "budget" not in page.decision
    assert pixels.tobytes() == image.tobytes()


_LOAD_PROBE = textwrap.dedent("""
    import json, resource, sys
    from pathlib import Path
    from pipeline.load import identify, iter_pages
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    [page] = list(iter_pages(identify(sys.argv[1]), Path(sys.argv[2])))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"grown_kib": peak - base, "width": page.width, "height": page.height,
                      "dpi": page.dpi, "decision": page.decision}))
""")


@pytest.mark.timeout(300)
def test_hugemono_renders_within_the_page_budget(tmp_path: Path) -> None:
    """Its 1.2-gigapixel image costs PDFium ~190 MiB to decode whatever the dpi: the page
    is rendered small enough that image and bitmap fit the page memory together."""
    done = subprocess.run([sys.executable, "-c", _LOAD_PROBE, str(HUGEMONO), str(tmp_path)],
                          capture_output=True, text=True, cwd=REPO, timeout=240, check=True)
    page = json.loads(done.stdout.strip().splitlines()[-1])
    options = OcrOptions()
    assert page["width"] * page["height"] <= options.page_pixels
    assert "page budget" in page["decision"] and f"{page['dpi']} dpi" in page["decision"]
    assert page["grown_kib"] * 1024 < options.page_memory, page


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_ingest_of_the_hostile_batch_and_hugemono_stays_under_1_gib(tmp_path: Path) -> None:
    """One batch, so the huge pages (the 200-inch poster, hugemono) may be read at once."""
    folder = tmp_path / "in"
    cases = generate(folder)
    for case in cases:
        if not case.in_batch:  # the 2,000 blank pages: slow, and streamed (test_hostile)
            case.path.unlink()
    shutil.copyfile(HUGEMONO, folder / "hugemono.pdf")
    run = tmp_path / "run"
    run.mkdir()
    result = bench_memory.sample_peak(
        bench_memory.ingest_command(folder, run, workers=2, archive=False),
        bench_memory.ingest_environment(run))
    assert result["exit"] == 10, result["stderr"][-2000:]  # hostile files are quarantined
    processes = [f"{kind} {size / 2**20:.0f} MiB" for size, _, kind in result["processes_at_peak"]]
    assert result["peak_bytes"] < GIB, f"peak {result['peak_bytes'] / 2**20:.0f} MiB: {processes}"
    manifest = [json.loads(line) for line in
                (run / "out" / "manifest.jsonl").read_text().splitlines()]
    ingested = {Path(entry["path"]).name for entry in manifest}
    quarantine = json.loads((run / "out" / "quarantine.json").read_text())
    reasons = {Path(entry["path"]).name: entry["reason"] for entry in quarantine}
    assert "hugemono.pdf" in ingested, reasons.get("hugemono.pdf")
    poster = next(c for c in cases if c.name == "poster-page.pdf")
    assert poster.batch_reason == ANY_SPECIFIC
    assert ("poster-page.pdf" in ingested) != ("poster-page.pdf" in reasons)
    assert "internal-error" not in reasons.values()
