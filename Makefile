# Set-up and checks. `make demo` installs into .venv/ and compares the bundled sample; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
SAMPLE := samples/xi-trump-call-2025-01-17

.PHONY: demo test lint bench

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	# torch first, pinned to the CPU build on local disk: a bare "torch" would fetch a multi-GB CUDA build.
	$(VENV)/bin/pip install -q -c constraints.txt torch==2.13.0
	$(VENV)/bin/pip install -q -c constraints.txt -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	$(VENV)/bin/reconcile compare $(SAMPLE)/outlet-article.txt \
		--source "Donald Trump: truth-social-post=$(SAMPLE)/truth-social-post.txt"

test: $(VENV)/.installed
	$(VENV)/bin/python -m pytest -q

bench: $(VENV)/.installed
	$(VENV)/bin/python benchmarks/accuracy.py
