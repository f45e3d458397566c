"""Train the field-log tagger on the project's logs (`corpora/logs/train.jsonl` plus the
hand-written `train_supplement.jsonl`) and the real labelled report passages of the
shared folder (`nlp.tagging.real`), after judging the same recipe by cross-validation
grouped by the passages' source site; score the test split and the hand-written
held-out sets (for the card only: never trained or tuned on) and write
`<models>/tagger/` (artifact, metrics.json, MODEL_CARD.md)."""
from __future__ import annotations

import hashlib
import json
import time
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

from ingest.errors import GongwenError
from nlp.tagging.card import model_card
from nlp.tagging.metrics import score
from nlp.tagging.model import Tagger, TaggerConfig
from nlp.tagging.pages import PAGES
from nlp.tagging.real import labelled_passages
from nlp.tagging.taxonomy import load_taxonomy

SUPPLEMENT = "train_supplement.jsonl"
HELDOUT = "heldout_unseen.jsonl"  # scored for the card; never trained or tuned on
HELDOUT_SETS = (HELDOUT, "heldout_round2.jsonl")
# Project logs used for training (the first N of train.jsonl; the supplement always).
# They come from a few templates and outnumbered the real passages 13 to 1; every fit
# (run 6 × 4 times for the grouped CV and the final model) grows with them, and on
# this 2-core machine the whole recipe has to stay within minutes.
LOGS_USED = 800


class CorpusError(GongwenError):
    code = "bad_corpus"


def read_logs(path: Path) -> list[dict]:
    """Labelled logs of a JSONL file; a broken line is an error naming the line."""
    rows = []
    try:
        fh = path.open(encoding="utf-8")
    except FileNotFoundError:
        raise CorpusError("找不到日志语料文件", path=str(path)) from None
    with fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                r = json.loads(line)
            except json.JSONDecodeError:
                raise CorpusError(f"第 {n} 行不是合法的 JSON", path=str(path)) from None
            if not isinstance(r, dict) or not isinstance(r.get("text"), str) or not r["text"].strip():
                raise CorpusError(f"第 {n} 行缺少 text", path=str(path))
            r.setdefault("id", f"{path.stem}-{n}")
            rows.append(r)
    if not rows:
        raise CorpusError("日志语料为空", path=str(path))
    return rows


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def evaluate(tagger: Tagger, rows: list[dict]) -> dict:
    preds = tagger.predict([r["text"] for r in rows])
    return score(rows, [p.to_dict(r["id"]) for r, p in zip(rows, preds)])


def heldout_scores(tagger: Tagger, corpora_dir: Path) -> dict:
    """The hand-written held-out sets that exist, each with its hash and scores: for the
    card only, never trained or tuned on."""
    held = {}
    for name in HELDOUT_SETS:
        p = Path(corpora_dir) / "logs" / name
        if p.exists():
            held[name] = {"sha256": sha256(p), "scores": evaluate(tagger, read_logs(p))}
    return held


def read_statuses(corpora_dir: Path, passages: list[dict] | None = None) -> dict:
    """Hand-labelled mention statuses: (passage id, start, end, risk) → status, from
    `annotations/tagging/*.jsonl` (offsets into the shared passages; no text stored).
    With `passages`, a label whose passage hash no longer matches is left out."""
    from nlp.tagging.annotations import statuses

    return statuses(Path(corpora_dir) / "annotations" / "tagging", passages)


def training_rows(corpora_dir: Path, limit: int | None = None, real: bool = True) -> tuple[list[dict], list[dict]]:
    """(project logs: train.jsonl + supplement, real labelled passages with `site`)."""
    tr = read_logs(corpora_dir / "logs" / "train.jsonl")
    if limit:
        tr = tr[:limit]
    supp_path = corpora_dir / "logs" / SUPPLEMENT
    if supp_path.exists():
        tr = tr + read_logs(supp_path)
    return tr, (labelled_passages() if real else [])


# The tagging page sets kept as a measurement, never trained on nor a CV fold (bench/tag_risk_cv.py and
# bench/tag_refit_risks.py refuse them too): the blind pages3 and pages5, and pages7, the untuned check
# that tells whether a change tuned on the other sets transfers
BLIND_PAGES = ("pages3", "pages5", "pages7")


