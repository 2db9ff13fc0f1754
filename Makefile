# Set-up and checks. `make demo` installs into .venv/ and compares the bundled sample; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
SAMPLE := samples/xi-trump-call-2025-01-17

.PHONY: demo test lint bench browser axe train train-judge

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	# torch first, pinned to the CPU build on local disk: a bare "torch" would fetch a multi-GB CUDA build.
	$(VENV)/bin/pip install -q -c constraints.txt torch==2.13.0
	$(VENV)/bin/pip install -q -c constraints.txt -e '.[test]'
	touch $@

# The optional extras the tests exercise: Ray, for the Ray engine, and the training extra, for the test that trains
# the cross-encoder two steps and resumes it. Only `make test` installs them, so `make demo` stays small.
$(VENV)/.installed-test: $(VENV)/.installed
	$(VENV)/bin/pip install -q -c constraints.txt -e '.[test,ray,train]'
	touch $@

demo: $(VENV)/.installed
	$(VENV)/bin/reconcile compare $(SAMPLE)/outlet-article.txt \
		--source "Donald Trump: truth-social-post=$(SAMPLE)/truth-social-post.txt"

# The browser tests drive Debian's chromium through Playwright's Python package (never `playwright install`).
# Installed only when missing, so `make test` works as well where chromium is already there.
CHROMIUM ?= /usr/bin/chromium
browser:
	@test -x $(CHROMIUM) || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# axe-core, the accessibility checker the browser tests inject into the pages, pinned, from the npm registry:
# fetched here once (npm checks the package's integrity), never while the tests run.
AXE_VERSION := 4.14.1
AXE := $(VENV)/axe-core-$(AXE_VERSION)/axe.min.js
$(AXE):
	mkdir -p $(@D)
	cd $(@D) && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null && \
		tar -xzf axe-core-$(AXE_VERSION).tgz --strip-components=1 package/axe.min.js package/LICENSE && \
		rm axe-core-$(AXE_VERSION).tgz && touch axe.min.js
axe: $(AXE)

test: $(VENV)/.installed-test browser $(AXE)
	$(VENV)/bin/python -m pytest -q

bench: $(VENV)/.installed
	$(VENV)/bin/python benchmarks/accuracy.py

# The support judge: cache the judge's inputs for ../shared/train (and, to measure, ../shared/eval) in the user
# cache folder, then train it and write reconcile/data/judge.safetensors (see the model card in docs/accuracy.md).
JUDGE_CACHE ?= $(HOME)/.cache/reconcile
train: $(VENV)/.installed
	$(VENV)/bin/python benchmarks/judge_data.py --threads 2 --cache-dir $(JUDGE_CACHE)/judge
	$(VENV)/bin/python benchmarks/judge_data.py --threads 2 --train-dir ../shared/eval --cache-dir $(JUDGE_CACHE)/judge-eval
	$(VENV)/bin/python benchmarks/train_judge.py --cache-dir $(JUDGE_CACHE)/judge --eval-cache $(JUDGE_CACHE)/judge-eval

# ruff and mypy --strict (configured in pyproject.toml) over the package, its tests and the benchmarks.
LINTED := reconcile tests benchmarks
lint: $(VENV)/.installed
	$(VENV)/bin/pip install -q -c constraints.txt -e '.[lint]'
	$(VENV)/bin/ruff check $(LINTED)
	$(VENV)/bin/ruff format --check $(LINTED)
	$(VENV)/bin/mypy $(LINTED)

# The cross-encoder judge (reconcile/judges/cross.py): cache its (claim, evidence) pairs from ../shared/train on
# the product's own evidence, then train, resuming from the last checkpoint under $(JUDGE_CACHE)/cross-train;
# stop it any time and run it again. Export a checkpoint with benchmarks/train_cross.py --export DIR.
# Where a fresh machine starts: the committed weights of the last stop's run (its optimizer starts anew).
CROSS_START ?= benchmarks/cross-checkpoint/step-3200.safetensors
CROSS_TRAIN ?= --trainable 4 --lr 8e-5 --head-lr 4e-4 --batch-size 32 --save-steps 100 --eval-steps 400 --max-length 192
train-judge: $(VENV)/.installed
	$(VENV)/bin/pip install -q -c constraints.txt -e '.[train]'
	PYTHONPATH=. $(VENV)/bin/python benchmarks/cross_data.py --threads 2 --cache-dir $(JUDGE_CACHE)/cross
	PYTHONPATH=. $(VENV)/bin/python benchmarks/train_cross.py --threads 2 --cache-dir $(JUDGE_CACHE)/cross \
		--out $(JUDGE_CACHE)/cross-train $(CROSS_TRAIN) --init-overlay $(CROSS_START)
