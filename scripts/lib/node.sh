# shellcheck shell=bash disable=SC2034
# Finding Node ≥ 20 (docs/reference/cpanel-plugins.md §11): cPanel's EasyApache ea-nodejsNN packages first, newest
# first (ea-nodejs24, then 22, then 20: Node 20 is past its end of life, and cPanel keeps its
# packages updated), then `node` on PATH. Hooks, cpwrapd and systemd do not share the login PATH, so
# the absolute path found here is written into the scripts' first lines and the unit's ExecStart.

readonly NODE_MIN_MAJOR=20

node_major() {
  "$1" -e 'process.stdout.write(String(process.versions.node.split(".")[0]))' 2>/dev/null
}

# find_node [EXPLICIT] — sets NODE (runnable here) and NODE_FINAL (the path on the server).
find_node() {
  local explicit=${1:-} candidate major
  local -a candidates=()
  if [[ -n $explicit ]]; then
    candidates=("$explicit")
  else
    while IFS= read -r candidate; do candidates+=("$candidate"); done < <(
      for candidate in "$(R /opt/cpanel)"/ea-nodejs*/bin/node; do [[ -x $candidate ]] && printf '%s\n' "$candidate"; done | sort -V -r
    )
    if command -v node >/dev/null 2>&1; then candidates+=("$(command -v node)"); fi
  fi
  for candidate in "${candidates[@]}"; do
    major=$(node_major "$candidate") || continue
    if [[ $major =~ ^[0-9]+$ ]] && ((major >= NODE_MIN_MAJOR)); then
      NODE=$candidate
      NODE_FINAL=${candidate#"$ROOT"}
      return 0
    fi
    warn "$candidate is Node $major; fix-email-auth needs Node $NODE_MIN_MAJOR or newer"
  done
  die "no Node.js $NODE_MIN_MAJOR or newer found (/opt/cpanel/ea-nodejs*/bin/node, PATH). Install cPanel's package, then run this again:
    dnf install -y ea-nodejs22     # AlmaLinux/Rocky/CloudLinux 8+
    yum install -y ea-nodejs22     # where yum is the package manager
  or pass --node /path/to/node"
}
