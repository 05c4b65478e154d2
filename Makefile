# goconc: two commands do everything (see README.md):
#   make run    build, install the kernelspec, execute every notebook into out/
#   make test   the whole test suite
# Each installs what is missing first (.ci/deps).

# Go: the go command on PATH, else the toolchain .ci/deps fetched.
GOHOME  := $(or $(XDG_DATA_HOME),$(HOME)/.local/share)/goconc
GO      ?= $(shell command -v go 2>/dev/null || echo $(GOHOME)/go/bin/go)
# Tests and go generate run go themselves.
export PATH := $(PATH):$(GOHOME)/go/bin
# Jupyter comes from Debian's packages under /usr/bin/python3, or from the
# active conda environment (environment.yml).
ifneq ($(CONDA_PREFIX),)
PYTHON  ?= $(CONDA_PREFIX)/bin/python
else
PYTHON  ?= /usr/bin/python3
endif
JUPYTER ?= $(dir $(PYTHON))jupyter

BIN     := bin/goconc
# Tests install the kernelspec into a private prefix: they never touch the
# user's Jupyter set-up.
TESTJUP := $(CURDIR)/build/test-jupyter
E2E_ENV := JUPYTER_PATH=$(TESTJUP)/share/jupyter GOCONC_KERNEL=goconc-test JUPYTER=$(JUPYTER) \
           PYDEVD_DISABLE_FILE_VALIDATION=1 JUPYTER_PLATFORM_DIRS=1
# Executions per fuzz target in make test (about 10 s each on this machine).
FUZZ_EXECS ?= 150000x

.PHONY: all build deps deps-browser install run release test test-go test-e2e bench fidelity reliability clean

all: build

deps:
	@.ci/deps

deps-browser:
	@.ci/deps --browser

# build makes goconc's three binaries, side by side in bin/: goconc (the
# command line), goconc-kernel (what kernel.json runs) and goconc-worker
# (where cells run; the kernel starts it beside itself).
build:
	$(GO) build -ldflags "-X github.com/goconc/goconc/kernel-ext/internal/native.buildSource=$(CURDIR)" -o bin/ ./kernel-ext/cmd/...

# install puts the kernelspec where the user's Jupyter (Notebook, Lab,
# console) finds it: the active conda environment, else the user's data dir.
install: build
ifneq ($(CONDA_PREFIX),)
	$(BIN) install --sys-prefix
else
	$(BIN) install --user
endif

