# The two commands a new user needs: `make run` and `make test`. Both install missing Debian
# packages first. SANITIZE=1 builds and tests with AddressSanitizer + UBSan in build-asan/.
JOBS ?= 2
SANITIZE ?= 0
ifeq ($(SANITIZE),1)
BUILD ?= build-asan
CMAKE_FLAGS = -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMEKONG_SANITIZE=ON
else
BUILD ?= build
CMAKE_FLAGS = -DCMAKE_BUILD_TYPE=Release
endif
MEKONG = $(BUILD)/apps/mekong/mekong

.PHONY: all deps test-deps web build run test test-web clean
all: build

deps:
	@scripts/install-deps.sh

# Independent verifiers the tests run (npm), installed once.
test-deps:
	@[ -d tests/interop/node_modules/@pathcheck/dcc-sdk ] || \
	  (cd tests/interop && npm install --no-audit --no-fund --loglevel=error)

# The web application's build (web/dist), which the binary serves at /.
web: deps
	@scripts/build-web.sh

build: deps web
	@cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

# Serves on http://127.0.0.1:8080 over ./data/mekong.db, loading the demo region when empty.
run: build
	@$(MEKONG) serve --demo $(ARGS)

test: build test-deps
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

# Only the Playwright specs in Chromium (make test runs them too).
test-web: build
	@cd $(BUILD) && ctest --output-on-failure -L browser

clean:
	rm -rf build build-asan
