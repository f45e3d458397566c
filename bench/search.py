"""Search benchmark: builds an index of N generated notice sections and field logs
(default 100,000) with each engine and prints, side by side, indexing items/s and
in-process query latency p50/p95/p99 over a fixed set of queries, every query with
snippets (highlights) and the six facets.

The texts are composed from many phrase banks with random places, organs, people,
companies, numbers and dates, so vocabulary and lengths vary like real 公文 and 蹲点日志.

    python bench/search.py [--n 100000] [--engines tantivy,whoosh] [--repeat 5] [--batch 5000] [--no-raw]
    GONGWEN_INDEX_WORKERS=0 python bench/search.py --engines tantivy   # indexing in one process

Indexing is also given in items per CPU-second (this process, its threads and its
segmenting workers; the machine is shared, so wall time swings with the load), next to
raw tantivy writing the same documents from each text field's analysis.joined string
computed beforehand (the limit), and from the same tokens as tantivy Token objects
(how the engine handed them over before index format 3).
"""
from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "bench"))  # after the repository: bench/ingest.py is no package

from gongwen_scratch import scratch_folder  # noqa: E402

from index.search import Item, open_index  # noqa: E402
from index.search.analysis import backend  # noqa: E402
from ingest.settings import Settings  # noqa: E402

PROVINCES = ["江西省", "湖南省", "四川省", "湖北省", "安徽省", "广东省", "浙江省", "福建省", "河南省", "山东省"]
CITIES = ["九江市", "赣州市", "吉安市", "宜春市", "上饶市", "萍乡市", "新余市", "南昌市", "抚州市", "景德镇市",
          "株洲市", "湘潭市", "衡阳市", "岳阳市", "常德市", "绵阳市", "德阳市", "宜昌市", "襄阳市", "芜湖市",
          "安庆市", "佛山市", "东莞市", "温州市", "嘉兴市", "泉州市", "漳州市", "洛阳市", "潍坊市", "临沂市"]
COUNTIES = ["修水县", "安福县", "瑞金市", "永新县", "铜鼓县", "婺源县", "芦溪县", "分宜县", "进贤县", "乐安县",
            "浮梁县", "攸县", "韶山市", "耒阳市", "平江县", "桃源县", "江油市", "广汉市", "枝江市", "谷城县",
            "湖口县", "都昌县", "兴国县", "于都县", "井冈山市", "樟树市", "德兴市", "莲花县", "渝水区", "安源区"]
ORGAN_SUFFIX = ["总工会", "总工会办公室", "总工会女职工委员会", "总工会权益保障部", "教育工会", "交通运输工会"]
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文辉鹏飞宇浩然欣怡思琪晨阳婷雪梅琳斌俊峰波宁亮成海燕丹凤")
BRANDS = ["恒达", "鑫源", "华泰", "瑞丰", "金桥", "宏远", "天成", "博众", "长青", "众诚", "嘉禾", "永兴", "东方",
          "同创", "润泽", "银河", "顺通", "新锐", "安泰", "德胜", "兴业", "远航", "盛世", "卓越", "联创"]
INDUSTRY = ["物流", "建筑工程", "食品", "纺织", "机械制造", "电子科技", "物业服务", "餐饮管理", "汽车零部件", "医药",
            "家政服务", "快递", "网约车", "新能源", "化工", "陶瓷", "矿业", "环卫服务", "商贸", "光伏"]
WORKERS = ["外卖配送员", "快递员", "网约车司机", "货车司机", "环卫工人", "建筑工人", "家政服务员", "保安员",
           "护工", "一线职工", "农民工", "女职工", "青年职工", "困难职工", "劳动模范", "技术工人", "产业工人",
           "新就业形态劳动者", "网络主播", "代驾司机"]
TOPICS = ["蹲点调研", "职工之家建设", "送清凉活动", "送温暖活动", "困难职工帮扶", "工资集体协商", "劳动竞赛",
          "安全生产监督", "职工疗休养", "工会经费管理", "产业工人队伍建设改革", "新就业形态劳动者入会",
          "职工书屋建设", "法律援助", "职业技能培训", "女职工权益保护", "劳模评选推荐", "厂务公开民主管理",
          "户外劳动者服务站点", "基层工会规范化建设", "职工代表大会", "工匠人才培养", "心理健康服务",
          "职工医疗互助", "劳动争议调解", "欠薪治理", "高温津贴落实", "工会会员服务", "数字工会建设", "普惠服务"]
