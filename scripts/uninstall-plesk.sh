#!/usr/bin/env bash
# Remove fix-email-auth from a Plesk for Linux server, reversing every step of install-plesk.sh:
#
#   sudo scripts/uninstall-plesk.sh [--purge]
#
# Stops and disables the service, uninstalls the Plesk extension (`plesk bin extension --uninstall`),
# deletes the daemon's secret API key from Plesk (`plesk bin secret_key --delete`), and removes every
# file listed in /opt/fix-email-auth/install-manifest.txt. The journal in /var/lib/fix-email-auth
# (the record of every change, needed to undo one) and Plesk DNS exports are kept unless --purge.
#
# --root DIR works on a staged root as install-plesk.sh --root does (tests).
set -euo pipefail

LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")/lib" && pwd)
ROOT=
PURGE=0

# shellcheck source=scripts/lib/layout.sh
source "$LIB/layout.sh"
# shellcheck source=scripts/lib/common.sh
source "$LIB/common.sh"
# shellcheck source=scripts/lib/service.sh
source "$LIB/service.sh"

readonly PLESK=/usr/sbin/plesk
readonly PLESK_KEY_FILE=$CONFIG_DIR/plesk-key
readonly PLESK_EXTENSION_ID=fix-email-auth

while [[ $# -gt 0 ]]; do
  case $1 in
    --purge) PURGE=1; shift ;;
    --root) [[ -n ${2:-} ]] || die "--root needs a value"; ROOT=$(cd "$2" && pwd); shift 2 ;;
    -h | --help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1" ;;
  esac
done

if ! staged && [[ $(id -u) -ne 0 ]]; then die "run as root (sudo $0 …)"; fi
plesk_cmd() { "$(R "$PLESK")" "$@"; }
have_plesk() { [[ -x $(R "$PLESK") ]]; }

# 1. The service.
if [[ -f $(R "$UNIT_FILE") ]]; then
  log "stopping and disabling $UNIT_NAME"
  systemctl_run disable --now "$UNIT_NAME" || staged || warn "systemctl disable --now $UNIT_NAME failed"
  rm -f "$(R "$UNIT_FILE")"
  systemctl_run daemon-reload || true
fi

# 2. The extension, when Plesk lists it (its pages, buttons and root helper go with it).
if have_plesk && plesk_cmd bin extension --list 2>/dev/null | grep -qx "$PLESK_EXTENSION_ID"; then
  log "uninstalling the Plesk extension $PLESK_EXTENSION_ID"
  plesk_cmd bin extension --uninstall "$PLESK_EXTENSION_ID" >/dev/null || warn "plesk bin extension --uninstall failed"
fi

# 3. The secret key: Plesk keeps only its hash, so it is deleted by the value in our key file.
if have_plesk && [[ -s $(R "$PLESK_KEY_FILE") ]]; then
  key=$(tr -d '[:space:]' <"$(R "$PLESK_KEY_FILE")")
  if [[ $key =~ ^[A-Za-z0-9-]{16,128}$ ]]; then
    log "deleting the daemon's Plesk secret key"
    plesk_cmd bin secret_key --delete -key "$key" >/dev/null || warn "plesk bin secret_key --delete failed"
  fi
fi

# 4. Files: what the manifest lists; the journal and DNS exports only with --purge.
remove_path() {
  local kind=$1 path=$2
  case $kind in
    file) rm -f "$(R "$path")" ;;
    dir | tree) rm -rf "$(R "$path")" ;;
    keep) ((PURGE)) && rm -rf "$(R "$path")" ;;
  esac
  return 0
}
if [[ -f $(R "$MANIFEST") ]]; then
  while read -r kind _mode _owner path; do
    [[ $kind == \#* || -z $kind ]] && continue
    remove_path "$kind" "$path"
  done < <(tac "$(R "$MANIFEST")")
else
  warn "no install manifest; removing the known layout"
  remove_path file "$UNIT_FILE"
  remove_path keep "$STATE_DIR"
fi
rm -rf "$(R "$PREFIX")" "$(R "$CONFIG_DIR")"

if ((PURGE)); then
  log "removed, journal included"
else
  log "removed; the journal stays in $STATE_DIR (uninstall-plesk.sh --purge removes it)"
fi
