#!/usr/bin/env bash
# PhotoSync on a headless Linux server (run as root). Idempotent: re-run it to upgrade; data is never deleted.
#   curl -fsSL https://raw.githubusercontent.com/viktorvishyn369/PhotoSync/main/scripts/install-server.sh | sudo bash
#   sudo scripts/install-server.sh [--source DIR | --archive FILE.tar.gz] [--port N] | --uninstall [--purge]
# App in /opt/photosync (current -> releases/<version>), data in /var/lib/photosync (system user photosync),
# settings with a generated JWT secret in /etc/photosync/photosync.env (0600), the hardened unit
# photosync.service (from scripts/photosync.service), a firewall rule when ufw or firewalld is active.
# Source: --source (a checkout), --archive (.sha256 and .sha256.sig beside it), this script's checkout, or
# else the latest signed release from the feed (PHOTOSYNC_UPDATE_URL). --uninstall keeps data unless --purge.
# Overrides for tests: PHOTOSYNC_PREFIX, PHOTOSYNC_DEPS_COMMAND, PHOTOSYNC_SYSTEMCTL, PHOTOSYNC_RELEASE_PUBLIC_KEY.
set -euo pipefail
umask 022

FEED_DEFAULT='https://api.github.com/repos/viktorvishyn369/PhotoSync/releases/latest'
RELEASE_PUBLIC_KEY='-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAHTJND/chooPeqOZdc/qoMGIul/k1iiB5hfcpo7Bl61U=
-----END PUBLIC KEY-----'

say() { printf '==> %s\n' "$*"; }
die() { printf 'install-server.sh: %s\n' "$*" >&2; exit 1; }

parse_args() {
  UNINSTALL=0 PURGE=0 SOURCE="${PHOTOSYNC_SOURCE:-}" ARCHIVE="${PHOTOSYNC_ARCHIVE:-}" PORT_ARG="${PHOTOSYNC_PORT:-}"
  while [ $# -gt 0 ]; do
    case "$1" in
      --uninstall) UNINSTALL=1 ;;
      --purge) PURGE=1 ;;
      --source) SOURCE="${2:?--source needs a folder}"; shift ;;
      --archive) ARCHIVE="${2:?--archive needs a file}"; shift ;;
      --port) PORT_ARG="${2:?--port needs a number}"; shift ;;
      -h|--help) sed -n '2,10p' "${BASH_SOURCE[0]:-/dev/null}" 2>/dev/null || true; exit 0 ;;
      *) die "unknown option $1 (see --help)" ;;
    esac
    shift
  done
  [ "$PURGE" = 0 ] || [ "$UNINSTALL" = 1 ] || die "--purge only goes with --uninstall"
  case "$PORT_ARG" in ''|*[!0-9]*) [ -z "$PORT_ARG" ] || die "--port must be a number" ;; esac
}

set_paths() {
  PREFIX="${PHOTOSYNC_PREFIX:-}"
  APP_DIR="$PREFIX/opt/photosync" DATA_DIR="$PREFIX/var/lib/photosync" CONF_DIR="$PREFIX/etc/photosync"
  ENV_FILE="$CONF_DIR/photosync.env" UNIT="$PREFIX/etc/systemd/system/photosync.service"
  SYSTEMCTL="${PHOTOSYNC_SYSTEMCTL:-systemctl}"
}

node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'
}

