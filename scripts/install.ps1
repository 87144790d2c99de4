<#
  PhotoSync on Windows, for the current user. Never prompts; run it again to upgrade (data is never deleted).
    irm https://raw.githubusercontent.com/viktorvishyn369/PhotoSync/main/scripts/install.ps1 | iex
    .\scripts\install.ps1 [-Source DIR | -Archive FILE.tar.gz] [-Port 3000]
  Run PowerShell as Administrator to have the Windows Firewall rule added (otherwise it says how).
  Installs into %USERPROFILE%\PhotoSync (PHOTOSYNC_HOME): current (a junction) -> releases\<version>, data\
  (your library), photosync.env (settings), start-photosync.ps1; a scheduled task "PhotoSync" that starts the
  server at logon; an inbound firewall rule for the port on private networks.
  Source: -Source/PHOTOSYNC_SOURCE (a checkout), -Archive/PHOTOSYNC_ARCHIVE (a release archive with .sha256
  and .sha256.sig beside it), this script's own checkout, or else the latest release from the feed
  (PHOTOSYNC_UPDATE_URL). Archives must carry a valid signature by the PhotoSync release key.
#>
param(
  [string]$Source = $env:PHOTOSYNC_SOURCE,
  [string]$Archive = $env:PHOTOSYNC_ARCHIVE,
  [int]$Port = 0
)
$ErrorActionPreference = 'Stop'
$FeedDefault = 'https://api.github.com/repos/viktorvishyn369/PhotoSync/releases/latest'
$ReleasePublicKey = @'
-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAHTJND/chooPeqOZdc/qoMGIul/k1iiB5hfcpo7Bl61U=
-----END PUBLIC KEY-----
'@
$VerifyRelease = @'
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
'@

function Say([string]$Text) { Write-Host "==> $Text" }

function Test-Node {
  try { $nodeVersion = (& node --version) -replace '^v', '' } catch { return $false }
  $parts = $nodeVersion.Split('.')
  return ([int]$parts[0] -gt 20) -or ([int]$parts[0] -eq 20 -and [int]$parts[1] -ge 19)
}

function Confirm-Node {
  if (Test-Node) { return }
  if (Get-Command winget -ErrorAction SilentlyContinue) {
    Say 'Node.js 20.19 or newer is needed; installing Node.js LTS with winget'
    winget install --id OpenJS.NodeJS.LTS --exact --silent --accept-source-agreements --accept-package-agreements | Out-Host
    $env:Path = [Environment]::GetEnvironmentVariable('Path', 'Machine') + ';' + [Environment]::GetEnvironmentVariable('Path', 'User')
  }
  if (-not (Test-Node)) {
    throw 'Node.js 20.19+ is required. Install it from https://nodejs.org/en/download (LTS), then run this script again.'
  }
}

function Get-Source([string]$Work) {
  $here = if ($PSScriptRoot) { Split-Path -Parent $PSScriptRoot } else { '' }
  if (-not $Archive -and -not $Source -and $here -and (Test-Path "$here\package.json") -and
    ((Get-Content "$here\package.json" -Raw) -match '"name": "photosync"')) { $script:Source = $here }
  if ($Archive -or -not $Source) {
    $verifier = Join-Path $Work 'verify-release.cjs'
    Set-Content -Path $verifier -Value $VerifyRelease -Encoding UTF8
    $env:PHOTOSYNC_KEY_PEM = if ($env:PHOTOSYNC_RELEASE_PUBLIC_KEY) { Get-Content $env:PHOTOSYNC_RELEASE_PUBLIC_KEY -Raw } else { $ReleasePublicKey }
    if ($Archive) { $verified = & node $verifier file $Archive $Work }
    else {
      $feed = if ($env:PHOTOSYNC_UPDATE_URL) { $env:PHOTOSYNC_UPDATE_URL } else { $FeedDefault }
      Say "Downloading the latest release from $feed"
      $verified = & node $verifier feed $feed $Work
    }
    if ($LASTEXITCODE -ne 0) { throw 'Refusing the release: it is not a verified PhotoSync release.' }
    $unpacked = New-Item -ItemType Directory -Path (Join-Path $Work 'src')
    tar -xzf $verified -C $unpacked.FullName --strip-components=1
    if ($LASTEXITCODE -ne 0) { throw 'Could not unpack the release archive.' }
    $script:Source = $unpacked.FullName
  }
  $manifest = Get-Content (Join-Path $Source 'package.json') -Raw | ConvertFrom-Json
  if ($manifest.name -ne 'photosync') { throw "$Source is not a PhotoSync folder" }
  return $manifest.version
}

