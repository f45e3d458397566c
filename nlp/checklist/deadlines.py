"""Deadlines in a clause: yearly (每年3月25日前), monthly (每月5日前, 相应月份的28日前),
once (2022年3月1日前, with its year; 年内 is the notice's year end) and relative (蹲点结束后, 第一时间, 5个工作日内).
及时 ("promptly") is not a deadline. Around a clause: the time the rest of its sentence names
(`sentence_deadlines`) and a stage heading's time over it (`stage_windows`, on the parsed outline)."""
from __future__ import annotations

import bisect
import calendar
import datetime
import re
from contextvars import ContextVar
from dataclasses import asdict, dataclass, replace
from functools import lru_cache

from ingest.structure.dates import month_day_reads
from ingest.text import HEADING_NUMBER
from nlp.checklist.numbers import CN_DIGITS, DASHES, NUM, to_number
from nlp.checklist.words import alternation, load

S = r"[ \t\u3000]*"
# 3月1日（星期五）18:00前, 3月5日上午11:00前, 2月18日中午前, 3月19日(周五)下班前,
# 3月20日下午5点前: a weekday, a part of the day and a clock time may sit between the date and 前
_WORDS = load("deadline")
_TIME_WORDS, _RELATIVE_WORDS = _WORDS["time"], _WORDS["relative"]
TIME = (rf"(?:[（(](?:星期|周|下周|本周)[一二三四五六日天][）)])?\s*(?:{alternation(_TIME_WORDS['day_parts'])})?\s*"
        r"(?:[0-9]{1,2}[:：][0-9]{2}|[0-9]{1,2}\s*[时点](?:\s*[0-9]{1,2}\s*分|半)?)?")
BEFORE = TIME + rf"\s*(?:下班)?(?:{alternation(_TIME_WORDS['before'])})"
_PART = {"底": None, "末": None, "上旬": 10, "中旬": 20, "下旬": None}
# the notice's own date (ISO), set by the extractor while it reads one notice: 明天 and
# 本周五 are days counted from it
ANCHOR: ContextVar[str | None] = ContextVar("deadline_anchor", default=None)


@dataclass
class Deadline:
    text: str
    recurrence: str  # yearly | monthly | once | relative
    month: int | None = None
    day: int | None = None
    year: int | None = None
    start: int = 0
    end: int = 0

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("start"), d.pop("end")
        return d


_YEARLY = re.compile(rf"(?P<every>每年度?|每一年){S}(?:的{S})?(?P<m>{NUM}){S}月{S}(?:(?P<d>{NUM}){S}[日号]|(?P<part>底|末|上旬|中旬|下旬)){S}{BEFORE}")
_YEAR_END = re.compile(rf"(?P<every>每年)?{S}(?<!半)年(?:底|末){S}{BEFORE}")
# 到2023年底 / 2025年底前 / 于2024年6月底: a dated target
_BY_YEAR_END = re.compile(rf"(?:(?P<pre>到|至|于|在|截至|截止)){S}(?P<y>[0-9]{{4}}){S}年{S}(?:底|末)(?:{S}{BEFORE})?|(?P<y2>[0-9]{{4}}){S}年{S}(?:底|末){S}{BEFORE}")
# 到2018年7月底 / 截至9月末: a target by the close of a month is due on its last day, as 7月底前 is (cx's
# county notices); after 于/定于 a 月底 is the month of a set time instead (初步定于四月底: jingxing-zgh)
_BY_MONTH_END = re.compile(rf"(?:(?<=到)|(?<=至)|(?<=截至)|(?<=截止)){S}(?:(?P<y>[0-9]{{4}}){S}年{S})?(?P<m>{NUM}){S}月{S}(?:底|末)"
                           rf"(?!{S}(?:前|之前|以前))")
# 3月20之前: typed without 日, the day still reads as one before 前
_ONCE = re.compile(rf"(?:(?P<y>[0-9]{{4}}|[{'〇零一二三四五六七八九'}]{{4}}){S}年{S})?(?P<m>{NUM}){S}月{S}(?:(?P<d>{NUM}){S}(?:[日号]|(?={S}(?:之前|以前|前)))|(?P<part>底|末|上旬|中旬|下旬)){S}{BEFORE}")
_BY_DATE = re.compile(rf"(?:(?<=截至)|(?<=截止)|(?<=截止到)|(?<=截止至))(?P<y>[0-9]{{4}}){S}年{S}(?P<m>{NUM}){S}月{S}(?P<d>{NUM}){S}[日号]")
# 计划5月份在…举行, 拟5月8日召开, 预计6月中旬: the time of planned work, as after 于 (the sse page; 拟定于,
# 拟在 and 擬定于 of tj-gxq-gh, zdgh.sysu and dialing-dqb read so already)
_PLANNED = r"(?<=计划)|(?<=预计)|(?<=拟)|(?<=准备)"
# 于2025年10月至2026年1月: a period the work runs over, not a date to meet
# 比赛时间：2024年6月 / 比赛时间：2016年11月初: a month alone after a time label's colon or 为 (czc, zbnc)
_LABELS = _WORDS["labels"]
_LABEL_MONTH = "|".join(f"(?<={w}{c})" for w in _LABELS["time"] for c in _LABELS["colon"])
_IN_MONTH = re.compile(rf"(?:(?<=于)|(?<=在)|{_PLANNED}|{_LABEL_MONTH}){S}(?:(?P<y>[0-9]{{4}}){S}年{S})?(?P<m>{NUM}){S}月份?(?![0-9０-９{CN_DIGITS}日号底末上中下])(?!{S}(?:至|到|[{DASHES}]))")
# 每年6月底和12月底前: the first date of a pair takes the 前 of the second
_PAIRED = re.compile(rf"(?P<every>每年度?)?{S}(?P<m>{NUM}){S}月{S}(?:(?P<d>{NUM}){S}[日号]|(?P<part>底|末))"
                     rf"(?={S}[和、及与]{S}(?:{NUM}{S}月{S}(?:{NUM}{S}[日号]|底|末)){S}{BEFORE})")
_MONTHLY = re.compile(rf"(?:每月|每个月|(?:每)?双月|(?:相应|当|次|该)月份?{S}的?){S}(?P<d>{NUM}){S}[日号]{S}{BEFORE}")
_FIRST_TIME = re.compile(r"第一时间")
_DATE = rf"(?:(?P<y{{n}}>[0-9]{{{{4}}}}){S}年{S})?(?P<m{{n}}>{NUM}){S}月{S}(?P<d{{n}}>{NUM}){S}[日号]"
# 5月8日—5月20日 / 9月1日至10日: a window; the work is due by its end
# 4月18-19日: the first day typed without 日
_WINDOW = re.compile(_DATE.format(n=1).replace(rf"{S}[日号]", rf"{S}[日号]?", 1).replace("[日号]?", f"(?:[日号]|(?=[{DASHES}]))", 1)
                     + rf"{TIME}{S}(?:至|到|[{DASHES}]+){S}"
                     rf"(?:(?:(?P<y2>[0-9]{{4}}){S}年{S})?(?P<m2>{NUM}){S}月{S})?(?P<d2>{NUM}){S}[日号]")
