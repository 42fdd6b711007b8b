# Two commands matter: `make run` (set up everything and start the product) and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        := .venv
VENV_RASA   := .venv-rasa
PY          := $(VENV)/bin/python
RASA        := $(VENV_RASA)/bin/rasa
MODEL       := models/kefu.tar.gz
# Generated from domain.yml and knowledge/ by bot.rasa_export: the domain and the FAQ examples.
GEN_DIR     := var/rasa
DOMAIN_FILE := $(GEN_DIR)/domain.yml
export ACTION_SERVER_URL ?= http://127.0.0.1:5055/webhook
# Rasa imports the project's custom component (addons/) and bot.text from here.
export PYTHONPATH := $(CURDIR)

# Python 3.10 for Rasa: PYTHON310 if given, else pyenv's newest 3.10, else python3.10 on PATH.
PYENV_ROOT  ?= $(HOME)/.pyenv
PYTHON310   ?= $(shell for p in $$(ls -d $(PYENV_ROOT)/versions/3.10*/bin/python3.10 2>/dev/null | sort -V | tail -n 1) $$(command -v python3.10); do "$$p" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null && echo "$$p" && break; done)
PYTHON311   ?= $(shell for p in python3.12 python3.11 python3; do command -v $$p >/dev/null && $$p -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null && command -v $$p && break; done)

