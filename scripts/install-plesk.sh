#!/usr/bin/env bash
# Install (or upgrade in place) fix-email-auth on a Plesk for Linux server:
#
#   sudo scripts/install-plesk.sh --auth-id webhostingm [--sender-id-template 'webhostingm|x-authuser|{user}']
#                                 [--backup required|best-effort|off] [--node PATH]
#
# Places the package in /opt/fix-email-auth, writes /etc/fix-email-auth/config.json, makes a Plesk
# secret API key bound to 127.0.0.1 for the daemon (/etc/fix-email-auth/plesk-key, 0600), builds the
# extension zip (scripts/package-plesk.js) and installs it with `plesk bin extension --install`, and
# starts the systemd service. Every file it places is listed in /opt/fix-email-auth/install-manifest.txt.
# Running it again changes nothing unless the package or a flag changed.
#
# --root DIR stages everything under DIR (tests): every path is prefixed by DIR, Plesk's command
# included (DIR/usr/sbin/plesk), nothing is chowned, and systemctl is DIR/usr/bin/systemctl when
# present. --source DIR installs another built copy of the package.
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
# shellcheck source=scripts/lib/config.sh
source "$LIB/config.sh"
# shellcheck source=scripts/lib/service.sh
source "$LIB/service.sh"

# Plesk's places (docs/reference/plesk.md §2.1, §7.1). The version file marks a Plesk server.
readonly PLESK_VERSION_FILE=/usr/local/psa/version
readonly PLESK=/usr/sbin/plesk
readonly PLESK_KEY_FILE=$CONFIG_DIR/plesk-key
readonly PLESK_DIR=$PREFIX/plesk
readonly PLESK_ZIP=$PLESK_DIR/fix-email-auth-plesk.zip
readonly PLESK_STAMP=$PLESK_DIR/.installed
readonly PLESK_EXTENSION_ID=fix-email-auth
readonly PLESK_EXTENSION_PLIB=/usr/local/psa/admin/plib/modules/$PLESK_EXTENSION_ID

usage() {
  sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
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

plesk_cmd() { "$(R "$PLESK")" "$@"; }

# A secret key for the XML API, bound to 127.0.0.1, shown once by Plesk and kept root-only
# (`plesk bin secret_key -c -ip-address … -description …`,
# https://docs.plesk.com/en-US/obsidian/cli-linux/using-command-line-utilities/secret_key-authentication-in-plesk-xml-api.73880/).
# An existing key file is kept. If the file was lost, a new key is made; the old one stays in Plesk
# until removed with `plesk bin secret_key --delete -key <key>` (its secret cannot be read back).
ensure_plesk_key() {
  local key tmp
  if [[ -s $(R "$PLESK_KEY_FILE") ]]; then
    chmod 0600 "$(R "$PLESK_KEY_FILE")"
    own_root "$(R "$PLESK_KEY_FILE")"
    manifest_add file 0600 "$PLESK_KEY_FILE"
    return 0
  fi
  key=$(plesk_cmd bin secret_key --create -ip-address 127.0.0.1 -description "fix-email-auth daemon") || die "plesk bin secret_key --create failed"
  key=$(printf '%s' "$key" | tr -d '[:space:]')
  [[ $key =~ ^[A-Za-z0-9-]{16,128}$ ]] || die "plesk bin secret_key --create printed no key"
  tmp=$(umask 077 && mktemp)
  printf '%s\n' "$key" >"$tmp"
  place_file "$tmp" "$PLESK_KEY_FILE" 0600
  rm -f "$tmp"
  log "created a Plesk secret key for 127.0.0.1 in $PLESK_KEY_FILE"
}

# The extension zip, with the relay helper's first line pointing at the Node found; installed again
# only when its bytes changed or Plesk no longer has the extension's files.
install_extension() {
  local tmp stamp
  tmp=$(mktemp -d)
  "$NODE" "$SOURCE/scripts/package-plesk.js" --node "$NODE_FINAL" --out "$tmp/fix-email-auth-plesk.zip" >/dev/null || die "building the Plesk extension failed"
  ensure_dir "$PLESK_DIR" 0755
  place_file "$tmp/fix-email-auth-plesk.zip" "$PLESK_ZIP" 0644
  rm -rf "$tmp"
  stamp=$(sha256sum "$(R "$PLESK_ZIP")" | cut -d' ' -f1)
  if [[ -d $(R "$PLESK_EXTENSION_PLIB") && $(cat "$(R "$PLESK_STAMP")" 2>/dev/null) == "$stamp" ]]; then
    manifest_add file 0644 "$PLESK_STAMP"
    return 0
  fi
  log "installing the Plesk extension (plesk bin extension --install)"
  plesk_cmd bin extension --install "$(R "$PLESK_ZIP")" || die "plesk bin extension --install failed"
  place_text "$PLESK_STAMP" 0644 <<<"$stamp"
}

# Preflight: root on a Plesk server (a staged root needs neither).
if ! staged && [[ $(id -u) -ne 0 ]]; then die "run as root (sudo $0 …)"; fi
[[ -f $(R "$PLESK_VERSION_FILE") ]] || die "this is not a Plesk server ($PLESK_VERSION_FILE is missing)"
[[ -x $(R "$PLESK") ]] || die "the plesk command ($PLESK) is missing"
umask 022
find_node "$NODE_EXPLICIT"
log "using Node $(node_major "$NODE") at $NODE_FINAL"
ensure_built

# Config first: a bad or missing --auth-id stops the install before anything is registered.
# No sender-ID template by default on Plesk (the cPanel installer writes one): Postfix on Plesk adds
# no X-AuthUser header the relay could match (docs/reference/plesk.md §8, unverified), so such a
# template would name identities MailChannels never sees. --sender-id-template sets one anyway.
if [[ -z $SENDER_ID_TEMPLATE && ! -f $(R "$CONFIG_FILE") ]]; then SENDER_ID_TEMPLATE=none; fi
write_config
install_package
ensure_dir "$STATE_DIR" 0700 keep
ensure_plesk_key
install_extension
install_unit
write_manifest "$NODE_FINAL"
start_service
log "installed: each domain's page » Fix Email Authorization, and Tools & Settings » Fix Email Authorization"