# 定于3月27日下午4:30召开 / 于4月27日交到 / 截止时间为5月20日: a set day, not a period
# …比赛（3月7日下午4:30，…）: an event's day given in a bracket after its name
_SET_AT = rf"(?<=于)|(?<=在)|(?<=为)|(?<=[:：（(])|(?<=^)|(?<=，)|(?<=,)|{_PLANNED}"
# 截止日期2023年12月1日 / 活动时间 5月20日 / 截止日期到10月21日: a time label with no colon before its date
_LABELLED = "|".join([f"(?<={w})" for w in _LABELS["time"]]
                     + [f"(?<={w}{to})" for w in _LABELS["time"] + ["截止", "截至"] for to in _LABELS["to"]])
_ON_DATE = re.compile(rf"(?:{_SET_AT}|(?<=截止)|(?<=截至)|{_LABELLED}){S}"
                      + _DATE.format(n="") + rf"(?>(?P<time>{TIME}))"
                      rf"(?!{S}(?:(?:至|到|[{DASHES}]+){S}{NUM}{S}[月日号]|印发|发布|下发|颁布|起|以来|[0-9]))")
# 时间：4月11日、12日晚上 / 下周二、三（9月3、4日）下午: an event held on a list of days is
# due by the last, as a window is (gold of lhjtgs.com and gpoenergy.com; aeb170-gh's 7-8日 as a window);
# a day of the list may repeat its month or name its weekday (4月11日（周五）、4月12日（周六）)
_WEEKDAY = rf"(?:{S}[（(](?:星期|周)[一二三四五六日天][）)])?"
_DAY_LIST = re.compile(rf"(?:{_SET_AT}){S}"
                       rf"(?:(?P<y>[0-9]{{4}}){S}年{S})?(?P<m>{NUM}){S}月{S}{NUM}{S}[日号]?{_WEEKDAY}"
                       rf"(?:{S}[、和及]{S}(?:{NUM}{S}月{S})?{NUM}{S}[日号]?{_WEEKDAY})*"
                       rf"{S}[、和及]{S}(?:(?P<m2>{NUM}){S}月{S})?(?P<d>{NUM}){S}[日号](?>{TIME})"
                       rf"(?!{S}(?:(?:至|到|[{DASHES}]+){S}{NUM}|印发|发布|下发|颁布|起|以来|[0-9]))")
# 于2013年1月中旬完成, 拟定于4月中下旬举办, 时间为5月下旬: a part of a month (no day of its own),
# where a set day is read (`_ON_DATE`)
_IN_PART = re.compile(rf"(?:{_SET_AT}){S}(?:(?P<y>[0-9]{{4}}){S}年{S})?(?P<m>{NUM}){S}月{S}"
                      rf"(?:上旬|中旬|下旬|中下旬|上中旬|底|末)(?!{S}(?:前|之前|以前))")
# 6月-9月底 / 3月下旬或4月上旬: a span closed by a part of its last month, or a choice of two,
# is due by its later end (a bare 3月至5月 is a period the work runs over, no date to meet)
_MONTH_SPAN = re.compile(rf"(?<!每年)(?:(?P<y>[0-9]{{4}}){S}年{S})?(?P<m1>{NUM}){S}月(?:{S}(?:上旬|中旬|下旬|中下旬|底|末))?{S}"
                         rf"(?:(?:至|到|[{DASHES}]+)(?={S}(?:[0-9]{{4}}{S}年{S})?{NUM}{S}月{S}(?:底|末|上旬|中旬|下旬))|或){S}"
                         rf"(?:[0-9]{{4}}{S}年{S})?(?P<m2>{NUM}){S}月{S}(?P<part>底|末|上旬|中旬|下旬)?(?!{S}[0-9０-９{CN_DIGITS}])")
_ISSUED = alternation(_WORDS["issued"]["words"])
# 12月份召开…: a month named as the time of the work, at the head of a clause
_MONTH_FEN = re.compile(rf"(?:(?<=^)|(?<=[，,：:]))(?:(?P<y>[0-9]{{4}}){S}年{S})?(?P<m>{NUM}){S}月份(?!{S}(?:至|到|[{DASHES}]))")
# 2015年10月开展 / 2024年10月，作品公开展览: a month with its year opening a clause is the time of the work, as
# 12月份 and 7月上旬 there are (every hard dev gold duty opened by a month carries it: developdesigndoit,
# yuhua, hsjw, yn525, yanghe888, mitozhi, whgh, dhdengcheng-xgh); not a day, a span or a date of issue
_YEAR_MONTH_HEAD = re.compile(rf"(?:(?<=^)|(?<=[，,：:]))(?P<y>[0-9]{{4}}){S}年{S}(?P<m>{NUM}){S}月"
                              rf"(?!{S}(?:[0-9０-９{CN_DIGITS}日号底末上中下份]|至|到|起|以来|[{DASHES}])|[^。；;\n]{{0,16}}?{_ISSUED})")
# 明天中午12点前, 本周五下班前, 下周二前: days counted from the notice's date
# (nbejjx-gh, klnqp.com, gpoenergy.com); 今天下班前 too (xdgh.xmu.edu.cn). After 于/在 such a day is a set
# day with no 前 (于明天上午送交, xdgh.xmu.edu.cn; 定于本周四、周五中午举办, gpoenergy.com), and a list of
# weekdays is due by the last, as a list of dates is (`_DAY_LIST`)
_NEAR_DAYS: dict[str, int] = dict(_WORDS["near_days"])
_NEAR_WORD = (rf"(?P<word>{alternation(list(_NEAR_DAYS))}|(?P<week>本周|下周|这周)(?:星期)?(?P<wd1>[一二三四五六日天])"
              rf"(?:{S}[、和]{S}(?:周|星期)?(?P<wd>[一二三四五六日天]))*)")
_NEAR_DAY = re.compile(_NEAR_WORD + rf"(?:{S}(?:上午|中午|下午|晚上))?{S}(?:[0-9]{{1,2}}{S}[:：点时](?:[0-9]{{2}})?)?{S}(?:下班)?(?:前|之前|以前)")
_NEAR_SET_DAY = re.compile(r"(?:(?<=于)|(?<=在))" + _NEAR_WORD + rf"(?:{S}(?:上午|中午|下午|晚上))?(?![一-鿿]{{0,2}}(?:以来|起|开始))")
_WEEKDAYS = "一二三四五六日"
# 于国庆节前 / 在2024年“七一”期间: a decided activity dated by a holiday of fixed date is due that day
_HOLIDAYS: dict[str, list[int]] = dict(_WORDS["holidays"])
_HOLIDAY = re.compile(rf"(?:(?<=于)|(?<=在)){S}(?:(?P<y>[0-9]{{4}}){S}年{S})?[“\"「『]?(?P<h>{alternation(list(_HOLIDAYS))})"
                      rf"[”\"」』]?节?(?:{alternation(_WORDS['holiday_after']['words'])})")
# 于2012年3月1日起开展 / 在10月10日起在全市开展: a decision dated by its start (自…起施行 is a rule in force)
_FROM_START = re.compile(rf"(?:(?<=于)|(?<=在)){S}" + _DATE.format(n="")
                         + rf"{S}起(?={S}(?:在[\u4e00-\u9fff]{{1,8}}?)?(?:{alternation(_WORDS['start']['verbs'])}))")
# 即日起至6月30日, 报名时间：即日起到2010年11月4日（周五）16∶00止: a window opened by the notice, due by its
# last day whatever time follows it (gh.shutcm.edu.cn, shaoyanpeng.com); opened on the day the notice goes out
# as well (自通知下发之日起至X月X日, 自本通知发布之日起，到…止: developdesigndoit.com, daa.cisisu.edu.cn)
_FROM_NOW = re.compile(rf"(?:即日|(?:[自从]|(?:^|(?<=[，,：:\s]))(?=[^自从]))[^，,。；;：:自从]{{0,12}}?通知[^，,。；;：:]{{0,4}}?之日)起{S}[，,]?{S}"
                       rf"(?:至|到|[{DASHES}~～]){S}" + _DATE.format(n=""))
