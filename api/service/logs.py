"""Field logs in the service: tagging them with the trained model, their risks'
severity, storing them (alerts in the same transaction) and linking them to open
duties. May import nlp.tagging and nlp.track (late) and the service's core.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

from api.service.core import ServiceCore
from ingest.errors import GongwenError
from ingest.text import blank, one_line_without_controls, without_controls

CHINA = timezone(timedelta(hours=8))
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)  # a string compares as a date only in this shape


def latest_today() -> date:
    """Today where the logs are written (China, UTC+8) or where the server runs, whichever
    is later: a log written this morning in China is not yet dated in a server's UTC day."""
    return max(date.today(), datetime.now(CHINA).date())


def future_dates(logs: list[dict], stored: bool = True) -> list[str]:
    """A Chinese warning for each log dated (YYYY-MM-DD) after today. Such a log is stored all
    the same (a schema-valid date is data, and a planned visit may be logged ahead), but it is
    most likely a typo (2052 for 2025), and it sorts above every real log: say so. `stored`
    False for `gongwen tag`, which reads unvalidated records and stores nothing."""
    today = latest_today().isoformat()
    done = "已照常保存；" if stored else ""
    return [f"日志 {log['id']} 的日期 {log['date']} 晚于今天（{today}），{done}请核对日期是否写错"
            for log in logs if isinstance(log.get("date"), str) and _ISO_DAY.fullmatch(log["date"])
            and log["date"] > today]


# fields of one line: a control character there is dropped, a line break or tab becomes a space
_ONE_LINE = ("region", "unit", "author")


def without_control_characters(records: list[dict]) -> tuple[list[str], list[int]]:
    """Each record's text (and region, unit, author) as it will be stored and tagged, in place:
    control characters other than line feed and tab are dropped, or made line feeds where they
    end a line (ingest.text.without_controls). Dropped, not refused: they come from pasting (Word's
    manual line break is VT, a PDF's page break FF) or a terminal (ESC of a colour), are
    invisible, carry no word, and a field worker cannot see what to remove; PostgreSQL cannot hold
    a NUL at all. Done before tagging, so the evidence offsets count characters of the stored text.
    A record that came already tagged and changes is tagged again (its offsets counted the old
    text). Returns one warning per record that lost any (CR LF alone is a line end, not said),
    and the places of the records to tag again."""
    warnings, retag = [], []
    for n, r in enumerate(records, 1):
        text, dropped = without_controls(r["text"]) if isinstance(r.get("text"), str) else (r.get("text"), 0)
        for key in _ONE_LINE:
            if isinstance(r.get(key), str):
                # white space alone is no region (or unit, author): none, as a field left out
                # is, not a "   " that lists, facets and filters as a region of its own
                value, k = one_line_without_controls(r[key])
                r[key] = value or None
                dropped += k
        if text != r.get("text"):
            r["text"] = text
            if "tasks" in r or "risks" in r:
                r.pop("tasks", None)
                r.pop("risks", None)
                retag.append(n - 1)
        if dropped:
            who = f"日志 {r['id']}" if r.get("id") else f"第 {n} 条日志"
            warnings.append(f"{who}：去掉了 {dropped} 个控制字符（不可见的字符，如 NUL、ESC、垂直制表符；"
                            "分行的已换成换行），其余内容照常保存")
    return warnings, retag


class UnknownLabel(GongwenError):
    """A task or risk filter naming no label of the taxonomy: it would list nothing and say
    nothing about why (a typo, or a name from another system), so it is refused with the
    labels there are. 422 as a value outside an enum of the OpenAPI schema is (api.app
    lists the labels there)."""

    code = "unknown_label"
    http_status = 422


