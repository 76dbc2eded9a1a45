#!/bin/sh
# Installs the terminal tools the console's pseudo-terminal test uses: picocom (a technician's
# terminal program) and socat (which makes the pty for `datalogger sim --console-pty`).
# Debian/Ubuntu, as root, non-interactive; does nothing when both are already there.
set -eu
missing=""
command -v picocom >/dev/null 2>&1 || missing="$missing picocom"
command -v socat >/dev/null 2>&1 || missing="$missing socat"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-terminal-tools: need root and apt-get to install:$missing (the pty test will be skipped)" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || echo "setup-terminal-tools: apt-get update failed (the pty test will be skipped if$missing stays missing)" >&2
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null || echo "setup-terminal-tools: could not install$missing (the pty test will be skipped)" >&2
