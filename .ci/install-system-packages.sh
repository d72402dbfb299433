#!/usr/bin/env bash
# Install the system programs the recorder tests drive (OBS Studio headless under
# Xvfb, ffprobe to measure recordings, the DejaVu font used by the on-screen
# annotations). Idempotent: packages already present are not touched, and apt is
# only consulted when something is missing.
set -euo pipefail

PACKAGES=(obs-studio xvfb xauth ffmpeg fonts-dejavu-core)

missing=()
for package in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    echo "system packages present: ${PACKAGES[*]}"
    exit 0
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    SUDO=(sudo)
fi

echo "installing: ${missing[*]}"
"${SUDO[@]}" apt-get update -q
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