# 比赛时间：拟定5月9日…, 决赛时间：自2019年3月8日起…, 比赛时间：6月21（…）: the first day of a line opened by a
# time label, read only where nothing else in the clause reads as a date (`find_deadlines`)
_DAY_NO_RI = (rf"(?:(?P<y>[0-9]{{4}}){S}年{S})?(?P<m>{NUM}){S}月{S}(?P<d>{NUM}){S}[日号]?"
              rf"(?![0-9０-９{CN_DIGITS}月]|{S}(?:至|到|[{DASHES}]))")
_LABEL_DAY = re.compile(rf"^{S}(?:{HEADING_NUMBER})?{S}[^，,。；;：:\s]{{0,12}}?(?:{alternation(_LABELS['time'])}){S}"
                        rf"(?:{alternation(_LABELS['colon'])}){S}(?:{alternation(_LABELS['lead'])})?{S}(?={_DAY_NO_RI})")
_DAY_AT = re.compile(_DAY_NO_RI)
# 37日前, 1230日前: a web page that dropped 月 between month and day (gh.hnuu.edu.cn's 请于37日前,
# dhdengcheng-xgh's 务必于1230日前完成). Read only where no day of a month can be meant: a number
# past 31 of 2 to 4 digits, not glued to other digits or a 月/年/日, before 前/止 (a time may sit between)
# Its 年 dropped too (请在 2022 2 11 日前, 2022211日前 once spaces are gone: sdgh.szu.edu.cn): a year of this
# century or the last before the month and day, each read apart where a space parts them. A weekday in
# brackets or a part of the day with a clock time after such digits makes them a day too, with no 前 and
# even with the 日 dropped (于48日（周六）上午, 于1019（星期一）下午下班前, 时间：20151021（星期三）, 38上午10:00:
# tsinghua and aust of pages6, hnuu of page set 1)
_LOST_TAIL = (rf"(?:{S}[日号](?=(?:{BEFORE})(?!往|进|后))|{S}[日号]?(?={S}[（(](?:星期|周)[一二三四五六日天][）)])"
              rf"|(?={S}(?:{alternation(_TIME_WORDS['day_parts'])}){S}[0-9]{{1,2}}{S}[:：][0-9]{{2}}))")
_LOST_MONTH = re.compile(rf"(?<![0-9０-９.．/月年日第\-])(?:(?P<y>(?:19|20)[0-9]{{2}}){S}(?P<m>[0-9]{{1,2}})[ \t\u3000]+(?P<d>[0-9]{{1,2}})"
                         rf"|(?P<y2>(?:19|20)[0-9]{{2}}){S}(?=[0-9]{{3,4}}(?![0-9])))?(?P<md>(?(m)|[0-9]{{2,4}}))(?![0-9])"
                         + _LOST_TAIL)
_WITHIN = re.compile(rf"(?P<n>{NUM}){S}(?:个?{S}(?:工作日|日|天|小时|周)|个{S}月)(?:内|之内|以内)")
# 每季度末前 / 每半年末前 / 每月底前: the close of each period (no calendar date of its own)
# 三年内实现全覆盖 (but 3年内不得参加: a ban, not a time to meet)
_BANS = alternation(_RELATIVE_WORDS["bans"])
_WITHIN_YEARS = re.compile(rf"(?P<n>{NUM}){S}年(?:内|之内|以内)(?!{S}(?:{_BANS}))")
# 年内完成 / 今年内 / 本年内: by the end of the notice's year (but 3年内, 半年内, 学年内 are spans)
_THIS_YEAR = re.compile(rf"(?<![0-9０-９{CN_DIGITS}几多数半学每个周])(?:今|本|当|全)?年内(?!{S}(?:{_BANS}))")
# 每季度首月10日前 / 每半年第一个月5日前: a day in each period
_IN_PERIOD = re.compile(rf"每{S}(?:季度?|半年){S}(?:的{S})?(?:首月|第一个月|初|末月|最后一个月){S}(?P<d>{NUM}){S}[日号]{S}{BEFORE}")
_PERIOD_END = re.compile(rf"每{S}(?P<p>季度?|半年|月){S}(?:末|底|结束|(?:的)?最后一(?:个工作)?[日天]){S}{BEFORE}"
                         rf"|每{S}(?P<p2>季度?|半年|月){S}(?:末|底)(?!{S}前)")
# "X结束后": an event noun (≤6 characters, no punctuation) ended by a completion verb
_AFTER = re.compile(rf"(?P<ev>[\u4e00-\u9fff]{{1,6}}?)(?:{alternation(_RELATIVE_WORDS['done'])})(?:后|之后|以后)")
# 每次跑完后 / 参加完运动会后: once a step is finished (but 完善, 完整 are no finishing)
_FINISHED = re.compile(rf"(?:(?![于在请须应要需将的对由])[\u4e00-\u9fff]){{1,4}}?完(?![{''.join(_RELATIVE_WORDS['finished_not'])}])"
                       rf"[\u4e00-\u9fff]{{0,8}}?(?:后|之后|以后)")
# times counted from an event of the notice's own (real school and county notices): 接到通知后 /
# 通知下发后, 会后 / 赛前, 比赛前 / 放假前, 代表产生后 / 确定人员后 / 数据库上线后 / 开学后, 提前一周
# (dhdengcheng-xgh) and 提前10分钟进入会场 / 签到入场 (sasu.edu.cn, www.yyvtc.cn), 提前半小时
_EVENT_TIME = re.compile(
    r"(?:(?<=^)|(?<=[于在，,、]))(?:会|赛)(?:前|后)"
    rf"|(?:{alternation(_RELATIVE_WORDS['before_event'])})(?:前|之前)(?![期夕列沿面后]|[\u4e00-\u9fff]{{0,2}}(?:的|期间))"
    rf"|(?:[\u4e00-\u9fff]{{1,6}}?(?:{alternation(_RELATIVE_WORDS['after_step'])})|(?:确定|选定|选出)[\u4e00-\u9fff]{{1,6}}?)"
    r"(?:后|之后|以后)"
    rf"|提前{S}(?:{NUM}|一|两|半){S}个?{S}(?:工作日|天|日|周|星期|小时|分钟)")
# 接到通知后 / 收到比赛通知以后 / 通知下发后: a time counted from the notice's receipt is a relative deadline,
# with or without an urgency or a span after it (ruling 7 of corpora/annotations/checklist/README.md: SCHEMA's
# relative deadline is a time after an event, and the shared gold gives a bare "after X ends" one; the re-ruled
# dev gold reads so in 9 sites). A span after it (收到本通知后3个工作日内) joins it below.
_ON_NOTICE = re.compile(r"(?:接到?|收到)[^，,。；;：:\s]{0,4}?通知(?:后|之后|以后)|通知(?:下发|印发|发布|下达)(?:后|之后|以后)")
# 待全总下发正式通知后, 公示无异议后: once a step awaited from elsewhere is taken (`relative.awaited`)
_AWAITED = re.compile(rf"(?<![{''.join(_RELATIVE_WORDS['awaited_not_before'])}]){_RELATIVE_WORDS['awaited']}"
                      rf"(?![{''.join(_RELATIVE_WORDS['awaited_not_after'])}])[^，,。；;：:\n]{{2,20}}?(?:后|之后|以后)"
                      rf"|(?:{alternation(_RELATIVE_WORDS['no_objection'])})(?:后|之后|以后)")
