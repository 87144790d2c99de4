#!/usr/bin/env bash
# PhotoSync on a desktop (macOS or Linux), for the current user; no root needed except to install Node.js.
#   curl -fsSL https://raw.githubusercontent.com/viktorvishyn369/PhotoSync/main/scripts/install.sh | bash
#   scripts/install.sh [--source DIR | --archive FILE.tar.gz] [--port N]
# Installs into ~/PhotoSync (PHOTOSYNC_HOME): current -> releases/<version>, data/ (your library; never
# deleted or moved), photosync.env (settings), and starts the server at login (systemd --user on Linux,
# a launchd agent on macOS). Run it again to upgrade. It never asks questions, so it works from a pipe.
# Source: --source/PHOTOSYNC_SOURCE (a checkout), --archive/PHOTOSYNC_ARCHIVE (a release archive with
# .sha256 and .sha256.sig beside it), this script's own checkout, or else the latest release from the
# feed (PHOTOSYNC_UPDATE_URL); archives must carry a valid signature. For tests: PHOTOSYNC_DEPS_COMMAND
# (instead of npm ci), PHOTOSYNC_SYSTEMCTL / PHOTOSYNC_LAUNCHCTL, PHOTOSYNC_RELEASE_PUBLIC_KEY (a PEM file).
set -euo pipefail

FEED_DEFAULT='https://api.github.com/repos/viktorvishyn369/PhotoSync/releases/latest'
RELEASE_PUBLIC_KEY='-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAHTJND/chooPeqOZdc/qoMGIul/k1iiB5hfcpo7Bl61U=
-----END PUBLIC KEY-----'

say() { printf '==> %s\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

parse_args() {
  SOURCE="${PHOTOSYNC_SOURCE:-}" ARCHIVE="${PHOTOSYNC_ARCHIVE:-}" PORT_ARG="${PHOTOSYNC_PORT:-}"
  while [ $# -gt 0 ]; do
    case "$1" in
      --source) SOURCE="${2:?--source needs a folder}"; shift ;;
      --archive) ARCHIVE="${2:?--archive needs a file}"; shift ;;
      --port) PORT_ARG="${2:?--port needs a number}"; shift ;;
      -h|--help) sed -n '2,11p' "${BASH_SOURCE[0]:-/dev/null}" 2>/dev/null || true; exit 0 ;;
      *) die "unknown option $1 (see --help)" ;;
    esac
    shift
  done
  case "$PORT_ARG" in ''|*[!0-9]*) [ -z "$PORT_ARG" ] || die "--port must be a number" ;; esac
  ROOT="${PHOTOSYNC_HOME:-$HOME/PhotoSync}"
  DATA_DIR="$ROOT/data" ENV_FILE="$ROOT/photosync.env"
}

node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else return 1; fi; }

