PORT ?= 8000
AWS_PORT ?= 0
STATE ?= .local/stack.json
ROLE ?= reviewer
OUT ?= build/
# Template parameters for the local stack, e.g. PARAMETERS="ReportsPerClientPerHour=100"
PARAMETERS ?=
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# The schema fuzzer lives in a virtual environment of its own; FUZZ_SECONDS bounds its run.
FUZZ_VENV := .venv-fuzz
FUZZ_SECONDS ?= 75

.PHONY: run token test lint typecheck contracts unit fuzz bench package clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

$(FUZZ_VENV)/bin/python:
	$(PYTHON) -m venv $(FUZZ_VENV) || python3 -m venv $(FUZZ_VENV)

$(FUZZ_VENV)/.installed: $(FUZZ_VENV)/bin/python requirements-fuzz.txt
	$(FUZZ_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-fuzz.txt
	touch $@

run: $(VENV)/.installed
	$(BIN)/python -m tools.devstack --port $(PORT) --aws-port $(AWS_PORT) --state-file $(STATE) \
		$(foreach parameter,$(PARAMETERS),--parameter $(parameter))

# Only the token goes to stdout: curl -H "Authorization: Bearer $(make -s token ROLE=auditor)" ...
token: $(VENV)/.installed
	@$(BIN)/python -m tools.token --role $(ROLE) --state-file $(STATE)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed
	$(BIN)/mypy

# The layering (pyproject.toml [tool.importlinter]): the domain pure, routes and adapters apart.
contracts: $(VENV)/.installed
	$(BIN)/lint-imports

# One pytest worker per CPU (WORKERS=0: all in this process).
WORKERS ?= auto
unit: $(VENV)/.installed
	$(BIN)/pytest -q -n $(WORKERS) --durations=15

# schemathesis against a fresh local stack (its /openapi.json, staff routes with tokens): no 5xx,
# and every status, content type and body as the document says.
fuzz: $(VENV)/.installed $(FUZZ_VENV)/.installed
	$(BIN)/python -m tools.fuzz --schemathesis $(FUZZ_VENV)/bin/schemathesis --max-time $(FUZZ_SECONDS)

# Prints the wall time of each step and of the whole.
test:
	@start=$$(date +%s); \
	for step in lint typecheck contracts unit fuzz package; do \
		begun=$$(date +%s); \
		$(MAKE) --no-print-directory $$step || exit 1; \
		echo "make $$step: $$(( $$(date +%s) - begun )) s"; \
	done; \
	echo "make test: $$(( $$(date +%s) - start )) s"

bench: $(VENV)/.installed
	$(BIN)/python -m tools.bench

package: $(VENV)/.installed
	rm -rf $(OUT)
	AWS_DEFAULT_REGION=$${AWS_DEFAULT_REGION:-us-east-1} $(BIN)/chalice package --stage prod \
		--merge-template infra/template.yaml $(OUT)
	$(BIN)/cfn-lint --regions us-east-1 -- $(OUT)/sam.yaml

clean:
	rm -rf $(VENV) $(FUZZ_VENV) build .pytest_cache .mypy_cache .ruff_cache