# Rasa reads only these data folders; data/triage (the complaint classifier's texts) stays out.
# The FAQ's examples live with their answers in knowledge/faq.yml and are exported to $(GEN_DIR)/data.
NLU_DATA    := data/nlu $(GEN_DIR)/data
RASA_DATA   := $(NLU_DATA) data/rules data/stories
TRAIN_INPUTS := config.yml domain.yml bot/text.py bot/service_words.py bot/entity_values.py bot/rasa_export.py $(wildcard addons/*.py) $(filter-out knowledge/triage.yml,$(shell find data/nlu data/rules data/stories knowledge -type f -name '*.yml' -o -type f -name '*.txt' 2>/dev/null))
# The complaint triage model (spaCy), a folder; meta.json is written last, so it is the target.
TRIAGE_DIR    := models/triage
TRIAGE_MODEL  := $(TRIAGE_DIR)/meta.json
TRIAGE_INPUTS := $(shell find data/triage bot/triage -type f \( -name '*.yml' -o -name '*.py' \) 2>/dev/null) knowledge/triage.yml knowledge/jieba/userdict.txt bot/text.py

.PHONY: help setup run test test-fast train lint format validate db bench bench-nlu bench-faq bench-triage bench-answers bench-dialogue clean

help:
	@echo "make run    set up everything and start Rasa, the action server and the API"
	@echo "make test   set up what the tests need and run them all"
	@echo "make setup | train | lint | format | validate | db | bench | bench-nlu | bench-faq | bench-triage | bench-answers | bench-dialogue | clean"

setup: $(VENV)/.installed $(VENV_RASA)/.installed db node_modules/.installed

# The console's charts: Chart.js from the npm registry, served by the API (never a CDN).
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the console's charts (apt-get install npm)"; exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON311)" || { echo "Python 3.11+ is needed for .venv (e.g. 'pyenv install 3.11')"; exit 1; }
	test -x $(PY) || $(PYTHON311) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

$(VENV_RASA)/.installed: rasa-requirements.txt
	@test -n "$(PYTHON310)" || { \
	  echo "Rasa 3.6 needs Python 3.10, which was not found."; \
	  echo "Install it with 'pyenv install 3.10' (or your OS's python3.10 package),"; \
	  echo "or point to one with 'make PYTHON310=/path/to/python3.10 ...'."; exit 1; }
	test -x $(VENV_RASA)/bin/python || $(PYTHON310) -m venv $(VENV_RASA)
	$(VENV_RASA)/bin/python -m pip install --quiet --upgrade pip
	$(VENV_RASA)/bin/python -m pip install --quiet -r rasa-requirements.txt
	@touch $@

db: $(VENV)/.installed
	$(PY) -m bot.cli migrate
	$(PY) -m bot.cli seed

# Training runs only when config, domain, data or knowledge changed since the last model.
train: $(MODEL) $(TRIAGE_MODEL)

# Rasa training that gives the same model from the same inputs, so the model `make test` trains
# in CI is the one the regression dialogues were checked against. Two trainings from the same
# inputs differed (17 of 259 FAQ questions got another intent) when Rasa restored some
# components from its cache and retrained the rest; with the cache off, a fixed hash seed and
# deterministic TensorFlow ops, three trainings predicted identically on 5,000 held-out
# messages. One thread trains as fast as two on 2 cores (425 s against 419 s).
REPRODUCIBLE := RASA_MAX_CACHE_SIZE=0 PYTHONHASHSEED=0 TF_DETERMINISTIC_OPS=1 \
  TF_INTRA_OP_PARALLELISM_THREADS=1 TF_INTER_OP_PARALLELISM_THREADS=1

$(MODEL): $(TRAIN_INPUTS) $(VENV)/.installed $(VENV_RASA)/.installed
	$(PY) -m bot.rasa_export --out $(GEN_DIR)
	@start=$$(date +%s); \
	$(REPRODUCIBLE) $(RASA) train --config config.yml --domain $(DOMAIN_FILE) --data $(RASA_DATA) \
	  --out models --fixed-model-name kefu && \
	echo "training took $$(( $$(date +%s) - start ))s, model $$(du -h $@ | cut -f1)"
	@touch $@

# The complaint classifier: a few seconds on 2 cores, deterministic (fixed seed).
$(TRIAGE_MODEL): $(TRIAGE_INPUTS) $(VENV)/.installed
	$(PY) -m bot.triage.train --data $(sort $(wildcard data/triage/*.yml)) --out $(TRIAGE_DIR)

validate: $(VENV)/.installed $(VENV_RASA)/.installed
	$(PY) -m bot.rasa_export --out $(GEN_DIR)
	$(RASA) data validate --config config.yml --domain $(DOMAIN_FILE) --data $(RASA_DATA) --fail-on-warnings

run: setup train
	$(PY) -m bot.supervisor

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: setup train lint validate
	$(VENV)/bin/pytest

# Unit and API tests only: no Rasa model, no processes.
test-fast: $(VENV)/.installed
	$(VENV)/bin/pytest tests/unit tests/actions tests/integration -m "not integration"

# Start-up time, turn latency and memory of the running product, then the API's own cost per
# turn in front of an instant stub Rasa (bench/api_overhead.py). Prints numbers only.
# `make bench BENCH_ARGS="--profile var/bench"` also records py-spy profiles of the API and the
# action server and prints their top entries.
BENCH_ARGS ?=
bench: setup train
	$(PY) -m bench.product $(BENCH_ARGS)
	$(PY) -m bench.api_overhead
	PYTHONPATH=. $(VENV_RASA)/bin/python -m bench.light_load --model $(MODEL)

# Held-out NLU evaluation: trains an NLU model on data/ only, scores the held-out sets
# (README says which were used to choose; heldout_v13.yml is the newest),
# then runs Rasa's own cross-validation on the training data. Prints numbers, asserts nothing.
BENCH_DIR := var/bench
bench-nlu: $(VENV)/.installed $(VENV_RASA)/.installed
	@mkdir -p $(BENCH_DIR)
	$(PY) -m bot.rasa_export --out $(GEN_DIR)
	@# `rasa train nlu` and `rasa test nlu` read one path: data/nlu and the exported FAQ together.
	@rm -rf $(BENCH_DIR)/nlu-data && mkdir -p $(BENCH_DIR)/nlu-data && \
	  cp data/nlu/*.yml $(GEN_DIR)/data/*.yml $(BENCH_DIR)/nlu-data/
	@start=$$(date +%s); \
	$(REPRODUCIBLE) $(RASA) train nlu --config config.yml --nlu $(BENCH_DIR)/nlu-data --out $(BENCH_DIR) \
	  --fixed-model-name nlu-bench >$(BENCH_DIR)/train.log 2>&1 || { tail -n 30 $(BENCH_DIR)/train.log; exit 1; }; \
	echo "NLU training time: $$(( $$(date +%s) - start ))s"
	@for set in heldout heldout_fresh heldout_v3 heldout_v4 heldout_v5 heldout_v6 heldout_v7 heldout_v8 heldout_v9 heldout_v10 heldout_v11 heldout_v12 heldout_v13; do \
	  echo; echo "=== tests/nlu/$$set.yml ==="; \
	  $(VENV_RASA)/bin/python -m bench.nlu_eval --model $(BENCH_DIR)/nlu-bench.tar.gz \
	    --data tests/nlu/$$set.yml --json $(BENCH_DIR)/$$set.json 2>>$(BENCH_DIR)/eval.log || exit 1; \
	done
	$(RASA) test nlu --nlu $(BENCH_DIR)/nlu-data --config config.yml --cross-validation --folds 3 \
	  --out $(BENCH_DIR)/cross-validation >$(BENCH_DIR)/cv.log 2>&1
	$(VENV_RASA)/bin/python -m bench.cv_summary $(BENCH_DIR)/cross-validation

# FAQ topics: top-1/top-3 per topic and overall, with and without the BM25 step, and the rate of
# "no answer", on the dev set (used to choose the thresholds; with the sweep) and the held-out
# set (never used to choose). Prints numbers only.
bench-faq: $(MODEL) $(VENV)/.installed
	@mkdir -p $(BENCH_DIR)
	@for set in dev heldout heldout_v2 heldout_v3 heldout_v4; do \
	  echo; echo "=== tests/faq/$$set.yml ==="; \
	  $(VENV_RASA)/bin/python -m bench.faq_parse --model $(MODEL) --data tests/faq/$$set.yml \
	    --out $(BENCH_DIR)/faq-$$set.json 2>>$(BENCH_DIR)/faq.log || exit 1; \
	  $(PY) -m bench.faq_eval $(BENCH_DIR)/faq-$$set.json \
	    $$( [ $$set = dev ] && echo --sweep --misses --unanswerable tests/faq/dev_unanswerable.yml ) || exit 1; \
	done

# Complaint triage on the held-out set: per-category P/R/F1, macro-F1, priority accuracy, the
# priority confusion matrix and P1 recall. Prints numbers only, asserts nothing.
bench-triage: $(TRIAGE_MODEL)
	@for set in heldout heldout_v2 heldout_v3 heldout_v4 heldout_v5 heldout_v6 heldout_v7 heldout_v8; do \
	  test -f tests/triage/$$set.yml || continue; \
	  echo; echo "=== tests/triage/$$set.yml ==="; \
	  $(PY) -m bench.triage_eval --data tests/triage/$$set.yml --model $(TRIAGE_DIR) || exit 1; \
	done

# How the after-sales forms read buyers' short answers (bot/aftersales/answers.py), on the
# held-out answer sets: accuracy per question and every miss. Prints numbers only.
bench-answers: $(VENV)/.installed
	@for set in heldout_answers heldout_answers_v2; do \
	  echo; echo "=== tests/aftersales/$$set.yml ==="; \
	  $(PY) -m bench.answers_eval --data tests/aftersales/$$set.yml || exit 1; \
	done

# Multi-turn buyer conversations through the API against the real model: the share of buyer
# turns that meet their expectations, per kind of dialogue and per kind of miss, for the first
# set (tests/dialogues/, its misses were read: spent) and the held-out sets tests/dialogues_v2/
# (totals read around changes) and tests/dialogues_v3/ (session 8, never used to choose).
# `make bench-dialogue DIALOGUE_ARGS=--misses` also prints every missed turn: never on a
# held-out set unless it is to be retired.
DIALOGUE_ARGS ?=
bench-dialogue: setup train
	$(PY) -m bench.dialogues --dir tests/dialogues $(DIALOGUE_ARGS)
	$(PY) -m bench.dialogues --dir tests/dialogues_v2
	$(PY) -m bench.dialogues --dir tests/dialogues_v3

clean:
	rm -rf var models node_modules .pytest_cache .mypy_cache .ruff_cache
