# shellcheck shell=bash
# /etc/fix-email-auth: config.json from the flags (kept as it is when no flag changes it) and the WHM
# API token, both root-only 0600.

write_config() {
  local merged
  ensure_dir "$CONFIG_DIR" 0700
  merged=$(mktemp)
  if ! "$NODE" "$LIB/json-tool.js" merge-config "$(R "$CONFIG_FILE")" "$AUTH_ID" "$SENDER_ID_TEMPLATE" "$BACKUP_POLICY" >"$merged"; then
    rm -f "$merged"
    die "cannot write $CONFIG_FILE (see above)"
  fi
  place_file "$merged" "$CONFIG_FILE" 0600
  rm -f "$merged"
}

# A WHM API token limited to TOKEN_ACLS (layout.sh). An existing token file is kept; a token of our
# name without its file (lost secret) is revoked and made anew, since its secret cannot be read back.
ensure_token() {
  local answer token tmp i
  local -a acl_args=()
  if [[ -s $(R "$TOKEN_FILE") ]]; then
    chmod 0600 "$(R "$TOKEN_FILE")"
    own_root "$(R "$TOKEN_FILE")"
    manifest_add file 0600 "$TOKEN_FILE"
    return 0
  fi
  answer=$("$(R "$WHMAPI1")" --output=json api_token_list) || die "whmapi1 api_token_list failed"
  if "$NODE" "$LIB/json-tool.js" token-exists "$TOKEN_NAME" <<<"$answer"; then
    log "revoking the old API token $TOKEN_NAME (its secret is no longer on disk)"
    answer=$("$(R "$WHMAPI1")" --output=json api_token_revoke "token_name=$TOKEN_NAME") || die "whmapi1 api_token_revoke failed"
  fi
  for i in "${!TOKEN_ACLS[@]}"; do acl_args+=("acl-$i=${TOKEN_ACLS[$i]}"); done
  answer=$("$(R "$WHMAPI1")" --output=json api_token_create "token_name=$TOKEN_NAME" "${acl_args[@]}") || die "whmapi1 api_token_create failed"
  token=$("$NODE" "$LIB/json-tool.js" token-from-create <<<"$answer") || die "whmapi1 api_token_create gave no token: $("$NODE" "$LIB/json-tool.js" whm-ok <<<"$answer")"
  tmp=$(umask 077 && mktemp)
  printf '%s\n' "$token" >"$tmp"
  place_file "$tmp" "$TOKEN_FILE" 0600
  rm -f "$tmp"
  log "created the WHM API token $TOKEN_NAME (ACLs: ${TOKEN_ACLS[*]}) in $TOKEN_FILE"
}