LEADS = ["各级工会要", "各县（市、区）总工会要", "基层工会要", "市总工会各部门要", "各产业工会要", "各单位要",
         "企业工会要", "乡镇（街道）工会要", "各蹲点组要", "工会干部要"]
ACTIONS = ["深入开展", "认真落实", "积极推动", "进一步加强", "健全完善", "扎实推进", "切实做好", "统筹抓好",
           "持续深化", "大力推进", "严格规范", "广泛动员"]
GOALS = ["建会率达到{p}%以上", "入会率不低于{p}%", "每季度至少开展{n}次专题活动", "于{d}前报送工作总结",
         "覆盖职工不少于{k}人", "安排专项资金{m}万元", "每年至少走访{n}家企业", "建成示范点{n}个",
         "培训骨干{k}人次", "慰问资金不超过{m}万元", "每月{n}日前报送进度", "满意率达到{p}%"]
MEANS = ["通过座谈会、问卷调查和入户走访等方式", "依托“职工之家”和户外劳动者服务站点", "结合“我为职工办实事”实践活动",
         "运用数字工会平台", "会同人社、住建、交通等部门", "发挥劳模工匠示范引领作用", "坚持党建带工建",
         "按照“有标识、有场地、有设施、有制度、有活动”标准", "聚焦职工急难愁盼问题", "采取“一企一策”方式"]
ENDS = ["确保各项任务落到实处。", "切实增强职工群众获得感幸福感安全感。", "推动工作提质增效。", "形成可复制可推广的经验。",
        "对工作不力的予以通报。", "并将落实情况纳入年度考核。", "有关情况及时报市总工会。", "努力实现应建尽建、应入尽入。"]
HEAD_PRE = ["总体要求", "工作目标", "主要任务", "重点内容", "实施步骤", "保障措施", "工作要求", "组织领导",
            "时间安排", "考核评价", "资金管理", "工作职责"]
NUM1 = ["一、", "二、", "三、", "四、", "五、", "六、"]
NUM2 = ["（一）", "（二）", "（三）", "（四）", "（五）"]
LOG_OPEN = ["今天上午到{co}走访，", "{d}，蹲点组一行{n}人来到{place}{co}，", "下午在{place}召开座谈会，",
            "随{name}同志到{co}调研，", "晚上回访了{place}的{w}，", "今天在{place}户外劳动者服务站点值守，",
            "本周重点走访{place}的{n}家企业，"]
LOG_BODY = ["{w}反映{issue}", "企业负责人表示{issue}", "据{name}介绍，{issue}", "座谈中{n}名{w}提到{issue}",
            "现场看到{issue}", "工会主席{name}说{issue}"]
ISSUES = ["平台拖欠工资已有{n}个月，情绪比较激动", "加班时间过长，每周休息不足一天", "没有缴纳社会保险，担心工伤无保障",
          "高温津贴没有按标准发放", "食堂和宿舍条件较差", "希望工会帮助协调子女入学", "劳动合同签订率偏低",
          "企业效益下滑，可能裁员{n}人", "职工书屋长期无人管理", "送清凉物资已全部发放到位", "集体协商要约尚未得到回应",
          "有{n}名职工准备集体上访", "技能培训报名踊跃", "职工对疗休养安排比较满意", "安全防护用品配备不足",
          "新建的职工之家使用率很高", "困难职工帮扶资金申请流程繁琐", "女职工产假待遇落实不到位"]
LOG_END = ["已向上级工会报告。", "已约谈企业负责人。", "下一步将持续跟踪。", "建议纳入重点帮扶台账。", "已转交法律援助中心。", "当场进行了政策解答。"]
TAGS = ["蹲点调研", "权益维护", "困难帮扶", "组织建设", "新就业形态", "安全生产", "民主管理", "职工服务", "技能提升", "劳模工匠"]
RISKS = ["欠薪", "群体性事件", "安全隐患", "劳动关系", "社保缺失", "加班", "裁员", "心理健康"]
DOC_TYPES = ["通知", "通知", "通知", "意见", "实施方案", "办法", "报道"]

