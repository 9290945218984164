# The two commands of the README. Each creates .venv and installs what it needs first, so a
# fresh clone with Python 3.11+ needs nothing else.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test test-fast lint typecheck bench-quality bench-throughput clean

$(BIN)/newscrawl: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip "setuptools>=77,<81"  # 77: SPDX license; scrapyd wants <81
	$(BIN)/pip install --quiet -e '.[test,distributed]'
	touch $@

# The main job on its embedded default: crawl the bundled offline demo site into datasets/demo.
demo: $(BIN)/newscrawl
	$(BIN)/newscrawl demo --out datasets/demo

# Every check: lint, types, then the whole test suite (starts its own local servers, and Redis).
test: $(BIN)/newscrawl redis-server
	$(BIN)/ruff check newscrawl tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

# The inner loop: lint, types and the unit tests (no crawls in subprocesses), ~30 s.
test-fast: $(BIN)/newscrawl
	$(BIN)/ruff check newscrawl tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest -q --ignore=tests/integration -m "not redis"

# The distributed-mode tests start a real redis-server; install it when the machine lacks it.
.PHONY: redis-server
redis-server:
	@command -v redis-server >/dev/null || { \
	  echo "installing redis-server (Debian package)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq redis-server; }

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
	rm -rf $(VENV) datasets/demo .pytest_cache
