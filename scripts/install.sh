#!/usr/bin/env bash
# Install (or upgrade in place) fix-email-auth on a cPanel & WHM server:
#
#   sudo scripts/install.sh --auth-id webhostingm [--sender-id-template 'webhostingm|x-authuser|{user}'|none]
#                           [--backup required|best-effort|off] [--node PATH]
#
# A first install writes the sender-ID template <auth-id>|x-authuser|{user} (the record then names the
# cPanel user too: v=mc1 auth=webhostingm senderid=webhostingm|x-authuser|alice); `none` turns it off.
#
# What it changes, step by step, is in README.md ("Install on a cPanel server"); every file it places
# is listed with owner and mode in /opt/fix-email-auth/install-manifest.txt. Running it again
# changes nothing unless the package or a flag changed.
#
# --root DIR stages everything under DIR (tests): every path is prefixed by DIR, cPanel's commands
# included (DIR/usr/local/cpanel/scripts/install_plugin …), nothing is chowned and systemctl is
# DIR/usr/bin/systemctl when present. --source DIR installs another built copy of the package.
set -euo pipefail

LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")/lib" && pwd)
SOURCE=$(cd "$LIB/../.." && pwd)
ROOT=
AUTH_ID=
SENDER_ID_TEMPLATE=
BACKUP_POLICY=
NODE_EXPLICIT=

# shellcheck source=scripts/lib/layout.sh
source "$LIB/layout.sh"
# shellcheck source=scripts/lib/common.sh
source "$LIB/common.sh"
# shellcheck source=scripts/lib/node.sh
source "$LIB/node.sh"
# shellcheck source=scripts/lib/package.sh
source "$LIB/package.sh"
# shellcheck source=scripts/lib/plugin.sh
source "$LIB/plugin.sh"
# shellcheck source=scripts/lib/config.sh
source "$LIB/config.sh"
# shellcheck source=scripts/lib/cpanel.sh
source "$LIB/cpanel.sh"
# shellcheck source=scripts/lib/service.sh
source "$LIB/service.sh"

usage() {
  sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

need_value() { [[ $# -ge 2 && -n $2 ]] || die "$1 needs a value"; }

while [[ $# -gt 0 ]]; do
  case $1 in
    --auth-id) need_value "$@"; AUTH_ID=$2; shift 2 ;;
    --sender-id-template) need_value "$@"; SENDER_ID_TEMPLATE=$2; shift 2 ;;
    --backup) need_value "$@"; BACKUP_POLICY=$2; shift 2 ;;
    --node) need_value "$@"; NODE_EXPLICIT=$2; shift 2 ;;
    --root) need_value "$@"; ROOT=$(cd "$2" && pwd); shift 2 ;;
    --source) need_value "$@"; SOURCE=$(cd "$2" && pwd); shift 2 ;;
    -h | --help) usage 0 ;;
    *) warn "unknown option $1"; usage 2 ;;
  esac
done

# Preflight: root on a cPanel server (a staged root needs neither).
if ! staged && [[ $(id -u) -ne 0 ]]; then die "run as root (sudo $0 …)"; fi
[[ -f $(R "$CPANEL_VERSION_FILE") ]] || die "this is not a cPanel & WHM server ($CPANEL_VERSION_FILE is missing)"
umask 022
find_node "$NODE_EXPLICIT"
log "using Node $(node_major "$NODE") at $NODE_FINAL"
ensure_built

# Config first: a bad or missing --auth-id stops the install before anything is registered.
write_config
install_package
install_plugin_files
ensure_dir "$STATE_DIR" 0700 keep
ensure_token
register_cpanel_plugin
register_whm_app
register_hooks
install_unit
write_manifest "$NODE_FINAL"
start_service
log "installed: cPanel » Email » Fix Email Authorization, WHM » Plugins » Fix Email Authorization"
