"""Benchmark OCR post-correction against gold clean text, with two baselines in the same run.

(a) the example file /work/shared/examples/ocr-output-two-circulars.txt against its two gold
    clean texts (concatenated in order);
(b) the degraded sample scans (samples/MANIFEST.json, level >= 1, upright only) against
    their clean texts in reading order (see ``degraded_scans``), read twice: by Daftar's own OCR stage (load, preprocess, Tesseract
    psm 4, layout; no correction), which is what the corrector receives inside the pipeline,
    words and confidences included; and by bare Tesseract (psm 3, no preprocessing), which
    leaves far more damage. OCR output is cached in bench/results/corrections-ocr/ (Daftar's
    keyed by the OCR stage's source code) so reruns are fast;
(c) the clean sample texts with synthetic damage: one confusion from data/confusions.json,
    inverted, in 8% of lower-case words (seeded), to measure recall on known confusions;
(d) ``--corpus``: the real corpus (``corpus/``, documents as found from other offices). The
    raw texts of documents whose meta.json says ``ocr_damage`` against their clean.txt, per
    split, dev and test side by side (``--split`` for one); and "clean text damaged": every
    document's clean.txt (damaged or not) corrected, the share of its words the corrector
    changed (word edit distance of corrected vs clean over clean words). Correction data is
    learned from ``dev`` only (``corrections/data/ocrconfusions.json``); ``test`` is run to
    report, never to tune.

Systems: Daftar's ``correct_text``; symspellpy ``lookup_compound`` per line; pyspellchecker
``correction()`` for each unknown word. WER/CER are measured on whitespace-normalised text
(word order as given). Every change a system makes (a difflib chunk of tokens) is judged by
ablation: undo it alone; if the word errors (then character errors) against gold go up, the
change was right, if they go down it was wrong, else neutral. Protected tokens: gold tokens
shaped like reference numbers, dates, numbers, rule numbers, grades or ordinals that OCR read
correctly and the system then lost.

Start-up (``--startup``): the first ``correct_text`` call in a fresh process (imports, data
files, frequency tables), against an anchor measured in the same run: building symspellpy's
delete index over the same dictionaries, which the first pass loaded in every process.

Run: OMP_THREAD_LIMIT=1 .venv/bin/python bench/corrections.py [--no-samples] [--startup]
     OMP_THREAD_LIMIT=1 .venv/bin/python bench/corrections.py --corpus [--split dev|test]
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import jiwer

# Run as a script, this file's folder comes first on sys.path and its name would shadow the
# ``corrections`` package it measures.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = Path("/work/shared/examples/ocr-output-two-circulars.txt")
GOLD = [Path("/work/shared/examples/gold/aiou-circular-2023.txt"), Path("/work/shared/examples/gold/estab-om-2021.txt")]
SAMPLES = ROOT / "samples"
CACHE = ROOT / "bench" / "results" / "corrections-ocr"
PROTECTED_KINDS = {"reference-number", "date", "number", "rule-number", "grade", "ordinal", "alnum-code"}


def normalise(text: str) -> str:
    return " ".join(text.split())


# --- systems ------------------------------------------------------------------------------


def daftar(raw: str, words: tuple = ()) -> str:
    """The corrector as the pipeline runs it: with the OCR words (and their confidences)
    when the text came from Daftar's OCR stage."""
    from corrections import correct_text

    return correct_text(raw, words).text


_SYMSPELL: list = []


def symspell_index():
    """symspellpy with its bundled English unigrams and bigrams (distance 2), built once."""
    if not _SYMSPELL:
        from importlib import resources

        from symspellpy import SymSpell

        speller = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
        package = resources.files("symspellpy")
        with resources.as_file(package / "frequency_dictionary_en_82_765.txt") as path:
            speller.load_dictionary(str(path), term_index=0, count_index=1)
        with resources.as_file(package / "frequency_bigramdictionary_en_243_342.txt") as path:
            speller.load_bigram_dictionary(str(path), term_index=0, count_index=2)
        _SYMSPELL.append(speller)
    return _SYMSPELL[0]


