#!/usr/bin/env bash
# Install the system programs the tests drive: OBS Studio headless under Xvfb,
# ffprobe to measure recordings and the DejaVu font used by the on-screen
# annotations (the recorder tests), then Node and the real Mermaid parser that
# checks the story diagrams (tests/test_mermaid_diagrams.py). Idempotent:
# packages already present are not touched, apt is only consulted when something
# is missing, and npm only runs when .ci/node/node_modules lacks Mermaid.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(obs-studio xvfb xauth ffmpeg fonts-dejavu-core redis-server)
NODE_DIR=.ci/node

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    SUDO=(sudo)
fi

apt_install() {
    echo "installing: $*"
    "${SUDO[@]}" apt-get update -q
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
}

install_system_packages() {
    local missing=() package
    for package in "${PACKAGES[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$package")
        fi
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        echo "system packages present: ${PACKAGES[*]}"
    else
        apt_install "${missing[@]}"
    fi
}

# Node from apt only when there is none: a Node that came with its own npm
# (NodeSource) conflicts with Debian's npm package.
install_node() {
    local missing=()
    command -v node >/dev/null 2>&1 || missing+=(nodejs)
    command -v npm >/dev/null 2>&1 || missing+=(npm)
    if [ "${#missing[@]}" -eq 0 ]; then
        echo "node present: $(node --version), npm $(npm --version)"
    else
        apt_install "${missing[@]}"
    fi
}

# The versions pinned in .ci/node/package-lock.json, so every run checks with the same parser.
install_mermaid_parser() {
    if [ -d "$NODE_DIR/node_modules/mermaid" ] && [ -d "$NODE_DIR/node_modules/jsdom" ]; then
        echo "mermaid parser present: $NODE_DIR/node_modules"
        return
    fi
    npm ci --prefix "$NODE_DIR" --no-audit --no-fund
}

install_system_packages
install_node
install_mermaid_parser
