# shellcheck shell=bash disable=SC2034
# Output, the --root prefix, and file placement with a manifest (owner and mode of every file).

log() { printf 'fix-email-auth: %s\n' "$*"; }
warn() { printf 'fix-email-auth: warning: %s\n' "$*" >&2; }
die() {
  printf 'fix-email-auth: error: %s\n' "$*" >&2
  exit 1
}

# ROOT is "" on a server, or the staging directory of --root; R prefixes a final path with it.
ROOT=${ROOT:-}
R() { printf '%s%s' "$ROOT" "$1"; }
staged() { [[ -n $ROOT ]]; }

# Anything we placed changed (drives the service restart on upgrades).
CHANGED=0
MANIFEST_LINES=()

# manifest_add KIND MODE PATH — KIND: file, dir (ours, removed on uninstall), tree (a whole copied
# directory), keep (state kept on uninstall unless --purge). Owner is always root:root.
manifest_add() {
  MANIFEST_LINES+=("$1 $2 root:root $3")
}

# Ownership: root on a server; in --root mode nobody is chowned, the manifest records the intent.
own_root() {
  staged || chown -R root:root "$1"
}

# ensure_dir PATH MODE [KIND] — create our directory with its mode; KIND dir (default) or keep.
ensure_dir() {
  local path=$1 mode=$2 kind=${3:-dir}
  mkdir -p "$(R "$path")"
  chmod "$mode" "$(R "$path")"
  own_root "$(R "$path")"
  manifest_add "$kind" "$mode" "$path"
}

# place_file SRC PATH MODE — copy when the content differs, then set mode and owner.
place_file() {
  local src=$1 path=$2 mode=$3 dest
  dest=$(R "$path")
  mkdir -p "$(dirname "$dest")"
  if ! cmp -s "$src" "$dest"; then
    cp "$src" "$dest.new.$$"
    mv -f "$dest.new.$$" "$dest"
    CHANGED=1
  fi
  chmod "$mode" "$dest"
  own_root "$dest"
  manifest_add file "$mode" "$path"
}

# place_text PATH MODE < content — same, from stdin (templated files).
place_text() {
  local path=$1 mode=$2 tmp
  tmp=$(mktemp)
  cat >"$tmp"
  place_file "$tmp" "$path" "$mode"
  rm -f "$tmp"
}

# place_tree SRC PATH — a whole directory (the built package): replaced only when it differs;
# directories 0755, files 0644, executables keep their x bits.
place_tree() {
  local src=$1 path=$2 dest
  dest=$(R "$path")
  if [[ ! -d $dest ]] || ! diff -rq --no-dereference "$src" "$dest" >/dev/null 2>&1; then
    rm -rf "$dest.new.$$"
    mkdir -p "$(dirname "$dest")"
    cp -R "$src" "$dest.new.$$"
    rm -rf "$dest"
    mv "$dest.new.$$" "$dest"
    CHANGED=1
  fi
  chmod -R u=rwX,go=rX "$dest"
  own_root "$dest"
  manifest_add tree 0755 "$path"
}

# The manifest lists itself last; it is written from a here-document, not a pipe, because a pipe
# would run place_text in a subshell and lose what it records.
write_manifest() {
  local node_final=$1 lines
  manifest_add file 0644 "$MANIFEST"
  lines=$(printf '%s\n' "${MANIFEST_LINES[@]}")
  place_text "$MANIFEST" 0644 <<EOF_MANIFEST
# fix-email-auth install manifest: KIND MODE OWNER PATH (final paths; read by uninstall.sh)
# node $node_final
$lines
EOF_MANIFEST
}