# Read by `act_times`, after the learned stages (not by `find_deadlines`, whose readings are their features):
# 投稿时 / 上报时 / 报送时 / 预报名时: a step done at the act of handing in (`relative.at_act`); not 报名时间,
# 报送时限 (words of their own), nor other acts (登山时: the gold gives those no deadline)
_AT_ACT = re.compile(rf"预?(?:{alternation(_RELATIVE_WORDS['at_act'])})时(?![间限期效代候刻段长])")
# 本学期结束前, 开幕式开始前20分钟, 赛前五分钟: before an event of the work starts or ends (`relative.ends`),
# a span before it joined (not 开始前期, nor 选拔赛前5名: a rank)
_SPAN_BEFORE = rf"{S}(?:{NUM}|半){S}个?{S}(?:分钟|小时|天|日|周)"
_BEFORE_END = re.compile(rf"(?P<ev>[\u4e00-\u9fff]{{1,6}}?)(?:{alternation(_RELATIVE_WORDS['ends'])})(?:前|之前|以前)"
                         rf"(?![期夕列沿面])(?:{_SPAN_BEFORE})?|[赛会]前{_SPAN_BEFORE}")
# 于截止日期前 / 在规定的时间节点前: the notice's own deadline, named elsewhere in it (two sites);
# `extract.inherit_named_deadline` gives it the date the notice names
NAMED = re.compile(rf"(?:{alternation(_RELATIVE_WORDS['named'])})(?:之|以)?前")
_FREQ_PREFIX = re.compile(r"^(?:每年度?|每月|每季度|每半年|每周|每次|每轮|在|于|待|各|并|要|应|须|并于)+")


def _day(m: re.Match, month: int | None, year: int | None) -> int | None:
    if m.group("d"):
        return to_number(m.group("d"))
    part = m.group("part")
    if part in ("上旬", "中旬"):
        return _PART[part]
    if month:  # 月底 / 月末 / 下旬: the month's last day
        return calendar.monthrange(year or 2001, month)[1]
    return None


def _month_of(s: str) -> int | None:
    """The month of a date; "3.7月" at the start of item 3. is month 7."""
    if "." in s:
        s = s.rsplit(".", 1)[1]
    v = to_number(s)
    return v if isinstance(v, int) and 1 <= v <= 12 else None


def _near_day(m: re.Match, anchor: str) -> datetime.date | None:
    try:
        base = datetime.date.fromisoformat(anchor)
    except ValueError:
        return None
    word = m.group("word")
    if word in _NEAR_DAYS:
        return base + datetime.timedelta(days=_NEAR_DAYS[word])
    last = m.group("wd") or m.group("wd1")
    wd = 6 if last in "日天" else _WEEKDAYS.index(last)
    monday = base - datetime.timedelta(days=base.weekday())
    return monday + datetime.timedelta(days=wd + (7 if m.group("week") == "下周" else 0))


def _lost_month(md: str, after_year: bool = False) -> tuple[int, int] | None:
    """(month, day) of a date whose 月 was dropped (37 -> 3-7, 1230 -> 12-30); None when the
    digits are a day (12; after a year they are a month and a day), can be read two ways
    (111: 1-11 or 11-1) or as no date at all."""
    if int(md) <= 31 and not after_year:
        return None
    reads = month_day_reads(md)
    return reads.pop() if len(reads) == 1 else None


# a one-off date this many days before the notice's own date is still read in its year (a notice
# dated a few days after the day it names); further back, it is next year's (1月底前 in a December notice)
BACKDATE_DAYS = 31
# a year the deadline's own words print: 2019年, 二〇一九年, 次年
_PRINTED_YEAR = re.compile(r"(?:[0-9]{4}|[〇零一二三四五六七八九]{4})\s*年|次年|翌年|明年")


def once_year(printed, month: int, day: int | None, notice_date) -> int | None:
    """The year of a one-off deadline: the printed one; else the notice's, or the next where the
    day falls more than BACKDATE_DAYS before the notice's date (a month alone counts by its last
    day). Without a notice date (an ISO string or a date), None: the caller keeps its own default."""
    if printed:
        return to_number(printed) if isinstance(printed, str) else int(printed)
    try:
        notice = (notice_date if isinstance(notice_date, datetime.date)
                  else datetime.date.fromisoformat(str(notice_date)[:10]))
    except (TypeError, ValueError):
        return None
    if not month or not 1 <= month <= 12:
        return notice.year
    last = calendar.monthrange(notice.year, month)[1]
    due = datetime.date(notice.year, month, min(day or last, last))
    return notice.year + 1 if (notice - due).days > BACKDATE_DAYS else notice.year


# A month named without a day falls due at the end of the part of it named (4月上旬 the 10th,
# 中旬 and 上中旬 the 20th); 下旬, 中下旬, 月底 or the month alone (6月份) at its last day.
_PART_END = (("上中旬", 20), ("中下旬", None), ("上旬", 10), ("中旬", 20))


def due_day(deadline: dict, year: int) -> int | None:
    """The day of the month a stored deadline ({text, month, day}) falls due in `year`: its own
    day (held to the month's length), else the end of the part of the month its text names."""
    month = deadline.get("month")
    if not month or not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    if deadline.get("day"):
        return min(deadline["day"], last)
    text = deadline.get("text") or ""
    return next(((day or last) for part, day in _PART_END if part in text), last)


def due_date(deadline: dict, notice_date, fallback_year: int | None = None) -> datetime.date | None:
    """The calendar day a stored one-off deadline falls due, as the calendar export and the
    督办台账 both read it: its year by `once_year` (else `fallback_year`), its day by `due_day`."""
    month = deadline.get("month")
    year = once_year(deadline.get("year"), month, deadline.get("day"), notice_date) or fallback_year
    day = due_day(deadline, year) if year else None
    return datetime.date(year, month, day) if day else None


def _roll_years(found: list[Deadline], doc_year: int | None, anchor: str | None = None) -> None:
    """Give each one-off deadline that took the notice's year (no year of its own words) the
    year `once_year` reads from the notice's date (`anchor`, else `ANCHOR`)."""
    anchor = anchor or ANCHOR.get()
    if not (doc_year and anchor and anchor[:4] == str(doc_year)):
        return
    for d in found:
        if d.recurrence != "once" or d.year != doc_year or not d.month or _PRINTED_YEAR.search(d.text):
            continue
        year = once_year(None, d.month, d.day, anchor)
        if year and year != d.year:
            if d.month == 2 and d.day == calendar.monthrange(d.year, 2)[1] and re.search("[底末]", d.text):
                d.day = calendar.monthrange(year, 2)[1]  # 2月底 of a leap year
            d.year = year


def reread_year(deadline: dict, notice_date) -> dict:
    """A stored deadline ({text, recurrence, month, day, year}) with the year the reader gives it
    now: a checklist stored before the roll (a one-off day more than BACKDATE_DAYS before the
    notice's date is next year's) kept the notice's year. The same dict when nothing changes."""
    notice = str(notice_date or "")[:10]
    if deadline.get("recurrence") != "once" or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", notice):
        return deadline
    d = Deadline(**{k: deadline.get(k) for k in ("text", "recurrence", "month", "day", "year")})
    d.text = d.text or ""
    _roll_years([d], int(notice[:4]), notice)
    return deadline if (d.year, d.day) == (deadline.get("year"), deadline.get("day")) else {
        **deadline, "year": d.year, "day": d.day}