def label_id(value: str | None, *, risks_only: bool, what: str) -> str | None:
    """The label id a filter value names: the id itself or its Chinese name as the tables and
    pages print it (欠薪欠保 → wage_arrears); None for no value. `what` names the filter as
    the caller's user typed it (risk, --risk). Without a taxonomy to check against, the value
    goes to the store as given."""
    if value is None or not value.strip():
        return None
    wanted = value.strip()
    tax = _taxonomy()
    if tax is None:
        return wanted
    labels = list(tax.risks) if risks_only else list(tax.tasks) + list(tax.risks)
    for label in labels:
        if wanted in (label.id, label.name):
            return label.id
    raise UnknownLabel(f"{what} {wanted[:40]} 不是{'风险信号' if risks_only else '任务类别或风险信号'}；可用："
                       + "、".join(f"{label.name}（{label.id}）" for label in labels))


def label_choices() -> dict[str, list[str]]:
    """What the tag and risk filters take (ids and Chinese names), for the OpenAPI schema;
    empty lists without a taxonomy."""
    tax = _taxonomy()
    if tax is None:
        return {"tag": [], "risk": []}
    every = list(tax.tasks) + list(tax.risks)
    return {"tag": [x.id for x in every] + [x.name for x in every],
            "risk": [x.id for x in tax.risks] + [x.name for x in tax.risks]}


def _taxonomy():
    """The label set (corpora/taxonomy.toml), None where it cannot be read."""
    try:
        from nlp.tagging import load_taxonomy

        return load_taxonomy()
    except (ImportError, GongwenError, OSError):
        return None


