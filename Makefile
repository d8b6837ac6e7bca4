# Terbuka — make targets. `make help` lists them.
GO          ?= go
TOOLS       := $(CURDIR)/.tools
BIN         := $(CURDIR)/bin/terbuka
# MinIO for the S3 integration tests, built from the Go module proxy, pinned.
MINIO_VERSION := v0.0.0-20260212201848-7aac2a2c5b7c
ADDR        ?= localhost:8080
FUZZTIME    ?= 10s

.PHONY: help run build test test-short lint fuzz bench clean minio chromium

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

run: build ## generate demo data, publish it and serve the portal on http://$(ADDR)/
	$(BIN) demo --addr $(ADDR) --dir ./data

build: ## build bin/terbuka
	$(GO) build -o $(BIN) ./cmd/terbuka

test: minio chromium ## all tests with -race: S3 against a real MinIO, pages in headless Chromium
	scripts/with-minio $(GO) test -race -count=1 ./...

test-short: ## unit tests only, no MinIO (S3 tests skip)
	$(GO) test ./...

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

lint: ## go vet, staticcheck (pinned in go.mod) and gofmt
	$(GO) vet ./...
	$(GO) tool staticcheck ./...
	@test -z "$$(gofmt -l $$(git ls-files --cached --others --exclude-standard '*.go'))" || { gofmt -l $$(git ls-files --cached --others --exclude-standard '*.go'); echo "gofmt needed"; exit 1; }

fuzz: ## run every fuzz target for FUZZTIME each
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

bench: ## Go benchmarks (the side-by-side anchors come with `terbuka bench`)
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean: ## remove built binaries and demo data (keeps .tools/)
	rm -rf bin data
