"""Build the Word/Excel members of the import corpus from the tables of the web-text members.

Real plans also arrive as .docx/.xlsx; these files carry the same items as their text
sources (see each `*.gold.json` "same_as"), laid out as offices lay out Word tables: merged
cells, header names such as 责任科室 / 具体内容 / 细化分工 / 责任处室, a notice before a 附件 table.
Run: `.venv/bin/python tests/data/corpus/build_office.py` (writes next to this file).
"""

from __future__ import annotations

import itertools
from pathlib import Path

from docx import Document
from openpyxl import Workbook

HERE = Path(__file__).parent


def _table(doc, header: list[str], rows: list[list[str]]):
    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    for c, name in enumerate(header):
        table.cell(0, c).text = name
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            lines = text.split("\n")
            cell.text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
    return table


def _merge(table, col: int, first: int, last: int) -> None:
    """Merge rows first..last of a column (1-based data rows); the text stays in the first."""
    top = table.cell(first, col)
    text = top.text
    merged = top.merge(table.cell(last, col))
    for p in merged.paragraphs[1:]:
        p._element.getparent().remove(p._element)
    merged.paragraphs[0].text = text


def chizhou() -> None:
    doc = Document()
    doc.add_paragraph("池州市信访局2024年政务公开重点任务清单")
    tasks = [
        "强化行政规范性文件集中规范公开",
        "深化政策解读形式",
        "做好主动公开基础工作",
        "",
        "规范办理依申请公开",
        "认真抓好工作落实",
        "加强宣传",
        "做好指导监督",
    ]
    src = (HERE / "001_chizhou_xfj.txt").read_text(encoding="utf-8").split("\n|\n")
    cells = [c.strip() for c in src[4:] if c.strip() and c.strip() != "|"]
    rows, i = [], 0
    for n in range(1, 9):
        if tasks[n - 1]:
            i += 1  # the task cell
        rows.append([str(n), tasks[n - 1], cells[i + 1], cells[i + 2], cells[i + 3]])
        i += 4
    table = _table(doc, ["序号", "工作任务", "具体内容", "责任科室", "时限要求"], rows)
    _merge(table, 1, 3, 4)
    doc.save(HERE / "016_chizhou.docx")


def dazhu() -> None:
    doc = Document()
    for p in (
        "大竹县人民政府办公室关于对2016年民生实事进行重点督办的通知",
        "竹府办〔2016〕20号",
        "各乡镇人民政府、街道办事处,县级各部门:",
        "为让人民群众生活得更有保障、更加幸福,根据《2016年政府工作报告》安排部署,现将2016年“民生实事”目标任务分解下达。",
        "附件:2016年民生实事目标任务分解表",
        "大竹县人民政府办公室",
        "2016年2月26日",
        "附件",
        "2016年民生实事目标任务分解表",
    ):
        doc.add_paragraph(p)
    rows = [
        ["1", "启动建设东柳河城区段综合治理工程和东湖湿地公园。", "县水务局\n县住建局\n县护城河指挥部", "12月底前"],
        ["2", "新建2座人行天桥。", "县住建局", "9月投入使用"],
        ["3", "启动县图书馆新馆建设。", "县文体广新局\n县代建中心", "12月底前"],
        ["4", "建成县残疾人综合服务中心。", "县残联", "5月底前动工"],
        ["5", "开工建设县老年养护楼。", "县民政局", "5月底前动工"],
        ["", "开工建设老年大学。", "", "12月底前"],
        ["6", "迁建县政务服务中心。", "县政务服务中心\n县代建中心", "12月底前"],
        ["7", "加快推进土地滩水库建设。", "县水务局", "12月底前"],
        ["8", "启动大竹县第十二小学建设,新建中心幼儿园2所。", "县教科局\n县代建中心", "12月底前"],
        ["9", "完成棚户区改造2836户。", "县住建局", "12月底前"],
        ["10", "城区再新建1个农贸市场。", "县商务局", "12月底前"],
    ]
    table = _table(doc, ["序号", "民生实事", "责任单位", "完成时限"], rows)
    _merge(table, 0, 5, 6)
    _merge(table, 2, 5, 6)
    doc.save(HERE / "017_dazhu.docx")


def jiangmen() -> None:
    doc = Document()
    doc.add_paragraph("江门市土地储备中心政务公开工作任务")
    rows = []
    task = ""
    for line in (HERE / "002_jiangmen_sdxs.txt").read_text(encoding="utf-8").splitlines()[1:]:
        cells = [c.strip() for c in line.split("|")]
        if cells[2]:
            task = cells[0]
            rows.append([task, cells[1], cells[2]])
        else:
            rows.append(["", cells[0], cells[1]])
    table = _table(doc, ["工作任务", "细化分工", "责任处室"], [[r[0] or "", r[1], r[2]] for r in rows])
    starts = [i for i, r in enumerate(rows, start=1) if r[0]] + [len(rows) + 1]
    for a, b in itertools.pairwise(starts):
        if b - 1 > a:
            _merge(table, 0, a, b - 1)
    doc.save(HERE / "018_jiangmen.docx")


