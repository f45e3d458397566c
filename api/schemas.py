"""Pydantic models of the HTTP API: what clients send and what they get back.

The shapes follow the library's own dictionaries (Document.metadata(), the
checklist schema, the tagger's output) so the JSON and the CLI say the same thing.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date as Date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from ingest.settings import MAX_LOG_CHARS
from ingest.text import BLANK_CLASS, blank

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_only(value: Any) -> Any:
    # pydantic also reads a number as a Unix timestamp (date_to=0 → 1970-01-01): a date here is YYYY-MM-DD
    if isinstance(value, Date) or (isinstance(value, str) and ISO_DATE.fullmatch(value)):
        return value
    raise ValueError("应为日期 YYYY-MM-DD")


IsoDate = Annotated[Date, BeforeValidator(_iso_date_only)]
MAX_ID = 2**63 - 1  # SQLite's INTEGER: a larger id cannot exist, and would overflow the driver


class ErrorBody(BaseModel):
    code: str = Field(description="stable machine-readable code, e.g. unsupported_format, bad_query")
    message: str = Field(description="中文说明，给人看的")
    detail: Any | None = None


class ErrorResponse(BaseModel):
    error: ErrorBody


# The operations that write the store or the index (GET /api/track/alerts too: it raises the
# day's overdue alerts first) name the answer a full disk gets; reads never meet it.
STORAGE_FULL: dict[int | str, dict[str, Any]] = {
    507: {"model": ErrorResponse,
          "description": "服务器磁盘空间不足或拒绝写入（storage_full），本次提交未保存任何内容；腾出空间后可原样重试"}}


def reversed_range(date_from: Any, date_to: Any, names: tuple[str, str] = ("date_from", "date_to")) -> str | None:
    """The Chinese line for a date range that ends before it starts (the API's 409, the CLI's
    --from/--to, the /logs page), each date called by `names`; None for a range that can match.
    Dates are compared as dates: strings must be YYYY-MM-DD (others are their reader's to refuse)."""
    def day(value: Any) -> Date | None:
        if isinstance(value, str):
            return Date.fromisoformat(value) if ISO_DATE.fullmatch(value) else None
        return value

    try:
        start, end = day(date_from), day(date_to)
    except ValueError:  # 2025-02-30: not a date, its reader says so
        return None
    if start is None or end is None or start <= end:
        return None
    return f"{names[0]} {start} 晚于 {names[1]} {end}，这个日期范围不会有任何结果；起止日期是否写反了？"


# The operations with a date range (date_from, date_to) name the answer a reversed one gets.
DATE_RANGE_REVERSED: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorResponse, "description": "date_from 晚于 date_to（date_range_reversed）：起止日期写反了，未查询"}}


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    documents: int | None = Field(None, description="None when reads need the key and none was given")
    logs: int | None = None
    open_alerts: int | None = None
    engine: str
    writable: bool = Field(True, description="False when the data folder takes no writes (read-only media): "
                                             "reads are served, writes answer 503 database_unavailable")
    tagger: str | None = Field(None, description="model card summary, None when no model is trained")
    index: dict[str, Any] | None = Field(
        None, description="store/index agreement: agree (same documents and logs in both, nothing queued or set aside), "
                          "pending (index work queued) and failed (index work set aside after the index refused it "
                          "repeatedly; `gongwen reindex --pending` retries it); details from `gongwen check`; "
                          "unavailable: the line saying why search cannot be used (an index of an older format, or "
                          "missing where the data folder takes no writes), searches answer 503 until `gongwen reindex`; code: the "
                          "error code of those answers, index_unavailable for a missing index, index_mismatch for one "
                          "of an older format or damaged")


