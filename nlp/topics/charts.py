"""Charts of a topic report (PNG, Chinese labels). Matplotlib needs a CJK font:
the setup installs Droid Sans Fallback / WenQuanYi; without one we refuse rather
than draw boxes."""
from __future__ import annotations

from pathlib import Path

CJK_FONTS = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans SC", "SimHei", "Microsoft YaHei", "Droid Sans Fallback")


def cjk_font() -> str | None:
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((n for n in CJK_FONTS if n in names), None)


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    font = cjk_font()
    if font is None:
        raise RuntimeError("未找到中文字体，无法绘图（请安装 fonts-droid-fallback 或 fonts-wqy-microhei）")
    # a fallback chain: Latin digits from DejaVu, Chinese from the CJK font (some lack digits)
    plt.rcParams["font.family"] = ["DejaVu Sans", font]
    plt.rcParams["axes.unicode_minus"] = False
    return plt


def chart_topics(report: dict, top: int) -> list[dict]:
    """The topics worth a line: the suggested ones in their order, then the largest
    that are not excluded (errands, research method), at most `top`."""
    by_id = {t["id"]: t for t in report["topics"]}
    chosen = [by_id[s["topic"]] for s in report.get("suggestions", []) if s["topic"] in by_id]
    rest = sorted((t for t in report["topics"] if t["size"] and not t.get("excluded") and t not in chosen),
                  key=lambda t: -t["size"])
    return (chosen + rest)[:top]


def _short(label: str, n: int = 14) -> str:
    return label if len(label) <= n else label[: n - 1] + "…"


def has_trend(report: dict, top: int = 5) -> bool:
    """Whether trend_figure draws anything: some log of the charted topics has a date."""
    return any(p["count"] for t in chart_topics(report, top) for p in t["trend"])


def has_regions(report: dict, top: int = 8, n_regions: int = 12) -> bool:
    """Whether regions_figure draws anything: some log of the charted topics names a region."""
    topics = chart_topics(report, top)
    return bool(topics and largest_regions(topics, n_regions))


def trend_figure(report: dict, top: int = 5):
    """Share of each month's logs, one line per topic: few lines, thinned x labels."""
    if not has_trend(report, top):
        return None  # no dated logs: an empty chart (and matplotlib's warning of a legend with nothing in it)
    plt = _plt()
    topics = chart_topics(report, top)
    months = report.get("periods") or []
    # more than a year and a half of months: quarters, or the lines are mostly noise
    bucket = (lambda m: f"{m[:4]}Q{(int(m[5:7]) - 1) // 3 + 1}") if len(months) > 18 else (lambda m: m)
    periods = sorted({bucket(m) for m in months})
    totals: dict[str, int] = {}
    for t in report["topics"]:  # every log is in one topic: the topics' counts add up to the period's logs
        for p in t["trend"]:
            totals[bucket(p["period"])] = totals.get(bucket(p["period"]), 0) + p["count"]
    fig, ax = plt.subplots(figsize=(10, 4.8))
    x = list(range(len(periods)))
    for t in topics:
        counts: dict[str, int] = {}
        for p in t["trend"]:
            counts[bucket(p["period"])] = counts.get(bucket(p["period"]), 0) + p["count"]
        ax.plot(x, [100 * counts.get(b, 0) / totals[b] if totals.get(b) else 0.0 for b in periods], marker="o",
                markersize=4, linewidth=2, label=_short(t["label"], 18))
    step = max(1, -(-len(periods) // 12))  # at most about 12 labels, so they never overlap
    ax.set_xticks(x[::step], periods[::step], rotation=45, ha="right")
    ax.set_title("重点话题占各" + ("季度" if len(months) > 18 else "月") + "日志的比例")
    ax.set_ylabel("%")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=9, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    fig.tight_layout()
    return fig


def largest_regions(topics: list[dict], n: int) -> list[str]:
    """The regions with the most logs across these topics, largest first."""
    totals: dict[str, int] = {}
    for t in topics:
        for r in t["regions"]:
            totals[r["region"]] = totals.get(r["region"], 0) + r["count"]
    return [g for g, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])) if g != "未知"][:n]


def regions_figure(report: dict, top: int = 8, n_regions: int = 12):
    """Logs per topic and region for the largest regions (by logs across these topics)."""
    if not has_regions(report, top, n_regions):
        return None
    plt = _plt()
    import numpy as np

    topics = chart_topics(report, top)
    regions = largest_regions(topics, n_regions)
    grid = np.array([[next((r["count"] for r in t["regions"] if r["region"] == g), 0) for g in regions] for t in topics])
    fig, ax = plt.subplots(figsize=(max(7, len(regions) * 0.8), 1.5 + len(topics) * 0.45))
    im = ax.imshow(grid, cmap="Reds", aspect="auto")
    # a region is typed freely (a village and its committee, no "/"): a long one shortened, or its
    # label takes the figure's margins and the topic names are cut off at the left edge
    ax.set_xticks(range(len(regions)), [_short(g.split("/")[-1], 12) for g in regions], rotation=45, ha="right")
    ax.set_yticks(range(len(topics)), [_short(t["label"], 16) for t in topics])
    for i in range(grid.shape[0]):
        for j in range(grid.shape[1]):
            if grid[i, j]:
                ax.text(j, i, str(grid[i, j]), ha="center", va="center", fontsize=7,
                        color="white" if grid[i, j] > grid.max() * 0.6 else "black")
    ax.set_title(f"重点话题 × 日志最多的 {len(regions)} 个地区（日志数）")
    fig.colorbar(im, ax=ax)
    fig.tight_layout()
    return fig


def png(fig) -> bytes:
    import io

    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    plt.close(fig)
    return buf.getvalue()


def write_charts(report: dict, out_dir: Path, top: int = 5) -> list[Path]:
    """Topic share by month (lines) and topic × region (heat map). Returns the files written."""
    out_dir = Path(out_dir)
    written = []
    for name, fig in (("topics-trend.png", trend_figure(report, top)), ("topics-regions.png", regions_figure(report))):
        if fig is None:
            continue
        out_dir.mkdir(parents=True, exist_ok=True)  # only when there is a chart to put in it
        path = out_dir / name
        path.write_bytes(png(fig))
        written.append(path)
    return written