def find_deadlines(text: str, doc_year: int | None = None) -> list[Deadline]:
    """Every deadline in `text`, left to right, without overlaps. A date with no year
    and no 每年 is read as once, in `doc_year` when given."""
    out: list[Deadline] = []
    taken: list[tuple[int, int]] = []

    def add(dl: Deadline, m: re.Match) -> None:
        a, b = m.span()
        if any(not (b <= s or a >= e) for s, e in taken):
            return
        dl.start, dl.end = a, b
        dl.text = re.sub(r"\s+", "", m.group(0))
        taken.append((a, b))
        out.append(dl)

    for m in _YEARLY.finditer(text):
        month = to_number(m.group("m"))
        add(Deadline("", "yearly", month, _day(m, month, None)), m)
    for m in _PAIRED.finditer(text):
        month = to_number(m.group("m"))
        if month and 1 <= month <= 12:
            yearly = bool(m.group("every"))
            add(Deadline("", "yearly" if yearly else "once", month, _day(m, month, None if yearly else doc_year),
                         None if yearly else doc_year), m)
    for m in _BY_YEAR_END.finditer(text):
        y = to_number(m.group("y") or m.group("y2"))
        add(Deadline("", "once", 12, 31, y), m)
    for m in _YEAR_END.finditer(text):
        add(Deadline("", "yearly" if m.group("every") else "once", 12, 31, None if m.group("every") else doc_year), m)
    for rx in (_ONCE, _BY_DATE):
        for m in rx.finditer(text):
            month = _month_of(m.group("m"))
            y = m.groupdict().get("y")
            year = to_number(y) if y else doc_year
            if not month or month > 12:
                continue
            if not y and text[max(0, m.start() - 2):m.start()] in ("次年", "翌年", "明年"):
                # 次年1月15日前: the year after the notice's; the text keeps 次年
                year = doc_year + 1 if doc_year else None
                day = _day(m, month, year)
                m = re.compile(re.escape(text[m.start() - 2:m.end()])).search(text, m.start() - 2)
            else:
                day = _day(m, month, year)
            add(Deadline("", "once", month, day, year), m)
    for m in _WINDOW.finditer(text):
        month = _month_of(m.group("m2") or m.group("m1"))
        y = m.group("y2") or m.group("y1")
        if month and 1 <= month <= 12:
            add(Deadline("", "once", month, to_number(m.group("d2")), to_number(y) if y else doc_year), m)
    def dated(m, day_group: str | None = "d") -> None:
        # a month in group m, the day (if the pattern has one) in d, the year in y or the notice's
        month = _month_of(m.group("m"))
        if month:
            add(Deadline("", "once", month, to_number(m.group(day_group)) if day_group else None,
                         to_number(m.group("y")) if m.group("y") else doc_year), m)

    for m in _DAY_LIST.finditer(text):
        month = _month_of(m.group("m2") or m.group("m"))
        if month:
            add(Deadline("", "once", month, to_number(m.group("d")), to_number(m.group("y")) if m.group("y") else doc_year), m)
    for m in _ON_DATE.finditer(text):
        dated(m)
    for m in _MONTH_SPAN.finditer(text):
        month = _month_of(m.group("m2"))
        if month and _month_of(m.group("m1")):
            part = m.group("part")
            year = to_number(m.group("y")) if m.group("y") else doc_year
            day = _PART[part] if part in ("上旬", "中旬") else (
                calendar.monthrange(year or 2001, month)[1] if part in ("底", "末") else None)
            add(Deadline("", "once", month, day, year), m)
    for m in _BY_MONTH_END.finditer(text):
        month = _month_of(m.group("m"))
        if month:
            year = to_number(m.group("y")) if m.group("y") else doc_year
            add(Deadline("", "once", month, calendar.monthrange(year or 2001, month)[1], year), m)
    for pattern in (_MONTH_FEN, _YEAR_MONTH_HEAD, _IN_PART):
        for m in pattern.finditer(text):
            dated(m, None)
    for m in _FROM_NOW.finditer(text):
        dated(m)
    for m in _FROM_START.finditer(text):
        dated(m)
    for m in _HOLIDAY.finditer(text):
        month, day = _HOLIDAYS[m.group("h")]
        add(Deadline("", "once", month, day, to_number(m.group("y")) if m.group("y") else doc_year), m)
    for m in _LOST_MONTH.finditer(text):
        if m.group("m"):
            md = (int(m.group("m")), int(m.group("d"))) if 1 <= int(m.group("m")) <= 12 and 1 <= int(m.group("d")) <= 31 else None
        else:
            md = _lost_month(m.group("md"), bool(m.group("y2")))
        if md:
            add(Deadline("", "once", md[0], md[1], int(m.group("y") or m.group("y2") or 0) or doc_year), m)
    anchor = ANCHOR.get()
    if anchor:
        for rx in (_NEAR_DAY, _NEAR_SET_DAY):
            for m in rx.finditer(text):
                day = _near_day(m, anchor)
                if day:
                    add(Deadline("", "once", day.month, day.day, day.year), m)
    # 每年6月25日前和12月10日前: a bare date joined to a yearly one is yearly too
    for _i, d in enumerate(out):
        if d.recurrence == "once" and d.year is None or (d.recurrence == "once" and d.year == doc_year and not re.match(r"[0-9]{4}", d.text)):
            prev = [x for x in out if x.end <= d.start and x.recurrence == "yearly"]
            if prev and re.fullmatch(r"[和、及或与至到\s]*", text[prev[-1].end:d.start]):
                d.recurrence, d.year = "yearly", None
    for m in _IN_MONTH.finditer(text):
        month = to_number(m.group("m"))
        if month and 1 <= month <= 12:
            add(Deadline("", "once", month, None, to_number(m.group("y")) if m.group("y") else doc_year), m)
    for m in _MONTHLY.finditer(text):
        add(Deadline("", "monthly", None, to_number(m.group("d"))), m)
    for m in _IN_PERIOD.finditer(text):
        add(Deadline("", "relative", None, to_number(m.group("d"))), m)
    for m in _WITHIN_YEARS.finditer(text):
        add(Deadline("", "relative"), m)
    for m in _THIS_YEAR.finditer(text):
        add(Deadline("", "once", 12, 31, doc_year), m)
    for m in _PERIOD_END.finditer(text):
        add(Deadline("", "monthly" if (m.group("p") or m.group("p2")) == "月" else "relative"), m)
    for m in _FIRST_TIME.finditer(text):
        add(Deadline("", "relative"), m)
    for m in _WITHIN.finditer(text):
        add(Deadline("", "relative"), m)
    for m in _AFTER.finditer(text):
        # drop a leading frequency or function word: 每年蹲点结束后 -> 蹲点结束后
        ev = m.group("ev")
        # the event is what follows the last function word: 会须于每季度结束后 -> 每季度结束后 -> 季度结束后
        ev = re.split(r"[于在须应要需将的对由]", ev)[-1]
        cut = _FREQ_PREFIX.match(ev)
        if cut:
            # 每年蹲点结束后 -> 蹲点结束后, but 每季度结束后 -> 季度结束后
            ev = ev[cut.end():] or ev.lstrip("每")
        if not ev:
            continue
        a = m.start() + (len(m.group("ev")) - len(ev))
        sub = re.compile(re.escape(text[a:m.end()]))
        m2 = sub.search(text, a)
        add(Deadline("", "relative"), m2)
    for m in _FINISHED.finditer(text):
        add(Deadline("", "relative"), m)
    for m in _EVENT_TIME.finditer(text):
        add(Deadline("", "relative"), m)
    for m in _AWAITED.finditer(text):
        add(Deadline("", "relative"), m)
    for m in _ON_NOTICE.finditer(text):
        add(Deadline("", "relative"), m)
    for m in NAMED.finditer(text):
        add(Deadline("", "relative"), m)
    if not any(d.month for d in out):
        for m in _LABEL_DAY.finditer(text):
            dated(_DAY_AT.match(text, m.end()))
    out.sort(key=lambda d: d.start)
    # 活动结束后15个工作日内: the event and the span after it are one deadline
    merged: list[Deadline] = []
    for d in out:
        prev = merged[-1] if merged else None
        if (prev and prev.recurrence == d.recurrence == "relative" and prev.text.endswith("后")
                and d.text.endswith("内") and not text[prev.end:d.start].strip()):
            prev.text, prev.end = prev.text + d.text, d.end
            continue
        merged.append(d)
    _roll_years(merged, doc_year)
    return merged