class DocumentSummary(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None
    date: str | None = None
    doc_type: str | None = None


class DocumentFilters(BaseModel):
    """Which notices a list shows (GET /api/documents and the /documents page alike, so
    both refuse the same values with the same words). The bounds are the columns' widths:
    a longer value could match nothing."""

    issuer: str | None = Field(None, max_length=256, description="发文机关（含联合发文机关）中包含的文字")
    year: int | None = Field(None, ge=1949, le=2100, description="成文年份")
    type: str | None = Field(None, max_length=32, description="文种，如 通知、意见")
    doc_number: str | None = Field(None, max_length=128,
                                   description="文号中包含的文字；年份两边的括号〔〕［］[]【】（）() 任写一种都算")

    @classmethod
    def read(cls, form: dict[str, str | None], names: dict[str, str]) -> tuple[dict[str, str], DocumentFilters | None,
                                                                           str | None]:
        """Values a person typed (the /documents form, `gongwen documents`' options), checked as
        GET /api/documents checks them: (the values given, trimmed, a year typed in full-width
        digits, an input method's default, read as the digits it is; the filters, or None and
        the refusal in Chinese, each field called by `names`' name for it)."""
        from pydantic import ValidationError

        from api.validation import describe

        given = {k: (unicodedata.normalize("NFKC", v) if k == "year" else v).strip()
                 for k, v in form.items() if v is not None}
        given = {k: v for k, v in given.items() if v}
        try:
            return given, cls.model_validate(given), None
        except ValidationError as e:
            _, problems = describe(e.errors())
            return given, None, "；".join(f"{names.get(p['where'], p['where'])}{p['problem']}" for p in problems)


class DocumentList(BaseModel):
    total: int
    items: list[DocumentSummary]


class DocumentDetail(BaseModel):
    id: str
    metadata: dict[str, Any]
    source: dict[str, Any]
    files: list[dict[str, Any]] = Field(
        default_factory=list,
        description="every file of the notice: the one it was parsed from (primary) and the same notice in "
                    "other formats; other_names: the names the same bytes came again under (oldest first)")
    parts: list[dict[str, Any]]
    tables: list[dict[str, Any]] = Field(
        default_factory=list, description="every table of the notice, also those placed inside its parts")
    checklist: dict[str, Any] | None = None


class IngestResponse(BaseModel):
    id: str = Field(description="the stored document: the new one, or the one the file was attached to")
    created: bool = Field(description="True only when a new document was stored")
    status: Literal["ingested", "attached", "unchanged"] = Field(
        description="ingested: a new document; attached: the same notice (same issuer and 文号, or same title, "
                    "issuer and date, and the same text) was stored already, the file is kept as its other "
                    "format; unchanged: this file was stored already")
    message: str | None = Field(None, description="Chinese note when attached or unchanged")
    warning: str | None = Field(
        None, description="Chinese warning: a notice with the same 文号 (or title) but a different text exists; "
                          "stored as a new document all the same (e.g. a revised version)")
    related_id: str | None = Field(None, description="the existing document the warning is about")
    title: str | None
    obligations: int


# Extra log fields are kept with the log and in the search index. Their shape is
# declared in the schema and checked here alike: a text, number, yes/no or null, or a
# list or object of those. Numbers stay within ±2^53: every JSON reader (and the index,
# which refuses integers past 64 bits) agrees on those, and no float rounding blurs the bound.
MAX_EXTRA_NUMBER = 2**53
_SCALAR = {"anyOf": [{"type": "string"}, {"type": "number", "minimum": -MAX_EXTRA_NUMBER, "maximum": MAX_EXTRA_NUMBER},
                     {"type": "boolean"}, {"type": "null"}]}
EXTRA_SCHEMA = {"anyOf": [*_SCALAR["anyOf"], {"type": "array", "items": _SCALAR},
                          {"type": "object", "additionalProperties": _SCALAR}]}
# extra fields index.search.items.item_from_log reads by name: given as text
_TEXT_EXTRAS = {"log_id", "content", "body", "title", "place", "issuer", "kind"}


def _scalar_ok(value: Any) -> bool:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return True
    return isinstance(value, (int, float)) and -MAX_EXTRA_NUMBER <= value <= MAX_EXTRA_NUMBER


def _extra_ok(value: Any) -> bool:
    if isinstance(value, list):
        return all(map(_scalar_ok, value))
    if isinstance(value, dict):
        return all(map(_scalar_ok, value.values()))
    return _scalar_ok(value)


# A log's text must not be blank (ingest.text.blank: white space and control characters
# only, which would be stored as a blank log). The OpenAPI schema states the rule and the
# validator applies the same class, so what the schema calls valid is accepted
# (schemathesis' positive_data_acceptance). Written as `not: {pattern: ^[blank]*$}` rather
# than `pattern: [non-blank]`: schemathesis 4.32 rewrites a one-class pattern on a string
# with a maxLength into `^[class]{1,max}$`, finds no value for that, and then sends a
# negative body in the cases it calls positive.
NOT_BLANK = {"not": {"pattern": f"^{BLANK_CLASS}*$"}}


class LogIn(BaseModel):
    model_config = ConfigDict(extra="allow", json_schema_extra={"additionalProperties": EXTRA_SCHEMA})
    id: str | None = Field(None, max_length=200)
    text: str = Field(min_length=1, max_length=MAX_LOG_CHARS, json_schema_extra=NOT_BLANK)
    date: IsoDate | None = None
    region: str | None = Field(None, max_length=200)
    unit: str | None = Field(None, max_length=200)
    author: str | None = Field(None, max_length=200)

    @field_validator("text")
    @classmethod
    def not_blank(cls, v: str) -> str:
        if blank(v):
            raise ValueError("日志内容不能为空")
        return v

    @model_validator(mode="after")
    def storable_extras(self) -> LogIn:
        for key, value in list((self.model_extra or {}).items()):
            if not _extra_ok(value):
                raise ValueError(f"字段 {key} 应为文字、数字（绝对值不超过 2^53）、是否值，或由它们组成的列表或对象")
            if key in _TEXT_EXTRAS and not isinstance(value, str) and value is not None:
                self.__pydantic_extra__[key] = str(value)  # what the index reads as text must be text
            elif key in ("tags", "labels", "risk") and value is not None:
                items = value if isinstance(value, list) else [value]
                self.__pydantic_extra__[key] = [str(v) for v in items if v is not None]
        return self


class Cue(BaseModel):
    text: str
    start: int
    end: int


class Evidence(BaseModel):
    text: str
    start: int
    end: int
    status: str | None = None  # present | threatened: how the log states the risk mention
    cue: Cue | None = None  # the word that shows that status


class RiskOut(BaseModel):
    id: str
    severity: str
    evidence: Evidence | None = None


class LogOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    text: str
    date: str | None = None
    region: str | None = None
    unit: str | None = None
    tasks: list[str]
    risks: list[RiskOut]


class LogsCreated(BaseModel):
    items: list[LogOut]
    alerts: list[dict[str, Any]]
    warnings: list[str] = Field(
        default_factory=list,
        description="中文提示，每条一句：日期晚于今天（中国时间）的日志照常保存，但日期可能写错了，请核对；"
                    "检索索引所在的数据文件夹不能写入（只读介质）时，日志已保存但在索引重建前检索不到")
    replaced: list[str] = Field(
        default_factory=list,
        description="这次提交替换掉的已有日志的编号：以已有编号提交的日志覆盖该日志原有的正文和标注")


class LogList(BaseModel):
    total: int | None = None
    items: list[LogOut]


class AlertOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: int
    log_id: str
    risk: str
    severity: str
    status: Literal["open", "acknowledged"]


class AlertList(BaseModel):
    total: int = Field(description="符合条件的预警总数（不只这一页）")
    items: list[AlertOut]


class AckIn(BaseModel):
    by: str | None = Field(None, max_length=200)


class Hit(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    kind: str
    score: float
    doc_id: str | None = None
    title: str | None = None
    heading: str | None = None
    path: str | None = None
    doc_number: str | None = None
    issuer: str | None = None
    date: str | None = None
    snippet: str = ""


class SearchResponse(BaseModel):
    query: str
    total: int
    page: int
    per_page: int
    took_ms: float
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    note: str = Field("", description="检索结果只与查询沾边（仅含个别常见词语）而不予列出时的说明；否则为空")
    warnings: list[str] = Field(default_factory=list, description=(
        "结果不全时的说明：已入库但未编入检索索引、因而检索不到的项目（检索索引所在的数据文件夹不能写入时，"
        "如只读介质；或检索索引拒收了，如磁盘已满；或正在编入、多次拒收而搁置）及该怎么办"))
