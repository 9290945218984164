# The two commands of the README. Each creates .venv and installs what it needs first, so a
# fresh clone with Python 3.11+ needs nothing else.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test test-fast smoke-bare redis-server lint typecheck bench-quality \
	bench-throughput clean

$(BIN)/newscrawl: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip "setuptools>=77,<81"  # 77: SPDX license; scrapyd wants <81
	$(BIN)/pip install --quiet -e '.[test,distributed]'
	touch $@

# The main job on its embedded default: crawl the bundled offline demo site into datasets/demo.
demo: $(BIN)/newscrawl
	$(BIN)/newscrawl demo --out datasets/demo

# Every check: lint, types, the whole test suite (starts its own local servers, and Redis),
# then a smoke test of a bare install (no extras).
test: $(BIN)/newscrawl redis-server
	$(BIN)/ruff check newscrawl tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest -q
	$(MAKE) smoke-bare

# The inner loop: lint, types and the unit tests (no crawls in subprocesses), ~30 s.
test-fast: $(BIN)/newscrawl
	$(BIN)/ruff check newscrawl tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest -q --ignore=tests/integration -m "not redis"

# `pip install .` without extras in a fresh .venv-bare: version, demo crawl, extract,
# compact, load(), and the one-line hint for distributed commands (.ci/smoke-bare.sh).
smoke-bare:
	PYTHON=$(PYTHON) bash .ci/smoke-bare.sh .venv-bare

# The distributed-mode tests start a real redis-server. When the machine has none (or with
# REDIS_SERVER=none), Debian's package is unpacked into .venv/redis with a wrapper in
# .venv/bin: user space only, no system service (.ci/redis-server.sh).
REDIS_SERVER ?=
redis-server: $(BIN)/newscrawl
	@REDIS_SERVER=$(REDIS_SERVER) bash .ci/redis-server.sh $(VENV)

lint: $(BIN)/newscrawl
	$(BIN)/ruff check newscrawl tests bench

typecheck: $(BIN)/newscrawl
	$(BIN)/mypy

# Needs the shared eval corpus beside the project (not shipped): CORPUS=../shared/eval/corpus
CORPUS ?= ../shared/eval/corpus
bench-quality: $(BIN)/newscrawl
	$(BIN)/python bench/extraction_quality.py $(CORPUS)

bench-throughput: $(BIN)/newscrawl
	$(BIN)/python bench/crawl_throughput.py

clean:
	rm -rf $(VENV) .venv-bare datasets/demo .pytest_cache