def act_times(text: str, year: int | None = None) -> list[Deadline]:
    """The relative deadlines of a step timed by an act of handing in (投稿时请注明…, 上报时附…) or by an
    event's start or end (本学期结束前, 比赛开始前10分钟, 赛前五分钟), where `find_deadlines` reads no time
    over them. Kept out of `find_deadlines`: the split and duty stages were fitted on its readings (their
    `relative` feature), and a reading that moves features moves items elsewhere when they are refitted
    (the card, session 13); `add_act_times` gives them to the items after those stages."""
    if not (_BEFORE_END.search(text) or _AT_ACT.search(text)):
        return []  # (most items: no need to read their dates)
    taken = [(d.start, d.end) for d in find_deadlines(text, year)]
    out: list[Deadline] = []
    for rx in (_BEFORE_END, _AT_ACT):
        for m in rx.finditer(text):
            a, b = m.span()
            ev = m.groupdict().get("ev")
            if ev:  # the event is what follows the last function word: 请于本学期结束前 -> 本学期结束前
                a += len(ev) - len(re.split(r"[于在须应要需将的对由]", ev)[-1])
            if any(a < e and s < b for s, e in taken):
                continue
            taken.append((a, b))
            out.append(Deadline(re.sub(r"\s+", "", text[a:b]), "relative", start=a, end=b))
    out.sort(key=lambda d: d.start)
    return out


def add_act_times(checklist):
    """Each item's `act_times` joined to its deadlines (an item that holds a relative deadline of the same
    text keeps it alone). Run after the learned stages, as `quantities.drop_prize_counts` is: items, recall
    and precision stay as those stages leave them."""
    from ingest.simplified import to_simplified

    for o in checklist.obligations:
        if not hasattr(o, "deadlines"):
            continue
        plain = to_simplified(re.sub(r"\s+", "", o.text))
        have = {d.text for d in o.deadlines}
        o.deadlines += [d for d in act_times(plain) if d.text not in have]
    return checklist


# Dates a page printed with a part lost or left as a template's placeholder, which `find_deadlines` does not
# read (read by `lost_dates`, after the learned stages, as `act_times` are): the 月 and 日 both dropped before
# 前 (于420前: huvtc.edu.cn in pages11); the 月 dropped after a closing label, a year glued on or not (截止时间为
# 122日, 截止申报时间:2023428: lnpc.edu.cn and zuel.edu.cn in pages14); a window of such digits whose dash the
# page garbled ((318?423日): tsinghua in pages6); a template's year (20xx年4月28日, 20**年…: 99spj.com in
# pages7, alatiku.com in pages11) and 元月 for 1月 (alatiku.com). Every such date of a found dev gold duty is
# its deadline.
_PLACEHOLDER_YEAR = re.compile(rf"(?<![0-9])20(?:[xX×*＊ｘＸ]{{2}}(?={S}年)|(?={S}年{S}(?:[0-9]{{1,2}}|[一二三四五六七八九十]{{1,2}}|元){S}月))")
_LOST_BEFORE = re.compile(rf"(?:(?<=于)|(?<=在)){S}(?P<md>[0-9]{{3,4}})(?![0-9]){S}(?:之前|以前|前)")
_LOST_CLOSING = re.compile(rf"(?:截止|截至)[^，,。；;：:\s0-9]{{0,4}}?(?:日期|时间){S}(?:为|是|[:：]){S}"
                           rf"(?:(?P<y>(?:19|20)[0-9]{{2}}){S})?(?P<md>[0-9]{{3,4}})(?![0-9]){S}[日号]?")
_LOST_WINDOW = re.compile(rf"(?<![0-9])(?P<md1>[0-9]{{3,4}}){S}(?:[?？]|[{DASHES}]+|至|到){S}(?P<md>[0-9]{{3,4}}){S}[日号]")
# of two reads of lost digits (122日: 1-22 or 12-2), a deadline is the one nearest on or after the notice's
# date, within this many days of it
LOST_READ_DAYS = 60


def _lost_read(md: str, year: int | None, anchor: str | None) -> tuple[int, int] | None:
    """(month, day) of digits whose 月 was dropped: the one read, else the read nearest on or after the
    notice's date (`anchor`, ISO), when `LOST_READ_DAYS` or less after it."""
    reads = month_day_reads(md, year or 2000)
    if len(reads) == 1:
        return reads.pop()
    try:
        notice = datetime.date.fromisoformat(str(anchor)[:10])
    except ValueError:
        return None
    near = []
    for month, day in reads:
        for y in (notice.year, notice.year + 1):
            try:
                gap = (datetime.date(y, month, day) - notice).days
            except ValueError:
                continue
            if 0 <= gap <= LOST_READ_DAYS:
                near.append((gap, month, day))
    return min(near)[1:] if near else None


