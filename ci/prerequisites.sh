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
  # util-linux: flock serialises concurrent builds in ./det, setsid starts tasks in their own process group.
  # python3-numpy: the harness tests read checkpoints back with an independent Python reader.
  # python3-protobuf: they read TensorBoard event files back with protobuf's own parser.
  # bubblewrap: the agent runs a task in bwrap when it bind-mounts a host path at another path (a notebook's /determined_shared_fs).
  ensure_debian_packages util-linux python3-numpy python3-protobuf bubblewrap || return 1
  ensure_webui_prerequisites || return 1
  ensure_notebook_prerequisites || return 1
  ensure_postgres
}

# Notebook tasks run Debian's Jupyter (notebook 6.4 with the Python kernel; jupyter-client for kernel specs), and the C#
# kernel: .NET Interactive, installed into the cache outside the clone (build/csharp-kernel.sh, a no-op when it is there).
ensure_notebook_prerequisites() {
  ensure_debian_packages jupyter-notebook python3-ipykernel jupyter-client || return 1
  "$(dirname "${BASH_SOURCE[0]}")/../build/csharp-kernel.sh" >/dev/null
}

# The web UI is built with Node.js and npm (the master's build runs them) and tested in Debian's Chromium.
# A machine that already has node and npm keeps them; otherwise Debian's are installed.
ensure_webui_prerequisites() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    ensure_debian_packages nodejs npm || return 1
  fi
  ensure_debian_packages chromium
}

# PostgreSQL 15 for the master's integration tests: started without systemd, with a role and database for tests.
# Exports DET_TEST_POSTGRES (an Npgsql connection string); without root the PostgreSQL tests skip and say why.
ensure_postgres() {
  if [ -n "${DET_TEST_POSTGRES:-}" ]; then
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "not root: PostgreSQL is not set up and the PostgreSQL tests will skip (set DET_TEST_POSTGRES to run them)" >&2
    return 0
  fi
  ensure_debian_packages postgresql || return 1
  local version
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  if ! pg_lsclusters -h | awk '{print $2}' | grep -qx main; then
    pg_createcluster "$version" main >/dev/null
  fi
  if ! pg_lsclusters -h | awk '$2 == "main" {print $4}' | grep -qx online; then
    pg_ctlcluster "$version" main start
  fi
  local port
  port=$(pg_lsclusters -h | awk '$2 == "main" {print $3}')
  runuser -u postgres -- psql -p "$port" -qtAc "SELECT 1 FROM pg_roles WHERE rolname = 'det_test'" | grep -q 1 ||
    runuser -u postgres -- psql -p "$port" -qc "CREATE ROLE det_test LOGIN CREATEDB PASSWORD 'det_test'"
  runuser -u postgres -- psql -p "$port" -qtAc "SELECT 1 FROM pg_database WHERE datname = 'det_test'" | grep -q 1 ||
    runuser -u postgres -- createdb -p "$port" -O det_test det_test
  export DET_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=det_test;Password=det_test;Database=det_test"
}
