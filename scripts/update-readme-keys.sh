#!/usr/bin/env bash
# Rewrites the key table in README.md (between the key-table markers) from the keymap.
set -euo pipefail
cd "$(dirname "$0")/.."
table=$(cargo test --quiet --test readme 2>&1 | sed -n '/replace it with:/,/stack backtrace\|^note:/{/^|/p}' || true)
if [[ -z $table ]]; then echo "README.md's key table is already current"; exit 0; fi
python3 - "$table" <<'PY'
import re, sys
table = sys.argv[1].strip()
s = open("README.md").read()
s = re.sub(r"(<!-- keys:start -->\n).*?(<!-- keys:end -->)", lambda m: m.group(1) + table + "\n" + m.group(2), s, flags=re.S)
open("README.md", "w").write(s)
PY
echo "README.md's key table updated"
