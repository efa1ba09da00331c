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
OK     := $(VENV)/.ok-
# An editor's target shows guidebuilder's own messages and nothing else, and make ends with guidebuilder's
# own exit status (0, or 1 when the guide has errors). GNU make (4.3) adds "make: *** [Makefile:N: target]
# Error 1" after any failed recipe and then exits 2; a recipe cannot change that (make's own statuses are
# 0, 1 and 2; ending make by a signal gives 128+N, and every signal but SIGPIPE makes the shell print its
# name). Question mode (-q) is the one way make exits 1 without a word: it runs only recipe lines marked
# with '+', and exits 1 when a target is still out of date. So, when every goal is an editor's target:
# - run-X runs guidebuilder ('+' line); it removes $(OK)X first and creates it only when guidebuilder
#   succeeds, and never fails itself;
# - X depends on run-X, then on $(OK)X, a file whose rule has a plain (not '+') recipe: present, it is
#   up to date (exit 0); absent (guidebuilder failed), make -q finds it out of date and exits 1, silently.
# Every recipe these targets need is marked '+'. A usage error of guidebuilder (its status 2) ends make
# with 1 too. With other goals on the same line (make guide test), make runs as usual and a failure gets
# make's own line. .NOTPARALLEL keeps run-X before $(OK)X.
EDITOR  := guide html pdf docx leaflet report consulta didactico package check lint dump proof release serve
FORMATS := html pdf docx leaflet report consulta didactico
ifeq ($(filter-out $(EDITOR),$(or $(MAKECMDGOALS),guide)),)
MAKEFLAGS += -q
endif
RUN    := run() { name=$$1; shift; rm -f $(OK)$$name; "$$@" && touch $(OK)$$name; true; }; run
.NOTPARALLEL:

.PHONY: $(EDITOR) $(addprefix run-,$(EDITOR)) test bench clean system system-test system-proof bytecode
.DEFAULT_GOAL := guide

$(EDITOR): %: run-% $(OK)%

# the verdict of the last run of an editor's target (see above); reached outside question mode only
# when guidebuilder failed, and then it fails too
$(OK)%:
	@exit 1

run-guide: $(STAMP) system bytecode
	+@$(RUN) guide $(GB) build $(ARGS)

$(addprefix run-,$(FORMATS)): run-%: $(STAMP) system bytecode
	+@$(RUN) $* $(GB) build --format $* $(ARGS)

# build/publicar/: the site with every download for official portals, and the social media package
run-package: $(STAMP) system bytecode
	+@$(RUN) package $(GB) package $(ARGS)

run-check run-lint run-dump: run-%: $(STAMP)
	+@$(RUN) $* $(GB) $* $(ARGS)

# the proof sheet of the last build: every page and screen with its layout findings (build/proof/index.html)
run-proof: $(PROOFED) system-proof bytecode
	+@$(RUN) proof $(GB) proof $(ARGS)

# a release: build, proof, then the release gate (placeholders, draft marks, invented data, layout findings)
run-release: $(PROOFED) system-proof bytecode
	+@$(RUN) release sh -c 'GUIDEBUILDER_DOCX_PAGES=1 "$$0" build "$$@" && "$$0" proof && "$$0" check --release' $(GB) $(ARGS)

run-serve: $(STAMP) system bytecode
	+@$(RUN) serve $(GB) serve $(ARGS)

test: $(TESTED) system-test bytecode
	$(BIN)/python -m pytest $(ARGS)

bench: $(BENCHED) system bytecode
	$(BIN)/python dev/bench.py $(ARGS)

# guidebuilder's own bytecode, written even where PYTHONDONTWRITEBYTECODE is set (as on our build
# machines): else every run compiles its modules again (about 0.1 s of each build). Up-to-date files
# are skipped, so this costs a few stat calls.
bytecode: $(STAMP)
	+@$(BIN)/python -m compileall -q src >/dev/null

system:
	+@scripts/system-deps.sh build

system-test:
	@scripts/system-deps.sh test

system-proof:
	+@scripts/system-deps.sh proof

# `make guide` installs only what building needs; the proof sheet adds a browser driver, the tests the rest
$(STAMP): pyproject.toml constraints.txt
	+@echo "guidebuilder: preparando el entorno (.venv) — la primera vez tarda unos minutos"
	+@$(PYTHON) -m venv $(VENV)
	+@$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e .
	+@touch $@

$(PROOFED): $(STAMP)
	+@$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[proof]'
	+@touch $@

$(TESTED): $(STAMP)
	@$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $@

# make bench's reference line (pandoc's Typst writer and Typst)
$(BENCHED): $(STAMP)
	@$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[bench]'
	@touch $@

clean:
	rm -rf build