def measured_sets(specs: Sequence[str]) -> list[str]:
    """The specs (`FOLDER` or `FOLDER=CACHE`) that name a set of BLIND_PAGES: material to refuse."""
    return [s for s in specs if Path(s.partition("=")[0]).name in BLIND_PAGES]

RISK_MODES = ("present", "implied", "denied", "settled")


def task_text(log: dict) -> str:
    """A project log's text without its risk sentences (its `parts` of a risk mode, where the
    text holds them verbatim): by construction they carry no task, yet in the logs they sit
    beside the response that does (调解, 协调), so a whole-text head learns risk words as
    labor_relations evidence, which real news of a protest nobody mediates is not."""
    text = log["text"]
    for p in log.get("parts") or []:
        if p.get("mode") in RISK_MODES and p["text"] and p["text"] in text:
            text = text.replace(p["text"], "", 1)
    return text


def task_rows(corpora_dir: Path, exclude_sites: set[str] | None = None) -> list[dict]:
    """Untagged real passages a person gave task labels (`annotations/tagging/tasks/`), with
    the risks and negated flag a person gave them (`annotations/tagging/risks/`) where there
    are some, else risks unknown (None: they train the task heads alone). Passages of
    `exclude_sites` (a fold's held-out sites) are left out."""
    from nlp.tagging.real import task_labelled_passages

    folder = Path(corpora_dir) / "annotations" / "tagging"
    rows = task_labelled_passages(folder / "tasks", risks=folder / "risks")
    return [r for r in rows if r["site"] not in (exclude_sites or set())]


# The hand-read mention statuses of the development page sets (under annotations/tagging/; read only
# when TaggerConfig.page_mentions > 0, for the page passages a fit is given: extra_mentions)
PAGE_MENTIONS = "page_mentions"

def skipped_statuses(config: TaggerConfig) -> tuple[str, ...]:
    """The statuses of TaggerConfig.page_mentions_skip (comma-separated)."""
    return tuple(x.strip() for x in config.page_mentions_skip.split(",") if x.strip())


# Whether the mentions of a risk a page passage holds learn its status too (present), or only
# those of the risks it does not hold (`extra_mentions(pages=...)`).
PAGE_HELD = True


def extra_mentions(corpora_dir: Path, exclude_sites: set[str] | None = None, pages: Sequence[dict] = (),
                   page_held: bool = PAGE_HELD, hand_pages: Sequence[dict] = (),
                   hand_weight: float = 0.0, hand_skip: Sequence[str] = ()) -> tuple[list[dict], dict]:
    """The untagged real texts with hand-labelled mention statuses (the passages of
    `passages.jsonl` and the shared notices, `real.notice_passages`), and those statuses (no
    tags: material for the status classifier alone, used by `gongwen train`, the grouped CV
    and bench/tag_status_cv.py). Texts of `exclude_sites` (a fold's held-out sites) are left out.
    `pages` (labelled page passages, `nlp.tagging.pages.page_passages`) join with their per-risk
    statuses standing for each mention of the risk (`pages.mention_statuses`; `page_held` False:
    the mentions of risks the passage does not hold only). `hand_pages` (page passages too) join with
    the statuses a person read for each of their mentions (`annotations/tagging/page_mentions/`, a
    label whose passage hash changed left out), weighing `hand_weight` each (× real_weight in the fit;
    0: not read): TaggerConfig.page_mentions; those of a status in `hand_skip` left out
    (TaggerConfig.page_mentions_skip)."""
    from nlp.tagging.annotations import read_annotations, statuses
    from nlp.tagging.real import unlabelled_passages

    folder = Path(corpora_dir) / "annotations" / "tagging"
    notice_ids = {str(a["id"]) for a in read_annotations(folder) if "/" in str(a["id"])}
    rows = unlabelled_passages() + (_notices(frozenset(notice_ids)) if notice_ids else [])
    rows = [r for r in rows if r["site"] not in (exclude_sites or set())]
    st = statuses(folder, rows)
    pages = [r for r in pages if r["site"] not in (exclude_sites or set())]
    if pages:
        from nlp.tagging.pages import mention_statuses

        rows, st = rows + list(pages), {**st, **mention_statuses(pages, held=page_held)}
    hand = [r for r in hand_pages if r["site"] not in (exclude_sites or set())] if hand_weight > 0 else []
    if hand:
        known = {r["id"] for r in rows}
        rows = rows + [{**r, "status_weight": hand_weight, "status_source": "page"} for r in hand
                       if r["id"] not in known]
        st = {**st, **{k: v for k, v in statuses(folder / PAGE_MENTIONS, hand).items() if v not in hand_skip}}
    ids = {k[0] for k in st}
    return [r for r in rows if r["id"] in ids], st


