#!/bin/sh
# Fails, naming the files, when a C++ file in the tree differs from .clang-format's layout.
# `scripts/check-format.sh --fix` rewrites them in place.
set -eu
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "check-format: clang-format is not installed (apt-get install clang-format)" >&2; exit 2; }
files=$(git ls-files '*.cc' '*.h' 2>/dev/null || find src apps bench fuzz tests -name '*.cc' -o -name '*.h')
if [ "${1:-}" = "--fix" ]; then
  echo "$files" | xargs clang-format -i
  exit 0
fi
bad=""
for f in $files; do
  clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad="$bad $f"
done
if [ -n "$bad" ]; then
  echo "check-format: these files differ from .clang-format (run scripts/check-format.sh --fix):" >&2
  for f in $bad; do echo "  $f" >&2; done
  exit 1
fi
echo "check-format: $(echo "$files" | wc -l) files match .clang-format"
