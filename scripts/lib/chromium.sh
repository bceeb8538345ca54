#!/usr/bin/env bash
# shellcheck shell=bash
# Makes sure a headless Chromium is there for the report.html browser test (HtmlReportBrowserTest):
# Debian's package, installed with apt when missing and this user may (root). Otherwise says what to do.
skci_ensure_chromium() {
  if [[ -x "${SKCI_CHROMIUM:-/usr/bin/chromium}" ]]; then
    return 0
  fi
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "skci: installing Debian's chromium for the report.html browser test"
    if DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >/dev/null \
      || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >/dev/null; }; then
      return 0
    fi
  fi
  echo "skci: the report.html test needs a headless Chromium: install Debian's chromium (apt-get install chromium)," \
    "or point SKCI_CHROMIUM at one" >&2
  return 3
}
