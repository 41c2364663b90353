#!/usr/bin/env bash
# What the tests need from the machine, and how a fresh Debian 12 machine gets it.
# Sourced by test.sh; each later capability (PostgreSQL, Chromium, Slurm) adds its check here.

apt_updated=0

# Installs Debian packages that are missing, when we are root; otherwise names them and fails.
ensure_debian_packages() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${missing[*]} (install them: sudo apt-get install ${missing[*]})" >&2
    return 1
  fi
  if [ "$apt_updated" -eq 0 ]; then
    apt-get update -q >/dev/null && apt_updated=1
  fi
  echo "installing ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
}

ensure_prerequisites() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "the .NET SDK 10 is required and 'dotnet' is not on PATH" >&2
    return 1
  fi
  # flock serialises concurrent builds in ./det.
  ensure_debian_packages util-linux
}
