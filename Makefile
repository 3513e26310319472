# civicdesk — the two commands: `make run` and `make test`. Both install what is missing first.
SHELL := /bin/bash
# Cache hits across checkouts in different folders (CI clones elsewhere).
export CCACHE_BASEDIR := $(CURDIR)
GENERATOR := -G Ninja
JOBS ?= $(shell nproc)
RUN_BUILD := build/run
TEST_BUILD := build/test
BENCH_BUILD := build/bench
DB ?= var/civicdesk.db
PORT ?= 8080
DEMO_PARTIES ?= 3000

.PHONY: run test bench deps web build-run build-test build-bench clean format soak

deps:
	@bash scripts/install-deps.sh
	@bash scripts/install-web-deps.sh

web: deps
	@cd web && npm run --silent build

build-run: deps
	@cmake -S . -B $(RUN_BUILD) $(GENERATOR) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(RUN_BUILD) -j $(JOBS) --target civicdesk

build-test: deps
	@cmake -S . -B $(TEST_BUILD) $(GENERATOR) -DCMAKE_BUILD_TYPE=Debug -DCIVICDESK_SANITIZE=ON -DCIVICDESK_FUZZ=ON >/dev/null
	@cmake --build $(TEST_BUILD) -j $(JOBS)

build-bench: deps
	@cmake -S . -B $(BENCH_BUILD) $(GENERATOR) -DCMAKE_BUILD_TYPE=Release -DCIVICDESK_BENCH=ON >/dev/null
	@cmake --build $(BENCH_BUILD) -j $(JOBS)

run: build-run web
	@mkdir -p var
	@if [ ! -f $(DB) ]; then \
	  $(RUN_BUILD)/civicdesk --db sqlite:$(DB) demo --parties $(DEMO_PARTIES) --seed 1; fi
	@echo
	@echo "  civicdesk — $$(grep -m1 '^name:' config/demo-city.yaml | cut -d: -f2- | xargs)"
	@echo "  Open http://127.0.0.1:$(PORT)/"
	@echo "  Demo logins (password civicdesk-demo): csr1 csr2 csr3 supervisor finance auditor admin field"
	@echo
	@$(RUN_BUILD)/civicdesk --db sqlite:$(DB) serve --address 127.0.0.1 --port $(PORT) --web-root web/dist

test: build-test web
	@bash scripts/with-postgres.sh bash scripts/run-tests.sh $(TEST_BUILD)

# The long runs of the randomized tests (x10 property sequences and crash-test kills, every
# backend): `make soak`. SOAK_FILTER narrows it (a gtest filter).
SOAK_FILTER ?= *LedgerPropertyTest*:*LedgerConcurrencyTest*:*PaymentCrashTest*
soak: build-test
	@CIVICDESK_SOAK=1 CIVICDESK_SOURCE_DIR=$(CURDIR) bash scripts/with-postgres.sh \
	  $(TEST_BUILD)/civicdesk_tests --gtest_filter='$(SOAK_FILTER)'

bench: build-bench
	@bash scripts/run-bench.sh $(BENCH_BUILD)

format:
	@find src tests bench -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf build web/dist
