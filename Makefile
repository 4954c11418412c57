PORT ?= 8000
AWS_PORT ?= 0
STATE ?= .local/stack.json
ROLE ?= reviewer
OUT ?= build/
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run token test lint typecheck unit bench package clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(BIN)/python -m tools.devstack --port $(PORT) --aws-port $(AWS_PORT) --state-file $(STATE)

# Only the token goes to stdout: curl -H "Authorization: Bearer $(make -s token ROLE=auditor)" ...
token: $(VENV)/.installed
	@$(BIN)/python -m tools.token --role $(ROLE) --state-file $(STATE)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed
	$(BIN)/mypy

unit: $(VENV)/.installed
	$(BIN)/pytest -q

test: lint typecheck unit package

bench: $(VENV)/.installed
	$(BIN)/python -m tools.bench

package: $(VENV)/.installed
	rm -rf $(OUT)
	AWS_DEFAULT_REGION=$${AWS_DEFAULT_REGION:-us-east-1} $(BIN)/chalice package --stage prod \
		--merge-template infra/template.yaml $(OUT)
	$(BIN)/cfn-lint --regions us-east-1 -- $(OUT)/sam.yaml

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
