#!/usr/bin/env bash
# csharp-kernel.sh: installs the C# Jupyter kernel (.NET Interactive, the Microsoft.dotnet-interactive dotnet tool) into
# the Determinant cache outside the clone and writes its kernel spec; prints the Jupyter data directory that holds the
# spec (the agent's --jupyter-path, which tasks get as JUPYTER_PATH).
#   <cache>/dotnet-interactive/<version>/tool/                          the tool (dotnet tool install --tool-path)
#   <cache>/dotnet-interactive/<version>/jupyter/kernels/.net-csharp/   kernel.json and logos
# <cache> is $DET_CACHE_DIR, else $XDG_CACHE_HOME/determinant, else ~/.cache/determinant. Idempotent: a complete install of
# this version is left alone (about 20 ms); concurrent calls wait for each other (flock). Files are world-readable.
# Used by ci/prerequisites.sh and by `det deploy local cluster-up`. Exit codes: 0 installed, 69 no dotnet, 70 it failed.
set -euo pipefail

version="1.0.712001"
cache="${DET_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/determinant}"
home="$cache/dotnet-interactive/$version"
data="$home/jupyter"
stamp="$home/.complete"

[ -f "$stamp" ] && { echo "$data"; exit 0; }
if ! command -v dotnet >/dev/null 2>&1; then
  echo "csharp-kernel: the .NET SDK is needed to install .NET Interactive; 'dotnet' is not on PATH" >&2
  exit 69
fi
mkdir -p "$cache/dotnet-interactive"
exec 9>"$cache/dotnet-interactive/.lock"
flock 9
[ -f "$stamp" ] && { echo "$data"; exit 0; }

umask 022
rm -rf "$home"
mkdir -p "$home"
log="$home/install.log"
echo "csharp-kernel: installing Microsoft.dotnet-interactive $version into $home..." >&2
# From a directory of its own, so that no nuget.config or global.json of the caller's tree applies.
if ! (cd "$home" && dotnet tool install Microsoft.dotnet-interactive --version "$version" --tool-path "$home/tool") >"$log" 2>&1; then
  cat "$log" >&2
  echo "csharp-kernel: dotnet tool install failed (log: $log)" >&2
  exit 70
fi
app=$(find "$home/tool/.store" -path "*/tools/net*/any/Microsoft.DotNet.Interactive.App.dll" -print -quit)
if [ -z "$app" ]; then
  echo "csharp-kernel: Microsoft.DotNet.Interactive.App.dll is not in $home/tool/.store" >&2
  exit 70
fi

# Its own `jupyter install --path` writes the specs with logos; their argv runs `dotnet interactive`, which resolves only
# for a global install, so the C# spec is rewritten: the tool's absolute path, local HTTP only (it otherwise listens on
# every interface, from port 2048) and no telemetry (it would send usage data off the machine).
generated="$home/generated"
mkdir -p "$generated" "$data/kernels"
if ! DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT=1 dotnet "$app" jupyter install --path "$generated" >>"$log" 2>&1 \
    || [ ! -f "$generated/.net-csharp/kernel.json" ]; then
  cat "$log" >&2
  echo "csharp-kernel: dotnet-interactive jupyter install wrote no C# kernel spec (log: $log)" >&2
  exit 70
fi
mv "$generated/.net-csharp" "$data/kernels/.net-csharp"
rm -rf "$generated"
json_app=${app//\\/\\\\}
json_app=${json_app//\"/\\\"}
cat >"$data/kernels/.net-csharp/kernel.json" <<EOF
{
  "argv": [
    "dotnet", "$json_app", "jupyter", "--default-kernel", "csharp", "{connection_file}",
    "--http-local-only", "--http-port-range", "2048-3000"
  ],
  "display_name": ".NET (C#)",
  "language": "C#",
  "env": {
    "DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT": "1",
    "DOTNET_CLI_TELEMETRY_OPTOUT": "1"
  }
}
EOF
chmod -R a+rX "$home"
echo "$version" >"$stamp"
echo "$data"
