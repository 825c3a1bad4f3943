#!/usr/bin/env bash
# Installs what building Crible needs beyond the Swift toolchain: OpenBLAS (Debian's
# libopenblas-dev) and pkg-config. Does nothing when they are already there.
set -euo pipefail
if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists openblas; then
  exit 0
fi
echo "Installing OpenBLAS (libopenblas-dev) and pkg-config with apt-get..." >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libopenblas-dev pkg-config >&2
