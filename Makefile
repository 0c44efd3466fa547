# Gongkai — the two commands an analyst needs: `make run` and `make test`.
SWIFT ?= swift
SHARED ?= ../shared
APT_PACKAGES = libedit-dev poppler-utils libsqlite3-dev

.PHONY: run test build release deps clean parse-sample bench stress

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

clean:
	rm -rf .build
