"""The field-log label set: task categories and risk signals with their Chinese
names, severities and keywords, plus the negation cues, read from
`corpora/taxonomy.toml`."""
from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import GongwenError
from nlp.resources import corpora_dir

SEVERITIES = ("low", "medium", "high", "critical")

# Used when the taxonomy file does not list its own: cues written before a risk
# word that deny it, and words after it in the same clause that say it is settled.
DEFAULT_CUES = ("未发现", "没有发现", "未发生", "没有发生", "未出现", "没有出现", "未见", "不存在", "无一例",
                "杜绝", "防止", "预防", "避免", "排除", "没有", "并无", "无")
DEFAULT_RESOLVED = ("已全部结清", "已结清", "已全部解决", "已解决", "已妥善解决", "已妥善处置", "已处置",
                    "已化解", "已平息", "已消除", "已整改", "已整改到位", "已补缴", "已发放到位", "已全部发放")
DEFAULT_BREAKERS = ("但是", "但", "不过", "然而", "却", "可是", "只是")


class TaxonomyError(GongwenError):
    """The taxonomy file is missing or malformed."""

    code = "bad_taxonomy"
    http_status = 500


@dataclass(frozen=True)
class Label:
    id: str
    name: str
    description: str = ""
    severity: str | None = None  # risks only
    keywords: tuple[str, ...] = ()
    strong: tuple[str, ...] = ()  # risks: keywords that alone are enough evidence


@dataclass
class Taxonomy:
    tasks: list[Label]
    risks: list[Label]
    cues: tuple[str, ...] = DEFAULT_CUES
    resolved: tuple[str, ...] = DEFAULT_RESOLVED
    breakers: tuple[str, ...] = DEFAULT_BREAKERS
    meta: dict = field(default_factory=dict)
    sha256: str = ""
    raw: str = ""  # the TOML text, saved next to a trained model

    @property
    def task_ids(self) -> list[str]:
        return [t.id for t in self.tasks]

    @property
    def risk_ids(self) -> list[str]:
        return [r.id for r in self.risks]

    def risk(self, risk_id: str) -> Label:
        for r in self.risks:
            if r.id == risk_id:
                return r
        raise KeyError(risk_id)

    def severity(self, risk_id: str) -> str:
        return self.risk(risk_id).severity or "medium"


def default_path() -> Path:
    return corpora_dir() / "taxonomy.toml"


def _strs(value, where: str, path: Path) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TaxonomyError(f"{where} 应为字符串列表", path=str(path))
    # longest first so that a reader sees the most specific words first; duplicates dropped
    return tuple(dict.fromkeys(v.strip() for v in value if v.strip()))


def _label(row: dict, kind: str, path: Path) -> Label:
    if not isinstance(row, dict) or not row.get("id"):
        raise TaxonomyError(f"[[{kind}]] 缺少 id", path=str(path))
    sev = row.get("severity")
    if kind == "risks":
        sev = (sev or "medium").lower()
        if sev not in SEVERITIES:
            raise TaxonomyError(f"风险 {row['id']} 的 severity「{sev}」不在 {SEVERITIES} 中", path=str(path))
    return Label(
        id=str(row["id"]),
        name=str(row.get("name") or row["id"]),
        description=str(row.get("description") or ""),
        severity=sev if kind == "risks" else None,
        keywords=_strs(row.get("keywords"), f"{row['id']}.keywords", path),
        strong=_strs(row.get("strong_keywords") or row.get("strong"), f"{row['id']}.strong_keywords", path),
    )


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Read the taxonomy TOML (`[meta]`, `[[tasks]]`, `[[risks]]`, `[negation]`)."""
    path = Path(path) if path else default_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise TaxonomyError("找不到标签体系文件 taxonomy.toml", path=str(path)) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise TaxonomyError(f"标签体系文件无法解析：{e}", path=str(path)) from None
    tasks = [_label(r, "tasks", path) for r in data.get("tasks", [])]
    risks = [_label(r, "risks", path) for r in data.get("risks", [])]
    if not tasks:
        raise TaxonomyError("标签体系中没有任务类别 [[tasks]]", path=str(path))
    ids = [x.id for x in tasks] + [x.id for x in risks]
    if len(set(ids)) != len(ids):
        raise TaxonomyError("标签 id 重复", path=str(path))
    # `[cues]` (negation / resolution / scope_breakers) or `[negation]` (cues / resolved / breakers)
    neg = {**(data.get("negation") or {}), **(data.get("cues") or {})}
    pre = neg.get("negation") or neg.get("cues")
    post = neg.get("resolution") or neg.get("resolved") or neg.get("post_cues")
    brk = neg.get("scope_breakers") or neg.get("breakers")
    return Taxonomy(
        tasks=tasks,
        risks=risks,
        cues=_strs(pre, "cues.negation", path) or DEFAULT_CUES,
        resolved=_strs(post, "cues.resolution", path) or DEFAULT_RESOLVED,
        breakers=_strs(brk, "cues.scope_breakers", path) or DEFAULT_BREAKERS,
        meta=dict(data.get("meta", {}) or {}),
        sha256=hashlib.sha256(raw).hexdigest(),
        raw=raw.decode("utf-8"),
    )