# run executes every notebook into out/: the executed notebooks (.ipynb and
# .html), the results, figures and verdicts they save (out/data), and
# out/summary.html, the seed's table against this machine. Full sizes by
# default; QUICK=1 selects the quick presets. Each run starts from an empty
# out/. GOCONC_OUT is absolute: nbconvert starts the kernel in notebooks/.
run: deps install
	@rm -rf out && mkdir -p out/data
	@fail=0; for nb in notebooks/*.ipynb; do \
	  name=$$(basename "$$nb" .ipynb); start=$$(date +%s); \
	  printf 'run: %-24s' "$$name"; \
	  if GOCONC_OUT=$(CURDIR)/out/data $(if $(filter 1,$(QUICK)),GOCONC_QUICK=1) \
	       $(JUPYTER) nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=goconc \
	         --ExecutePreprocessor.timeout=1800 --output-dir out "$$nb" >>out/nbconvert.log 2>&1 && \
	     $(JUPYTER) nbconvert --to html --output-dir out "out/$$name.ipynb" >>out/nbconvert.log 2>&1; then \
	    echo " ok, $$(( $$(date +%s) - start )) s"; \
	  else \
	    echo " FAILED: see out/nbconvert.log"; fail=1; \
	  fi; \
	done; \
	$(BIN) summary out && echo "run: open out/summary.html" && exit $$fail

test: deps-browser test-go test-e2e

test-go:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...
	$(GO) test -short -race ./kernel-ext/internal/jupyter/... ./kernel-ext/internal/kernel/... ./kernel-ext/display/...
	$(GO) test -short ./...
	@# The symbol tables cells see are generated: regenerate them and diff.
	$(GO) test -run '^TestGeneratedCurrent$$' ./kernel-ext/internal/symbols/
	@# So is the table of the standard library's names the interpreter lacks.
	$(GO) test -run '^TestAPITableCurrent$$' ./kernel-ext/internal/gaps/
	@# A short fuzz run of the wire decoder and the frame parser, from the
	@# checked-in seed corpus (hostile frames must never crash the kernel).
	@# Budgets are execution counts, not durations: Go 1.26's fuzz coordinator
	@# can report a spurious "context deadline exceeded" when a -fuzztime
	@# duration expires mid-exec (go.dev/issue/75804, fixed in Go 1.27).
	$(GO) test -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZ_EXECS) -fuzzminimizetime 200x ./kernel-ext/internal/jupyter/
	$(GO) test -run '^$$' -fuzz '^FuzzFrameParser$$' -fuzztime $(FUZZ_EXECS) -fuzzminimizetime 200x ./kernel-ext/internal/jupyter/

test-e2e: build
	$(BIN) install --prefix $(TESTJUP) --name goconc-test
	cd kernel-ext/e2e && $(E2E_ENV) $(PYTHON) -m unittest -v test_conformance test_client test_reliability test_native
	cd kernel-ext/e2e && $(E2E_ENV) $(PYTHON) -m unittest -v test_notebooks
	cd kernel-ext/e2e && GOCONC_BIN=$(CURDIR)/$(BIN) $(PYTHON) -m unittest -v test_assign
	cd kernel-ext/e2e && $(E2E_ENV) GOCONC_BROWSER_REQUIRED=1 \
	  GOCONC_BROWSER_NOTEBOOK=$(CURDIR)/notebooks/03-resource-cost.ipynb GOCONC_BROWSER_EXPECT="Verdict" \
	  GOCONC_SCREENSHOT=$(CURDIR)/build/browser-screenshot.png $(PYTHON) -m unittest -v test_browser

# bench measures the kernel's start and a trivial cell against their floors
# (a Go kernel that evaluates nothing, built here and not installed; a
# pyzmq kernel that answers at once) and ipykernel, in one run; then native
# cells beside go run of the same file, and RunSpawn from a native cell
# beside goconc bench spawn. A benchmark, not a test: it prints the ratios
# and the targets, and asserts nothing.
bench: deps build
	$(GO) build -o build/bench/ ./kernel-ext/internal/floorkernel
	$(BIN) install --prefix $(TESTJUP) --name goconc-test
	$(E2E_ENV) $(PYTHON) kernel-ext/e2e/bench_kernel.py --floor-kernel build/bench/floorkernel $(BENCH_ARGS)
	$(E2E_ENV) GOCONC_BIN=$(CURDIR)/$(BIN) GO=$(GO) $(PYTHON) kernel-ext/e2e/bench_native.py

# reliability runs issue 5's list of bad inputs against a live kernel and
# prints one line per case (survived / state kept / error text) and a total.
reliability: deps build
	$(BIN) install --prefix $(TESTJUP) --name goconc-test
	cd kernel-ext/e2e && $(E2E_ENV) $(PYTHON) reliability_report.py

# fidelity measures the headline figures three ways (a cell in the kernel,
# goconc bench, go test -bench) and prints their ratios, and what a helper
# call from a cell costs. A benchmark, not a test: nothing is asserted.
fidelity: deps build
	$(BIN) install --prefix $(TESTJUP) --name goconc-test
	$(E2E_ENV) GOCONC_BIN=$(CURDIR)/$(BIN) GO=$(GO) $(PYTHON) kernel-ext/e2e/fidelity.py

# release writes the student versions of notebooks/assignments to out/release.
release: build
	@mkdir -p out/release
	@set -e; for nb in notebooks/assignments/*.ipynb; do \
	  $(BIN) assign "$$nb" -o out/release/$$(basename "$$nb"); echo "release: out/release/$$(basename "$$nb")"; done

clean:
	rm -rf bin build out
