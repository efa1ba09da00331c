# guidebuilder — the two commands that matter: `make guide` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
GB     := $(BIN)/guidebuilder
TESTED := $(VENV)/.installed-test
PROOFED := $(VENV)/.installed-proof
BENCHED := $(VENV)/.installed-bench
ARGS   ?=
# An editor's target that fails shows guidebuilder's own messages and nothing else. GNU make always
# adds "make: *** [Makefile:N: target] Error 1" after a failed recipe (unless the failure is ignored,
# and then make says it succeeded), so the recipe ends make itself with SIGPIPE, the one signal the
# shell reports with no message; the exit status is then 141 (128 + 13): a failure for scripts and CI.
QUIET  := run() { "$$@" || { status=$$?; kill -PIPE $$PPID 2>/dev/null; exit $$status; }; }; run

.PHONY: guide html pdf docx leaflet report consulta didactico package check lint test bench serve clean system system-test system-proof dump bytecode proof release

guide: $(STAMP) system bytecode
	@$(QUIET) $(GB) build $(ARGS)

html pdf docx leaflet report consulta didactico: $(STAMP) system bytecode
	@$(QUIET) $(GB) build --format $@ $(ARGS)

# build/publicar/: the site with every download for official portals, and the social media package
package: $(STAMP) system bytecode
	@$(QUIET) $(GB) package $(ARGS)

check: $(STAMP)
	@$(QUIET) $(GB) check $(ARGS)

lint: $(STAMP)
	@$(QUIET) $(GB) lint $(ARGS)

dump: $(STAMP)
	@$(QUIET) $(GB) dump $(ARGS)

# the proof sheet of the last build: every page and screen with its layout findings (build/proof/index.html)
proof: $(PROOFED) system-proof bytecode
	@$(QUIET) $(GB) proof $(ARGS)

# a release: build, proof, then the release gate (placeholders, draft marks, invented data, layout findings)
release: $(PROOFED) system-proof bytecode
	@$(QUIET) env GUIDEBUILDER_DOCX_PAGES=1 $(GB) build $(ARGS)
	@$(QUIET) $(GB) proof
	@$(QUIET) $(GB) check --release

test: $(TESTED) system-test bytecode
	$(BIN)/python -m pytest $(ARGS)

bench: $(BENCHED) system bytecode
	$(BIN)/python dev/bench.py $(ARGS)

serve: $(STAMP) system bytecode
	@$(QUIET) $(GB) serve $(ARGS)

# guidebuilder's own bytecode, written even where PYTHONDONTWRITEBYTECODE is set (as on our build
# machines): else every run compiles its modules again (about 0.1 s of each build). Up-to-date files
# are skipped, so this costs a few stat calls.
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q src >/dev/null

system:
	@scripts/system-deps.sh build

system-test:
	@scripts/system-deps.sh test

system-proof:
	@scripts/system-deps.sh proof

# `make guide` installs only what building needs; the proof sheet adds a browser driver, the tests the rest
$(STAMP): pyproject.toml constraints.txt
	@echo "guidebuilder: preparando el entorno (.venv) — la primera vez tarda unos minutos"
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e .
	@touch $@

$(PROOFED): $(STAMP)
	@$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[proof]'
	@touch $@

$(TESTED): $(STAMP)
	@$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $@

# make bench's reference line (pandoc's Typst writer and Typst)
$(BENCHED): $(STAMP)
	@$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[bench]'
	@touch $@

clean:
	rm -rf build