@lru_cache(maxsize=2)
def _notices(ids: frozenset[str]) -> list[dict]:
    """The labelled notices (PDFs among them: read once per process, not once per fold)."""
    from nlp.tagging.real import notice_passages

    return notice_passages(set(ids))


def _fit(taxonomy, config, logs: list[dict], real: list[dict], statuses: dict, progress=None,
         extra: tuple[list[dict], dict] = ([], {}), risks_only: bool = False, genre: Sequence[dict] = (),
         vote_pages: Sequence[dict] = ()) -> Tagger:
    """`extra`: untagged real passages and their hand-labelled mention statuses
    (`extra_mentions`), for the status classifier only. `genre`: labelled passages (with their
    risks, and page passages' per-risk statuses) for the genre head (nlp.tagging.genre.genre_labels).
    `vote_pages`: labelled page passages whose risk labels train the risk vote alone (with
    `config.page_vote` > 0: Tagger.fit's `vote_extra`)."""
    from nlp.tagging.genre import genre_labels

    rows = logs + real
    # a passage with risk labels brings its hand-labelled mentions as a row of its own: not
    # again as status-only material
    labelled = {r["id"] for r in real if r.get("risks") is not None}
    extra = ([x for x in extra[0] if x["id"] not in labelled], extra[1])
    return Tagger(taxonomy, config).fit(
        [r["text"] for r in rows], [r.get("tasks") or [] for r in rows],
        [None if r.get("risks", []) is None else r.get("risks") or [] for r in rows],
        progress=progress, groups=[r.get("site") for r in rows], real=[bool(r.get("site")) for r in rows],
        ids=[r["id"] for r in rows], statuses={**extra[1], **statuses}, extra=extra[0], risks_only=risks_only,
        negated=[bool(r.get("negated")) for r in rows], genre=genre_labels(genre),
        vote_extra=[r for r in vote_pages if r.get("risks") is not None] or None)


