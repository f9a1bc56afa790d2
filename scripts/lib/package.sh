# shellcheck shell=bash
# The built package → /opt/fix-email-auth: dist/, bin/, views/, public/, package.json,
# package-lock.json and the production dependencies of node_modules (npm's "dev": true entries of the
# lockfile left out), copied from SOURCE; nothing is downloaded.

ensure_built() {
  [[ -f $SOURCE/dist/cli/main.js ]] && return 0
  if staged; then
    die "the package in $SOURCE is not built (no dist/cli/main.js). Run: (cd $SOURCE && npm ci && npm run build)"
  fi
  [[ -x $SOURCE/node_modules/.bin/tsc ]] || die "the package in $SOURCE is not built and cannot be built here (no dev dependencies). Run: (cd $SOURCE && npm ci && npm run build)"
  log "building the package in $SOURCE"
  (cd "$SOURCE" && "$NODE" node_modules/.bin/tsc -p tsconfig.build.json) || die "the build failed; run (cd $SOURCE && npm run build) to see why"
}

install_package() {
  local part dep staging
  ensure_dir "$PREFIX" 0755
  for part in dist bin views public; do
    [[ -d $SOURCE/$part ]] && place_tree "$SOURCE/$part" "$PREFIX/$part"
  done
  for part in package.json package-lock.json README.md; do
    [[ -f $SOURCE/$part ]] && place_file "$SOURCE/$part" "$PREFIX/$part" 0644
  done
  chmod 0755 "$(R "$PREFIX/bin/fix-email-auth")"

  # Production dependencies only: staged in a scratch directory, then placed as one tree.
  staging=$(mktemp -d)
  mkdir -p "$staging/node_modules"
  while IFS= read -r dep; do
    [[ -e $SOURCE/$dep ]] || continue # optional packages of other platforms are absent
    mkdir -p "$staging/$(dirname "$dep")"
    cp -R "$SOURCE/$dep" "$staging/$dep"
  done < <("$NODE" "$LIB/json-tool.js" prod-deps "$SOURCE/package-lock.json")
  place_tree "$staging/node_modules" "$PREFIX/node_modules"
  rm -rf "$staging"
}
