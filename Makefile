# Terbuka — make targets. `make help` lists them.
GO          ?= go
TOOLS       := $(CURDIR)/.tools
BIN         := $(CURDIR)/bin/terbuka
# Everything benchmark-related is under benchmark/. The anchors Terbuka is
# measured against (DuckDB, PostgreSQL, Sphinx) are driven from their own
# module there, benchmark/anchordb, so bin/terbuka never links DuckDB or a
# database driver.
ANCHOR_MOD  := benchmark/anchordb
ANCHOR      := $(CURDIR)/bin/terbuka-anchor
# Where make bench and bench-large write RESULTS.md and the results JSON.
RESULTS     := benchmark/results
# The side-by-side harness, a developers' tool kept out of bin/terbuka.
BENCH       := $(CURDIR)/bin/terbuka-bench
# MinIO for the S3 integration tests, built from the Go module proxy, pinned.
MINIO_VERSION := v0.0.0-20260212201848-7aac2a2c5b7c
# axe-core, the accessibility checker the browser tests load into every
# page (site/browser_pages_test.go), from the npm registry, pinned.
AXE_VERSION := 4.14.1
AXE         := $(TOOLS)/axe-$(AXE_VERSION)/node_modules/axe-core/axe.min.js
# staticcheck at the version go.mod's tool block pins, built into .tools/ so
# that one binary checks both modules (the anchor module does not pin it).
STATICCHECK := $(TOOLS)/staticcheck
ADDR        ?= localhost:8080
FUZZTIME    ?= 10s
# make test-clock moves every Go program's clock this many days ahead.
CLOCK_AHEAD ?= 366

.PHONY: help run build bench-bin test test-clock test-short lint fuzz bench bench-large bench-smoke load load-smoke bench-go bench-tools anchor clean minio chromium nginx axe

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

run: build ## generate demo data, publish it and serve the portal on http://$(ADDR)/
	$(BIN) demo --addr $(ADDR) --dir ./data

build: ## build bin/terbuka
	$(GO) build -o $(BIN) ./cmd/terbuka

bench-bin: ## build bin/terbuka-bench, the side-by-side harness
	$(GO) build -o $(BENCH) ./cmd/terbuka-bench

test: minio chromium axe nginx bench-smoke load-smoke ## all tests with -race: S3 against a real MinIO, pages in headless Chromium checked by axe-core, replicas behind nginx, a 10,000-row run of terbuka-bench and a short load run
	TERBUKA_AXE=$(AXE) scripts/with-minio $(GO) test -race -count=1 -timeout 20m ./...

# The Go tests again, as if run CLOCK_AHEAD days from now in Jakarta's time
# zone: no test may depend on today's date or the machine's zone. MinIO is
# built at the same shifted clock, or S3 would refuse the clients' requests
# as skewed (scripts/clock-ahead says how the clock is moved).
test-clock: chromium axe nginx ## the Go tests with every clock CLOCK_AHEAD (366) days ahead and TZ=Asia/Jakarta
	scripts/clock-ahead $(CLOCK_AHEAD) $(MAKE) --no-print-directory minio TOOLS=$(TOOLS)/clock-ahead-$(CLOCK_AHEAD)
	TZ=Asia/Jakarta TERBUKA_AXE=$(AXE) TERBUKA_MINIO=$(TOOLS)/clock-ahead-$(CLOCK_AHEAD)/minio scripts/clock-ahead $(CLOCK_AHEAD) scripts/with-minio $(GO) test -count=1 -timeout 20m ./...

test-short: ## unit tests only, no MinIO (S3 tests skip)
	$(GO) test -short ./...

minio: $(TOOLS)/minio ## build the pinned MinIO server into .tools/
$(TOOLS)/minio:
	@echo "building MinIO $(MINIO_VERSION) into .tools/ (about 3 minutes on 2 cores, once)"
	GOBIN=$(TOOLS) $(GO) install github.com/minio/minio@$(MINIO_VERSION)

# Debian's chromium for the browser tests (site/browser_test.go). apt cannot pin
# it here, so the target prints the version it finds.
chromium: ## install Debian's chromium for the browser tests if it is missing
	@if [ ! -x /usr/bin/chromium ]; then \
	  sudo=; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  echo "installing Debian's chromium for the browser tests"; \
	  $$sudo apt-get update && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; \
	fi
	@# The Debian launcher's /dev/shm check can print a harmless shell warning on stderr.
	@/usr/bin/chromium --version 2>/dev/null

axe: $(AXE) ## install the pinned axe-core into .tools/ for the browser tests' accessibility checks
$(AXE):
	@command -v npm >/dev/null || { echo "npm is needed to install axe-core for the browser tests"; exit 1; }
	npm install --prefix $(TOOLS)/axe-$(AXE_VERSION) --no-save --no-audit --no-fund --ignore-scripts axe-core@$(AXE_VERSION)
	@test -f $@

