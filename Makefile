# f8c — the two quick-start commands are `make demo` and `make test`.
SHELL := /bin/bash
NODE_DEPS := node_modules/.package-lock.json

.PHONY: demo test build deps clean

$(NODE_DEPS): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $(NODE_DEPS)

deps: $(NODE_DEPS)

build: deps
	npm run --silent build

# The main job on a bundled example model.
demo: build
	bash scripts/demo.sh

# The whole test suite; ends with the line "N passed, N failed".
test: build
	bash scripts/test.sh

clean:
	rm -rf dist out build
