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

# The WHM API token with TOKEN_ACLS (layout.sh). An existing token file is kept, and a token of ours
# that an older install created with a shorter ACL list is widened in place (api_token_update keeps
# its secret). A token of our name without its file (lost secret) is revoked and made anew, since its
# secret cannot be read back.
ensure_token() {
  local answer token tmp i
  local -a acl_args=()
  for i in "${!TOKEN_ACLS[@]}"; do acl_args+=("acl-$i=${TOKEN_ACLS[$i]}"); done
  answer=$("$(R "$WHMAPI1")" --output=json api_token_list) || die "whmapi1 api_token_list failed"
  if [[ -s $(R "$TOKEN_FILE") ]] && "$NODE" "$LIB/json-tool.js" token-exists "$TOKEN_NAME" <<<"$answer"; then
    if ! "$NODE" "$LIB/json-tool.js" token-has-acls "$TOKEN_NAME" "${TOKEN_ACLS[@]}" <<<"$answer"; then
      log "giving the API token $TOKEN_NAME the ACLs ${TOKEN_ACLS[*]} (a token limited to a list hides resellers' accounts from root)"
      answer=$("$(R "$WHMAPI1")" --output=json api_token_update "token_name=$TOKEN_NAME" "${acl_args[@]}") || die "whmapi1 api_token_update failed"
      "$NODE" "$LIB/json-tool.js" whm-ok <<<"$answer" >/dev/null || die "whmapi1 api_token_update refused: $("$NODE" "$LIB/json-tool.js" whm-ok <<<"$answer")"
    fi
    chmod 0600 "$(R "$TOKEN_FILE")"
    own_root "$(R "$TOKEN_FILE")"
    manifest_add file 0600 "$TOKEN_FILE"
    return 0
  fi
  if "$NODE" "$LIB/json-tool.js" token-exists "$TOKEN_NAME" <<<"$answer"; then
    log "revoking the old API token $TOKEN_NAME (its secret is no longer on disk)"
    answer=$("$(R "$WHMAPI1")" --output=json api_token_revoke "token_name=$TOKEN_NAME") || die "whmapi1 api_token_revoke failed"
  fi
  answer=$("$(R "$WHMAPI1")" --output=json api_token_create "token_name=$TOKEN_NAME" "${acl_args[@]}") || die "whmapi1 api_token_create failed"
  token=$("$NODE" "$LIB/json-tool.js" token-from-create <<<"$answer") || die "whmapi1 api_token_create gave no token: $("$NODE" "$LIB/json-tool.js" whm-ok <<<"$answer")"
  tmp=$(umask 077 && mktemp)
  printf '%s\n' "$token" >"$tmp"
  place_file "$tmp" "$TOKEN_FILE" 0600
  rm -f "$tmp"
  log "created the WHM API token $TOKEN_NAME (ACLs: ${TOKEN_ACLS[*]}) in $TOKEN_FILE"
}
