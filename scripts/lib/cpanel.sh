# shellcheck shell=bash
# Registering with cPanel: install_plugin (§4), register_appconfig (§7.2), manage_hooks (§8.1).
# Each step first looks whether it is already done, so a re-run registers nothing twice.

plugin_stamp() {
  cat "$(R "$CPANEL_PLUGIN_DIR/install.json")" "$(R "$CPANEL_PLUGIN_DIR/fix_email_auth.svg")" | sha256sum | cut -d' ' -f1
}

# install_plugin has no "is it installed" query; we keep the hash of what we last installed beside it,
# and re-run when that changed or the Feature Manager entry it writes is gone.
register_cpanel_plugin() {
  local stamp_file=$CPANEL_PLUGIN_DIR/.installed stamp
  stamp=$(plugin_stamp)
  if [[ -f $(R "$ADDON_FEATURE") && $(cat "$(R "$stamp_file")" 2>/dev/null) == "$stamp" ]]; then
    manifest_add file 0644 "$stamp_file"
    return 0
  fi
  log "registering the Jupiter link (install_plugin)"
  "$(R "$INSTALL_PLUGIN")" "$(R "$CPANEL_PLUGIN_DIR")" --theme=jupiter || die "install_plugin failed"
  place_text "$stamp_file" 0644 <<<"$stamp"
}

# register_appconfig copies the file to /var/cpanel/apps; the same content there means registered.
register_whm_app() {
  if cmp -s "$(R "$APPCONFIG_FILE")" "$(R "$APPCONFIG_REGISTERED")"; then return 0; fi
  log "registering the WHM plugin (register_appconfig)"
  mkdir -p "$(R /var/cpanel/apps)"
  chmod 0755 "$(R /var/cpanel/apps)"
  "$(R "$REGISTER_APPCONFIG")" "$(R "$APPCONFIG_FILE")" || die "register_appconfig failed"
}

# What is registered is read from WHM API 1 list_hooks (documented JSON) rather than from
# `manage_hooks list`, whose text layout is not documented.
register_hooks() {
  local hooks pair category event
  local -a extra
  hooks=$("$(R "$WHMAPI1")" --output=json list_hooks) || die "whmapi1 list_hooks failed"
  for pair in "${HOOK_EVENTS[@]}"; do
    read -r category event <<<"$pair"
    if "$NODE" "$LIB/json-tool.js" hook-registered "$category" "$event" post "$(R "$HOOK_SCRIPT")" <<<"$hooks"; then continue; fi
    extra=()
    # The Cpanel category runs hooks as the cPanel user (§8.2); the daemon's socket is root-only.
    [[ $category == Cpanel ]] && extra=(--escalateprivs 1)
    log "registering the hook for $category $event"
    "$(R "$MANAGE_HOOKS")" add script "$(R "$HOOK_SCRIPT")" --manual --category "$category" --event "$event" --stage post "${extra[@]}" ||
      die "manage_hooks add failed for $category $event"
  done
}
