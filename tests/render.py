"""Render workbooks as a person sees them: LibreOffice headless → PDF / recalculated xlsx,
poppler → page size, fonts, PNG. Helpers for tests (unit workbooks, summaries, Gantt charts).

Every call uses its own LibreOffice profile and a fontconfig that lists only
`toolkit/fonts/`, so the shipped Noto Sans SC is what renders (no tofu, no host fonts).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FONT_DIR = REPO / "toolkit" / "fonts"
POINTS_PER_MM = 72 / 25.4
PAPER_MM = {"A3": (420, 297), "A4": (297, 210)}


def have_tools() -> bool:
    """Whether soffice and poppler are installed."""
    return all(shutil.which(t) for t in ("soffice", "pdfinfo", "pdffonts", "pdftoppm"))


def _env(work: Path) -> dict[str, str]:
    conf = work / "fonts.conf"
    cache = work / "fontcache"
    cache.mkdir(parents=True, exist_ok=True)
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{FONT_DIR}</dir>\n  <cachedir>{cache}</cachedir>\n</fontconfig>\n",
        encoding="utf-8",
    )
    env = dict(os.environ, FONTCONFIG_FILE=str(conf), HOME=str(work))
    env.pop("DISPLAY", None)
    return env


def convert(src: Path, target: str, outdir: Path, timeout: int = 180) -> Path:
    """`soffice --convert-to target` with a private profile; returns the converted file."""
    src, outdir = Path(src).resolve(), Path(outdir).resolve()  # the profile must be an absolute file:// URL
    work = outdir / ".lo"
    work.mkdir(parents=True, exist_ok=True)
    cmd = [
        "soffice",
        f"-env:UserInstallation=file://{work / 'profile'}",
        "--headless",
        "--norestore",
        "--convert-to",
        target,
        "--outdir",
        str(outdir),
        str(src),
    ]
    with subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(work), start_new_session=True
    ) as proc:
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # soffice.bin outlives a killed launcher otherwise
            raise
    done = subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr)
    ext = target.split(":", 1)[0]
    out = outdir / f"{src.stem}.{ext}"
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(f"soffice failed ({done.returncode}): {done.stdout}\n{done.stderr}")
    return out


def to_pdf(src: Path, outdir: Path) -> Path:
    """Print `src` to PDF the way LibreOffice would (all sheets with content)."""
    return convert(src, "pdf", outdir)


def recalc(src: Path, outdir: Path) -> Path:
    """Recalculate every formula by a round trip through LibreOffice; read it with data_only=True."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    return convert(src, "xlsx:Calc MS Excel 2007 XML", outdir)


def pdf_pages(pdf: Path) -> list[tuple[float, float]]:
    """Page sizes in millimetres (width, height), one per page."""
    out = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out)
    return [(float(w) / POINTS_PER_MM, float(h) / POINTS_PER_MM) for w, h in sizes]


def is_paper(size: tuple[float, float], paper: str, landscape: bool, tolerance_mm: float = 2) -> bool:
    """Whether a page size (mm) is `paper` in the given orientation."""
    w, h = PAPER_MM[paper] if landscape else PAPER_MM[paper][::-1]
    return abs(size[0] - w) <= tolerance_mm and abs(size[1] - h) <= tolerance_mm


def pdf_fonts(pdf: Path) -> list[str]:
    """Names of the fonts embedded in a PDF (subset prefixes removed)."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    names = [line.split()[0] for line in out.splitlines()[2:] if line.strip()]
    return [n.split("+", 1)[-1] for n in names]


def pdf_text(pdf: Path) -> str:
    """The text layer of a PDF (pdftotext -layout)."""
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def page_png(pdf: Path, outdir: Path, page: int = 1, dpi: int = 60) -> Path:
    """Rasterise one page to PNG; returns its path."""
    stem = Path(outdir) / f"{Path(pdf).stem}-p{page}"
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(stem)],
        check=True,
    )
    return stem.with_suffix(".png")


def colour_share(png: Path, rgb: tuple[int, int, int], tolerance: int = 12) -> float:
    """Share of pixels within `tolerance` of `rgb` (to see that a fill colour rendered)."""
    from PIL import Image

    img = Image.open(png).convert("RGB")
    data = img.tobytes()
    hits = sum(1 for i in range(0, len(data), 3) if all(abs(data[i + k] - rgb[k]) <= tolerance for k in range(3)))
    return hits / (img.width * img.height)


CJK_CHARS = re.compile(r"^[\u4e00-\u9fff\u3001\u3002\uff0c\uff1a\uff1b\uff08\uff09]{2,}$")


def cjk_text_sizes(pdf: Path, page: int) -> list[float]:
    """Printed size (pt) of each run of Chinese text on `page`: every ideograph and full-width
    punctuation mark is one em wide, so a word's width divided by its length is its font size."""
    return [(x1 - x0) / len(w) for w, x0, _, x1, _ in word_boxes(pdf, page) if CJK_CHARS.match(w)]


def word_boxes(pdf: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """(word, xMin, yMin, xMax, yMax) of every word on `page`, in points from the top left."""
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [
        (w, float(a), float(b), float(c), float(d))
        for a, b, c, d, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]+)</word>', out
        )
    ]
