#!/usr/bin/env bash
# Installs the headless browser the sample app's end-to-end test drives: Debian's chromium and
# chromium-driver. Idempotent: does nothing when both binaries are already there. Needs root
# (or passwordless sudo) and no stdin.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
	echo "== chromium and chromedriver already installed"
	exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO="sudo -n"
	else
		echo "install-browser.sh: must run as root (or with sudo) to install chromium" >&2
		exit 1
	fi
fi

echo "== installing chromium and chromium-driver"
export DEBIAN_FRONTEND=noninteractive
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
	-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
	chromium chromium-driver </dev/null
/usr/bin/chromium --version
/usr/bin/chromedriver --version
