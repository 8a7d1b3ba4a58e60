# nayose — two set-up commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# the project's packages, compiled at install as pip compiles installed ones (an editable install is not)
PACKAGES := pipelines assets resolution quality_checks governance samples ingestion nayose_config warehouse security

.PHONY: run test ui install lock clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m compileall -q $(PACKAGES)
	touch $(STAMP)

install: $(STAMP)

## run the nightly job on the bundled sample exports (data/sample/)
run: $(STAMP)
	$(BIN)/nayose run --project .

## run the test suite: a worker per core (pytest-xdist), each taking whole test files
test: $(STAMP)
	$(BIN)/python -m pytest -q -n auto --dist loadfile

## start the Dagster UI on http://127.0.0.1:3000
ui: $(STAMP)
	$(BIN)/nayose ui --project .

## refresh the lock file from the current venv
lock:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^nayose' > requirements.lock

clean:
	rm -rf data/raw data/warehouse data/golden data/reports data/models data/review dagster_home/storage dagster_home/history dagster_home/schedules dagster_home/logs