ensure_node() {
  node_ok && return
  say "Node.js 20.19 or newer is needed; trying to install it"
  if [ "$(uname -s)" = Darwin ]; then
    if command -v brew >/dev/null 2>&1; then brew install node </dev/null || true; fi
  elif command -v apt-get >/dev/null 2>&1; then
    as_root apt-get update </dev/null >/dev/null || true
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y nodejs npm </dev/null || true
  elif command -v dnf >/dev/null 2>&1; then as_root dnf install -y nodejs npm </dev/null || true
  elif command -v pacman >/dev/null 2>&1; then as_root pacman -S --noconfirm nodejs npm </dev/null || true
  elif command -v zypper >/dev/null 2>&1; then as_root zypper --non-interactive install nodejs npm </dev/null || true
  fi
  node_ok || die "Node.js 20.19+ is required and could not be installed automatically (found: $(node --version 2>/dev/null || echo none)).
Install Node.js 20 or newer (macOS: https://brew.sh then 'brew install node'; any system: https://nodejs.org/en/download), then run this script again."
}

# Verify a release archive (feed download or local file) against the release key; prints the archive path.
verify_release() {
  local key="$RELEASE_PUBLIC_KEY"
  [ -z "${PHOTOSYNC_RELEASE_PUBLIC_KEY:-}" ] || key="$(cat "$PHOTOSYNC_RELEASE_PUBLIC_KEY")"
  PHOTOSYNC_KEY_PEM="$key" node - "$@" <<'NODE'
// release-verify v1: identical in install.sh, install-server.sh and install.ps1 (a test checks)
const { createHash, verify } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const [mode, target, work] = process.argv.slice(2);
const get = async (url) => {
  const response = await fetch(url, { headers: { 'user-agent': 'PhotoSync-installer' }, signal: AbortSignal.timeout(600000) });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
};
(async () => {
  let archive = target;
  const asset = {};
  if (mode === 'feed') {
    const release = JSON.parse((await get(target)).toString());
    const name = `photosync-${String(release.tag_name).replace(/^v/, '')}.tar.gz`;
    for (const wanted of [name, `${name}.sha256`, `${name}.sha256.sig`]) {
      const found = (release.assets || []).find((candidate) => candidate.name === wanted);
      if (!found) throw new Error(`release ${release.tag_name} has no ${wanted} (unsigned releases are refused)`);
      asset[wanted] = await get(found.browser_download_url);
    }
    archive = path.join(work, name);
    fs.writeFileSync(archive, asset[name]);
  }
  const read = (suffix) => asset[path.basename(archive) + suffix] || fs.readFileSync(archive + suffix);
  const sums = read('.sha256');
  const signature = Buffer.from(read('.sha256.sig').toString().trim(), 'base64');
  if (signature.length !== 64 || !verify(null, sums, process.env.PHOTOSYNC_KEY_PEM, signature)) {
    throw new Error('the signature does not match the PhotoSync release key');
  }
  const [hash, file] = sums.toString().trim().split(/\s+\*?/);
  if (file !== path.basename(archive)) throw new Error(`the signed checksum is for ${file}`);
  if (createHash('sha256').update(fs.readFileSync(archive)).digest('hex') !== hash) {
    throw new Error('the archive does not match its signed SHA-256');
  }
  process.stdout.write(`${archive}\n`);
})().catch((error) => {
  process.stderr.write(`release verification failed: ${error.message}\n`);
  process.exit(1);
});
// end release-verify
NODE
}

# Sets SOURCE (a folder holding the app) and VERSION.
obtain_source() {
  local here=""
  if [ -n "${BASH_SOURCE[0]:-}" ] && [ -f "${BASH_SOURCE[0]}" ]; then here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"; fi
  WORK="$(mktemp -d)"
  trap 'rm -rf "$WORK"' EXIT
  if [ -z "$ARCHIVE" ] && [ -z "$SOURCE" ] && [ -n "$here" ] && grep -q '"name": "photosync"' "$here/package.json" 2>/dev/null; then
    SOURCE="$here"
  fi
  if [ -n "$ARCHIVE" ]; then
    ARCHIVE="$(verify_release file "$ARCHIVE" "$WORK")" || die "refusing $ARCHIVE: it is not a verified PhotoSync release"
  elif [ -z "$SOURCE" ]; then
    say "Downloading the latest release from ${PHOTOSYNC_UPDATE_URL:-$FEED_DEFAULT}"
    ARCHIVE="$(verify_release feed "${PHOTOSYNC_UPDATE_URL:-$FEED_DEFAULT}" "$WORK")" || die "could not download a verified release"
  fi
  if [ -n "$ARCHIVE" ]; then
    mkdir -p "$WORK/src"
    tar -xzf "$ARCHIVE" -C "$WORK/src" --strip-components=1
    SOURCE="$WORK/src"
  fi
  [ -f "$SOURCE/package.json" ] || die "$SOURCE is not a PhotoSync folder"
  VERSION="$(node -p 'const p = require(process.argv[1]); if (p.name !== "photosync") throw new Error("not PhotoSync"); p.version' "$SOURCE/package.json")"
}

# Copy the app into releases/<version>, install production dependencies, self-test, switch `current`.
place_release() {
  local target="$ROOT/releases/$VERSION" stage="$ROOT/releases/.install-$VERSION.$$"
  mkdir -p "$ROOT/releases" "$ROOT/backups" "$DATA_DIR"
  if [ "$(readlink "$ROOT/current" 2>/dev/null)" = "releases/$VERSION" ] && [ -d "$target" ]; then
    say "PhotoSync $VERSION is already installed in $target"
    return
  fi
  [ ! -e "$ROOT/current" ] || [ -L "$ROOT/current" ] || die "$ROOT/current exists and is not a link; move it away first"
  say "Installing PhotoSync $VERSION into $target"
  rm -rf "$stage" && mkdir -p "$stage"
  (cd "$SOURCE" && tar -cf - --exclude=node_modules --exclude=./.git --exclude=./data --exclude=./dist \
    --exclude=./coverage --exclude=./.env --exclude=./bench/.work .) | (cd "$stage" && tar -xf -)
  if ! (cd "$stage" && sh -c "${PHOTOSYNC_DEPS_COMMAND:-npm ci --omit=dev --no-audit --no-fund}" </dev/null &&
    PHOTOSYNC_UPDATE_CHECK=off node --import tsx apps/server/src/update-main.ts self-test >/dev/null); then
    rm -rf "$stage"
    die "installing dependencies failed; nothing was changed"
  fi
  rm -rf "$target" && mv "$stage" "$target"
  ln -sfn "releases/$VERSION" "$ROOT/.current.new"
  if [ "$(uname -s)" = Darwin ]; then
    rm -f "$ROOT/.current.new" && ln -sfh "releases/$VERSION" "$ROOT/current" # BSD mv cannot replace a link
  else
    mv -Tf "$ROOT/.current.new" "$ROOT/current" # one atomic rename
  fi
}

write_config() {
  if [ -f "$ENV_FILE" ]; then
    if [ -n "$PORT_ARG" ]; then sed -i.bak "s/^PORT=.*/PORT=$PORT_ARG/" "$ENV_FILE" && rm -f "$ENV_FILE.bak"; fi
    PORT="$(sed -n 's/^PORT=//p' "$ENV_FILE" | tail -n 1)" && PORT="${PORT:-3000}"
    say "Keeping your settings in $ENV_FILE"
    return
  fi
  PORT="${PORT_ARG:-3000}"
  (umask 077 && printf '%s\n' '# PhotoSync settings (read at start). Variables: README "Configuration".' \
    "PORT=$PORT" "PHOTOSYNC_DATA_DIR=$DATA_DIR" ${PHOTOSYNC_UPDATE_URL:+"PHOTOSYNC_UPDATE_URL=$PHOTOSYNC_UPDATE_URL"} >"$ENV_FILE")
}

start_at_login_linux() {
  local unit_dir="${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user" systemctl="${PHOTOSYNC_SYSTEMCTL:-systemctl}"
  mkdir -p "$unit_dir"
  printf '%s\n' '[Unit]' 'Description=PhotoSync photo backup server' 'After=network-online.target' '' '[Service]' \
    "WorkingDirectory=$ROOT/current" "EnvironmentFile=$ENV_FILE" 'Environment=UV_THREADPOOL_SIZE=16' \
    "ExecStart=$(command -v node) --import tsx apps/server/src/main.ts" \
    'Restart=on-failure' 'RestartSec=5' '' '[Install]' 'WantedBy=default.target' >"$unit_dir/photosync.service"
  if [ -n "${PHOTOSYNC_SYSTEMCTL:-}" ] || "$systemctl" --user show-environment >/dev/null 2>&1; then
    "$systemctl" --user daemon-reload </dev/null && "$systemctl" --user enable photosync </dev/null &&
      "$systemctl" --user restart photosync </dev/null
    say "Starts at login (systemd --user). Status: systemctl --user status photosync"
  else
    say "No systemd user session here; start it with: cd $ROOT/current && set -a && . $ENV_FILE && npm start"
  fi
}

start_at_login_macos() {
  local plist="$HOME/Library/LaunchAgents/com.photosync.server.plist" launchctl="${PHOTOSYNC_LAUNCHCTL:-launchctl}"
  mkdir -p "$(dirname "$plist")" "$ROOT/logs"
  cat >"$plist" <<PLIST
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
  <key>Label</key><string>com.photosync.server</string>
  <key>ProgramArguments</key><array><string>/bin/sh</string><string>-c</string>
    <string>set -a; UV_THREADPOOL_SIZE="\${UV_THREADPOOL_SIZE:-16}"; . "$ENV_FILE"; exec "$(command -v node)" --import tsx apps/server/src/main.ts</string></array>
  <key>WorkingDirectory</key><string>$ROOT/current</string>
  <key>RunAtLoad</key><true/>
  <key>KeepAlive</key><dict><key>SuccessfulExit</key><false/></dict>
  <key>StandardOutPath</key><string>$ROOT/logs/server.log</string>
  <key>StandardErrorPath</key><string>$ROOT/logs/server.log</string>
</dict></plist>
PLIST
  "$launchctl" bootout "gui/$(id -u)/com.photosync.server" </dev/null 2>/dev/null || true
  "$launchctl" bootstrap "gui/$(id -u)" "$plist" </dev/null
  say "Starts at login (launchd agent com.photosync.server). Logs: $ROOT/logs/server.log"
}

main() {
  parse_args "$@"
  ensure_node
  obtain_source
  place_release
  write_config
  if [ "$(uname -s)" = Darwin ]; then start_at_login_macos; else start_at_login_linux; fi
  say "PhotoSync $VERSION is installed in $ROOT (data: $DATA_DIR). Phones connect to this computer's LAN address, port $PORT"
  say "Update later with: cd $ROOT/current && npm run update"
}

main "$@"