QUERIES = [
    "蹲点", "驻点 调研", "外卖骑手", "新业态 入会", "产改", '"工资集体协商"', '"送清凉"', "高温津贴",
    "职工之家 建设", "困难职工 帮扶资金", "欠薪 OR 拖欠工资", "快递员 -外卖", "劳动竞赛 year:2023",
    "安全生产 type:通知", "issuer:九江市总工会", "疗休养 kind:section", "kind:log risk:欠薪",
    "tag:新就业形态 高温", "date:2022-01-01..2022-12-31 法律援助", "year:2021..2022 劳模", "(送温暖 OR 送清凉) 慰问资金",
    "工会经费 管理", "网约车司机 社会保险", "集体上访", "职工书屋", "数字工会平台", '"户外劳动者服务站点"',
    "技能培训 女职工", "心理健康", "全总", "厂务公开", "region:赣州市 蹲点", "", "kind:log", "女职工 产假",
    "建会率 入会率", "瑞丰物流", "王芳",
]
# questions: the second look's learned ranker (index.search.ltr) orders their window, so
# they time its features and trees too (added with it; the figures before had none)
QUESTIONS = ["困难职工一年能领几次慰问金", "外卖骑手怎么加入工会", "高温津贴每月发多少钱", "劳模疗休养由谁负责组织",
             "法律援助去哪里申请"]
QUERIES += QUESTIONS


def _name(r: random.Random) -> str:
    return r.choice(SURNAMES) + "".join(r.choice(GIVEN) for _ in range(r.choice((1, 2))))


def _fill(t: str, r: random.Random, place: str) -> str:
    return t.format(
        p=r.randint(50, 100), n=r.randint(1, 12), k=r.randint(20, 5000), m=r.randint(1, 500),
        d=f"{r.randint(2021, 2025)}年{r.randint(1, 12)}月{r.randint(1, 28)}日", place=place,
        co=f"{place[:2]}{r.choice(BRANDS)}{r.choice(INDUSTRY)}有限公司", name=_name(r), w=r.choice(WORKERS),
        issue=_fill(r.choice(ISSUES), r, place) if "{issue}" in t else "")


def _doc_meta(doc: int, seed: int) -> dict:
    """Title, issuer, 文号, date … shared by the sections of one generated document."""
    r = random.Random(seed * 1_000_003 + doc)
    place = r.choice(CITIES + COUNTIES)
    issuer = place + r.choice(ORGAN_SUFFIX)
    topic = r.choice(TOPICS)
    year = r.randint(2019, 2025)
    # the notice's opening words, which its sections inherit in their context field (items.lead_of)
    lead = f"为{_fill(r.choice(GOALS), r, place)}，{r.choice(LEADS)}{r.choice(ACTIONS)}{topic}，现将有关事项通知如下："
    return dict(place=place, topic=topic, lead=lead[:100], doc_id=f"d{doc}", issuer=issuer, region=place,
                title=f"{issuer}关于{r.choice(['开展', '做好', '加强', '规范'])}{year}年度{topic}工作的"
                      f"{r.choice(['通知', '意见', '实施方案'])}",
                doc_number=f"{place[0]}工{r.choice(['发', '字', '办发'])}〔{year}〕{r.randint(1, 60)}号",
                doc_type=r.choice(DOC_TYPES), date=f"{year}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}")


