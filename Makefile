# Daftar: every target installs what it needs and is safe to re-run.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.daftar-installed
SYS_PACKAGES := tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd tesseract-ocr-urd poppler-utils fonts-dejavu-core fonts-liberation fonts-freefont-ttf
TEST_SYS_PACKAGES := chromium
BENCH_SYS_PACKAGES := ghostscript unpaper qpdf pngquant
DEMO_OUT ?= out/demo
export OMP_THREAD_LIMIT := 1
export PREFECT_LOGGING_LEVEL ?= WARNING

.PHONY: setup setup-test setup-bench demo test bench schema samples screenshots clean train

setup: $(STAMP)

$(STAMP): pyproject.toml
	@scripts/ensure-system-packages $(SYS_PACKAGES)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $(STAMP)

setup-test: setup
	@scripts/ensure-system-packages $(TEST_SYS_PACKAGES)

setup-bench: setup
	@scripts/ensure-system-packages $(BENCH_SYS_PACKAGES)
	@$(BIN)/python -c 'import ocrmypdf' 2>/dev/null || $(BIN)/python -m pip install -q -e '.[bench]'

demo: setup
	$(BIN)/daftar ingest samples/scans samples/text --out $(DEMO_OUT)
	$(BIN)/daftar search "social media"
	$(BIN)/daftar links "F.No.14/04/2021-D-II"

test: setup-test
	$(BIN)/python -m pytest -q

bench: setup-bench
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/corrections.py
	$(BIN)/python bench/corrections.py --corpus --systems daftar
	$(BIN)/python bench/extraction.py
	$(BIN)/python bench/extraction.py --split dev --levels 0 1 2 3
	$(BIN)/python bench/extraction.py --split test --levels 0 1 2 3
	$(BIN)/python bench/split_boundaries.py --scans --levels 0 2
	$(BIN)/python bench/documents.py --levels 0 1 2 3
	$(BIN)/python bench/archive.py
	$(BIN)/python bench/search_abuse.py --records 100000

schema: setup
	$(BIN)/python -m pipeline.record --write

screenshots: setup-test
	DAFTAR_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q tests/test_browser.py

# the document-structure model from corpus dev + samples + tests/documents (no archive),
# then the document-boundary model from dev (grouped CV by office, docs/split-model.md),
# then the value verifier on what the extractor reads from dev (it uses the structure
# model's labels, so it is built after it): deterministic, same inputs -> same bytes;
# writes the model cards, the structure model's with the test split once
train: setup
	$(BIN)/daftar train --no-archive --no-fields --card docs/structure-model.md --test-report
	$(BIN)/python -m pipeline.split_training --card docs/split-model.md
	$(BIN)/python -m pipeline.extract.verify_training --card docs/verifier-model.md

samples: setup
	$(BIN)/python samples/render.py

clean:
	rm -rf out .pytest_cache