def lost_dates(text: str, year: int | None = None, anchor: str | None = None) -> list[Deadline]:
    """The one-off deadlines of dates `text` prints with a part lost or a template's placeholder
    (`_LOST_BEFORE`, `_LOST_CLOSING`, `_LOST_WINDOW`, `_PLACEHOLDER_YEAR`, 元月), where `find_deadlines`
    reads none over them. `year`: the notice's; `anchor`: its date (ISO), which settles digits read two ways."""
    if not re.search(r"[0-9]{3}|20|元月", text):
        return []  # (most items)
    taken = [(d.start, d.end) for d in find_deadlines(text, year)]
    out: list[Deadline] = []

    def add(a: int, b: int, month: int, day: int | None, y: int | None) -> None:
        if any(a < e and s < b for s, e in taken):
            return
        taken.append((a, b))
        out.append(Deadline(re.sub(r"\s+", "", text[a:b]), "once", month, day, y, a, b))

    for rx in (_LOST_WINDOW, _LOST_CLOSING, _LOST_BEFORE):
        for m in rx.finditer(text):
            y = int(m.group("y")) if m.groupdict().get("y") else None
            read = _lost_read(m.group("md"), y or year, anchor)
            if not read:
                continue
            if "md1" in m.groupdict():
                first = _lost_read(m.group("md1"), year, anchor)
                if not first or first >= read:
                    continue  # (a window runs forward: 318?423 is March 18 to April 23)
            a = m.start("y") if y else m.start("md1") if "md1" in m.groupdict() else m.start("md")
            add(a, m.end(), read[0], read[1], y or once_year(None, read[0], read[1], anchor) or year)
    # a template's year (20xx年, or 20年 where the page's markup ate the **) and 元月 read as the notice's
    # year and 1月
    years = [(m.start(), m.end()) for m in _PLACEHOLDER_YEAR.finditer(text)]
    marks = [(a, b, str(year or 2000)) for a, b in years]
    marks += [(m.start(), m.end(), "1月") for m in re.finditer("元月", text)]
    if marks:
        plain, at, pieces = "", 0, []  # (start in plain, end in plain, start in text, end in text, put)
        for a, b, put in sorted(marks):
            pieces.append((len(plain), len(plain) + a - at, at, a, False))
            plain += text[at:a]
            pieces.append((len(plain), len(plain) + len(put), a, b, True))
            plain += put
            at = b
        pieces.append((len(plain), len(plain) + len(text) - at, at, len(text), False))
        plain += text[at:]

        def back(i: int) -> int:  # an offset of `plain` in `text`
            for p0, p1, t0, t1, put in pieces:
                if p0 <= i < p1 or i == p1 == len(plain):
                    return (t0 if i == p0 else t1) if put else t0 + i - p0
            return len(text)

        for d in find_deadlines(plain, year):
            a, b = back(d.start), back(d.end)
            if d.recurrence == "once" and d.month and any(a < e and s < b for s, e, _ in marks):
                add(a, b, d.month, d.day, year if any(a < e and s < b for s, e in years) else d.year)
    out.sort(key=lambda d: d.start)
    return out


def add_lost_dates(checklist):
    """Each item's `lost_dates` joined to its deadlines, in the notice's year (its date, else the day its
    page went up). Run after the learned stages, as `add_act_times` is: items, recall and precision stay
    as those stages leave them."""
    from ingest.simplified import to_simplified

    meta = getattr(checklist, "document", None) or {}
    anchor = meta.get("date") or meta.get("published") if isinstance(meta, dict) else None
    year = int(anchor[:4]) if anchor and anchor[:4].isdigit() else None
    for o in checklist.obligations:
        if not hasattr(o, "deadlines"):
            continue
        plain = to_simplified(re.sub(r"\s+", "", o.text))
        have = {d.text for d in o.deadlines}
        o.deadlines += [d for d in lost_dates(plain, year, anchor) if d.text not in have]
    return checklist


# 报名截止时间为6月4日 / 征集截止6月15日 / 截止日期：5月20日: the notice states its own deadline (xjtu page,
# fzjgdj-gh), the date a duty due 于截止日期前 (`NAMED`) is due by
_CLOSING = re.compile(rf"(?:截止|截至)(?:日期|时间)?{S}(?:为|是|[:：])?{S}")


def stated_closing_dates(text: str, year: int | None) -> set[tuple[int | None, int, int]]:
    """The (year, month, day) of every deadline `text` states as its closing date."""
    out = set()
    for m in _CLOSING.finditer(text):
        # the date right after the words (read with them: 截止 and 为 open a set day)
        at = m.end() - m.start()
        out |= {(d.year, d.month, d.day) for d in find_deadlines(text[m.start():m.end() + 40], year)
                if d.start == at and d.recurrence == "once" and d.month and d.day}
    return out


# 。！？； and a line end close a sentence; its comma clauses share the time it names
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")


@lru_cache(maxsize=4)
def _sentence_ends(text: str) -> list[int]:
    return [m.start() for m in _SENTENCE_END.finditer(text)]


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence of `text` that holds text[start:end] (several, where the span runs on)."""
    ends = _sentence_ends(text)
    i = bisect.bisect_left(ends, start)  # the first mark at or after the span's start
    j = bisect.bisect_left(ends, max(end - 1, start))
    return (ends[i - 1] + 1 if i else 0), (ends[j] if j < len(ends) else len(text))


def deadlines_of_sentence(sentence: str, year: int | None) -> tuple[Deadline, ...]:
    return _deadlines_of_sentence(sentence, year, ANCHOR.get())


@lru_cache(maxsize=256)
def _deadlines_of_sentence(sentence: str, year: int | None, anchor: str | None) -> tuple[Deadline, ...]:
    # several duties share one sentence; the notice's date is in the key (明天, the year of 1月底前)
    return tuple(find_deadlines(sentence, year))


def sentence_deadlines(text: str, start: int, end: int, year: int | None = None,
                       relative: bool = True) -> list[Deadline]:
    """The deadline the rest of the sentence around text[start:end] gives: the nearest one
    after the span (请…认真组织，并于6月5日前报送), else the nearest before it (一般于每年10月底前
    开始，县总工会…). `relative`: an event-bound time (…上线后，) counts too. Offsets are the text's."""
    a, b = sentence_span(text, start, end)
    found = [replace(d, start=d.start + a, end=d.end + a) for d in deadlines_of_sentence(text[a:b], year)
             if relative or d.recurrence != "relative"]
    after = [d for d in found if d.start >= end]
    before = [d for d in found if d.end <= start]
    return after[:1] or before[-1:]


def window_days(text: str) -> int:
    """The longest period a date window (5月8日—5月20日, 2020年1月10日至5月31日) or a span of
    months (6月-9月底) in `text` covers, in days; 0 when it names none. A span of months
    counts as 28 days a month between its ends (its days are not printed)."""
    best = 0
    for m in _WINDOW.finditer(text):
        m1, m2 = _month_of(m.group("m1")), _month_of(m.group("m2") or m.group("m1"))
        d1, d2 = to_number(m.group("d1")), to_number(m.group("d2"))
        if not (m1 and m2 and isinstance(d1, int) and isinstance(d2, int)):
            continue
        try:  # (a window that runs into the next year: 12月1日至1月15日)
            days = (datetime.date(2001 + (m2 < m1), m2, d2) - datetime.date(2001, m1, d1)).days
        except ValueError:
            continue
        best = max(best, days)
    for m in _MONTH_SPAN.finditer(text):
        m1, m2 = _month_of(m.group("m1")), _month_of(m.group("m2"))
        if m1 and m2 and "或" not in m.group(0):  # (3月下旬或4月上旬: a choice of dates, no span)
            best = max(best, 28 * ((m2 - m1) % 12))
    return best


def reversed_window(text: str) -> tuple[str, str] | None:
    """The start and end of a date window in `text` whose start falls after its end, as the notice
    printed them (5月20日至5月10日 -> ("5月20日", "5月10日")); None when it names no such window. A
    window into the next year (12月1日至1月15日) is not reversed; with both years printed, the
    dates are compared whole (2025年3月1日至2024年3月5日 is)."""
    for m in _WINDOW.finditer(text):
        m1, m2 = _month_of(m.group("m1")), _month_of(m.group("m2") or m.group("m1"))
        d1, d2 = to_number(m.group("d1")), to_number(m.group("d2"))
        if not (m1 and m2 and isinstance(d1, int) and isinstance(d2, int)):
            continue
        y1, y2 = m.group("y1"), m.group("y2")
        if y1 and y2:
            later = (int(y1), m1, d1) > (int(y2), m2, d2)
        else:
            later = m1 == m2 and d1 > d2
        if later:
            start = f"{y1 + '年' if y1 else ''}{m1}月{d1}日"
            return start, f"{y2 + '年' if y2 else ''}{m2}月{d2}日"
    return None


