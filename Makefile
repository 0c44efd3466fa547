# Gongkai — the two commands an analyst needs: `make run` and `make test`.
SWIFT ?= swift
SHARED ?= ../shared
APT_PACKAGES = libedit-dev poppler-utils libsqlite3-dev libmimalloc-dev

.PHONY: run test build release deps clean parse-sample bench stress fuzz fuzz-build

# Install the system packages Gongkai needs when they are missing.
deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Gongkai needs these system packages:$$missing"; \
	    echo "install them with: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# Gongkai's main job: the REPL on ./gongkai.db (a demo workspace is generated on first run).
run: build
	$(SWIFT) run gongkai

# Parse the user's seed report and show it.
parse-sample: build
	$(SWIFT) run gongkai parse $(SHARED)/corpus/00_shapotou_stats_2020.txt

# Parse, ingest and the query suite beside DuckDB at 100k and 1M reports (release build;
# see Benchmarks/README.md). Quick try: make bench BENCH_SIZES=10000 BENCH_INGEST=2000
BENCH_SIZES ?= 100000,1000000
bench: release
	BENCH_SIZES=$(BENCH_SIZES) BENCH_NO_BUILD=1 python3 Benchmarks/bench.py

test: deps
	$(SWIFT) test

# The full crash-safety run: 100 SIGKILLs during ingest.
stress: deps
	GK_KILL_RUNS=100 $(SWIFT) test --filter CrashSafetyTests

# Coverage-guided fuzzing (libFuzzer) of the readers, the digit-run solver, the pipeline
# language and the notebook parser: Tests/Fuzz is built with -sanitize=fuzzer (GongkaiCore
# instrumented too) and each target runs FUZZ_RUNS executions, one at a time. Working corpora,
# crash inputs and logs go to FUZZ_DIR (ignored). Fails if any target crashes or an input
# takes more than FUZZ_TIMEOUT seconds. `make fuzz FUZZ_TARGETS=html FUZZ_RUNS=100000` for one.
FUZZ_RUNS ?= 10000000
FUZZ_TARGETS ?= text markdown html docx solver query notebook
FUZZ_DIR ?= .fuzz
FUZZ_TIMEOUT ?= 1
FUZZ_RSS_MB ?= 2048
FUZZ_BIN = Tests/Fuzz/.build/release/gongkai-fuzz
fuzz_empty :=
fuzz_space := $(fuzz_empty) $(fuzz_empty)
FUZZ_SEED_FILES = $(subst $(fuzz_space),:,$(strip $(wildcard $(SHARED)/corpus/*.txt $(SHARED)/corpus/*.md $(SHARED)/corpus/*.html $(SHARED)/corpus/*.docx) $(wildcard Notebooks/*.md Docs/*.md)))
export FUZZ_RUNS FUZZ_TIMEOUT FUZZ_RSS_MB FUZZ_SEED_FILES
# Inputs are capped per target so the slow ones also reach FUZZ_RUNS (see Benchmarks/results).
export FUZZ_MAX_LEN_text ?= 1024
export FUZZ_MAX_LEN_markdown ?= 1024
export FUZZ_MAX_LEN_html ?= 1024
export FUZZ_MAX_LEN_docx ?= 2048
export FUZZ_MAX_LEN_solver ?= 256
export FUZZ_MAX_LEN_query ?= 512
export FUZZ_MAX_LEN_notebook ?= 1024
export FUZZ_MAX_LEN_report ?= 8192

fuzz-build: deps
	$(SWIFT) build -c release --package-path Tests/Fuzz -Xswiftc -sanitize=fuzzer -Xswiftc -use-ld=lld

fuzz: fuzz-build
	scripts/fuzz.sh $(FUZZ_BIN) $(FUZZ_DIR) $(FUZZ_TARGETS)

clean:
	rm -rf .build
