# shellcheck shell=bash
# shellcheck disable=SC2034  # constants for the scripts that source this file
# Where fix-email-auth lives on a cPanel server: one list, read by install.sh and uninstall.sh.
# Paths are final (as on the server); `R path` adds the --root staging prefix where files are touched.

readonly PREFIX=/opt/fix-email-auth
readonly MANIFEST=$PREFIX/install-manifest.txt
readonly CPANEL_PLUGIN_DIR=$PREFIX/cpanel-plugin          # install.json + icon, for install_plugin (§4)
readonly APPCONFIG_FILE=$PREFIX/plugin/whm/fix_email_auth.conf
readonly HOOK_SCRIPT=$PREFIX/plugin/hooks/fix-email-auth-hook

readonly ADMINBIN_DIR=/usr/local/cpanel/bin/admin/FixEmailAuth          # §6.2: dir name = namespace
readonly UAPI_MODULE=/usr/local/cpanel/Cpanel/API/FixEmailAuth.pm        # §5
readonly JUPITER_DIR=/usr/local/cpanel/base/frontend/jupiter/fix_email_auth   # §1
readonly WHM_CGI_DIR=/usr/local/cpanel/whostmgr/docroot/cgi/fix_email_auth    # §7.1
readonly WHM_ICON=/usr/local/cpanel/whostmgr/docroot/addon_plugins/fix_email_auth.png
readonly APPCONFIG_REGISTERED=/var/cpanel/apps/fix_email_auth.conf     # written by register_appconfig
readonly ADDON_FEATURE=/usr/local/cpanel/whostmgr/addonfeatures/fix_email_auth   # written by install_plugin

readonly UNIT_NAME=fix-email-auth.service
readonly UNIT_FILE=/etc/systemd/system/$UNIT_NAME
readonly CONFIG_DIR=/etc/fix-email-auth
readonly CONFIG_FILE=$CONFIG_DIR/config.json
readonly TOKEN_FILE=$CONFIG_DIR/whm-token
readonly STATE_DIR=/var/lib/fix-email-auth                              # the journal: kept unless --purge

readonly CPANEL_VERSION_FILE=/usr/local/cpanel/version
readonly INSTALL_PLUGIN=/usr/local/cpanel/scripts/install_plugin
readonly UNINSTALL_PLUGIN=/usr/local/cpanel/scripts/uninstall_plugin
readonly REGISTER_APPCONFIG=/usr/local/cpanel/bin/register_appconfig
readonly UNREGISTER_APPCONFIG=/usr/local/cpanel/bin/unregister_appconfig
readonly MANAGE_HOOKS=/usr/local/cpanel/bin/manage_hooks
readonly WHMAPI1=/usr/local/cpanel/bin/whmapi1

readonly TOKEN_NAME=fix-email-auth
# The WHM API token of the https transport (src/adapters/cpanel) carries the `all` ACL. A token created
# with an ACL list keeps ONLY those ACLs, even for root: without `all`, root loses hasroot() and is
# scoped like a reseller, so listzones, get_domain_info and every zone read see only the accounts root
# itself owns, and a reseller's customers vanish (cPanel 11.120 Whostmgr/ACLS.pm `_acls`,
# Cpanel/Security/Authn/APITokens/Object/whostmgr.pm `filter_acls`; known from cPanel's code only).
readonly TOKEN_ACLS=(all)

# "Category Event" pairs the hook script is registered for, all at stage post (§8.1, §8.2).
readonly HOOK_EVENTS=(
  "PkgAcct Restore"
  "Whostmgr Transfers::Session"
  "Whostmgr Accounts::Create"
  "Cpanel UAPI::DNS::mass_edit_zone"
  "Cpanel UAPI::Email::add_pop"
  "Cpanel UAPI::Email::delete_pop"
)