def date_spans(text: str) -> list[tuple[int, int]]:
    """Spans of calendar dates and years (2022年, 3月1日, 2022年3月1日) so the quota
    reader does not take them for counts."""
    rx = re.compile(rf"(?:[0-9]{{4}}{S}年)?(?:{S}{NUM}{S}月)(?:{S}{NUM}{S}[日号])?|[0-9]{{4}}{S}年|{NUM}{S}[日号]{S}{BEFORE}")
    return [m.span() for m in rx.finditer(text)]


# （三）复审阶段（9月15日前） / 1.宣传发动阶段（2018年3月）。… / 第二阶段（4月1日—10月31日）：…: a stage of
# the work with its time in the heading; the clauses under it are due by then. Where a stage
# ends comes from the parsed outline (ingest.structure.sections), not from numbers read again here.
# （二）第二阶段：决赛（11月）。: a stage named, then what it holds, then its time (ncut of pages6)
# 第二阶段: a stage by its ordinal, the one form every stage reader here and in `extract` takes
ORDINAL_STAGE = r"第[一二三四五六七八九十\d]+阶段"
_STAGE = re.compile(rf"(?P<name>{ORDINAL_STAGE}|[^\s，。；：:（()）、]{{1,10}}阶段)"
                    r"(?:[ \t\u3000]*[:：][^\n（()）：:。；]{1,20}?)?"
                    r"[ \t\u3000]*[（(](?P<when>[^（()）\n]{2,24})[）)][ \t\u3000]*(?:[。：:．.]|$)", re.M)
# （二）持续读书分享（3月8日—4月30日）: a numbered step of the work with its time in brackets bounds the
# clauses under it as a stage heading does (zua of pages7), when the bracket reads as a date; a time
# label (比赛时间（6月20日）) names when the event is held, not a step that bounds the lines under it
_TIMED_TITLE = re.compile(r"(?P<name>[^\s，。；：:（()）、]{2,16}(?<!时间)(?<!日期))[ \t\u3000]*[（(](?P<when>[^（()）\n]{2,24})[）)]"
                          r"[ \t\u3000]*[。：:．.]?[ \t\u3000]*$")
_NUMBER_LEAD = re.compile(rf"[ \t\u3000]*(?:{HEADING_NUMBER})?[ \t\u3000]*")
_BRACKET_DATE = re.compile(r"[（(][^（()）\n]{0,12}[月日][^（()）\n]{0,12}[）)]")
# 第一阶段：选拔报名。 with its close on the next line (2021年11月12日前完成。…): the stage's time is that
# close (ddtbk of pages11: every clause under such a stage carries it)
_STAGE_LINE = re.compile(rf"(?P<name>{ORDINAL_STAGE})[ \t\u3000]*(?:[:：][^\n（()）：:。；]{{0,20}})?[。.]?[ \t\u3000]*$")
_CLOSE_LINE = re.compile(r"[^。；;\n]{4,24}?(?:前|止)完成[。；;]")
_BARE_MONTHS = re.compile(rf"^(?P<every>每年度?)?{S}(?:(?P<y>[0-9]{{4}}){S}年{S})?(?P<m1>{NUM}){S}(?:月份?)?"
                          rf"(?:{S}(?P<sep>至|到|[{DASHES}]+|、|和){S}(?P<m2>{NUM}){S}月份?)?{S}$")


def _stage_time(when: str, year: int | None) -> list[Deadline]:
    """The deadlines a stage's time gives: the end of a window or the date before which;
    a month or span of months alone gives its (last) month with no day."""
    found = [d for d in find_deadlines(when, year) if d.recurrence in ("once", "yearly")]
    if found:
        return found[-1:]
    m = _BARE_MONTHS.match(re.sub(r"\s+", "", when))
    if not m:
        return []
    y = to_number(m.group("y")) if m.group("y") else year
    months = [to_number(m.group("m1"))] + ([to_number(m.group("m2"))] if m.group("m2") else [])
    if m.group("sep") and m.group("sep") not in ("、", "和"):
        months = months[-1:]  # 4-5月: due by the end of the span
    if not all(isinstance(x, int) and 1 <= x <= 12 for x in months):
        return []
    every = bool(m.group("every"))
    text = re.sub(r"\s+", "", when)
    return [Deadline(text, "yearly" if every else "once", x, None, None if every else y) for x in months]


def stage_windows(doc, year: int | None = None) -> list[tuple[int, int, list[Deadline]]]:
    """(start, end, deadlines) of every stage that gives a time, read from the parsed
    outline: a numbered section whose heading line is a stage (（三）复审阶段（9月15日前）, 第二阶段：决赛
    （11月）) or a step with its time in brackets (（二）集中展示（6月1日—6月15日）) spans the section; an
    unnumbered stage line (第二阶段（…）：…, or 第一阶段：选拔报名。 over a line that opens with its close),
    which no section holds, runs to the next stage line, the next section heading or the end of its
    part. A 附件 line ends either.
    Read in the notice's simplified view (`view`): its text and its outline."""
    from nlp.checklist.view import view

    if "阶段" not in doc.text and "階段" not in doc.text and not _BRACKET_DATE.search(doc.text):
        return []
    doc = view(doc)
    text = doc.text
    heads = sorted({s.start for _, s in doc.sections()})
    ends = sorted({p.end for p in doc.parts} | {m.start() for m in re.finditer(r"(?m)^[ \t\u3000]*附件", text)}
                  | {len(text)})
    out: list[tuple[int, int, list[Deadline]]] = []
    for _, s in doc.sections():
        # the heading's whole line: the outline may cut its title at a colon (第二阶段：决赛（11月）)
        eol = text.find("\n", s.start)
        eol = len(text) if eol < 0 else eol
        at = _NUMBER_LEAD.match(text, s.start, eol).end()
        stage = _STAGE.match(text, at, eol) or _TIMED_TITLE.match(text, at, eol)
        if stage:
            dls = _stage_time(stage.group("when"), year)
            if dls:  # the heading itself is no part of its window
                out.append((stage.end(), min([s.end] + [e for e in ends if e > s.start]), dls))
    lines = [(m.start() + len(m.group(0)) - len(m.group(0).lstrip()), m.group(0).strip())
             for m in re.finditer(r"[^\n]+", text)]
    starts = [at for at, line in lines if _STAGE.match(line) or _STAGE_LINE.fullmatch(line)]
    for at in starts:
        head = _STAGE.match(text, at)  # as on its line: $ is a line end (re.M)
        if head:
            dls, start = _stage_time(head.group("when"), year), head.end()
        else:
            dls, start = _stage_close(text, at, year)
        if dls and at not in heads:
            stop = min([e for e in ends if e > at] + [h for h in heads if h > at] + [x for x in starts if x > at])
            out.append((start, stop, dls))
    return sorted(out, key=lambda w: w[0])


def _stage_close(text: str, at: int, year: int | None) -> tuple[list[Deadline], int]:
    """The close printed on the first line under a bare stage line at `at` (第一阶段：选拔报名。 then
    2021年11月12日前完成。): its deadline and where the stage's window starts (after the close)."""
    eol = text.find("\n", at)
    if eol < 0:
        return [], at
    nxt = re.compile(r"\s*").match(text, eol).end()
    close = _CLOSE_LINE.match(text, nxt)
    if not close:
        return [], at
    found = [d for d in find_deadlines(close.group(0), year) if d.recurrence == "once" and d.start == 0]
    return found[:1], close.end()