def grouped_cv(taxonomy, config, logs: list[dict], real: list[dict], statuses: dict, folds: int = 5,
               progress: Callable[[str], None] | None = None, corpora_dir: Path | None = None,
               risks_only: bool = False, task_extra: list[dict] = (), score_extra: bool = False,
               extra_risks: bool = True, status_pages: Sequence[dict] = (), page_held: bool = PAGE_HELD,
               genre_rows: Sequence[dict] = (), hand_pages: Sequence[dict] = ()) -> dict:
    """Cross-validation over the real passages grouped by source site: each fold trains
    on the project logs and the real passages of the other sites (thresholds chosen by
    the fit's own grouped inner folds) and tags the held-out sites' passages. With
    `corpora_dir`, the hand-labelled mentions of the untagged passages of the other
    sites train the status classifier too (`extra_mentions`). `task_extra` (the hand-labelled
    untagged passages, `task_rows`) of the other sites join each fold's fit (their risk
    heads too where they have risk labels, unless `extra_risks` is False or the row says
    `train_risks: False`: then it is scored, held out, as trained without its risks).
    `score_extra`: the passages of `task_extra` with risk labels are held out and tagged
    as well, each in the fold of its site (a site of `real` keeps its fold; the others are
    spread by GroupKFold), their predictions in "extra_predictions" and their scores in
    "extra_scores": the scores of `real` stay those of its own passages. `status_pages`: page
    passages whose statuses train the status classifier of every fold but those holding their
    site out (`extra_mentions`). `genre_rows`: labelled passages (page sets) whose labels fit the genre head
    (nlp.tagging.genre) beside the training folds' real passages, those of the held-out sites left out.
    `hand_pages`: page passages whose hand-read mention statuses (`page_mentions/`) train the status
    classifier of every fold but those holding their site out, when `config.page_mentions` > 0, and
    (their risk labels) the risk vote of those folds, when `config.page_vote` > 0."""
    from sklearn.model_selection import GroupKFold

    say = progress or (lambda s: None)
    hand_weight = (config or TaggerConfig()).page_mentions
    hand_skip = skipped_statuses(config or TaggerConfig())
    page_vote = (config or TaggerConfig()).page_vote > 0
    sites = [r["site"] for r in real]
    splits = list(GroupKFold(folds).split(real, groups=sites))
    fold_x = _extra_folds(task_extra, splits, real, folds) if score_extra else {}
    preds: dict[str, dict] = {}
    fold_of: dict[str, int] = {}
    for k, (tr, te) in enumerate(splits):
        say(f"按站点交叉验证 {k + 1}/{folds}")
        held = [real[i] for i in te] + [r for r in task_extra if fold_x.get(r["id"]) == k]
        out = {r["site"] for r in held}
        extra = (extra_mentions(corpora_dir, out, status_pages, page_held, hand_pages, hand_weight, hand_skip)
                 if corpora_dir else ([], {}))
        more = [r if extra_risks and r.get("train_risks", True) else {**r, "risks": None}
                for r in task_extra if r["site"] not in out]
        m = _fit(taxonomy, config, logs, [real[i] for i in tr] + more, statuses, extra=extra, risks_only=risks_only,
                 genre=[real[i] for i in tr] + [r for r in genre_rows if r["site"] not in out],
                 vote_pages=[r for r in hand_pages if r["site"] not in out] if page_vote else ())
        for r, p in zip(held, m.predict([r["text"] for r in held])):
            preds[r["id"]] = p.to_dict(r["id"], scores=True)
            fold_of[r["id"]] = k
    res = score(real, [preds[r["id"]] for r in real])
    res["folds"] = folds
    res["n_sites"] = len(set(sites))
    out = {"scores": res, "predictions": [{**preds[r["id"]], "fold": fold_of[r["id"]]} for r in real]}
    if fold_x:
        xs = [r for r in task_extra if r["id"] in fold_x]
        out["extra_predictions"] = [{**preds[r["id"]], "fold": fold_of[r["id"]]} for r in xs]
        out["extra_scores"] = {**score(xs, out["extra_predictions"]), "n_sites": len({r["site"] for r in xs})}
    return out


def _extra_folds(rows: list[dict], splits: list, real: list[dict], folds: int) -> dict[str, int]:
    """The held-out fold of each risk-labelled row of `rows`: the fold of its site among
    `real`'s, else one of GroupKFold over the remaining rows' sites."""
    from sklearn.model_selection import GroupKFold

    fold_site = {real[i]["site"]: k for k, (_, te) in enumerate(splits) for i in te}
    rows = [r for r in rows if r.get("risks") is not None]
    out = {r["id"]: fold_site[r["site"]] for r in rows if r["site"] in fold_site}
    rest = [r for r in rows if r["site"] not in fold_site]
    if len({r["site"] for r in rest}) >= folds:
        for k, (_, te) in enumerate(GroupKFold(folds).split(rest, groups=[r["site"] for r in rest])):
            out.update({rest[i]["id"]: k for i in te})
    else:
        turn = {s: j % folds for j, s in enumerate(sorted({r["site"] for r in rest}))}
        out.update({r["id"]: turn[r["site"]] for r in rest})
    return out


# Whether the untagged passages we gave risk labels (annotations/tagging/risks/) train the risk
# side of `gongwen train` (else their task labels alone, as before they had risk labels). Off:
# real grouped CV on the 303 passages (bench/tag_risk_cv.py --passages train vs off, 5 folds, with
# the real-only implied bar) risks 0.687 -> 0.699 but negated passages raising a risk 22 -> 27/72
# (session 12, before that bar: 0.671 -> 0.677, 25 -> 27/72): more false alarms on settled matters.
RISK_PASSAGES = False


