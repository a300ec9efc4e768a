# gan_papers — the two commands a newcomer needs are `make demo` and `make test`.
# Every target creates .venv on first use, installing the exact versions CI last passed with
# (constraints.txt), so a lab machine runs what was tested.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
EXTRAS ?= dev
PROFILE ?= demo
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9]*.ipynb))
comma := ,
STAMP := $(VENV)/.installed-$(subst $(comma),-,$(EXTRAS))
# oneDNN's CPU kernels on every x86 CPU, not only AVX-512 ones (see gan_papers/__init__.py).
export TF_ENABLE_ONEDNN_OPTS ?= 1

.PHONY: venv demo test lint lab bench sync-notebooks clean

venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[$(EXTRAS)]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 > /dev/null
	touch $@

# Execute every walkthrough at the demo profile into runs/ (executed notebooks + figures).
demo: venv
	mkdir -p runs
	for nb in $(NOTEBOOKS); do \
		name=$$(basename $$nb .ipynb); \
		echo "== $$name ($(PROFILE) profile) =="; \
		GAN_PAPERS_PROFILE=$(PROFILE) GAN_PAPERS_RUN_DIR=$(CURDIR)/runs/$$name \
			$(BIN)/papermill --cwd notebooks $$nb runs/$$name.ipynb -k python3 || exit 1; \
	done
	@echo "Executed notebooks and figures are in runs/."

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Unit tests, then every notebook at the smoke profile (nbval).
test: lint
	GAN_PAPERS_PROFILE=smoke $(BIN)/pytest --nbval-lax --nbval-current-env -p no:cacheprovider \
		tests $(NOTEBOOKS)

lab: venv
	$(BIN)/jupyter lab notebooks/

bench: venv
	for script in benchmarks/[a-z]*.py; do $(BIN)/python -m benchmarks.$$(basename $$script .py) || exit 1; done

# Regenerate the .ipynb files from their jupytext .py sources (outputs stripped).
sync-notebooks: venv
	for src in notebooks/[0-9]*.py; do $(BIN)/jupytext --to ipynb --update $$src || exit 1; done

clean:
	rm -rf runs .pytest_cache .ruff_cache
