#!/usr/bin/env bash
# Debian packages the test suite drives as real third-party clients: nginx (auth_request in front of the
# validator) and kcat (reads the SIEM topic as a SIEM would). Installed only when missing.
set -euo pipefail
need=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v kcat >/dev/null || need+=(kcat)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != "0" ]; then echo "system-packages.sh: please install: ${need[*]}" >&2; exit 1; fi
  echo "system-packages.sh: installing ${need[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
