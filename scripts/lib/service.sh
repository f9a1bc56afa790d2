# shellcheck shell=bash
# The systemd unit: templated, enabled and started; restarted when an upgrade changed files.
# In --root mode the unit goes under the root and systemctl is ROOT/usr/bin/systemctl when there is
# one (the tests' recording stand-in); otherwise the commands are only printed.

systemctl_run() {
  if staged; then
    if [[ -x $(R /usr/bin/systemctl) ]]; then
      "$(R /usr/bin/systemctl)" "$@"
    else
      log "would run: systemctl $*"
      return 1
    fi
  else
    systemctl "$@"
  fi
}

install_unit() {
  local before=$CHANGED
  CHANGED=0
  place_text "$UNIT_FILE" 0644 < <(sed -e "s|@NODE@|$NODE_FINAL|g" -e "s|@PREFIX@|$PREFIX|g" "$SOURCE/plugin/systemd/fix-email-auth.service")
  UNIT_CHANGED=$CHANGED
  CHANGED=$((before | CHANGED))
}

start_service() {
  ((UNIT_CHANGED)) && { systemctl_run daemon-reload || true; }
  if ! systemctl_run is-enabled --quiet "$UNIT_NAME"; then
    log "enabling and starting $UNIT_NAME"
    systemctl_run enable --now "$UNIT_NAME" || staged || die "systemctl enable --now $UNIT_NAME failed"
  elif ! systemctl_run is-active --quiet "$UNIT_NAME"; then
    log "starting $UNIT_NAME"
    systemctl_run start "$UNIT_NAME" || staged || die "systemctl start $UNIT_NAME failed"
  elif ((CHANGED)); then
    log "restarting $UNIT_NAME (upgraded)"
    systemctl_run restart "$UNIT_NAME" || staged || die "systemctl restart $UNIT_NAME failed"
  fi
}