ensure_node() {
  node_ok && return
  say "Node.js 20.19 or newer is needed; trying the system package manager"
  local pm
  for pm in "apt-get install -y" "dnf install -y" "yum install -y" "zypper --non-interactive install" "pacman -S --noconfirm" "apk add"; do
    command -v "${pm%% *}" >/dev/null 2>&1 || continue
    [ "${pm%% *}" != apt-get ] || apt-get update </dev/null >/dev/null || true
    # shellcheck disable=SC2086 # $pm is a command with its options
    DEBIAN_FRONTEND=noninteractive $pm nodejs npm </dev/null || true
    break
  done
  node_ok || die "Node.js 20.19+ is required, and this system's packages do not provide it (found: $(node --version 2>/dev/null || echo none)).
Install Node.js 20 or newer system-wide (https://nodejs.org/en/download, or your distribution's NodeSource or backports packages), then run this script again."
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

# Sets SRC_DIR (a folder holding the app) and VERSION.
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
    tar -xzf "$ARCHIVE" -C "$WORK/src" --strip-components=1 --no-same-owner
    SOURCE="$WORK/src"
  fi
  [ -f "$SOURCE/package.json" ] || die "$SOURCE is not a PhotoSync folder"
  VERSION="$(node -p 'const p = require(process.argv[1]); if (p.name !== "photosync") throw new Error("not PhotoSync"); p.version' "$SOURCE/package.json")"
}

ensure_user() {
  if ! id -u photosync >/dev/null 2>&1; then
    useradd --system --user-group --home-dir "$DATA_DIR" --no-create-home \
      --shell "$(command -v nologin || echo /usr/sbin/nologin)" --comment 'PhotoSync server' photosync
    say "Created the system user photosync"
  fi
  install -d -m 0750 -o photosync -g photosync "$DATA_DIR"
  chown photosync:photosync "$DATA_DIR" # the top only: existing data keeps its owners
}

# Copy the app into releases/<version>, install production dependencies, self-test, switch `current`.
place_release() {
  local target="$APP_DIR/releases/$VERSION" stage="$APP_DIR/releases/.install-$VERSION.$$"
  mkdir -p "$APP_DIR/releases" "$APP_DIR/backups"
  if [ "$(readlink "$APP_DIR/current" 2>/dev/null)" = "releases/$VERSION" ] && [ -d "$target" ]; then
    say "PhotoSync $VERSION is already installed in $target"
    return
  fi
  [ ! -e "$APP_DIR/current" ] || [ -L "$APP_DIR/current" ] || die "$APP_DIR/current exists and is not a link; move it away first"
  say "Installing PhotoSync $VERSION into $target"
  rm -rf "$stage" && mkdir -p "$stage"
  (cd "$SOURCE" && tar -cf - --exclude=node_modules --exclude=./.git --exclude=./data --exclude=./dist \
    --exclude=./coverage --exclude=./.env --exclude=./bench/.work .) | (cd "$stage" && tar -xf - --no-same-owner)
  if ! (cd "$stage" && sh -c "${PHOTOSYNC_DEPS_COMMAND:-npm ci --omit=dev --no-audit --no-fund}" </dev/null &&
    PHOTOSYNC_UPDATE_CHECK=off node --import tsx apps/server/src/update-main.ts self-test >/dev/null); then
    rm -rf "$stage"
    die "installing dependencies failed; nothing was changed"
  fi
  rm -rf "$target" && mv "$stage" "$target"
  ln -sfn "releases/$VERSION" "$APP_DIR/.current.new" && mv -Tf "$APP_DIR/.current.new" "$APP_DIR/current"
}

write_config() {
  install -d -m 0755 "$CONF_DIR"
  if [ -f "$ENV_FILE" ]; then
    [ -z "$PORT_ARG" ] || sed -i "s/^PORT=.*/PORT=$PORT_ARG/" "$ENV_FILE"
    PORT="$(sed -n 's/^PORT=//p' "$ENV_FILE" | tail -n 1)"
    PORT="${PORT:-3000}"
    say "Keeping the settings in $ENV_FILE"
    return
  fi
  PORT="${PORT_ARG:-3000}"
  local secret
  secret="$(node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("hex"))')"
  (umask 077 && printf '%s\n' '# PhotoSync server settings, read by photosync.service. Variables: README "Configuration".' \
    "PORT=$PORT" 'HOST=0.0.0.0' "PHOTOSYNC_DATA_DIR=$DATA_DIR" "JWT_SECRET=$secret" \
    ${PHOTOSYNC_UPDATE_URL:+"PHOTOSYNC_UPDATE_URL=$PHOTOSYNC_UPDATE_URL"} >"$ENV_FILE.tmp")
  chown root:root "$ENV_FILE.tmp" && chmod 0600 "$ENV_FILE.tmp" && mv "$ENV_FILE.tmp" "$ENV_FILE"
  say "Wrote $ENV_FILE (0600) with a generated JWT secret"
}

install_unit() {
  local node_bin
  node_bin="$(command -v node)"
  case "$node_bin" in /home/* | /root/*) say "warning: $node_bin is under a home directory, which the hardened service cannot read" ;; esac
  mkdir -p "$(dirname "$UNIT")"
  sed -e "s#/opt/photosync#$APP_DIR#g" -e "s#/var/lib/photosync#$DATA_DIR#g" -e "s#/etc/photosync#$CONF_DIR#g" \
    -e "s#^ExecStart=/usr/bin/node #ExecStart=$node_bin #" "$APP_DIR/current/scripts/photosync.service" >"$UNIT.tmp"
  mv "$UNIT.tmp" "$UNIT"
}

firewall() { # $1 = allow | delete
  if command -v ufw >/dev/null 2>&1 && ufw status 2>/dev/null | grep -q '^Status: active'; then
    if [ "$1" = allow ]; then ufw allow "$PORT/tcp" </dev/null; else ufw delete allow "$PORT/tcp" </dev/null || true; fi
    say "ufw: $1 TCP $PORT"
  elif command -v firewall-cmd >/dev/null 2>&1 && firewall-cmd --state >/dev/null 2>&1; then
    firewall-cmd --permanent "--$([ "$1" = allow ] && echo add || echo remove)-port=$PORT/tcp" </dev/null && firewall-cmd --reload </dev/null
    say "firewalld: $1 TCP $PORT"
  elif [ "$1" = allow ]; then
    say "No active ufw or firewalld; if another firewall is in use, allow TCP port $PORT"
  fi
}

systemd_available() { [ -n "${PHOTOSYNC_SYSTEMCTL:-}" ] || { command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; }; }

start_service() {
  if ! systemd_available; then
    say "systemd is not running here; the unit is installed: start it with  systemctl enable --now photosync"
    return
  fi
  "$SYSTEMCTL" daemon-reload </dev/null && "$SYSTEMCTL" enable photosync </dev/null && "$SYSTEMCTL" restart photosync </dev/null
}

uninstall() {
  PORT="$(sed -n 's/^PORT=//p' "$ENV_FILE" 2>/dev/null | tail -n 1)" && PORT="${PORT:-3000}"
  if systemd_available; then "$SYSTEMCTL" disable --now photosync </dev/null || true; fi
  rm -f "$UNIT" && rm -rf "${APP_DIR:?}"
  if systemd_available; then "$SYSTEMCTL" daemon-reload </dev/null || true; fi
  firewall delete
  if [ "$PURGE" = 1 ]; then
    rm -rf "${DATA_DIR:?}" "${CONF_DIR:?}"
    if id -u photosync >/dev/null 2>&1; then userdel photosync || true; fi
    say "Removed PhotoSync, its data, settings and user"
  else
    say "Removed PhotoSync. Kept your data in $DATA_DIR and settings in $CONF_DIR (remove them with --uninstall --purge)"
  fi
}

main() {
  parse_args "$@"
  [ "$(id -u)" = 0 ] || die "run as root (sudo bash install-server.sh), or use scripts/install.sh for a desktop"
  set_paths
  if [ "$UNINSTALL" = 1 ]; then uninstall; return; fi
  ensure_node
  obtain_source
  ensure_user
  place_release
  write_config
  install_unit
  firewall allow
  start_service
  local ip="" && ip="$(hostname -I 2>/dev/null | awk '{print $1}')"
  say "PhotoSync $VERSION is installed. Phones connect to ${ip:-this server}:$PORT"
  say "Status: systemctl status photosync   Logs: journalctl -u photosync -f   Update: cd $APP_DIR/current && npm run update"
}

main "$@"