function Install-Release([string]$Root, [string]$Version) {
  $releases = Join-Path $Root 'releases'
  $target = Join-Path $releases $Version
  $current = Join-Path $Root 'current'
  New-Item -ItemType Directory -Force -Path $releases, (Join-Path $Root 'backups'), (Join-Path $Root 'data'), (Join-Path $Root 'logs') | Out-Null
  if ((Test-Path $current) -and ((Get-Item $current).Target -eq $target) -and (Test-Path $target)) {
    Say "PhotoSync $Version is already installed in $target"
    return
  }
  Say "Installing PhotoSync $Version into $target"
  $stage = Join-Path $releases ".install-$Version-$PID"
  robocopy $Source $stage /E /NFL /NDL /NJH /NJS /NP /XD node_modules .git data dist coverage /XF .env | Out-Null
  if ($LASTEXITCODE -ge 8) { throw "Copying $Source failed" }
  Push-Location $stage
  try {
    npm ci --omit=dev --no-audit --no-fund
    if ($LASTEXITCODE -eq 0) { $env:PHOTOSYNC_UPDATE_CHECK = 'off'; node --import tsx apps\server\src\update-main.ts self-test | Out-Null }
    $ok = $LASTEXITCODE -eq 0
  } finally { Pop-Location; Remove-Item Env:\PHOTOSYNC_UPDATE_CHECK -ErrorAction SilentlyContinue }
  if (-not $ok) { Remove-Item -Recurse -Force $stage; throw 'Installing dependencies failed; nothing was changed.' }
  if (Test-Path $target) { Remove-Item -Recurse -Force $target }
  Move-Item $stage $target
  if (Test-Path $current) { cmd /c rmdir "$current" | Out-Null } # removes the junction only, never its target
  New-Item -ItemType Junction -Path $current -Target $target | Out-Null
}

function Write-Settings([string]$Root) {
  $envFile = Join-Path $Root 'photosync.env'
  if (Test-Path $envFile) {
    if ($Port -gt 0) { (Get-Content $envFile) -replace '^PORT=.*', "PORT=$Port" | Set-Content $envFile }
    $line = Get-Content $envFile | Where-Object { $_ -match '^PORT=' } | Select-Object -Last 1
    $script:Port = if ($line) { [int]($line -replace '^PORT=', '') } else { 3000 }
    Say "Keeping your settings in $envFile"
    return
  }
  if ($Port -le 0) { $script:Port = 3000 }
  $lines = @('# PhotoSync settings (read at start). Variables: README "Configuration".', "PORT=$Port", "PHOTOSYNC_DATA_DIR=$(Join-Path $Root 'data')")
  if ($env:PHOTOSYNC_UPDATE_URL) { $lines += "PHOTOSYNC_UPDATE_URL=$($env:PHOTOSYNC_UPDATE_URL)" }
  Set-Content -Path $envFile -Value $lines -Encoding ASCII
}

function Register-StartAtLogon([string]$Root) {
  $launcher = Join-Path $Root 'start-photosync.ps1'
  Set-Content -Path $launcher -Encoding ASCII -Value @'
# Started at logon by the scheduled task "PhotoSync": reads photosync.env, runs the server in current\.
# libuv's thread pool of 16 (docs\DECISIONS.md) unless UV_THREADPOOL_SIZE is set already or in photosync.env.
if (-not $env:UV_THREADPOOL_SIZE) { $env:UV_THREADPOOL_SIZE = '16' }
$root = Split-Path -Parent $MyInvocation.MyCommand.Path
Get-Content (Join-Path $root 'photosync.env') | Where-Object { $_ -match '^[A-Za-z_][A-Za-z0-9_]*=' } | ForEach-Object {
  $name, $value = $_ -split '=', 2; Set-Item -Path "Env:\$name" -Value $value }
Set-Location (Join-Path $root 'current')
& node --import tsx apps\server\src\main.ts *>> (Join-Path $root 'logs\server.log')
'@
  $action = New-ScheduledTaskAction -Execute 'powershell.exe' -WorkingDirectory $Root `
    -Argument "-NoProfile -WindowStyle Hidden -ExecutionPolicy Bypass -File `"$launcher`""
  $trigger = New-ScheduledTaskTrigger -AtLogOn -User $env:USERNAME
  $settings = New-ScheduledTaskSettingsSet -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries `
    -ExecutionTimeLimit ([TimeSpan]::Zero) -RestartCount 3 -RestartInterval (New-TimeSpan -Minutes 1)
  Register-ScheduledTask -TaskName 'PhotoSync' -Action $action -Trigger $trigger -Settings $settings `
    -Description 'PhotoSync photo backup server' -Force | Out-Null
  Stop-ScheduledTask -TaskName 'PhotoSync' -ErrorAction SilentlyContinue
  Start-ScheduledTask -TaskName 'PhotoSync'
  Say 'Starts at logon (scheduled task "PhotoSync"); started now'
}

function Open-FirewallPort {
  $admin = ([Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent()).IsInRole(
    [Security.Principal.WindowsBuiltInRole]::Administrator)
  $name = "PhotoSync (TCP $Port)"
  if (-not $admin) { Say "Not Administrator: allow inbound TCP $Port in Windows Defender Firewall, or re-run as Administrator"; return }
  if (-not (Get-NetFirewallRule -DisplayName $name -ErrorAction SilentlyContinue)) {
    New-NetFirewallRule -DisplayName $name -Direction Inbound -Action Allow -Protocol TCP -LocalPort $Port -Profile Private, Domain | Out-Null
  }
  Say "Windows Firewall allows inbound TCP $Port on private networks"
}

$root = if ($env:PHOTOSYNC_HOME) { $env:PHOTOSYNC_HOME } else { Join-Path $env:USERPROFILE 'PhotoSync' }
$work = New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) "photosync-$PID")
try {
  Confirm-Node
  $version = Get-Source $work.FullName
  Install-Release $root $version
  Write-Settings $root
  Register-StartAtLogon $root
  Open-FirewallPort
  Say "PhotoSync $version is installed in $root. Phones connect to this PC's IPv4 address (ipconfig), port $Port"
  Say "Update later with: cd $root\current; npm run update"
} finally {
  Remove-Item -Recurse -Force $work.FullName -ErrorAction SilentlyContinue
}
