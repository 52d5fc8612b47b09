#!/usr/bin/env bash
# The test command the README gives: installs what the tests run against (if missing), builds, and runs every
# test project of the solution. Tests need root (network namespaces, loop devices) as CI has.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
dotnet build Kubes.sln -c Release --nologo -v quiet
# The console logger at 'minimal' shows each failed test with its assertion message and stack trace.
dotnet test Kubes.sln -c Release --no-build --nologo -v quiet --logger "console;verbosity=minimal" "$@"
