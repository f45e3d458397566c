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


def write_charts(report: dict, out_dir: Path, top: int = 8) -> list[Path]:
    """Topic share by month (lines) and topic × region (heat map). Returns the files written."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    font = cjk_font()
    if font is None:
        raise RuntimeError("未找到中文字体，无法绘图（请安装 fonts-droid-fallback 或 fonts-wqy-microhei）")
    # a fallback chain: Latin digits from DejaVu, Chinese from the CJK font (some lack digits)
    plt.rcParams["font.family"] = ["DejaVu Sans", font]
    plt.rcParams["axes.unicode_minus"] = False
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    topics = sorted(report["topics"], key=lambda t: -t["size"])[:top]
    written = []

    fig, ax = plt.subplots(figsize=(10, 5))
    for t in topics:
        ax.plot([p["period"] for p in t["trend"]], [p["share"] * 100 for p in t["trend"]], marker="o", label=f"{t['id']} {t['label']}")
    ax.set_title("话题占比月度趋势")
    ax.set_ylabel("占当月日志的百分比（%）")
    ax.tick_params(axis="x", rotation=45)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1, 1))
    fig.tight_layout()
    path = out_dir / "topics-trend.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    written.append(path)

    regions = sorted({r["region"] for t in topics for r in t["regions"]})[:20]
    if regions:
        import numpy as np

        grid = np.array([[next((r["count"] for r in t["regions"] if r["region"] == g), 0) for g in regions] for t in topics])
        fig, ax = plt.subplots(figsize=(max(6, len(regions) * 0.7), 1 + len(topics) * 0.5))
        im = ax.imshow(grid, cmap="Reds", aspect="auto")
        ax.set_xticks(range(len(regions)), regions, rotation=45, ha="right")
        ax.set_yticks(range(len(topics)), [f"{t['id']} {t['label']}" for t in topics])
        ax.set_title("话题 × 地区（日志数）")
        fig.colorbar(im, ax=ax)
        fig.tight_layout()
        path = out_dir / "topics-regions.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)
    return written