# Debian's nginx, the load balancer in front of two portal replicas in
# cmd/terbuka's replica test, which runs it on a loopback port with a config,
# logs and temporary files of its own. apt cannot pin it here, so the target
# prints the version it finds (bookworm's is 1.22.1).
nginx: ## install Debian's nginx for the replica test if it is missing
	@if [ ! -x /usr/sbin/nginx ]; then \
	  sudo=; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  echo "installing Debian's nginx for the replica test"; \
	  $$sudo apt-get update && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx; \
	fi
	@/usr/sbin/nginx -v 2>&1

lint: ## go vet, staticcheck (pinned in go.mod) and gofmt, over both modules
	$(GO) vet ./...
	cd $(ANCHOR_MOD) && $(GO) vet ./...
	$(GO) build -o $(STATICCHECK) honnef.co/go/tools/cmd/staticcheck
	$(STATICCHECK) ./...
	cd $(ANCHOR_MOD) && $(STATICCHECK) ./...
	@test -z "$$(gofmt -l $$(git ls-files --cached --others --exclude-standard '*.go'))" || { gofmt -l $$(git ls-files --cached --others --exclude-standard '*.go'); echo "gofmt needed"; exit 1; }

fuzz: ## run every fuzz target for FUZZTIME each
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

bench: build bench-bin anchor bench-tools minio ## Terbuka vs DuckDB, PostgreSQL and Sphinx at 1,000,000 rows: writes benchmark/results/RESULTS.md and results.json
	$(BENCH) --terbuka $(BIN) --rows 1000000 --anchor $(ANCHOR) --minio $(TOOLS)/minio --out $(RESULTS)

bench-large: build bench-bin anchor bench-tools minio ## ingest and index at 10,000,000 rows for the memory scaling: benchmark/results/results-large.json
	$(BENCH) --terbuka $(BIN) --rows 10000000 --anchor $(ANCHOR) --minio $(TOOLS)/minio --out $(RESULTS) --name results-large --phases ingest,index

# A short run of the whole harness, Sphinx included, so it cannot rot: it
# fails when the systems' row counts, money sums or hit counts disagree, or
# when an anchor is missing.
bench-smoke: build bench-bin anchor bench-tools minio ## terbuka-bench at 10,000 rows (part of make test)
	@out=$$(mktemp -d); trap 'rm -rf $$out' EXIT; \
	$(BENCH) --terbuka $(BIN) --rows 10000 --runs 20 --wrk-duration 2s --wrk-connections 2,4 --fresh-rows 2000 --anchor $(ANCHOR) --minio $(TOOLS)/minio --out $$out --log-level warn > $$out/stdout || { cat $$out/stdout; exit 1; }; \
	awk '/^## /{p = /^## Targets/} p' $$out/RESULTS.md

# The load suite (benchmark/load.go): a demo portal under an open-loop
# crowd, 70 % searches, 25 % downloads, 5 % pushes, at RATE and then twice
# it; it fails on any answer but 429 at RATE, but 429 and 503 at twice it,
# or when memory, goroutines and open files do not come back to baseline.
load: build bench-bin ## the load suite: 40 req/s for 2 min, then 80 req/s; prints rate, answers by status, p50/p99, RSS before/after
	$(BENCH) load --terbuka $(BIN) --rate 40 --duration 2m

load-smoke: build bench-bin ## the load suite at 20 req/s, 15 s a phase (part of make test)
	$(BENCH) load --terbuka $(BIN) --rate 20 --duration 15s --regions 4

bench-go: ## the Go benchmarks of every package (ingest, search mix, page rendering, …)
	$(GO) test -run '^$$' -bench . -benchmem ./...

anchor: ## build bin/terbuka-anchor (DuckDB, PostgreSQL and MySQL-protocol drivers) from the benchmark/anchordb module
	cd $(ANCHOR_MOD) && $(GO) build -o $(ANCHOR) ./cmd/terbuka-anchor

# PostgreSQL, Sphinx (2.2.11, bookworm's sphinxsearch) and wrk from Debian's
# packages, for terbuka-bench. apt cannot pin them here, so the target prints
# the versions it finds.
bench-tools: ## install Debian's postgresql, sphinxsearch and wrk if missing
	@if [ -z "$$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null)" ] || ! command -v wrk >/dev/null || ! command -v indexer >/dev/null || ! command -v searchd >/dev/null; then \
	  sudo=; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  echo "installing Debian's postgresql, sphinxsearch and wrk for terbuka-bench"; \
	  $$sudo apt-get update && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql sphinxsearch wrk; \
	fi
	@$$(ls /usr/lib/postgresql/*/bin/postgres | tail -1) --version
	@indexer --help 2>&1 | head -1
	@wrk --version 2>&1 | head -1 || true

clean: ## remove built binaries and demo data (keeps .tools/)
	rm -rf bin data
