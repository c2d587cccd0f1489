#!/usr/bin/env bash
# Debian packages the test suite needs: a real Prometheus (prometheus, promtool), Chromium for
# the browser tests (with CJK and emoji fonts, so the card screenshots read right), kubectl for
# rendering the kustomize overlays, redis-server and prometheus-alertmanager. Installs only what is
# missing; needs root (or sudo) when something is missing.
set -euo pipefail
need=()
command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list : family 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || need+=(fonts-noto-cjk)
fc-list : family 2>/dev/null | grep -i "Noto Color Emoji" >/dev/null || need+=(fonts-noto-color-emoji)
command -v kubectl >/dev/null 2>&1 || need+=(kubernetes-client)
# The incident tests start a private Alertmanager (silences through its v2 API).
command -v prometheus-alertmanager >/dev/null 2>&1 || need+=(prometheus-alertmanager)
# scripts/services.sh starts Redis from it; the failover tests run private servers too.
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing Debian packages: ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
# The prometheus package may start a system service; the tests run their own servers.
$SUDO systemctl stop prometheus >/dev/null 2>&1 || true
$SUDO systemctl stop prometheus-alertmanager >/dev/null 2>&1 || true
