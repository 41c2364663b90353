#!/usr/bin/env bash
# det-build.sh PROJECT OUTDIR [--ready-to-run | --publish]: builds PROJECT (a .csproj, relative to the repository root or
# absolute) in Release into OUTDIR when OUTDIR has no build yet or any source, project or build-rule file is newer than its
# last build. --ready-to-run publishes it precompiled for linux-x64 (ReadyToRun) instead, for a short-lived process such as
# the CLI that would otherwise spend much of its run in the JIT; --publish publishes it for linux-x64 without
# precompiling, every dependency and native library flat in OUTDIR (the SDK that notebooks reference). Their intermediate
# files go to OUTDIR-artifacts, apart from the tree's obj/ folders, so that the runtime-specific restore never disturbs
# the other builds.
# Used by ./det (the CLI) and by `det deploy local cluster-up` (master, agent, harness, SDK). Concurrent calls for the same
# OUTDIR wait for each other (flock). Exit codes: 0 built or up to date, 69 no dotnet, 70 the build failed (log printed).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
project="$1"
out="$2"
mode="${3:-}"
case "$project" in /*) ;; *) project="$root/$project" ;; esac
case "$out" in /*) ;; *) out="$root/$out" ;; esac
name="$(basename "$out")"
stamp="$out/.det-build-stamp"
log="$(dirname "$out")/$name-build.log"

needs_build() {
  [ -f "$stamp" ] || return 0
  # Any source, project or build-rule file newer than the last build means a rebuild.
  [ -n "$(find "$root/src" "$root/build" "$root/Directory.Build.props" "$root/Directory.Build.targets" \
      "$root/Directory.Packages.props" "$root/global.json" "$root/webui/src" "$root/webui/index.html" \
      "$root/webui/package.json" "$root/webui/package-lock.json" "$root/webui/vite.config.ts" \
      \( -name bin -o -name obj -o -name node_modules \) -prune -o \
      -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' -o -name '*.json' \
      -o -name '*.ts' -o -name '*.tsx' -o -name '*.css' -o -name '*.html' \) \
      -newer "$stamp" -print -quit 2>/dev/null)" ]
}

needs_build || exit 0
mkdir -p "$(dirname "$out")"
# Two builds of the same output at once (scripts, tests) must not build over each other.
exec 9>"$(dirname "$out")/$name.lock"
flock 9
needs_build || exit 0
if ! command -v dotnet >/dev/null 2>&1; then
  echo "det: the .NET SDK 10 is needed to build $(basename "$project") (https://dot.net); 'dotnet' is not on PATH" >&2
  exit 69
fi
echo "det: building $(basename "$project" .csproj) (Release) into ${out#"$root"/}..." >&2
# The stamp is taken before the build, so a source edited during the build triggers the next one.
mkdir -p "$out"
touch "$stamp.new"
if [ "$mode" = "--ready-to-run" ]; then
  build=(dotnet publish "$project" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true
    --artifacts-path "$out-artifacts")
elif [ "$mode" = "--publish" ]; then
  build=(dotnet publish "$project" -c Release -r linux-x64 --self-contained false --artifacts-path "$out-artifacts")
else
  build=(dotnet build "$project" -c Release)
fi
if ! "${build[@]}" -o "$out" -nologo -v quiet -p:UseAppHost=false >"$log" 2>&1; then
  rm -f "$stamp.new"
  cat "$log" >&2
  echo "det: $(basename "$project") failed to build (log: $log)" >&2
  exit 70
fi
mv "$stamp.new" "$stamp"
