# CCI Support – website of the support plans.
#
#   make serve   live preview at http://127.0.0.1:8000 (installs on first run)
#   make build   strict build into site/ (site/ is only replaced on success)
#   make test    all tests, browser tests included (installs chromium, nginx via apt)
#   make preview build, then serve site/ with its nginx configuration at
#                http://127.0.0.1:8001 (exactly the production headers)
#   make bench   print performance figures (build time, calculators, Lighthouse)
#   make clean   remove the venv, built site and caches
#
# Every target installs what it needs and is idempotent: a second run skips
# whatever is already up to date (stamp files in .venv/ track the installed
# requirements*.txt).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules

VENV      := .venv
VPY       := $(VENV)/bin/python
CHROMIUM  := /usr/bin/chromium
NGINX     := /usr/sbin/nginx
NGINX_BROTLI := /usr/lib/nginx/modules/ngx_http_brotli_static_module.so
PREVIEW_PORT ?= 8001
SITE_DIR  := site
SITE_TMP  := site.tmp
SERVE_ADDR ?= 127.0.0.1:8000
# Extra arguments for pytest, e.g. `make test PYTEST_ARGS="-x -k smoke"`.
PYTEST_ARGS ?=
# Force an interpreter, e.g. `make PYTHON=/usr/bin/python3.12 test`.
PYTHON ?=

STAMP_BUILD := $(VENV)/.stamp-build
STAMP_TEST  := $(VENV)/.stamp-test

# Material 9.8 prints an end-of-life notice on every build without this.
export NO_MKDOCS_2_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help venv venv-test npm browser-wheels chromium nginx serve build publish preview test bench clean

help:
	@sed -n '3,10s/^# \{0,1\}//p' $(firstword $(MAKEFILE_LIST))

