# Kubernetes Telemetry API: `make run` starts the product on an embedded store, `make test` runs every test.
# Everything a fresh machine lacks (JDK 25 lookup, Maven via the wrapper, libchdb.so) is found or fetched here.

SHELL := /bin/bash
.DEFAULT_GOAL := help

CHDB_VERSION := 26.5.3
CHDB_SHA256  := 4330da79405733f7572f27c1442f46c03a08301f00859dce0368645731b1e1dc
CACHE_DIR    ?= $(HOME)/.cache/kube-telemetry
CHDB_DIR     := $(CACHE_DIR)/chdb/$(CHDB_VERSION)
CHDB_LIB     := $(CHDB_DIR)/libchdb.so

# JDK 25: JAVA_HOME when it is a 25, else Temurin 25 under /usr/lib/jvm.
JAVA_HOME := $(shell \
  if [ -n "$$JAVA_HOME" ] && "$$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "25'; then echo "$$JAVA_HOME"; \
  else ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -n 1; fi)
export JAVA_HOME
export CHDB_LIB
JVM_FLAGS  := --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED
export MAVEN_OPTS := --sun-misc-unsafe-memory-access=allow
MVN        := ./mvnw -B -ntp
SERVER_JAR := server/target/server-0.1.0-SNAPSHOT-all.jar
BENCH_JAR  := bench/target/bench.jar
# `make bench BENCH_CLIENTS=64 BENCH_SPAN_REQUESTS=3000` varies the load.
BENCH_CLIENTS       ?= 32
BENCH_SPAN_REQUESTS ?= 1000
BENCH_READ_OPTS     ?=

.PHONY: help run test bench clean jdk chdb build redis npm web web-test chromium e2e

WEB_DIR     := web-ui
WEB_DEPS    := $(WEB_DIR)/node_modules/.installed
CHROMIUM    := /usr/bin/chromium

help:
	@echo "make run    build and start the server with demo data (gRPC/gRPC-Web/JSON on :8080, OTLP on :4317/:4318)"
	@echo "make test   run every test"
	@echo "make bench  run the ingest, read API and query cache benchmarks and print their figures"
	@echo "make clean  remove build output (also web-ui/dist) and the local ./data store"
	@echo "make web    build the web UI (web-ui/dist; the server jar packages it and serves it at /)"
	@echo "make e2e    end-to-end web UI tests: real server with demo data, Debian chromium"

jdk:
	@if [ -z "$(JAVA_HOME)" ] || [ ! -x "$(JAVA_HOME)/bin/java" ]; then \
	  echo "JDK 25 not found. Install Temurin 25 (apt package temurin-25-jdk) or set JAVA_HOME to a JDK 25." >&2; exit 1; fi

# libchdb.so comes from the npm package, is checked by hash and is kept outside the repository.
chdb: $(CHDB_LIB)
$(CHDB_LIB):
	@command -v npm >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq npm; } || \
	  { echo "npm is needed to fetch libchdb: run 'apt-get install npm' as root." >&2; exit 1; }
	@mkdir -p "$(CHDB_DIR)"
	@tmp=$$(mktemp -d) && cd "$$tmp" && \
	  echo "fetching @chdb/lib-linux-x64-gnu@$(CHDB_VERSION) ..." && \
	  npm pack --silent "@chdb/lib-linux-x64-gnu@$(CHDB_VERSION)" >/dev/null && \
	  tar xzf chdb-lib-linux-x64-gnu-$(CHDB_VERSION).tgz package/libchdb.so && \
	  echo "$(CHDB_SHA256)  package/libchdb.so" | sha256sum -c --quiet - && \
	  mv package/libchdb.so "$(CHDB_LIB).part" && mv "$(CHDB_LIB).part" "$(CHDB_LIB)" && \
	  cd / && rm -rf "$$tmp"
	@test -f "$(CHDB_LIB)"

# redis-server (Debian package) for the cache tests, which start their own on a free port. `make run` needs no
# Redis; set TELEMETRY_REDIS_URL=redis://host:6379 to share the query cache between replicas.
redis:
	@command -v redis-server >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; \
	  else echo "redis-server is needed by the tests: run 'sudo apt-get install redis-server'." >&2; exit 1; fi; }
	@command -v redis-server >/dev/null

# npm comes from Debian when missing (as for libchdb); `npm ci` runs again only when the lock file changes.
npm:
	@command -v npm >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq npm; } || \
	  { echo "npm is needed for the web UI: run 'apt-get install npm' as root." >&2; exit 1; }

$(WEB_DEPS): $(WEB_DIR)/package.json $(WEB_DIR)/package-lock.json | npm
	cd $(WEB_DIR) && npm ci --no-audit --no-fund
	@touch $@

# The production build (generated clients, type check, bundle, .gz copies); fails when JS is over its budget.
web: $(WEB_DEPS)
	cd $(WEB_DIR) && npm run build

web-test: $(WEB_DEPS)
	cd $(WEB_DIR) && npm test

# Debian's chromium drives the end-to-end tests (playwright-core brings no browser).
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "$(CHROMIUM) is missing: run 'apt-get install chromium' as root (needed by make e2e)." >&2; exit 1; fi; fi

# Starts the built jar with --demo on a free port (it needs `make build` or `make test`'s package step first).
e2e: web chromium
	cd $(WEB_DIR) && npm run e2e

build: jdk chdb web
	$(MVN) -q -DskipTests package

test: jdk chdb redis web chromium
	$(MVN) verify
	cd $(WEB_DIR) && npm test
	cd $(WEB_DIR) && npm run e2e

run: build
	"$(JAVA_HOME)/bin/java" $(JVM_FLAGS) -jar $(SERVER_JAR) --demo

bench: build
	"$(JAVA_HOME)/bin/java" $(JVM_FLAGS) -Xmx2g -Dbench.clients=$(BENCH_CLIENTS) -jar $(BENCH_JAR) $(BENCH_SPAN_REQUESTS)
	"$(JAVA_HOME)/bin/java" $(JVM_FLAGS) -Xmx2g $(BENCH_READ_OPTS) -cp $(BENCH_JAR) com.kubetelemetry.bench.ReadBenchmark
	"$(JAVA_HOME)/bin/java" $(JVM_FLAGS) -Xmx2g -cp $(BENCH_JAR) com.kubetelemetry.bench.ResourcesBenchmark
	"$(JAVA_HOME)/bin/java" $(JVM_FLAGS) -Xmx2g -cp $(BENCH_JAR) com.kubetelemetry.bench.CacheBenchmark

clean:
	-$(MVN) -q clean
	rm -rf data $(WEB_DIR)/dist
