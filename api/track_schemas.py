"""Pydantic models of the duty-tracking API (GET /api/track…)."""
from __future__ import annotations

from datetime import date as Date
from typing import Literal

from pydantic import BaseModel, Field

from api.schemas import IsoDate

Status = Literal["未到期", "进行中", "已完成", "逾期未见进展"]


class EvidenceOut(BaseModel):
    link_id: int | None
    log_id: str
    log_date: Date | None
    score: float
    sentence: str = Field(description="日志中支持该任务的句子")
    done: bool = Field(description="句子表明已完成")
    state: Literal["auto", "confirmed"]
    region: str | None = None


class OccurrenceOut(BaseModel):
    label: str
    kind: Literal["once", "monthly", "yearly", "period", "standing"]
    start: Date | None
    due: Date | None
    status: Status
    evidence: list[EvidenceOut]


class DutyOut(BaseModel):
    document_id: str
    obligation_id: str
    notice_title: str | None
    text: str
    action: str
    actors: list[str]
    tier: str
    frequency: str | None
    deadlines: list[str | None]
    status: Status = Field(description="最需关注的一期：最早的逾期一期，否则最近一期")
    next_due: Date | None
    occurrences: list[OccurrenceOut]


class Ledger(BaseModel):
    today: Date
    total: int
    duties: list[DutyOut]


class MatchIn(BaseModel):
    log_ids: list[str] | None = Field(None, description="只匹配这些新日志（对未完成的任务）；省略则全部重新匹配")
    today: IsoDate | None = None  # YYYY-MM-DD only (a bare number is not a date)


class MatchOut(BaseModel):
    duties: int
    logs: int
    links: int


class DecisionIn(BaseModel):
    by: str | None = Field(None, max_length=200)


class LinkOut(BaseModel):
    id: int
    document_id: str
    obligation_id: str
    log_id: str
    score: float
    sentence: str
    done: bool
    state: Literal["auto", "confirmed", "rejected"]
    decided_at: str | None
    decided_by: str | None


class TrackAlertOut(BaseModel):
    id: int | None = Field(description="预警编号；预览中尚未生成的预警为 null")
    document_id: str
    obligation_id: str
    due: Date
    label: str
    status: Literal["open", "acknowledged"]
    created_at: str | None = Field(description="生成时间；预览中尚未生成的预警为 null")
    acknowledged_at: str | None
    acknowledged_by: str | None
    task: str | None = Field(None, description="任务原文")
    actors: list[str] = []
    notice_title: str | None = None


class TrackAlertList(BaseModel):
    total: int
    items: list[TrackAlertOut]
    today: Date = Field(description="按哪一天判断逾期")
    preview: bool = Field(False, description="today 不是今天：按该日计算的预览，未保存任何预警")
    # why no alerts were raised for the day first (a data folder on read-only media, or a preview);
    # None when they were
    note: str | None = None
