# guidebuilder — the two commands that matter: `make guide` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
GB     := $(BIN)/guidebuilder
ARGS   ?=

.PHONY: guide html pdf docx leaflet report consulta check lint test bench serve clean system system-test system-proof dump bytecode proof release

guide: $(STAMP) system bytecode
	$(GB) build $(ARGS)

html pdf docx leaflet report consulta: $(STAMP) system bytecode
	$(GB) build --format $@ $(ARGS)

check: $(STAMP)
	$(GB) check $(ARGS)

lint: $(STAMP)
	$(GB) lint $(ARGS)

dump: $(STAMP)
	$(GB) dump $(ARGS)

# the proof sheet of the last build: every page and screen with its layout findings (build/proof/index.html)
proof: $(STAMP) system-proof bytecode
	$(GB) proof $(ARGS)

# a release: build, proof, then the release gate (placeholders, draft marks, invented data, layout findings)
release: $(STAMP) system-proof bytecode
	GUIDEBUILDER_DOCX_PAGES=1 $(GB) build $(ARGS)
	$(GB) proof
	$(GB) check --release

test: $(STAMP) system-test bytecode
	$(BIN)/python -m pytest $(ARGS)

bench: $(STAMP) system bytecode
	$(BIN)/python dev/bench.py $(ARGS)

serve: $(STAMP) system bytecode
	$(GB) serve $(ARGS)

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

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $@

clean:
	rm -rf build
