# Two commands for a new user: `make run` (install, demo data, serve) and `make test`.
# Python 3.13: from the PATH, else pyenv's installation (CI may run without pyenv's shims on the PATH).
PYTHON ?= $(shell command -v python3.13 || ls $(HOME)/.pyenv/versions/3.13*/bin/python3.13 2>/dev/null | tail -n 1 \
             || command -v python3.14 || echo python3.13)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install translations editor clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

install: $(STAMP) translations

# The UI catalogs (domain messages) and Flask-Admin's strings (domain admin), compiled at install.
translations: $(STAMP)
	$(BIN)/pybabel compile --statistics -d translations -D messages
	$(BIN)/pybabel compile --statistics -d translations -D admin

run: install
	$(BIN)/cms init
	$(BIN)/cms demo
	$(BIN)/cms serve --host 127.0.0.1 --port 5000

test: install
	$(BIN)/python -m pytest

# The admin's rich-text editor, rebuilt from frontend/editor/ into static/editor/ (committed; needs Node.js and npm).
editor:
	cd frontend/editor && npm ci --no-audit --no-fund && npm run build

clean:
	rm -rf $(VENV) instance .pytest_cache