def liandu() -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["2023年莲都区政府工作报告重点工作责任分解"])
    ws.merge_cells("A1:E1")
    ws.append(["分类", "序号", "事项", "责任单位", "牵头单位"])
    text = (HERE / "010_liandu.txt").read_text(encoding="utf-8")
    cells = [c.strip() for c in text.split("牵头单位", 1)[1].split("\n\n") if c.strip()]
    cells = cells[1:]  # 「发展目标」
    for k in range(0, len(cells), 4):
        num, item, co, lead = cells[k : k + 4]
        ws.append(["发展目标" if k == 0 else None, int(num), item, co, lead])
    ws.merge_cells(f"A3:A{ws.max_row}")
    wb.save(HERE / "019_liandu.xlsx")


def jindong() -> None:
    doc = Document()
    for p in (
        "金东区人民政府办公室关于印发2024年金东区政府民生实事任务分解方案的通知",
        "各乡镇人民政府、街道办事处,区政府各部门:",
        "现将2024年金东区政府民生实事任务分解方案印发给你们,请认真组织实施。",
        "2024年金东区政府民生实事项目分类",
    ):
        doc.add_paragraph(p)
    _table(
        doc,
        ["事项分类", "项目数"],
        [["打造区域教育高地", "2"], ["“医”心为民工程", "3"], ["“防灾救灾”工程", "2"], ["“娃有所托”工程", "2"]],
    )
    doc.add_paragraph("附件")
    doc.add_paragraph("2024年金东区政府民生实事任务分解方案")
    rows = [
        [
            "1",
            "打造区域教育高地",
            "新(改、扩)建一批中小学校",
            "实施新(改、扩)建中小学校5家。",
            "区教体局",
            "东孝街道\n孝顺镇\n傅村镇\n曹宅镇\n澧浦镇\n区发改局\n金义新区发展集团\n区城投集团\n区社发公司\n区资规分局",
        ],
        ["2", "", "中小学校清廉阳光厨房建设", "对28所中小学校食堂安装数字化验收平台。", "区教体局", "/"],
        ["3", "“医”心为民工程", "新(改)建村卫生室", "新(改)建村卫生室80家。", "区卫健局", "各乡镇(街道)"],
        ["4", "", "医疗卫生机构迁(扩)建", "实施卫生院迁(扩)建1家。", "区卫健局", "源东乡\n区发改局\n区资规分局"],
        ["5", "", "献血屋建设", "建设献血屋1个。", "区卫健局", "区红十字会\n区行政执法局\n区资规分局"],
        [
            "6",
            "“防灾救灾”工程",
            "避灾安置场所规范化建设",
            "新增避灾安置场所50个,并完成规范化建设。",
            "区应急管理局",
            "各乡镇(街道)",
        ],
        [
            "7",
            "",
            "基层消防力量建设提质升级",
            "对乡镇(街道)专职消防队、村志愿队、社区微型消防站灭火救援装备提档升级。",
            "区消防救援大队",
            "各乡镇(街道)",
        ],
        [
            "8",
            "“娃有所托”工程",
            "暑期托管服务",
            "开设100个暑期公益托管班。",
            "团区委",
            "各乡镇(街道)\n区总工会\n区妇联\n区教体局",
        ],
        ["9", "", "家门口青少年宫", "新建1个“家门口的青少年宫”。", "团区委", "各乡镇(街道)\n区教体局"],
    ]
    table = _table(doc, ["序号", "事项分类", "事项名称", "项目内容", "牵头单位", "协同单位"], rows)
    for a, b in ((1, 2), (3, 5), (6, 7), (8, 9)):
        _merge(table, 1, a, b)
    doc.save(HERE / "020_jindong.docx")


def huoshan() -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["2025年开发区重点工作及责任清单"])
    header = ["序号", "重点工作", "责任领导", "责任单位", "完成时限"]
    ws.append(header)
    text = (HERE / "006_huoshan.txt").read_text(encoding="utf-8")
    cells = [c.strip().rstrip("|").strip() for c in text.splitlines()[6:] if c.strip()]
    for k in range(0, len(cells), 5):
        if k == 10:
            ws.append(header)  # the header repeated at a page break
        row = cells[k : k + 5]
        ws.append([int(row[0])] + row[1:])
    wb.save(HERE / "021_huoshan.xlsx")


if __name__ == "__main__":
    for build in (chizhou, dazhu, jiangmen, liandu, jindong, huoshan):
        build()
