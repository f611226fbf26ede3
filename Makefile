# The front door. `make run` and `make test` are all a newcomer needs.
SHELL := /bin/bash
.DEFAULT_GOAL := build

# Find a JDK >= 25: JAVA_HOME first, then /usr/lib/jvm/*.
JAVA_HOME := $(shell bin/find-jdk 2>/dev/null)
ifeq ($(JAVA_HOME),)
$(error No JDK >= 25 found. Install one (e.g. `apt-get install temurin-25-jdk`, or unpack a JDK 25 and set JAVA_HOME) and try again)
endif
export JAVA_HOME
export PATH := $(JAVA_HOME)/bin:$(PATH)

# Maven: the installed one, else the wrapper (downloads Maven from Maven Central).
MVN ?= $(shell command -v mvn >/dev/null 2>&1 && echo mvn || echo ./mvnw)
MVN_FLAGS ?= -B -q -ntp
export MAVEN_OPTS ?= --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED
JAVA_FLAGS := @etc/jvm.flags

ENGINE_JAR := engine/target/sv2-engine.jar
BENCH_JAR := bench/target/benchmarks.jar
# `make bench BENCH=CodecBench` runs one benchmark class; the default runs them all (about 20 minutes).
BENCH ?= org.bitcoincommons.sv2.bench
JMH_ARGS ?= -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc
LOAD_ARGS ?= --connections 100 --seconds 15 --warmup 5 --json

# The soak with faults (README "Soak"): SOAK_MINUTES of load, churn, hostile and slow clients, flapping upstreams and
# SOAK_ARGS (20 kill -9 restarts by default); the JSON goes to jmh-results/, exit code 3 when a correctness check fails.
SOAK_MINUTES ?= 60
SOAK_ARGS ?=

# `make stress STRESS_MODE=default` for the long run; quick takes about a minute a test here.
STRESS_MODE ?= quick

.PHONY: build native test run bench bench-load stress fuzz soak clean help

help:
	@echo "make build       compile the native kernel and the engine, package bin/sv2's jars"
	@echo "make test        build and run every test"
	@echo "make run         start the pool on the embedded chain with a built-in miner (PORT=, API_PORT=)"
	@echo "make bench       run the JMH benchmarks, JSON into jmh-results/"
	@echo "make bench-load  run the end-to-end load generator against a pool"
	@echo "make stress      run the jcstress tests of the lock-free parts, results into jmh-results/"
	@echo "make fuzz        fuzz every decoder with Jazzer (FUZZ_RUNS=10000000 per target, or FUZZ_SECONDS=N each)"
	@echo "make soak        a pool under load with faults and kill -9 restarts (SOAK_MINUTES=60), JSON into jmh-results/"
	@echo "make native      compile the native hashing kernel only"
	@echo "make clean       remove build output"

native:
	@if [ -f native/Makefile ]; then $(MAKE) -s -C native; fi

build: native
	$(MVN) $(MVN_FLAGS) -DskipTests package

# Reports of an earlier run are removed first, so that bin/test-summary counts (and checks) only this run's.
# The npm packages of the interop tests (bin/npm-test-deps) are installed first when npm is here; without them the
# SV1 interop test fails, saying to run bin/npm-test-deps.
test: native
	@rm -rf engine/target/surefire-reports bench/target/surefire-reports
	@if command -v npm >/dev/null 2>&1; then bin/npm-test-deps || echo "make test: bin/npm-test-deps failed; the SV1 interop test will fail" >&2; fi
	$(MVN) $(MVN_FLAGS) verify
	@bin/test-summary

# `make run PORT=3334 API_PORT=9101` when the default ports are taken (the demo's --listen and --api).
PORT ?= 34254
API_PORT ?= 9100
run: build
	bin/sv2 demo --listen 127.0.0.1:$(PORT) --api 127.0.0.1:$(API_PORT)

bench: build
	@mkdir -p jmh-results
	$(JAVA_HOME)/bin/java $(JAVA_FLAGS) -jar $(BENCH_JAR) '$(BENCH)' $(JMH_ARGS) -rf json -rff jmh-results/jmh-$(shell date +%Y%m%d-%H%M%S).json

bench-load: build
	bin/sv2 bench load $(LOAD_ARGS)

# jcstress forks JVMs that inherit this one's flags (etc/jvm.flags); its HTML report goes to
# stress/target/run/results and the summary, with the sample counts, to jmh-results/.
stress: build
	@mkdir -p jmh-results stress/target/run
	cd stress/target/run && $(JAVA_HOME)/bin/java @$(CURDIR)/etc/jvm.flags -jar ../jcstress.jar -m $(STRESS_MODE) | tee ../jcstress-output.txt
	@grep -A8 "Results across all configurations" stress/target/jcstress-output.txt > jmh-results/jcstress-$(shell date +%Y%m%d).txt || true

# Coverage-guided fuzzing of every decoder (bin/fuzz): each target until FUZZ_RUNS executions (default 10 M) or
# FUZZ_MAX_SECONDS (default 1800), or for FUZZ_SECONDS each when set; FUZZ_TARGETS='CodecFuzzTest#frame ...' picks.
# Grown corpora are minimized into engine/src/test/resources/.../<Class>Inputs/<method>/, which `make test` replays.
fuzz: native
	bin/fuzz

soak: build
	@mkdir -p jmh-results
	set -o pipefail; bin/sv2 bench soak --minutes $(SOAK_MINUTES) $(SOAK_ARGS) --json | tee jmh-results/soak-$(shell date +%Y%m%d-%H%M%S).json

clean:
	$(MVN) $(MVN_FLAGS) clean
	@if [ -f native/Makefile ]; then $(MAKE) -s -C native clean; fi
