# Cartonum — build, data, import, serve, test.
#
#   make run    get the region's data, import it into SQLite, serve http://localhost:8080
#   make test   vet, dependency rule, all tests with the race detector
#
# Variables (override on the command line: make run REGION=11):
# REGION is one region code (32), a list (REGION=28,32) or all: one
# database holds every region of the list.
REGION      ?= 32
DATA_MIRROR ?= ../shared/data
ADDR        ?= :8080
GO          ?= go
# The binary that data, import and run use (make build writes it; give
# another one with BIN=… and make -o build).
BIN         ?= ./bin/cartonum

comma := ,
empty :=
space := $(empty) $(empty)
REGIONS := $(subst $(comma),$(space),$(REGION))
# Files named after a list drop its commas: data/cartonum-28-32.db.
REGION_ARG  := $(subst $(space),,$(strip $(REGION)))
REGION_NAME := $(subst $(comma),-,$(REGION_ARG))
DB          ?= data/cartonum-$(REGION_NAME).db

# Each region's files come from the mirror when it has them, otherwise from
# the official sources (make data downloads them into data/cache/REGION; for
# all, the national files into data/cache/all). DATA_MIRROR may list several
# directories: a region's files come from the first that has them.
# A mirror needs only communes-REGION.geojson and lieux-REGION-v1.csv: without
# epci-REGION.json or departements-REGION.geojson, the import derives the EPCI
# and départements from the communes (codeEpci, codeDepartement).
mirror_dir = $(firstword $(foreach d,$(DATA_MIRROR),$(if $(wildcard $(d)/communes-$(1).geojson),$(d))))
region_dir = $(or $(call mirror_dir,$(1)),data/cache/$(1))
MIRROR_REGIONS := $(foreach r,$(REGIONS),$(if $(call mirror_dir,$(r)),$(r)))
CACHE_REGIONS  := $(filter-out $(MIRROR_REGIONS),$(REGIONS))
# Places of the neighbouring regions serve residents near the border: the
# import keeps the national file's places within MARGIN_KM of the regions as
# neighbouring supply (and rejects the others). A downloaded region's places
# file is the national file itself; otherwise the mirror's
# lieux-france-v1.csv, when it has one, comes with the regions' files.
NATIONAL   := $(firstword $(foreach d,$(DATA_MIRROR),$(wildcard $(d)/lieux-france-v1.csv)))
NEIGHBOURS ?= $(if $(CACHE_REGIONS),,$(NATIONAL))
PLACES     ?= $(foreach r,$(MIRROR_REGIONS),$(wildcard $(call mirror_dir,$(r))/lieux-$(r)-v1.csv)) \
	$(foreach r,$(firstword $(CACHE_REGIONS)),data/cache/$(r)/lieux-$(r)-v1.csv) $(NEIGHBOURS)
MARGIN_KM ?= 30

# The territory files of the import, tested when the recipe runs (after a
# download): one --communes per region, its EPCI and départements files only
# when they exist (the import derives the others from the communes).
TERRITORY_FILES = $(foreach r,$(REGIONS),--communes $(call region_dir,$(r))/communes-$(r).geojson \
	$$(f=$(call region_dir,$(r))/epci-$(r).json; [ -f "$$f" ] && echo --epci "$$f") \
	$$(f=$(call region_dir,$(r))/departements-$(r).geojson; [ -f "$$f" ] && echo --departements "$$f"))

# The names of France's EPCI and départements, generated from the npm package
# @etalab/decoupage-administratif and embedded in the binary, for territories
# derived from the communes.
NAMES := internal/territory/names/territoires.json

export CARTONUM_DATA_MIRROR := $(abspath $(firstword $(DATA_MIRROR)))

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
	$(if $(MIRROR_REGIONS),@echo "data: using the mirror for region(s) $(strip $(MIRROR_REGIONS))")
	@set -e; for r in $(strip $(CACHE_REGIONS)); do \
		echo "data: $(DATA_MIRROR) has no files for region $$r: downloading from the official sources"; \
		$(BIN) download --region $$r --dest data/cache/$$r; \
	done

import: data
	@mkdir -p $(dir $(DB))
	$(BIN) import --db $(DB) --region $(REGION_ARG) $(TERRITORY_FILES) \
		--margin-km $(MARGIN_KM) --report $(basename $(DB))-import.json \
		$(PLACES)

run: import
	$(BIN) serve --db $(DB) --addr $(ADDR)

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
E2E_DB := data/e2e-$(REGION_NAME).db
SYNTHETIC_DIR := cmd/cartonum/testdata/region-28
SYNTHETIC_DB  := data/e2e-synthetic-28.db
e2e: build data
	@command -v chromium >/dev/null 2>&1 || { echo "e2e: Debian's chromium is needed (apt-get install chromium)"; exit 1; }
	rm -f $(E2E_DB) $(E2E_DB)-wal $(E2E_DB)-shm
	$(BIN) import --db $(E2E_DB) --region $(REGION_ARG) $(TERRITORY_FILES) \
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
