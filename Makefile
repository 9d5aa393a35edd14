# Cartonum — build, data, import, serve, test.
#
#   make run    get the region's data, import it into SQLite, serve http://localhost:8080
#   make test   vet, dependency rule, all tests with the race detector
#
# Variables (override on the command line: make run REGION=11):
REGION      ?= 32
DATA_MIRROR ?= ../shared/data
DB          ?= data/cartonum-$(REGION).db
ADDR        ?= :8080
GO          ?= go

# The region's files come from the mirror when it has them, otherwise from
# the official sources (make data downloads them into data/cache/REGION).
# A mirror needs only communes-REGION.geojson and lieux-REGION-v1.csv: without
# epci-REGION.json or departements-REGION.geojson, the import derives the EPCI
# and départements from the communes (codeEpci, codeDepartement).
MIRROR_OK := $(wildcard $(DATA_MIRROR)/communes-$(REGION).geojson)
DATA_DIR  := $(if $(MIRROR_OK),$(DATA_MIRROR),data/cache/$(REGION))
# Places of the neighbouring regions serve residents near the border: when
# the data holds the national file, the import keeps its places within
# MARGIN_KM of the region as neighbouring supply (and rejects the others).
NEIGHBOURS ?= $(wildcard $(DATA_DIR)/lieux-france-v1.csv)
PLACES    ?= $(DATA_DIR)/lieux-$(REGION)-v1.csv $(NEIGHBOURS)
MARGIN_KM ?= 30

# The territory files of the import, tested when the recipe runs (after a
# download): the EPCI and départements files only when they exist.
TERRITORY_FILES = --communes $(DATA_DIR)/communes-$(REGION).geojson \
	$$(f=$(DATA_DIR)/epci-$(REGION).json; [ -f "$$f" ] && echo --epci "$$f") \
	$$(f=$(DATA_DIR)/departements-$(REGION).geojson; [ -f "$$f" ] && echo --departements "$$f")

# The names of France's EPCI and départements, generated from the npm package
# @etalab/decoupage-administratif and embedded in the binary, for territories
# derived from the communes.
NAMES := internal/territory/names/territoires.json

export CARTONUM_DATA_MIRROR := $(abspath $(DATA_MIRROR))

.PHONY: all build web data import run setup test e2e bench vet lint check-deps clean

STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2

all: build

build: web $(NAMES)
	$(GO) build -o bin/cartonum ./cmd/cartonum

$(NAMES): web/node_modules/.package-lock.json web/scripts/territory-names.mjs
	node web/scripts/territory-names.mjs $@

# The front end (TypeScript, MapLibre, DSFR) built into web/dist, which the
# binary embeds.
web: web/node_modules/.package-lock.json
	cd web && npm run build

data: build
ifeq ($(MIRROR_OK),)
	@echo "data: $(DATA_MIRROR) has no files for region $(REGION): downloading from the official sources"
	./bin/cartonum download --region $(REGION) --dest $(DATA_DIR)
else
	@echo "data: using the mirror $(DATA_MIRROR) for region $(REGION)"
endif

import: data
	@mkdir -p $(dir $(DB))
	./bin/cartonum import --db $(DB) --region $(REGION) $(TERRITORY_FILES) \
		--margin-km $(MARGIN_KM) --report $(basename $(DB))-import.json \
		$(PLACES)

run: import
	./bin/cartonum serve --db $(DB) --addr $(ADDR)

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }

lint:
	$(GO) run $(STATICCHECK) ./...

# tiles/ and analysis/ are pure libraries: no HTTP, SQL, chi, sqlite or internal/.
check-deps:
	@bad=$$(for p in tiles analysis; do [ -d $$p ] && $(GO) list -deps ./$$p/... ; done 2>/dev/null | \
		grep -E '^(net/http|database/sql|github.com/go-chi/chi/v5|github.com/mattn/go-sqlite3)$$|^github.com/cartonum/cartonum/internal/' ); \
	if [ -n "$$bad" ]; then echo "dependency rule broken: $$bad"; exit 1; else echo "check-deps: ok"; fi

# npm packages of web/ (the front end, and the independent MVT decoder the
# tile tests run in Node).
web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund

# The system packages the tests need (gcc for cgo, Node.js and npm, Debian's
# chromium, curl): .ci/setup installs the missing ones with apt-get when it
# can (as root, or with sudo without a password), else prints the command
# and stops. Nothing missing: nothing done.
setup:
	@.ci/setup

# Everything: the set-up above, static checks, front-end unit tests, Go tests
# with the race detector (against the built front end, which the binary
# embeds), then the end-to-end tests in Chromium against a real server.
test: setup vet lint check-deps web/node_modules/.package-lock.json $(NAMES) web
	cd web && npm test
	$(GO) test -race -count=1 ./...
	$(MAKE) e2e

# End-to-end tests of the web app: a fresh database imported from the data,
# `cartonum serve` on a free loopback port, Debian's chromium driven by
# playwright-core (never a downloaded browser). Then the same for a
# synthetic region given as a user gets it, communes and places only
# (cmd/cartonum/testdata/region-28), imported by `make import` itself.
E2E_DB := data/e2e-$(REGION).db
SYNTHETIC_DIR := cmd/cartonum/testdata/region-28
SYNTHETIC_DB  := data/e2e-synthetic-28.db
e2e: build data
	@command -v chromium >/dev/null 2>&1 || { echo "e2e: Debian's chromium is needed (apt-get install chromium)"; exit 1; }
	rm -f $(E2E_DB) $(E2E_DB)-wal $(E2E_DB)-shm
	./bin/cartonum import --db $(E2E_DB) --region $(REGION) $(TERRITORY_FILES) \
		--margin-km $(MARGIN_KM) --report $(basename $(E2E_DB))-import.json \
		$(PLACES) > /dev/null
	web/e2e/run-with-server.sh bin/cartonum $(E2E_DB)
	rm -f $(SYNTHETIC_DB) $(SYNTHETIC_DB)-wal $(SYNTHETIC_DB)-shm
	$(MAKE) --no-print-directory -o build import REGION=28 DATA_MIRROR=$(SYNTHETIC_DIR) \
		DB=$(SYNTHETIC_DB) PLACES=$(SYNTHETIC_DIR)/lieux-28-v1.csv > /dev/null
	web/e2e/run-with-server.sh bin/cartonum $(SYNTHETIC_DB) e2e:synthetic

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf bin data/*.db data/*.db-* data/*-import.json data/cache $(NAMES)