def symspell_compound(raw: str, words: tuple = ()) -> str:
    speller = symspell_index()
    lines = []
    for line in raw.split("\n"):
        if line.strip():
            best = speller.lookup_compound(line, max_edit_distance=2, ignore_non_words=True, transfer_casing=True)
            lines.append(best[0].term if best else line)
        else:
            lines.append(line)
    return "\n".join(lines)


def pyspellchecker_words(raw: str, words: tuple = ()) -> str:
    from spellchecker import SpellChecker

    checker = SpellChecker()
    word_re = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")

    def fix(match: re.Match[str]) -> str:
        word = match.group()
        if not checker.unknown([word.lower()]):
            return word
        suggestion = checker.correction(word.lower())
        if not suggestion:
            return word
        return suggestion.capitalize() if word[:1].isupper() else suggestion

    return word_re.sub(fix, raw)


SYSTEMS = {"daftar": daftar, "symspell-compound": symspell_compound, "pyspellchecker": pyspellchecker_words}


# --- scoring ------------------------------------------------------------------------------


def errors(gold: str, text: str) -> tuple[int, int]:
    words = jiwer.process_words(gold, text)
    chars = jiwer.process_characters(gold, text)
    return (words.substitutions + words.deletions + words.insertions,
            chars.substitutions + chars.deletions + chars.insertions)


@dataclass
class Judgement:
    changes: int = 0
    right: int = 0
    wrong: int = 0
    neutral: int = 0


