#!/usr/bin/env bash
# The test command the README gives: every test project of the solution.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build Kubes.sln -c Release --nologo -v quiet
dotnet test Kubes.sln -c Release --no-build --nologo -v quiet "$@"
