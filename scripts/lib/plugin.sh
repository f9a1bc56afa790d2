# shellcheck shell=bash
# The plugin's files where cPanel looks for them (docs/reference/cpanel-plugins.md §1, §5, §6.2, §7.1), with the
# owners and modes cPanel requires. Node scripts get the absolute Node path as their first line.

# with_node SRC — the script with its `#!/usr/bin/env node` line replaced by the Node we found, started
# with an empty environment. The adminbin and the hook run as root but are started for cPanel users,
# who can hand cpwrapd an environment (Cpanel::Wrap send_cpwrapd_request's `env`); Node acts on
# NODE_OPTIONS (--require: run any file) and other NODE_* variables before the script's first line,
# so none of it may reach Node. `env -S` splits the line itself (no shell); `-i` empties the environment.
with_node() {
  local line="#!/usr/bin/env -S -i PATH=/usr/bin:/bin $NODE_FINAL"
  # Linux reads at most 127 bytes of a #! line before 5.1 (256 since): stay within the older limit.
  ((${#line} <= 127)) || die "the Node path $NODE_FINAL is too long for a script's first line; pass a shorter --node"
  sed "1s|^#!.*|$line|" "$1"
}

install_plugin_files() {
  # Privilege bridge: root-owned, 0700, in a directory named after its namespace (§6.2).
  ensure_dir "$ADMINBIN_DIR" 0755
  place_text "$ADMINBIN_DIR/FixEmailAuth" 0700 < <(with_node "$SOURCE/plugin/adminbin/FixEmailAuth")
  place_file "$SOURCE/plugin/adminbin/FixEmailAuth.conf" "$ADMINBIN_DIR/FixEmailAuth.conf" 0700

  # Custom UAPI module (§5): loaded by cPanel's Perl as the user, so world-readable.
  place_file "$SOURCE/plugin/cpanel/FixEmailAuth.pm" "$UAPI_MODULE" 0644

  # Jupiter page (§1, §2): a LiveAPI Perl page, run by cpsrvd as the user.
  ensure_dir "$JUPITER_DIR" 0755
  place_file "$SOURCE/plugin/cpanel/index.live.pl" "$JUPITER_DIR/index.live.pl" 0755

  # WHM CGI: root-owned 0755 (§2.1 table, §7.1); its icon in addon_plugins/.
  ensure_dir "$WHM_CGI_DIR" 0755
  place_file "$SOURCE/plugin/whm/cgi/fix_email_auth/index.cgi" "$WHM_CGI_DIR/index.cgi" 0755
  place_file "$SOURCE/plugin/icons/fix_email_auth.png" "$WHM_ICON" 0644

  # Kept under the install directory: the hook script (root runs it), the AppConfig we register, and
  # the plugin archive directory install_plugin/uninstall_plugin read (install.json + its icon).
  ensure_dir "$PREFIX/plugin" 0755
  ensure_dir "$PREFIX/plugin/hooks" 0755
  place_text "$HOOK_SCRIPT" 0755 < <(with_node "$SOURCE/plugin/hooks/fix-email-auth-hook")
  ensure_dir "$PREFIX/plugin/whm" 0755
  place_file "$SOURCE/plugin/whm/fix_email_auth.conf" "$APPCONFIG_FILE" 0644
  ensure_dir "$CPANEL_PLUGIN_DIR" 0755
  place_file "$SOURCE/install.json" "$CPANEL_PLUGIN_DIR/install.json" 0644
  place_file "$SOURCE/plugin/icons/fix_email_auth.svg" "$CPANEL_PLUGIN_DIR/fix_email_auth.svg" 0644
}
