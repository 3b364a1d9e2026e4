"""Re-render the pictures in docs/ from the current code.

Runs `fengong demo` in a temporary folder, prints its outputs with LibreOffice (the helpers of
tests/render.py: private profile, only the shipped font) and rasterises one page of each, small.
The window is photographed under Xvfb. Run from the repository: .venv/bin/python docs/pictures.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent
REPO = DOCS.parent
sys.path.insert(0, str(REPO / "tests"))

from render import page_png, pdf_text, to_pdf  # noqa: E402  (tests/render.py, put on sys.path above)

from toolkit.cli import main  # noqa: E402


def page_with(pdf: Path, words: str, after: int = 0) -> int:
    """The first page (1-based) after page `after` whose text contains `words`."""
    pages = pdf_text(pdf).split("\f")
    return next(i for i, text in enumerate(pages, start=1) if i > after and words in text.replace(" ", ""))


def picture(pdf: Path, page: int, name: str, dpi: int, work: Path) -> None:
    png = page_png(pdf, work, page=page, dpi=dpi)
    shutil.copy(png, DOCS / name)
    print(f"{name}: {pdf.name} 第 {page} 页")


def window_shot(demo: Path, name: str) -> None:
    """The window after checking November's returns, fields filled, photographed under Xvfb."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1024x768x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        display = ":" + pipe.readline().strip()
    code = (
        "import tkinter as tk; from toolkit import gui; from toolkit.actions import validate_folder\n"
        "family = gui.prepare_fonts(); root = tk.Tk(); gui.use_family(root, family); w = gui.Window(root)\n"
        "for k, v in (('报送期次', '2016-11'), ('报送截止', '2016-12-05'), ('联系方式', '区政务办 张三 83000000')):\n"
        "    w.fields[k].set(v)\n"
        f"w._show(validate_folder({str(demo / '收件' / '2016年11月')!r}, {str(demo / '方案.xlsx')!r}))\n"
        "root.geometry('+0+0'); root.update(); root.after(800, root.quit); root.mainloop()\n"
        "from PIL import ImageGrab\n"
        f"ImageGrab.grab().crop((0, 0, root.winfo_width(), root.winfo_height())).save({str(DOCS / name)!r})\n"
    )
    try:
        subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, env=dict(os.environ, DISPLAY=display))
    finally:
        server.kill()
    print(f"{name}: 窗口")


def run() -> None:
    with tempfile.TemporaryDirectory(prefix="fengong-docs-") as tmp:
        work = Path(tmp)
        demo = work / "demo"
        main(["demo", str(demo)])
        plan_pdf = to_pdf(demo / "方案.xlsx", work)
        picture(plan_pdf, 1, "手册-方案.png", 60, work)
        unit = next((demo / "收件" / "2016年11月").glob("区政务办_*.xlsx"))
        unit_pdf = to_pdf(unit, work)
        picture(unit_pdf, 1, "手册-填报说明.png", 60, work)
        picture(unit_pdf, 2, "unit-workbook-page1.png", 60, work)
        a4 = work / "A4"
        main(
            [
                "distribute",
                str(demo / "方案.xlsx"),
                "-o",
                str(a4),
                "--period",
                "2016-11",
                "--paper",
                "A4",
                "--units",
                "区编办",
                "--return-by",
                "2016-12-05",
            ]
        )
        a4_pdf = to_pdf(next(a4.glob("区编办_*.xlsx")), work)
        picture(a4_pdf, 3, "手册-台账A4-第2页.png", 50, work)
        summary = to_pdf(demo / "汇总_2016年12月.xlsx", work)
        picture(summary, 1, "手册-汇总总览.png", 50, work)
        picture(summary, page_with(summary, "状态判断"), "rollup-summary-page.png", 50, work)
        picture(summary, page_with(summary, "进度甘特图"), "gantt-sheet.png", 50, work)
        picture(demo / "甘特图.pdf", 1, "gantt-a3-page1.png", 50, work)
        a4_chart = work / "甘特图A4.pdf"
        main(["gantt", str(demo / "汇总_2016年12月.xlsx"), "-o", str(a4_chart), "--paper", "A4", "--group", "task"])
        picture(a4_chart, 1, "gantt-a4-page1.png", 60, work)
        picture(to_pdf(demo / "通报.docx", work), 1, "bulletin-page1.png", 60, work)
        picture(to_pdf(next((demo / "通知").glob("催报通知_*.docx")), work), 1, "notice-page1.png", 60, work)
        window_shot(demo, "手册-窗口.png")


if __name__ == "__main__":
    run()
