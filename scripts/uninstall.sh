#!/usr/bin/env bash
# Remove fix-email-auth from a cPanel & WHM server, reversing every step of install.sh:
#
#   sudo scripts/uninstall.sh [--purge]
#
# Stops and disables the service, deletes the hook registrations, unregisters the WHM plugin and the
# Jupiter link (uninstall_plugin), revokes the WHM API token, and removes every file listed in
# /opt/fix-email-auth/install-manifest.txt. The journal in /var/lib/fix-email-auth (the record of
# every change, needed to undo one) is kept unless --purge.
#
# --root DIR works on a staged root as install.sh --root does (tests).
set -euo pipefail

LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")/lib" && pwd)
ROOT=
PURGE=0
NODE_EXPLICIT=

# shellcheck source=scripts/lib/layout.sh
source "$LIB/layout.sh"
# shellcheck source=scripts/lib/common.sh
source "$LIB/common.sh"
# shellcheck source=scripts/lib/node.sh
source "$LIB/node.sh"
# shellcheck source=scripts/lib/service.sh
source "$LIB/service.sh"

while [[ $# -gt 0 ]]; do
  case $1 in
    --purge) PURGE=1; shift ;;
    --node) [[ -n ${2:-} ]] || die "--node needs a value"; NODE_EXPLICIT=$2; shift 2 ;;
    --root) [[ -n ${2:-} ]] || die "--root needs a value"; ROOT=$(cd "$2" && pwd); shift 2 ;;
    -h | --help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1" ;;
  esac
done

if ! staged && [[ $(id -u) -ne 0 ]]; then die "run as root (sudo $0 …)"; fi

# Node reads WHM's JSON answers; without one, every deregistration is tried and "not found" ignored.
NODE=
manifest_node=$(sed -n 's/^# node //p' "$(R "$MANIFEST")" 2>/dev/null || true)
if [[ -n $NODE_EXPLICIT ]]; then
  find_node "$NODE_EXPLICIT"
elif [[ -n $manifest_node && -x $(R "$manifest_node") ]]; then
  NODE=$(R "$manifest_node")
elif ! (find_node) >/dev/null 2>&1; then
  warn "no Node.js found: deregistering without checking what is registered"
else
  find_node
fi
json() { [[ -n $NODE ]] && "$NODE" "$LIB/json-tool.js" "$@"; }

# 1. The service.
if [[ -f $(R "$UNIT_FILE") ]]; then
  log "stopping and disabling $UNIT_NAME"
  systemctl_run disable --now "$UNIT_NAME" || staged || warn "systemctl disable --now $UNIT_NAME failed"
  rm -f "$(R "$UNIT_FILE")"
  systemctl_run daemon-reload || true
fi

# 2. Hooks (§8.1): only those registered, when Node can tell.
hooks=$("$(R "$WHMAPI1")" --output=json list_hooks 2>/dev/null || true)
for pair in "${HOOK_EVENTS[@]}"; do
  read -r category event <<<"$pair"
  if [[ -n $NODE ]] && ! json hook-registered "$category" "$event" post "$(R "$HOOK_SCRIPT")" <<<"$hooks"; then continue; fi
  log "deleting the hook for $category $event"
  "$(R "$MANAGE_HOOKS")" delete script "$(R "$HOOK_SCRIPT")" --manual --category "$category" --event "$event" --stage post ||
    [[ -z $NODE ]] || warn "manage_hooks delete failed for $category $event"
done

# 3. The WHM plugin (§7.2) and the Jupiter link with its Feature Manager entry (§4).
if [[ -f $(R "$APPCONFIG_REGISTERED") ]]; then
  log "unregistering the WHM plugin"
  "$(R "$UNREGISTER_APPCONFIG")" fix_email_auth || warn "unregister_appconfig failed"
fi
if [[ -f $(R "$CPANEL_PLUGIN_DIR/install.json") ]]; then
  log "removing the Jupiter link (uninstall_plugin)"
  "$(R "$UNINSTALL_PLUGIN")" "$(R "$CPANEL_PLUGIN_DIR")" --theme=jupiter || warn "uninstall_plugin failed"
fi

# 4. The WHM API token.
tokens=$("$(R "$WHMAPI1")" --output=json api_token_list 2>/dev/null || true)
if [[ -z $NODE ]] || json token-exists "$TOKEN_NAME" <<<"$tokens"; then
  log "revoking the WHM API token $TOKEN_NAME"
  "$(R "$WHMAPI1")" --output=json api_token_revoke "token_name=$TOKEN_NAME" >/dev/null || [[ -z $NODE ]] || warn "api_token_revoke failed"
fi

# 5. Files: what the manifest lists (or, without one, the known layout); the journal only with --purge.
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
  for path in "$UAPI_MODULE" "$WHM_ICON" "$UNIT_FILE"; do remove_path file "$path"; done
  for path in "$ADMINBIN_DIR" "$JUPITER_DIR" "$WHM_CGI_DIR" "$CONFIG_DIR" "$PREFIX"; do remove_path dir "$path"; done
  remove_path keep "$STATE_DIR"
fi
rm -rf "$(R "$PREFIX")" "$(R "$CONFIG_DIR")"

if ((PURGE)); then
  log "removed, journal included"
else
  log "removed; the journal stays in $STATE_DIR (uninstall.sh --purge removes it)"
fi