def judge_changes(gold: str, raw: str, corrected: str) -> Judgement:
    """Ablate each changed token chunk: right if undoing it makes the text worse."""
    raw_tokens, new_tokens = raw.split(), corrected.split()
    gold_norm = normalise(gold)
    base = errors(gold_norm, " ".join(new_tokens))
    judgement = Judgement()
    matcher = difflib.SequenceMatcher(a=raw_tokens, b=new_tokens, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            continue
        judgement.changes += 1
        undone = new_tokens[:b0] + raw_tokens[a0:a1] + new_tokens[b1:]
        after_undo = errors(gold_norm, " ".join(undone))
        if after_undo > base:
            judgement.right += 1
        elif after_undo < base:
            judgement.wrong += 1
        else:
            judgement.neutral += 1
    return judgement


def protected_damaged(gold: str, raw: str, corrected: str) -> int:
    from corrections.protect import protected_by

    strip = lambda t: t.strip(".,;:()[]")  # noqa: E731
    gold_counts = Counter(t for t in map(strip, gold.split()) if t and protected_by(t) in PROTECTED_KINDS)
    raw_counts = Counter(t for t in map(strip, raw.split()) if t in gold_counts)
    new_counts = Counter(t for t in map(strip, corrected.split()) if t in gold_counts)
    # only occurrences OCR got right count: up to the number gold holds
    return sum(max(0, min(count, gold_counts[token]) - new_counts[token]) for token, count in raw_counts.items())


@dataclass
class Row:
    system: str
    wer_before: float
    wer_after: float
    cer_before: float
    cer_after: float
    word_errors_removed: int
    judgement: Judgement
    damaged: int
    seconds: float

    @property
    def precision(self) -> float:
        return self.judgement.right / self.judgement.changes if self.judgement.changes else 1.0


@dataclass(frozen=True)
class Pair:
    """OCR text, its gold text, and the OCR words behind it (with spans in ``raw``) if known."""

    raw: str
    gold: str
    words: tuple = ()
    scored_raw: str | None = None  # the raw text as scored, when it differs from the input

    @property
    def before(self) -> str:
        return self.raw if self.scored_raw is None else self.scored_raw


def evaluate(pairs: list[Pair], system: str, function=None) -> Row:
    """Totals over all ``pairs``."""
    function = function or SYSTEMS[system]
    judgement = Judgement()
    words_before = words_after = chars_before = chars_after = gold_words = gold_chars = damaged = 0
    seconds = 0.0
    for pair in pairs:
        gold = pair.gold
        started = time.perf_counter()
        corrected = function(pair.raw, pair.words)
        raw = pair.before
        seconds += time.perf_counter() - started
        gold_norm = normalise(gold)
        before, after = errors(gold_norm, normalise(raw)), errors(gold_norm, normalise(corrected))
        words_before += before[0]
        words_after += after[0]
        chars_before += before[1]
        chars_after += after[1]
        gold_words += len(gold_norm.split())
        gold_chars += len(gold_norm)
        one = judge_changes(gold, raw, corrected)
        for field in ("changes", "right", "wrong", "neutral"):
            setattr(judgement, field, getattr(judgement, field) + getattr(one, field))
        damaged += protected_damaged(gold, raw, corrected)
    return Row(system, words_before / gold_words, words_after / gold_words, chars_before / gold_chars,
               chars_after / gold_chars, words_before - words_after, judgement, damaged, seconds)


# --- inputs -------------------------------------------------------------------------------


def example_pairs() -> list[Pair]:
    return [Pair(EXAMPLE.read_text(), "\n".join(p.read_text() for p in GOLD))]


def ocr_image(path: Path) -> str:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    result = subprocess.run(["tesseract", str(path), "stdout", "-l", "eng", "--psm", "3"],
                            capture_output=True, text=True, env=env, timeout=600, check=True)
    return result.stdout


def ocr_scan(path: Path) -> str:
    CACHE.mkdir(parents=True, exist_ok=True)
    cached = CACHE / (path.name + ".txt")
    if cached.exists() and cached.stat().st_mtime >= path.stat().st_mtime:
        return cached.read_text()
    if path.suffix.lower() == ".pdf":
        import pypdfium2

        texts = []
        with tempfile.TemporaryDirectory() as tmp:
            pdf = pypdfium2.PdfDocument(str(path))
            for index in range(len(pdf)):
                image = pdf[index].render(scale=300 / 72).to_pil()
                page_path = Path(tmp) / f"page-{index}.png"
                image.save(page_path)
                texts.append(ocr_image(page_path))
        text = "\n".join(texts)
    else:
        text = ocr_image(path)
    cached.write_text(text)
    return text


def degraded_scans(layout: bool = False) -> list[tuple[str, str]]:
    """(scan file, gold text) of every degraded, upright sample scan.

    The gold is the clean text in reading order (``samples/render.py: reading_text``): a
    two-column block read column by column, as Daftar's layout reads it; reading order is
    the layout stage's business, which no corrector can or should change. ``layout=True``
    gives the clean text as laid out instead, row by row (the two differ on the AIOU
    circular's distribution block only).
    """
    sys.path.insert(0, str(SAMPLES))
    import render  # noqa: E402  (samples/ is not a package)

    manifest = json.loads((SAMPLES / "MANIFEST.json").read_text())
    scans = []
    for scan in manifest["scans"]:
        if scan.get("level") is None or scan["level"] < 1 or scan.get("rotation", 0) or "rot" in scan["file"]:
            continue  # clean renders need no correction; rotation is the preprocess stage's job
        sources = [render.read_source(Path(d["source"]).stem) for d in scan["documents"]]
        texts = [render.clean_text(t) if layout else render.reading_text(t) for t in sources]
        scans.append((scan["file"], "\n".join(texts)))
    return scans


def tesseract_pairs() -> list[Pair]:
    """Bare Tesseract (psm 3, no preprocessing) on each degraded scan."""
    return [Pair(ocr_scan(SAMPLES / name), gold) for name, gold in degraded_scans()]


def daftar_ocr_pairs(layout: bool = False) -> list[Pair]:
    """Daftar's own load + preprocess + OCR stages (no correction) on each degraded scan: the
    text and words the corrector receives inside the pipeline."""
    pairs = []
    for name, gold in degraded_scans(layout):
        text, words = daftar_ocr(SAMPLES / name)
        pairs.append(Pair(text, gold, words))
    return pairs


OCR_STAGE_FILES = ("load.py", "preprocess.py", "ocr.py", "layout.py", "tesseract.py", "config.py")


def daftar_ocr(path: Path) -> tuple[str, tuple]:
    """(page texts joined by a blank line, words with spans into that text), cached by the
    scan and the OCR stage's source code."""
    import hashlib
    import pickle

    from pipeline.config import OcrOptions
    from pipeline.load import identify, iter_pages
    from pipeline.ocr import ocr_page

    options = OcrOptions()
    code = hashlib.sha256(b"".join((ROOT / "pipeline" / f).read_bytes() for f in OCR_STAGE_FILES))
    code.update(repr(options).encode())
    cached = CACHE / f"{path.name}.daftar-{code.hexdigest()[:12]}.pickle"
    if cached.exists() and cached.stat().st_mtime >= path.stat().st_mtime:
        return pickle.loads(cached.read_bytes())
    CACHE.mkdir(parents=True, exist_ok=True)
    text, words = "", []
    with tempfile.TemporaryDirectory() as tmp:
        for page in iter_pages(identify(path), Path(tmp), options):
            ocr = ocr_page(page, options)
            offset = len(text) + (2 if text else 0)
            text = f"{text}\n\n{ocr.text}" if text else ocr.text
            words += [replace(w, span=(w.span[0] + offset, w.span[1] + offset)) for w in ocr.words]
    cached.write_bytes(pickle.dumps((text, tuple(words))))
    return text, tuple(words)


def damage(text: str, seed: int, rate: float = 0.08) -> str:
    """Undo-able OCR damage: one confusion from data/confusions.json, inverted, in ~8% of words."""
    import random

    from corrections.knowledge import confusions

    rng = random.Random(seed)
    table = [c for c in confusions() if c.expected and c.expected.isalpha() and c.ocr != "'"]

    def hurt(match: re.Match[str]) -> str:
        word = match.group()
        if rng.random() > rate:
            return word
        options = [c for c in table if c.expected in word]
        if not options:
            return word
        confusion = rng.choice(options)
        start = word.find(confusion.expected)
        return word[:start] + confusion.ocr + word[start + len(confusion.expected):]

    return re.sub(r"\b[a-z]{5,}\b", hurt, text)


def synthetic_pairs() -> list[Pair]:
    clean = sorted((SAMPLES / "clean").glob("*.txt"))
    return [Pair(damage(path.read_text(), seed), path.read_text()) for seed, path in enumerate(clean)]


TYPOGRAPHIC = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


def fold_quotes(text: str) -> str:
    """Typographic quotes as ASCII. The corpus's clean texts keep the quote marks the
    publisher printed (’, “); the corrector writes every quote mark as ASCII by design. The
    two are one character to a reader, so the corpus is scored with both sides folded: a
    quote normalised is no change, a quote mark removed or added still is."""
    return text.translate(TYPOGRAPHIC)


def folded(system: str):
    function = SYSTEMS[system]
    return lambda raw, words=(): fold_quotes(function(raw, words))


def corpus_pairs(split: str) -> tuple[list[Pair], list[str], list[str]]:
    """(pairs of raw/clean of the split's OCR-damaged documents, their ids, every clean
    text), quotes folded (``fold_quotes``)."""
    sys.path.insert(0, str(ROOT))
    from corpus import documents

    docs = list(documents(split=split))
    damaged = [d for d in docs if d.meta.get("ocr_damage")]
    return ([Pair(d.raw, fold_quotes(d.clean), scored_raw=fold_quotes(d.raw)) for d in damaged], [d.id for d in damaged],
            [d.clean for d in docs])


@dataclass
class CleanDamage:
    system: str
    documents: int
    words: int
    changed: int  # word edits (substitutions, deletions, insertions) against the clean text
    documents_touched: int

    @property
    def share(self) -> float:
        return self.changed / self.words if self.words else 0.0


def clean_damage(texts: list[str], system: str) -> CleanDamage:
    """Run ``system`` on text with no OCR damage: every word it changes is damage it did."""
    function = folded(system)
    result = CleanDamage(system, len(texts), 0, 0, 0)
    for text in texts:
        gold = normalise(fold_quotes(text))
        changed = errors(gold, normalise(function(text, ())))[0]
        result.words += len(gold.split())
        result.changed += changed
        result.documents_touched += bool(changed)
    return result


# --- report -------------------------------------------------------------------------------


def print_table(title: str, rows: list[Row]) -> None:
    print(f"\n== {title}")
    header = (f"{'system':<18} {'WER':>13} {'CER':>13} {'err-':>5} {'chg':>4} {'right':>5} {'wrong':>5} "
              f"{'neut':>4} {'prec':>6} {'prot-dmg':>8} {'sec':>6}")
    print(header)
    for row in rows:
        j = row.judgement
        print(f"{row.system:<18} {row.wer_before:.4f}>{row.wer_after:.4f} {row.cer_before:.4f}>{row.cer_after:.4f} "
              f"{row.word_errors_removed:>5} {j.changes:>4} {j.right:>5} {j.wrong:>5} {j.neutral:>4} "
              f"{row.precision:>6.3f} {row.damaged:>8} {row.seconds:>6.2f}")
    anchor = rows[0]
    print(f"daftar: WER reduction {1 - anchor.wer_after / anchor.wer_before:.1%}, "
          f"CER after/before {anchor.cer_after / anchor.cer_before:.3f}")
    for row in rows[1:]:
        print(f"  vs {row.system}: precision {anchor.precision:.3f} vs {row.precision:.3f}; "
              f"word errors removed {anchor.word_errors_removed} vs {row.word_errors_removed}")


STARTUP_PROBE = """
import time
started = time.perf_counter()
from corrections import correct_text
correct_text("The Govemment of Pakistan has decided that the offlcial docurnents be sent.")
print(time.perf_counter() - started)
"""
ANCHOR_PROBE = """
import sys, time
sys.path.insert(0, {bench!r})
started = time.perf_counter()
from corrections_anchor import symspell_index
symspell_index()
print(time.perf_counter() - started)
"""


def fresh_process_seconds(code: str, runs: int) -> float:
    """Median wall time a fresh interpreter reports for ``code`` (after interpreter start)."""
    timings = []
    for _ in range(runs):
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                check=True, cwd=ROOT)
        timings.append(float(result.stdout.split()[-1]))
    return sorted(timings)[len(timings) // 2]


def startup(runs: int = 5) -> None:
    import shutil

    with tempfile.TemporaryDirectory() as tmp:  # the anchor imports this file under another name
        shutil.copy(Path(__file__), Path(tmp) / "corrections_anchor.py")
        anchor = fresh_process_seconds(ANCHOR_PROBE.format(bench=tmp), runs)
    first_call = fresh_process_seconds(STARTUP_PROBE, runs)
    print("\n== start-up in a fresh process (median of", runs, "runs)")
    print(f"import + first correct_text: {first_call:.2f} s")
    print(f"anchor, symspellpy index build (first pass's start-up): {anchor:.2f} s")
    print(f"ratio first call / anchor: {first_call / anchor:.3f}")


def corpus_report(splits: list[str], systems: list[str]) -> None:
    """The corpus's raw texts against their clean text, and the clean texts left alone."""
    rows: dict[str, list[Row]] = {}
    harm: dict[str, list[CleanDamage]] = {}
    for split in splits:
        pairs, ids, cleans = corpus_pairs(split)
        print(f"\n{split}: {len(pairs)} documents with OCR damage scored (of {len(cleans)}; "
              "whitespace-normalised, typographic quotes folded to ASCII, word order as given); "
              f"clean texts of all {len(cleans)} checked for damage")
        rows[split] = [evaluate(pairs, name, folded(name)) for name in systems]
        print_table(f"corpus {split}: raw texts as found vs clean.txt", rows[split])
        harm[split] = [clean_damage(cleans, name) for name in systems]
        print(f"clean text damaged ({split}, every clean.txt corrected; target <= 0.5% of words):")
        for entry in harm[split]:
            print(f"  {entry.system:<18} {entry.changed:>4} of {entry.words} words changed = {entry.share:.2%} "
                  f"({entry.documents_touched} of {entry.documents} documents touched)")
    print("\n== corpus summary, daftar (" + " | ".join(splits) + ")")
    scored = {split: len(corpus_pairs(split)[0]) for split in splits}
    lines = [
        ("documents scored (damaged / all)", lambda s: f"{scored[s]} / {harm[s][0].documents}"),
        ("WER raw > corrected", lambda s: f"{rows[s][0].wer_before:.4f} > {rows[s][0].wer_after:.4f}"),
        ("WER after / raw", lambda s: f"{rows[s][0].wer_after / rows[s][0].wer_before:.3f}x"),
        ("CER raw > corrected", lambda s: f"{rows[s][0].cer_before:.4f} > {rows[s][0].cer_after:.4f}"),
        ("changes right / wrong / neutral", lambda s: "{0.right} / {0.wrong} / {0.neutral}".format(rows[s][0].judgement)),
        ("precision", lambda s: f"{rows[s][0].precision:.3f}"),
        ("protected tokens damaged", lambda s: f"{rows[s][0].damaged}"),
        ("clean text damaged", lambda s: f"{harm[s][0].share:.2%}"),
    ] + [(f"{row.system}: WER after / raw, precision, clean damaged",
          lambda s, i=i: f"{rows[s][i].wer_after / rows[s][i].wer_before:.3f}x, {rows[s][i].precision:.3f}, "
                         f"{harm[s][i].share:.2%}") for i, row in enumerate(rows[splits[0]][1:], 1)]
    for label, cell in lines:
        print(f"{label:<52} " + " | ".join(f"{cell(s):>24}" for s in splits))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-samples", action="store_true", help="only the example file")
    parser.add_argument("--startup", action="store_true", help="only the start-up measurement")
    parser.add_argument("--corpus", action="store_true", help="the real corpus's raw texts (dev and test)")
    parser.add_argument("--split", choices=("dev", "test"), help="with --corpus: one split only")
    parser.add_argument("--systems", default=",".join(SYSTEMS),
                        help="with --corpus: comma-separated systems (default: all; daftar first)")
    args = parser.parse_args(argv)
    if args.corpus:
        systems = [name for name in args.systems.split(",") if name]
        if not systems or systems[0] != "daftar" or any(name not in SYSTEMS for name in systems):
            parser.error(f"--systems: daftar first, then any of {', '.join(SYSTEMS)}")
        corpus_report([args.split] if args.split else ["dev", "test"], systems)
        return 0
    if args.startup:
        startup()
        return 0
    pairs = example_pairs()
    print_table("example file vs gold", [evaluate(pairs, name) for name in SYSTEMS])
    if not args.no_samples:
        print(f"\nsamples: {', '.join(name for name, _ in degraded_scans())}")
        daftar_read, tesseract_read = daftar_ocr_pairs(), tesseract_pairs()
        print_table("degraded samples after Daftar's OCR stage (preprocessing, psm 4, layout) vs clean text",
                    [evaluate(daftar_read, n) for n in SYSTEMS])
        as_laid_out = evaluate(daftar_ocr_pairs(layout=True), "daftar")
        print(f"  (against the clean text row by row, as laid out: CER {as_laid_out.cer_before:.4f} > "
              f"{as_laid_out.cer_after:.4f}, after/before {as_laid_out.cer_after / as_laid_out.cer_before:.3f})")
        print_table("degraded samples after bare Tesseract (psm 3, no preprocessing) vs clean text",
                    [evaluate(tesseract_read, n) for n in SYSTEMS])
        synthetic = synthetic_pairs()
        print_table("clean samples with synthetic confusion damage (8% of words >= 5 letters)",
                    [evaluate(synthetic, n) for n in SYSTEMS])
    return 0


if __name__ == "__main__":
    sys.exit(main())