# ─── Python ────────────────────────────────────────────────────────────────
# Prints the first interpreter >= 3.12 that can create a venv. Shims that
# fail (pyenv's for versions not selected) are skipped because each
# candidate is actually run.
define FIND_PYTHON
find_python() { \
  local c; \
  for c in $(PYTHON) python3.13 python3.12 python3 \
      $$(ls -d "$${PYENV_ROOT:-$$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python \
               /root/.pyenv/versions/3.1[2-9]*/bin/python 2>/dev/null | sort -rVu); do \
    if "$$c" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 12))' \
        >/dev/null 2>&1; then \
      command -v "$$c"; return 0; \
    fi; \
  done; \
  return 1; \
}
endef

venv: $(STAMP_BUILD)

$(STAMP_BUILD): requirements.txt
	@$(FIND_PYTHON); \
	if [ -x $(VPY) ] && ! $(VPY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	  echo "$(VENV) is broken or too old; recreating it"; rm -rf $(VENV); \
	fi; \
	if [ ! -x $(VPY) ]; then \
	  if ! py=$$(find_python); then \
	    echo >&2 "Python ≥ 3.12 needed; install it (e.g. pyenv install 3.12," \
	      "or apt-get install python3.12-venv where available)," \
	      "or name one: make PYTHON=/path/to/python3.12 $(MAKECMDGOALS)"; \
	    exit 1; \
	  fi; \
	  echo "Creating $(VENV) with $$py ($$("$$py" --version))"; \
	  "$$py" -m venv $(VENV); \
	fi
	$(VPY) -m pip install --quiet -r requirements.txt
	$(VPY) -m pip check
	@touch $@

venv-test: $(STAMP_TEST)

$(STAMP_TEST): $(STAMP_BUILD) requirements-test.txt requirements.txt
	$(VPY) -m pip install --quiet -r requirements-test.txt
	$(VPY) -m pip check
	@touch $@

# ─── Node ──────────────────────────────────────────────────────────────────
# The Pyodide runtime (npm package `pyodide`, exact version in package.json
# and package-lock.json); the build copies its files into site/. For the
# tests: the MDN HTTP Observatory's analyzer (@mdn/mdn-http-observatory).
STAMP_NPM := node_modules/.stamp-npm

npm: $(STAMP_NPM)

# Install scripts are skipped: none is needed, and the MDN HTTP Observatory's
# download lists from the internet. Its HSTS preload list is left empty
# (tests/observatory.mjs scores a local host, which is never preloaded).
OBSERVATORY_PRELOAD := node_modules/@mdn/mdn-http-observatory/conf/hsts-preload.json

$(STAMP_NPM): package.json package-lock.json
	@command -v npm >/dev/null || { echo >&2 "npm is missing: install Node.js ≥ 20 with npm (e.g. apt-get install -y nodejs npm)."; exit 1; }
	npm ci --no-audit --no-fund --ignore-scripts
	@[ -f $(OBSERVATORY_PRELOAD) ] || echo '{}' > $(OBSERVATORY_PRELOAD)
	@touch $@

# Pure wheels from PyPI that the browser loads (tzdata), hash-checked.
BROWSER_WHEELS := .cache/browser-wheels
STAMP_WHEELS   := $(BROWSER_WHEELS)/.stamp

browser-wheels: $(STAMP_WHEELS)

$(STAMP_WHEELS): requirements-browser.txt $(STAMP_BUILD)
	rm -rf $(BROWSER_WHEELS) && mkdir -p $(BROWSER_WHEELS)
	$(VPY) -m pip download --quiet --no-deps --only-binary=:all: --require-hashes \
	  -r requirements-browser.txt -d $(BROWSER_WHEELS)
	@touch $@

# ─── Browser and web server for tests ──────────────────────────────────────
# Debian packages, installed when missing: $(call APT_INSTALL,package,path)
# (path: a file of the package, a program or a module).
define APT_INSTALL
	@if [ -f $(2) ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
	  echo >&2 "$(2) is missing. Install Debian's $(1) as root:" \
	    "sudo apt-get update && sudo apt-get install -y $(1)"; \
	  exit 1; \
	fi; \
	if ! command -v apt-get >/dev/null; then \
	  echo >&2 "$(2) is missing and there is no apt-get: install" \
	    "$(1) so that it is at $(2)."; \
	  exit 1; \
	fi; \
	echo "Installing Debian's $(1) (apt-get)"; \
	apt-get update -qq; \
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null; \
	test -f $(2) || { echo >&2 "apt-get installed $(1), but $(2) is still missing."; exit 1; }
endef

# Debian's chromium; never `playwright install` (it downloads a browser).
chromium:
	$(call APT_INSTALL,chromium,$(CHROMIUM))

# Debian's nginx: the tests and `make preview` run it as a child process on
# a loopback port (macros/local_nginx.py), never as the system service;
# with the module that serves the build's .br files (brotli_static).
nginx:
	$(call APT_INSTALL,nginx,$(NGINX))
	$(call APT_INSTALL,libnginx-mod-http-brotli-static,$(NGINX_BROTLI))

# ─── Site ──────────────────────────────────────────────────────────────────
# Python keeps the bytecode of macros/ and calculator/ (in __pycache__/,
# ignored by git) even where the environment says not to: compiling them
# afresh costs every build 60 ms, a twentieth of it.
MKDOCS := env -u PYTHONDONTWRITEBYTECODE $(VENV)/bin/mkdocs

serve: venv npm browser-wheels
	$(MKDOCS) serve -a $(SERVE_ADDR)

# Build into site.tmp; only a successful build replaces site/, so a failed
# one leaves no half-written site and keeps the previous one. The swap is
# one atomic step (publish), so site/ never goes missing; leftovers of a
# killed build (site.tmp/, site.old/ of older versions) are removed first.
build: venv npm browser-wheels
	rm -rf $(SITE_TMP) $(SITE_DIR).old
	$(MKDOCS) build --strict --clean -f mkdocs.yml -d "$(CURDIR)/$(SITE_TMP)" \
	  || { rm -rf $(SITE_TMP); echo >&2 "Build failed; $(SITE_DIR)/ left unchanged."; exit 1; }
	$(PUBLISH)
	@echo "Built $(SITE_DIR)/"

# Exchange site.tmp/ and site/ atomically, then delete the old site.
PUBLISH = $(VPY) $(dir $(firstword $(MAKEFILE_LIST)))macros/site_swap.py $(SITE_TMP) $(SITE_DIR)
publish:
	$(PUBLISH)

# Serve the built site/ with the nginx configuration the build wrote into
# it (site/_deploy/nginx.conf): what production sends. Ctrl-C stops nginx.
preview: build nginx
	$(VPY) -m macros.local_nginx $(SITE_DIR) $(PREVIEW_PORT)

test: venv-test npm browser-wheels chromium nginx
	$(VPY) -m pytest $(PYTEST_ARGS)

# Benchmark scripts print figures; they are not tests (shared, noisy machines).
# Each serves the built site with its production nginx configuration (brotli).
bench: venv-test npm browser-wheels chromium nginx
	$(VPY) bench/build_time.py
	$(VPY) bench/calculator.py
	$(VPY) bench/lighthouse.py

clean:
	rm -rf $(VENV) $(SITE_DIR) $(SITE_TMP) $(SITE_DIR).old .pytest_cache .hypothesis node_modules .cache
	find . -path ./node_modules -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