def _section(r: random.Random, i: int, seed: int = 7) -> Item:
    meta = _doc_meta(i // 12, seed)  # about 8 sections a document (logs take every third slot)
    place, topic, lead = meta.pop("place"), meta.pop("topic"), meta.pop("lead")
    sents = []
    for _ in range(r.randint(2, 6)):
        s = (r.choice(LEADS) + (r.choice(MEANS) + "，" if r.random() < .5 else "") + r.choice(ACTIONS)
             + r.choice(TOPICS if r.random() < .3 else [topic]) + "，" + _fill(r.choice(GOALS), r, place)
             + ("，重点关注" + r.choice(WORKERS) if r.random() < .4 else "") + "，" + r.choice(ENDS))
        sents.append(s)
    heading = r.choice(NUM1 + NUM2) + (topic if r.random() < .4 else r.choice(HEAD_PRE))
    return Item(id=f"s{i}", kind="section", text="".join(sents), heading=heading, path=heading,
                context=f"{meta['title']}\n{lead}",
                tags=r.sample(TAGS, r.randint(0, 2)), **meta)


def _log(r: random.Random, i: int) -> Item:
    place = r.choice(CITIES + COUNTIES)
    body = _fill(r.choice(LOG_OPEN), r, place)
    for _ in range(r.randint(1, 4)):
        body += _fill(r.choice(LOG_BODY), r, place) + "；"
    body = body.rstrip("；") + "。" + r.choice(LOG_END)
    year = r.randint(2021, 2025)
    author = _name(r)
    return Item(id=f"l{i}", kind="log", doc_id=f"l{i}", text=body, title=body[:20], heading=author,
                issuer=place + "总工会", doc_type="蹲点日志",
                date=f"{year}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}", region=place,
                tags=r.sample(TAGS, r.randint(1, 3)), risks=r.sample(RISKS, r.choice((0, 0, 0, 1, 2))))


def generate(n: int, seed: int = 7) -> list[Item]:
    r = random.Random(seed)
    return [_section(r, i, seed) if i % 3 else _log(r, i) for i in range(n)]


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def cpu_s() -> float:
    """CPU seconds of this process (all its threads) and its finished children."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def raw_tantivy(items: list[Item], folder: Path, pretokenized: bool = False) -> float:
    """The limit for indexing, in items per CPU-second: tantivy-py writing the same
    documents (schema, text fields, keywords, payload, one writer thread, one commit)
    from everything computed before the clock starts — each text field's
    analysis.joined string (which tantivy's analyzer cuts into the tokens, as the
    engine hands them over), field values, payload — so what is timed is tantivy's own
    work and building its objects. `pretokenized`: the same tokens handed over as
    tantivy Token objects instead (the engine's way before schema 3), for comparison."""
    import tantivy

    from index.search import common
    from index.search.analysis import analyze, joined
    from index.search.tantivy_engine import ANALYZER, HEAP, WRITER_THREADS, TantivyIndex, analyzer

    ready = []
    for it in items:
        fields = [(k, v) for k, v in common.text_fields(it).items() if v]
        texts = ([(k, v, [tuple(t) for t in analyze(v)]) for k, v in fields] if pretokenized
                 else [(k, joined(v)) for k, v in fields])
        ready.append((texts, common.keyword_fields(it), it.year, it.datenum, common.payload(it).encode("utf-8")))
    ix = TantivyIndex(folder / ("raw-tantivy-tokens" if pretokenized else "raw-tantivy"))
    ix.index.register_tokenizer(ANALYZER, analyzer(None))
    t = cpu_s()
    w = ix.index.writer(heap_size=HEAP, num_threads=WRITER_THREADS)
    for texts, keywords, year, datenum, payload in ready:
        d = tantivy.Document()
        if pretokenized:
            for name, value, tokens in texts:
                d.add_pre_tokenized_text(name, tantivy.PreTokenizedString(value, [tantivy.Token(*x) for x in tokens]))
        else:
            for name, value in texts:
                d.add_text(name, value)
        for name, values in keywords.items():
            for v in values:
                d.add_text(name, v)
        if year:
            d.add_integer("year", int(year))
        d.add_integer("datenum", datenum)
        d.add_bytes("payload", payload)
        w.add_document(d)
    w.commit()
    w.wait_merging_threads()
    return len(items) / (cpu_s() - t)


def run(engine: str, items: list[Item], folder: Path, repeat: int, batch: int) -> dict:
    ix = open_index(folder / engine, engine)
    t0, c0 = time.perf_counter(), cpu_s()
    if batch:  # incremental: one add() (one commit) per batch
        for i in range(0, len(items), batch):
            ix.add(items[i : i + batch])
    else:  # bulk build: reindex() in one commit
        ix.reindex(iter(items))
    index_s = time.perf_counter() - t0
    index_cpu = cpu_s() - c0
    assert ix.count() == len(items)
    for q in QUERIES:  # warm-up (segmenter, caches, OS file cache)
        ix.search(q)
    lat, cpu, totals, per_q = [], [], {}, {}
    for _ in range(repeat):
        for q in QUERIES:
            t, c = time.perf_counter(), time.process_time()
            res = ix.search(q)  # default: page 1 of 10, snippets, six facets
            ms = (time.perf_counter() - t) * 1000
            # CPU time of the process (all its threads) during the query: what the query
            # costs, apart from waiting for CPUs other processes hold on a loaded machine
            cpu.append((time.process_time() - c) * 1000)
            lat.append(ms)
            per_q.setdefault(q, []).append(ms)
            totals[q] = res.total
    # the questions again with the learned ranker off (the hand formula alone), CPU ms
    from index.search import ltr

    asked, off = [], []
    shipped = ltr.model()
    for _ in range(repeat):
        for q in QUESTIONS:
            c = time.process_time()
            ix.search(q)
            asked.append((time.process_time() - c) * 1000)
        ltr.use(None)
        for q in QUESTIONS:
            c = time.process_time()
            ix.search(q)
            off.append((time.process_time() - c) * 1000)
        ltr.use(shipped)
    ix.close()
    size = sum(p.stat().st_size for p in (folder / engine).rglob("*") if p.is_file())
    return {"items/s": len(items) / index_s, "index s": index_s, "items/CPU-s": len(items) / index_cpu, "p50": pct(lat, 50), "p95": pct(lat, 95),
            "p99": pct(lat, 99), "mean": statistics.mean(lat), "cpu p50": pct(cpu, 50), "cpu p95": pct(cpu, 95),
            "q cpu p95": pct(asked, 95), "q cpu p95 off": pct(off, 95), "MB": size / 1e6, "totals": totals,
            "slowest": sorted(((statistics.median(v), q) for q, v in per_q.items()), reverse=True)[:4]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--engines", default="tantivy,whoosh")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--batch", type=int, default=0, help="index by add() batches of this size (default: one reindex)")
    ap.add_argument("--dir", type=Path, default=None, help="where to build the indexes (default: a temp folder)")
    ap.add_argument("--no-raw", action="store_true", help="leave out the raw tantivy limit")
    a = ap.parse_args()
    engines = [e.strip() for e in a.engines.split(",") if e.strip()]
    t = time.perf_counter()
    items = generate(a.n)
    chars = sum(len(i.text) for i in items)
    print(f"generated {len(items):,} items ({sum(i.kind == 'log' for i in items):,} logs), "
          f"{chars / len(items):.0f} chars/item avg, in {time.perf_counter() - t:.1f}s; segmenter: {backend().name}")
    print(f"{len(QUERIES)} queries × {a.repeat} runs, each with snippets and facets {', '.join(('issuer', 'year', 'doc_type', 'tags', 'risks', 'kind'))}")
    folder = a.dir or scratch_folder("gongwen-bench-")
    out = {}
    for e in engines:
        out[e] = run(e, items, folder, a.repeat, a.batch)
        print(f"  {e}: done ({out[e]['index s']:.1f}s indexing)", flush=True)
    rows = [("indexing items/s", "items/s", "{:,.0f}"), ("items per CPU-s", "items/CPU-s", "{:,.0f}"),
            ("index size MB", "MB", "{:,.1f}"),
            ("query p50 ms", "p50", "{:.2f}"), ("query p95 ms", "p95", "{:.2f}"), ("query p99 ms", "p99", "{:.2f}"),
            ("query mean ms", "mean", "{:.2f}"), ("query CPU p50 ms", "cpu p50", "{:.2f}"),
            ("query CPU p95 ms", "cpu p95", "{:.2f}"),
            ("questions CPU p95", "q cpu p95", "{:.2f}"), ("... learned off", "q cpu p95 off", "{:.2f}")]
    print(f"\n{'n = ' + format(a.n, ','):<20}" + "".join(f"{e:>14}" for e in engines))
    for label, key, fmt in rows:
        print(f"{label:<20}" + "".join(f"{fmt.format(out[e][key]):>14}" for e in engines))
    if "tantivy" in engines and not a.no_raw:
        raw = raw_tantivy(items, folder)
        tokens = raw_tantivy(items, folder, pretokenized=True)
        ours = out["tantivy"]["items/CPU-s"]
        print(f"indexing, items per CPU-second: gongwen tantivy {ours:,.0f} "
              f"({'GONGWEN_INDEX_WORKERS=' + str(Settings().index_workers) if Settings().index_workers is not None else 'segmenting workers: one per CPU'}), "
              f"raw tantivy on the same documents pre-segmented {raw:,.0f} (the limit), ratio {raw / ours:.2f}; "
              f"raw tantivy from Token objects {tokens:,.0f}")
    try:
        import os

        print(f"{'load average':<20}{os.getloadavg()[0]:>14.1f}   (other processes share the CPUs)")
    except OSError:
        pass
    for e in engines:
        print(f"{e} slowest (median ms): " + "; ".join(f"{q or '(empty)'!r} {ms:.1f} [{out[e]['totals'][q]:,} hits]"
                                                   for ms, q in out[e]["slowest"]))
    if len(engines) == 2:
        a_, b_ = (out[e]["totals"] for e in engines)
        same = sum(a_[q] == b_[q] for q in QUERIES)
        print(f"{'same hit counts':<20}{same:>14}/{len(QUERIES)}")
        for q in QUERIES:
            if a_[q] != b_[q]:
                print(f"   differs: {q!r}: {a_[q]} vs {b_[q]}")


if __name__ == "__main__":
    main()
