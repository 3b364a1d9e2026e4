"""The legend strip along the bottom of a Gantt page: a swatch of each style the pages draw
(the bars' own colours and hatches), then the progress fill, milestones, the status-date line
and open-ended bars."""

from __future__ import annotations

from matplotlib import transforms
from matplotlib.collections import LineCollection, PathCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.markers import MarkerStyle

from toolkit.charts.layout import MARGIN, Paper, rect
from toolkit.charts.textbatch import Advances, TextBatch
from toolkit.charts.timeline import STYLES

RED = STYLES["overdue"][2]  # the status-date line


def draw_legend(fig: Figure, paper: Paper, font: float, advances: Advances, styles: list[str], progress: bool) -> None:
    """Swatches of `styles` (the bars' own colours and hatches), the progress fill when some bar
    has one, and labels along the bottom, wrapped into a second line on narrow paper, clear of
    the page number at the right."""
    W, H = paper.size
    fs = font
    sw, sh = 0.3 / W, 0.13 / H
    entries: list[tuple[tuple[str, ...], str]] = [(("bar", *STYLES[key][1:]), STYLES[key][0]) for key in styles]
    if progress:
        entries.append((("progress", *STYLES[styles[0]][1:3]), "实心部分为完成进度"))
    entries += [
        (("diamond",), "时点 / 定期工作的每次节点"),
        (("line",), "统计日期"),
        (("open",), "视情况而定（不定期限）"),
    ]
    labels = TextBatch(fs, fig.transFigure, advances)
    limit = (W - MARGIN - 1.3) / W  # the page number sits right of this
    x, y = MARGIN / W, 0.3 / H
    polys, faces, edges, hatches = [], [], [], []
    for swatch, label in entries:
        step = sw + (advances.width(label) * fs / 72 + 0.35) / W
        if x + step > limit and x > MARGIN / W:
            x, y = MARGIN / W, 0.12 / H
        kind = swatch[0]
        if kind == "bar":
            polys.append(rect(x, x + sw, y, sh))
            faces.append(swatch[1])
            edges.append(swatch[2])
            hatches.append(swatch[3])
        elif kind == "progress":
            polys += [rect(x, x + sw * 0.6, y, sh), rect(x + sw * 0.6, x + sw, y, sh)]
            faces += [swatch[2], swatch[1]]
            edges += [swatch[2], swatch[2]]
            hatches += ["", ""]
        elif kind == "diamond":
            fig.add_artist(marker("D", (x + sw / 2, y), fig.transFigure, STYLES[styles[0]][1], "black"))
        elif kind == "line":
            fig.add_artist(
                LineCollection(
                    [[(x, y), (x + sw, y)]],
                    colors=RED,
                    linewidths=1.0,
                    linestyles=[(0, (4, 2))],
                    transform=fig.transFigure,
                )
            )
        else:
            polys.append(rect(x, x + sw, y, sh))
            faces.append("white")  # the shape, not a state: the bar is drawn in its row's state
            edges.append("#455a64")
            hatches.append("")
            fig.add_artist(marker(">", (x + sw, y), fig.transFigure, "#455a64", "none"))
        labels.add(x + sw + 0.06 / W, y, label)
        x += step
    for poly, face, edge, hatch in zip(polys, faces, edges, hatches):  # one per hatch: few, static
        patch = PolyCollection(
            [poly], facecolors=face, edgecolors=edge, hatch=hatch or None, linewidths=0.6, transform=fig.transFigure
        )
        patch.set_hatchcolor(edge)
        fig.add_artist(patch)
    fig.add_artist(labels)


def marker(
    marker: str, xy: tuple[float, float], transform: transforms.Transform, face: str, edge: str
) -> PathCollection:
    """One marker at a point given in `transform` coordinates (for the legend)."""
    style = MarkerStyle(marker)
    return PathCollection(
        [style.get_path().transformed(style.get_transform())],
        sizes=[26],
        offsets=[xy],
        offset_transform=transform,
        transform=transforms.IdentityTransform(),
        facecolors=face,
        edgecolors=edge,
        linewidths=0.5,
    )