class Logs(ServiceCore):
    """Storing, tagging and listing field logs; the labels' Chinese names."""

    def list_logs(self, *, tag: str | None = None, risk: str | None = None, region: str | None = None,
                  date_from=None, date_to=None, limit: int = 50, offset: int = 0) -> dict[str, Any]:
        """A page of stored logs (newest first) and how many match the filters; a tag or risk
        named by its id or Chinese name, one that names no label refused (UnknownLabel)."""
        tag, risk = label_id(tag, risks_only=False, what="tag"), label_id(risk, risks_only=True, what="risk")
        filters = {"tag": tag, "risk": risk, "region": region, "date_from": date_from, "date_to": date_to}
        return {"total": self.store.count_logs(**filters),
                "items": self.store.list_logs(**filters, limit=limit, offset=offset)}

    def tagger(self):
        from nlp.tagging import default_tagger

        return default_tagger(self.settings.models_dir)

    def warm_up_writes(self) -> None:
        """Load what storing a field log loads on first use (the tagger and its word
        vectors, the segmenter and its jieba-rs cutter, the duty tracker's modules): 3-5
        CPU-s. `gongwen serve` runs it in each worker before it serves (api.warm), so no
        request carries the load and a SIGTERM'd server does not wait for one that does."""
        from nlp.analysis import log_words

        self.tagger().predict(["走访企业，职工反映加班费未按时发放"])  # made-up text
        log_words({"text": "走访企业，职工反映加班费未按时发放"})
        import nlp.track.tracker  # noqa: F401 - imported by every add_logs (link_new_logs_quietly)

    def label_names(self) -> tuple[dict[str, str], dict[str, str]]:
        """Chinese names of task and risk labels (ids → 中文), for pages and tables."""
        tax = _taxonomy()
        if tax is None:
            return {}, {}
        return {t.id: t.name for t in tax.tasks}, {r.id: r.name for r in tax.risks}

    def add_logs(self, records: list[dict], *, tag: bool = True, tagger=None) -> dict[str, Any]:
        """Store field logs: records without labels are tagged first (`tagger`, else the
        trained default), risks get their taxonomy severity, high/critical risks raise alerts
        (in the store's one transaction), then the logs are indexed for search."""
        records = [dict(r) for r in records]
        _refuse_repeated_ids(records)
        cleaned, retag = without_control_characters(records)
        todo = [r for n, r in enumerate(records) if n in retag or tag and "tasks" not in r and "risks" not in r]
        if todo:
            for r, t in zip(todo, (tagger or self.tagger()).predict([r["text"] for r in todo])):
                r["tasks"], r["risks"] = list(t.tasks), [dict(x) for x in t.risks]
        self._fill_severity(records)
        # a known id replaces that log whole (a client sending again): said, not done silently
        known = self.store.get_logs([r["id"] for r in records if r.get("id")])
        replaced = [r["id"] for r in records if r.get("id") in known]
        withdrawn = self._withdrawn_alerts(records, replaced)
        ids = self.store.add_logs(records)  # stored and queued for the index in one transaction
        by_id = self.store.get_logs(ids, alerts=True)
        stored = [by_id[i] for i in ids]
        # Stored is acknowledged: if the index cannot take them now, the outbox keeps them for the next drain.
        self._drain_quietly(known_logs={log["id"]: log for log in stored})
        from nlp.track.tracker import link_new_logs_quietly  # new logs meet the open duties (督办台账)

        link_new_logs_quietly(self.store, ids)
        warnings = cleaned + withdrawn + future_dates(stored)
        if folder := self.index_unwritable():
            # kept and queued, but no drain can write the index there: said, not only logged
            warnings.append(f"{folder}，检索索引无法写入：{len(stored)} 条日志已保存，但在检索索引重建前检索不到；"
                            "请把该文件夹复制到可写的位置后运行 gongwen reindex --pending")
        return {"items": stored, "alerts": [a for log in stored for a in log.get("alerts", [])],
                "warnings": warnings, "replaced": replaced}

    def _withdrawn_alerts(self, records: list[dict], replaced: list[str]) -> list[str]:
        """What replacing logs takes off the alert list: the alerts of risks the new text no
        longer states (the store removes them), one line per log."""
        if not replaced:
            return []
        from index.store.store import ALERT_SEVERITIES

        new = {r["id"]: {x["id"] for x in r.get("risks") or [] if isinstance(x, dict) and x.get("severity") in ALERT_SEVERITIES}
               for r in records if r.get("id")}
        names = self.label_names()[1]
        said = []
        for log_id in dict.fromkeys(replaced):
            old = self.store.get_log(log_id) or {}
            gone = [a for a in old.get("alerts", []) if a["risk"] not in new.get(log_id, set())]
            if gone:
                what = "、".join(f"{names.get(a['risk'], a['risk'])}（预警 {a['id']}，"
                                f"{'已确认' if a['status'] == 'acknowledged' else '未处理'}）" for a in gone)
                said.append(f"日志 {log_id}：替换后的内容不再提到{what}，这些预警已撤销")
        return said

    @staticmethod
    def _fill_severity(records: list[dict]) -> None:
        missing = [r for rec in records for r in rec.get("risks") or [] if isinstance(r, dict) and not r.get("severity")]
        if not missing and not any(isinstance(r, str) for rec in records for r in rec.get("risks") or []):
            return
        from nlp.tagging import load_taxonomy

        tax = load_taxonomy()
        for rec in records:
            risks = []
            for r in rec.get("risks") or []:
                r = {"id": r} if isinstance(r, str) else dict(r)
                if not r.get("severity"):
                    try:
                        r["severity"] = tax.severity(r["id"])
                    except KeyError:
                        r["severity"] = None
                risks.append(r)
            rec["risks"] = risks


class RepeatedLogId(GongwenError):
    """A batch whose records claim one log id: each record is valid, together they
    conflict over that log. 409, not 422: the OpenAPI schema cannot say "ids unique
    within a batch", so such a batch is schema-valid, and 409 is the status a client
    (and schemathesis' positive_data_acceptance) reads as valid data refused by a conflict."""

    code = "duplicate_id"
    http_status = 409


def _refuse_repeated_ids(records: list[dict]) -> None:
    """A known id replaces that log's labels (a client sending again), but the same id twice
    in one batch kept only the last record and counted both: refuse the batch instead."""
    seen: dict[str, list[int]] = {}
    for n, r in enumerate(records, 1):
        if r.get("id") is not None and not blank(str(r["id"])):  # a blank id is none (index.store)
            seen.setdefault(str(r["id"]), []).append(n)
    repeated = {i: ns for i, ns in seen.items() if len(ns) > 1}
    if repeated:
        shown = "；".join(f"{i}（第 {'、'.join(map(str, ns))} 条）" for i, ns in list(repeated.items())[:3])
        raise RepeatedLogId(f"同一批日志中编号重复：{shown}；一批中每个编号只能出现一次，未保存任何日志")
