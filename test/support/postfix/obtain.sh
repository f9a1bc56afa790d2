#!/usr/bin/env bash
# Obtain Debian's Postfix for the mail tests WITHOUT installing it: Debian's postfix and
# exim4-daemon-light packages conflict (both provide mail-transport-agent) and the Exim tests need
# Exim installed. So the package is only downloaded and unpacked into a private directory; the test
# harness (test/support/postfix.ts) runs it from there as root, with its own config_directory,
# queue_directory and log file, on loopback ports.
#
#   test/support/postfix/obtain.sh [DEST]      (default /opt/fix-email-auth-test/postfix)
#
# Steps (as root):
#   1. the libraries the package depends on (apt-cache depends postfix) and the SASL client plugins
#      the relay login needs (libsasl2-modules): apt-get install, as for any package;
#   2. apt-get download postfix; dpkg-deb -x postfix_*.deb DEST — nothing is registered with dpkg,
#      no service is started, /etc/postfix is not touched;
#   3. the system account and group the package's postinst would make: user `postfix`, group
#      `postdrop` (Postfix refuses to run its daemons as root).
# Running it again changes nothing.
set -euo pipefail
DEST=${1:-/opt/fix-email-auth-test/postfix}
export DEBIAN_FRONTEND=noninteractive

if [[ ! -x $DEST/usr/sbin/postfix ]]; then
  apt-get install -y --no-install-recommends libdb5.3 libicu72 libnsl2 libsasl2-2 libsasl2-modules libssl3 netbase
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && chmod 0777 . && apt-get download postfix)
  mkdir -p "$DEST"
  dpkg-deb -x "$work"/postfix_*.deb "$DEST"
fi
getent group postdrop >/dev/null || groupadd --system postdrop
getent passwd postfix >/dev/null || useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin postfix
echo "Postfix $(LD_LIBRARY_PATH=$DEST/usr/lib/postfix "$DEST/usr/sbin/postconf" -d -h mail_version 2>/dev/null) in $DEST"
