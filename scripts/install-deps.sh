#!/usr/bin/env bash
# install-deps.sh: the Debian packages casebook builds, runs and tests with,
# and the npm packages of web/ (the map's Natural Earth shapes, and
# playwright-core for the browser tests, which drive Debian's chromium).
# Safe to run again; uses sudo when not root.
set -euo pipefail
PKGS=(
	build-essential cmake pkgconf
	libsqlite3-dev libsodium-dev libjansson-dev libxml2-dev libutf8proc-dev
	libpcre2-dev libgeonames-dev libmicrohttpd-dev libcmocka-dev libgsl-dev
	sqlite3 python3 valgrind curl
	chromium chromium-driver wrk
)
# Node.js and npm from Debian, unless the machine already has them (some
# images ship their own Node.js, with which Debian's npm conflicts).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	PKGS+=(nodejs npm)
fi
# npm packages, pinned by web/package-lock.json; only when missing.
npm_deps() {
	local web
	web="$(dirname "$0")/../web"
	if [ ! -d "$web/node_modules/world-atlas" ] || [ ! -d "$web/node_modules/playwright-core" ]; then
		echo "installing npm packages in web/"
		(cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
	fi
}
# Only what is missing, so a set-up machine does not wait on apt.
missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	npm_deps
	exit 0
fi
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
echo "installing: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
npm_deps
