#!/usr/bin/env bash
# Installs the system tools the test suite drives (real clients nobody here wrote), when missing.
# Debian/Ubuntu only; run as root (CI is). Safe to run again: it installs only what is absent.
set -euo pipefail
needed=()
command -v setsid >/dev/null 2>&1 || needed+=(util-linux)
command -v bash >/dev/null 2>&1 || needed+=(bash)
command -v swaks >/dev/null 2>&1 || needed+=(swaks)
command -v webhook >/dev/null 2>&1 || needed+=(webhook) # adnanh/webhook, the Go peer in bench/
[ -x /usr/bin/chromium ] || needed+=(chromium)
command -v openssl >/dev/null 2>&1 || needed+=(openssl)
# tini: the Docker image's init, and PID 1 of each command's PID namespace (apps.shell.contain);
# systemd-analyze checks deploy/switchboard.service.
[ -x /usr/bin/tini ] || needed+=(tini)
command -v systemd-analyze >/dev/null 2>&1 || needed+=(systemd)
command -v redis-server >/dev/null 2>&1 || needed+=(redis-server) # the shared state store (docs/scale-out.md)
# dovecot: the real IMAP server the .i app's tests read from (packages/core/src/apps/imap*).
[ -x /usr/sbin/dovecot ] || needed+=(dovecot-imapd)
command -v promtool >/dev/null 2>&1 || needed+=(prometheus) # promtool checks /metrics
# The font the monitor's charts are labelled with (packages/core/src/monitor/chart-renderer.ts).
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || needed+=(fonts-dejavu-core)
if [ ${#needed[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "system-deps: missing ${needed[*]}; install them with your package manager" >&2
    exit 1
  fi
  echo "system-deps: installing ${needed[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${needed[@]}" >/dev/null
fi
