# The two commands of the README: `make demo` and `make test`. Each installs what a
# fresh machine lacks first (uv, the locked Python packages; Chromium for the tests).
UV := python3 -m uv

.PHONY: setup demo test debian bench

setup:
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	@$(UV) sync --frozen --quiet

debian:  # Chromium for pages that need JavaScript; antiword and catdoc read .doc and .wps attachments
	@command -v chromium >/dev/null && command -v antiword >/dev/null && command -v catdoc >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium antiword catdoc; }

demo: setup
	$(UV) run --frozen govmon demo

test: setup debian
	$(UV) run --frozen pytest -n auto

bench: setup  # not part of the tests: see BENCHMARKS.md
	@command -v nginx >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx; }
	$(UV) run --frozen python bench/run.py --pages 2000 --runs 5 --out bench/results.json

.PHONY: bench-check
bench-check: setup  # `govmon check` on 2k, 10k and 30k-page snapshots (cached in the temp folder): see BENCHMARKS.md
	@command -v nginx >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx; }
	$(UV) run --frozen python bench/check_scale.py --sizes 2000,10000,30000 --runs 3 --out bench/check_scale.json