def page_task_rows(corpora_dir: Path, page_cache: str | Path | None, page_set: str | Path | None = None) -> list[dict]:
    """The labelled page passages (`page_set` under `corpora_dir`, by default
    `annotations/tagging/pages/`; texts from `page_cache`) as
    task-only rows (risks unknown): they train the task heads alone, as the untagged passages'
    task labels do. As risk training they shifted the risk heads away from the batches (grouped
    CV, session 17: risks 0.716 -> 0.658), so their risk labels stay for measurement. [] without
    a cache; PageCacheError (Chinese) when the cache cannot give back the labelled text.
    The shipped model is fitted without them: in the task CV (session 18) they lift the page
    passages (0.44 -> 0.54) but cost the batches on one partition (4 folds 0.778 -> 0.732) and
    the project logs (test split 0.821 -> 0.785); see corpora/annotations/tagging/README.md."""
    if page_cache is None:
        return []
    from nlp.tagging.pages import page_passages

    return [{**r, "risks": None} for r in page_passages(corpora_dir, Path(page_cache), *([page_set] if page_set else []))]


def train(corpora_dir: str | Path, models_dir: str | Path, config: TaggerConfig | None = None,
          progress: Callable[[str], None] | None = None, limit: int | None = LOGS_USED, cv_folds: int = 5,
          real: bool = True, risk_passages: bool = RISK_PASSAGES, page_cache: str | Path | None = None,
          page_set: str | Path | None = None, genre_pages: Sequence[str] = ()) -> dict:
    """Grouped CV on the real passages (when the shared folder is there and cv_folds ≥ 2),
    then fit on everything (project logs + supplement + real passages), score the test
    split and the hand-written held-out sets, write `<models_dir>/tagger/`. Returns the metrics.
    `risk_passages`: the risk-labelled untagged passages train the risk side too (else their
    tasks alone). `page_cache`: the folder of the labelled page passages' texts; given, they
    train the task heads (`page_task_rows`) in the final fit and in every fold of the CV; `page_set`:
    which labelled page set (a folder under `corpora_dir`; default the first). `genre_pages`: page sets
    (`FOLDER=CACHE`, nlp.tagging.pages.page_sets; pages a cache lacks left out and named) whose labels fit
    the genre head with the real passages (with `genre_gate`; none given: no head, the gate is off) and,
    with `page_mentions` > 0, whose hand-read mention statuses train the status classifier (extra_mentions)."""
    say = progress or (lambda s: None)
    corpora_dir, models_dir = Path(corpora_dir), Path(models_dir)
    say("读取语料")
    taxonomy = load_taxonomy(corpora_dir / "taxonomy.toml")
    train_path, test_path = corpora_dir / "logs" / "train.jsonl", corpora_dir / "logs" / "test.jsonl"
    logs, passages = training_rows(corpora_dir, limit, real)
    te = read_logs(test_path)
    statuses = read_statuses(corpora_dir, passages)
    task_extra = task_rows(corpora_dir) if passages else []
    if not risk_passages:
        task_extra = [{**r, "risks": None} for r in task_extra]
    pages = page_task_rows(corpora_dir, page_cache, page_set)
    genre_rows: list[dict] = []
    if blind := measured_sets(genre_pages):
        raise CorpusError(f"{'、'.join(blind)} 是盲测集：不用于训练")
    cfg = config or TaggerConfig()
    page_rows: list[dict] = []
    if genre_pages and (cfg.genre_gate or cfg.page_mentions > 0 or cfg.page_vote > 0):
        from nlp.tagging.pages import page_sets

        page_rows, left = page_sets(corpora_dir, list(genre_pages), missing="skip")
        if left:
            say(f"页面缓存缺少 {len(left)} 页，体裁判断与提及状态用其余 {len(page_rows)} 段")
    genre_rows = page_rows if cfg.genre_gate else []
    hand_pages = page_rows if cfg.page_mentions > 0 or cfg.page_vote > 0 else []
    task_extra = task_extra + pages
    supp_path = corpora_dir / "logs" / SUPPLEMENT
    t0 = time.perf_counter()
    cv = None
    if passages and cv_folds >= 2:
        cv = grouped_cv(taxonomy, config, logs, passages, statuses, cv_folds, say, corpora_dir, task_extra=task_extra,
                        genre_rows=genre_rows, hand_pages=hand_pages)
    cv_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    say("训练最终模型（全部数据）")
    extra = (extra_mentions(corpora_dir, hand_pages=hand_pages, hand_weight=cfg.page_mentions,
                            hand_skip=skipped_statuses(cfg)) if passages else ([], {}))
    hand_ids = {r["id"] for r in hand_pages}
    n_hand = sum(k[0] in hand_ids for k in extra[1])
    tagger = _fit(taxonomy, config, logs, passages + task_extra, statuses, progress=say, extra=extra,
                  genre=passages + genre_rows, vote_pages=page_rows if cfg.page_vote > 0 else ())
    seconds = time.perf_counter() - t0
    say("测试集评估")
    t1 = time.perf_counter()
    test_scores = evaluate(tagger, te)
    pred_seconds = time.perf_counter() - t1
    held = heldout_scores(tagger, corpora_dir)
    say("保存模型")
    metrics = {
        "trained_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "training_seconds": round(seconds, 2),
        "cv_seconds": round(cv_seconds, 2),
        "test_predict_seconds": round(pred_seconds, 3),
        "data": {"train": "corpora/logs/train.jsonl", "test": "corpora/logs/test.jsonl",
                 "train_sha256": sha256(train_path), "test_sha256": sha256(test_path),
                 "n_train": len(logs) + len(passages), "n_logs": len(logs), "n_real": len(passages),
                 "logs_used": limit,
                 "n_task_only": sum(r.get("risks") is None for r in task_extra),
                 **({"n_page_passages": len(pages), "page_passages": f"corpora/{page_set or PAGES}/ (texts from"
                     " a page cache, task labels only)"} if pages else {}),
                 "task_only": "corpora/annotations/tagging/tasks/ (tasks of ../shared/real-corpus/passages.jsonl)"
                 if task_extra else None,
                 **({"n_untagged_risk_labelled": n_rl, "untagged_risks": "corpora/annotations/tagging/risks/"}
                    if (n_rl := sum(r.get("risks") is not None for r in task_extra)) else {}),
                 **({"n_genre_pages": len(genre_rows), "genre_pages": sorted(s.partition("=")[0] for s in genre_pages)}
                    if genre_rows else {}),
                 **({"n_page_mention_labels": n_hand, "page_mention_sets": sorted(s.partition("=")[0] for s in genre_pages)}
                    if n_hand else {}),
                 "n_test": len(te), "taxonomy_sha256": taxonomy.sha256, "n_status_labels": len(statuses) + len(extra[1]),
                 "real": "../shared/real-corpus/batch-risk.jsonl + batch-routine.jsonl" if passages else None,
                 "real_sha256": _real_sha(passages),
                 **({"supplement": f"corpora/logs/{SUPPLEMENT}", "supplement_sha256": sha256(supp_path)}
                    if supp_path.exists() else {})},
        "tagger": {**tagger.info, "task_thresholds": tagger.task_thresholds, "task_mix": tagger.task_mix,
                   "risk_thresholds": tagger.risk_thresholds, "weak_keywords": tagger.weak_keywords},
        "grouped_cv": cv["scores"] if cv else None,
        "test": test_scores,
        "heldout": held,
    }
    # the arrays, tagger.json, metrics and card switch together: a kill or a failed write
    # leaves the earlier model folder whole (tagger.json last where no one-step swap exists)
    from ingest.savedir import switched_folder

    with switched_folder(models_dir / "tagger", last="tagger.json") as out:
        tagger.save(out)
        (out / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        (out / "MODEL_CARD.md").write_text(model_card(metrics, tagger), encoding="utf-8")
    return metrics


def _real_sha(passages: list[dict]) -> str | None:
    if not passages:
        return None
    h = hashlib.sha256()
    for r in sorted(passages, key=lambda r: r["id"]):
        h.update(f"{r['id']}\t{r['text']}\n".encode("utf-8"))
    return h.hexdigest()
