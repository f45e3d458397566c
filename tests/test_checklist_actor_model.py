"""The learned actor stage: a CRF over the characters of a duty text, trained here on a
few self-written gold duties; it replaces only the rules' fallback doers."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from nlp.checklist import actor_model as am

TRAIN = [{"obligations": [
    {"text": "所有参赛人员须穿运动鞋", "actors": ["所有参赛人员"]},
    {"text": "各支会的参赛队员必须统一着装", "actors": ["各支会的参赛队员"]},
    {"text": "参赛选手须按规定路线行走", "actors": ["参赛选手"]},
    {"text": "全体代表准时参加预备会议", "actors": ["全体代表"]},
    {"text": "各分工会于5月10日前报送名单", "actors": ["各分工会"]},
    {"text": "与会人员注意交通安全", "actors": ["与会人员"]},
    {"text": "参赛人员需服从裁判引导", "actors": ["参赛人员"]},
    {"text": "各工会小组做好报名工作", "actors": ["各工会小组"]},
    {"text": "按时报送材料", "actors": ["各分工会"]},  # a doer the text does not name: no label
]}]


@pytest.fixture(scope="module")
def crf():
    return am.fit(TRAIN)


def test_bio_and_spans_round_trip():
    labels = am.bio("各分工会和校工会报送名单", ["各分工会", "校工会"])
    assert am.spans(labels) == [(0, 4), (5, 8)]
    assert am.bio("按时报送材料", ["各分工会"]) == ["O"] * 6


def test_learns_doers_at_the_head_of_a_duty(crf):
    assert am.doers(crf, "所有参赛队员须提前到达比赛场地") in (["所有参赛队员"], ["参赛队员"])
    assert am.doers(crf, "按时报送材料") == []


def test_fit_is_deterministic():
    a, b = am.fit(TRAIN), am.fit(TRAIN)
    text = "全体参赛人员须统一着装"
    assert a.predict_single(am.char_features(text)) == b.predict_single(am.char_features(text))


def test_only_fallback_doers_are_replaced(crf):
    items = [SimpleNamespace(text="所有参赛人员须穿运动鞋", actors=["各分工会"], actor_source="document"),
             SimpleNamespace(text="所有参赛人员须穿运动鞋", actors=["校工会"], actor_source="clause")]
    am.resolve(crf, SimpleNamespace(obligations=items))
    assert items[0].actors == ["所有参赛人员"] and items[0].actor_source == "model"
    assert items[1].actors == ["校工会"]


def test_shipped_model_loads():
    assert am.load_model() is not None


def test_shipped_tagger_is_the_shipped_crf():
    """actors.crfsuite (what a checklist run opens) is the model inside actors.joblib."""
    crf = am.load_crf()
    assert am.TAGGER_PATH.read_bytes() == crf.data
    tagger = am.load_model()
    for item in TRAIN[0]["obligations"]:
        feats = am.char_features(item["text"])
        assert tagger.tag(feats) == crf.predict_single(feats)


def test_export_writes_the_fitted_model(crf, tmp_path):
    import pycrfsuite

    am.export(crf, tmp_path / "a.crfsuite")
    tagger = pycrfsuite.Tagger()
    tagger.open(str(tmp_path / "a.crfsuite"))
    text = "全体参赛人员须统一着装"
    assert tagger.tag(am.char_features(text)) == crf.predict_single(am.char_features(text))
    assert am.doers(tagger, text) == am.doers(crf, text)


def test_a_fit_leaves_no_file_in_the_temp_folder(tmp_path, monkeypatch):
    # sklearn-crfsuite keeps its model in a temp file removed only on collection, which a
    # process ending on an exception or a signal never reaches: /tmp filled with them
    import pickle
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    stage = am.fit(TRAIN)
    again = pickle.loads(pickle.dumps(stage.crf))  # (a fold's model sent to a worker, or saved)
    assert list(tmp_path.iterdir()) == []
    text = "全体参赛人员须统一着装"
    assert again.tag(am.char_features(text)) == stage.predict_single(am.char_features(text))


def test_a_task_verb_and_its_object_is_no_doer():
    # 建立健全…工会: the tagger's span opens on a task verb of the rules' list
    assert not am._named("建立健全政府和工会") and not am._named("加强基层工会")


def test_fitted_stage_tags_like_its_crf_and_reads_subjects():
    stage = am.fit(TRAIN)
    feats = am.char_features("全体参赛人员须统一着装")
    assert stage.predict_single(feats) == stage.crf.predict_single(feats)
    assert stage.subject is not None


def _item(text, actors, source, section):
    return SimpleNamespace(text=text, actors=actors, actor_source=source, section=section)


def test_section_doer_goes_on_to_fallback_duties_of_its_section():
    sec, other = ["三、报名要求"], ["四、其他"]
    items = [_item("各参赛队须于5月1日前报名", ["各参赛队"], "clause", sec),
             _item("另将队员照片发至工会邮箱", ["各分会"], "document", sec),
             _item("赛后交回号码布", ["各分会"], "document", other),
             _item("比赛定于5月8日举行", ["校工会"], "document", sec)]
    am.section_doer(SimpleNamespace(obligations=items))
    assert items[1].actors == ["各参赛队"] and items[1].actor_source == "section"
    assert items[2].actors == ["各分会"]  # another section: no doer named there
    assert items[3].actors == ["校工会"]  # the event's organiser stays


def test_section_doer_carries_a_doer_printed_in_traditional_characters():
    sec = ["三、報名要求"]
    items = [_item("各工會小組須於5月1日前報名", ["各工會小組"], "clause", sec),
             _item("另將隊員照片發至工會郵箱", ["各分會"], "document", sec)]
    am.section_doer(SimpleNamespace(obligations=items))
    assert items[1].actors == ["各工會小組"]


def test_section_doer_keeps_a_fallback_the_section_itself_names():
    sec = ["二、工作要求"]
    items = [_item("各分会须于5月1日前推荐人选", ["各分会"], "clause", sec),
             _item("各参赛队须统一服装", ["各参赛队"], "clause", sec),
             _item("按时报送汇总表", ["各分会"], "document", sec),
             _item("县（市、区）要召开动员会", ["县（市、区）"], "clause", ["三、时间"]),
             _item("按时上报进度", ["各分会"], "document", ["三、时间"])]
    am.section_doer(SimpleNamespace(obligations=items))
    assert items[2].actors == ["各分会"]  # the section names the 主送 unit as a doer itself
    assert items[4].actors == ["各分会"]  # a place is no body to carry


def test_issuers_own_act_goes_to_the_issuer_not_the_addressees():
    items = [_item("放假前对困难会员进行慰问", ["各分会"], "document", []),
             _item("名额按人数比例下拨到各分会", ["各分会"], "document", []),
             _item("获奖集体给予一定的奖励", ["各分会"], "document", []),
             _item("各分会要对困难会员进行慰问", ["各分会"], "clause", []),
             _item("逾期不进行奖励申请的不予受理", ["各分会"], "document", []),
             _item("按时报送名单", ["各分会"], "document", [])]
    cl = SimpleNamespace(obligations=items, document={"issuer": "校工会"})
    am.issuer_act(cl)
    assert [o.actors for o in items[:3]] == [["校工会"]] * 3
    assert items[3].actors == ["各分会"]  # the clause names who visits
    assert items[4].actors == ["各分会"]  # a request form for the award, not the award
    assert items[5].actors == ["各分会"]  # no act of the issuer
    none = [_item("放假前对困难会员进行慰问", ["各分会"], "document", [])]
    am.issuer_act(SimpleNamespace(obligations=none, document={"issuer": None}))
    assert none[0].actors == ["各分会"]  # no issuer read: nothing to give


def test_a_steps_time_line_goes_to_who_takes_the_step():
    items = [_item("2024年9月18日18:00", ["校工会"], "document", ["三、报名截止时间"]),
             _item("参赛员工在本单位报名", ["参赛员工"], "clause", ["四、报名流程"]),
             _item("申报截止时间：10月15日", ["各分会"], "document", ["五、其他"]),
             _item("各分会于9月1日前报送推荐表", ["各分会"], "clause", ["五、其他"]),
             _item("2024年9月20日", ["校工会"], "document", ["六、比赛时间"]),
             _item("10月8日前将报名表送交校工会", ["各分会"], "document", ["七、报名要求"]),
             _item("拟定于10月举办决赛", ["校工会"], "document", ["八、报名要求"])]
    cl = SimpleNamespace(obligations=items, document={"issuer": "校工会"})
    am.step_doer(cl)
    assert items[0].actors == ["参赛员工"] and items[0].actor_source == "step"
    assert items[2].actors == ["各分会"]  # no clause names who 申报s: the fallback stays
    assert items[4].actors == ["校工会"]  # the match's own time: no step
    assert items[5].actors == ["各分会"]  # a duty with its own act (送交), not a time line
    assert items[6].actors == ["校工会"]  # the organiser's own event


def test_a_step_taken_by_the_issuer_gives_no_doer():
    items = [_item("报名截止时间：9月18日", ["各分会"], "document", []),
             _item("校工会负责报名资格审核", ["校工会"], "clause", [])]
    am.step_doer(SimpleNamespace(obligations=items, document={"issuer": "校工会"}))
    assert items[0].actors == ["各分会"]


def test_a_steps_time_line_left_on_a_guess_goes_to_the_addressees():
    items = [_item("报名截止时间：5月20日", ["校工会"], "document", []),
             _item("报名时间为5月8日至5月15日", ["各代表队"], "section", []),
             _item("比赛时间：5月25日", ["校工会"], "document", []),
             _item("报名截止时间：5月20日", ["参赛职工"], "step", []),
             _item("申报时间：定于5月10日召开评审会", ["校工会"], "document", [])]
    cl = SimpleNamespace(obligations=items, document={"issuer": "校工会", "recipients": ["各分工会、直属工会小组"]})
    am.step_addressees(cl)
    assert items[0].actors == ["各分工会", "直属工会小组"] and items[0].actor_source == "step"
    assert items[1].actors == ["各分工会", "直属工会小组"]  # the section's doer was a guess too
    assert items[2].actors == ["校工会"]  # the event's own time: no step
    assert items[3].actors == ["参赛职工"]  # the people a clause asks to take the step stay
    assert items[4].actors == ["校工会"]  # the organiser's own event
    alone = [_item("报名截止时间：5月20日", ["校工会"], "document", [])]
    am.step_addressees(SimpleNamespace(obligations=alone, document={"issuer": "校工会", "recipients": []}))
    assert alone[0].actors == ["校工会"]  # no 主送 units: nothing to give


def test_the_issuer_naming_itself_on_its_own_events_line_is_its_doer():
    items = [_item("我院第五届二次教代会将于2024年4月中旬召开", ["各分工会"], "section", []),
             _item("2.我校 第三届职工运动会拟于10月下旬举办", ["校工会"], "document", []),
             _item("我校工会定于5月举办乒乓球赛", ["我校工会"], "clause", []),
             _item("我院各分工会须于4月1日前报送提案", ["各分工会"], "clause", [])]
    am.own_event(SimpleNamespace(obligations=items))
    assert items[0].actors == ["我院"] and items[0].actor_source == "issuer"
    assert items[1].actors == ["我校"]  # after a list label, the word as printed without its space
    assert items[2].actors == ["我校工会"]  # the body its union is: the clause's name stays
    assert items[3].actors == ["各分工会"]  # no event held


def test_people_a_clause_opens_on_and_binds_are_its_doers():
    items = [_item("3.报名人员须于6月1日前提交申请表", ["各分会"], "document", []),
             _item("特困家庭和单亲家庭的，必须附上证明材料", ["各分会"], "section", []),
             _item("承办酒店在接待参会者时必须提供无障碍通道", ["各分会"], "document", []),
             _item("高级职称及以上教师及特聘教授不少于300元", ["各分会"], "document", []),
             _item("正式、候补代表上午9:00报到", ["各分会"], "document", []),
             _item("推荐对象按照要求填写事迹材料", ["各分会"], "paragraph", []),
             _item("第九条会员申报年度补助须提交下列材料", ["工会办公室"], "section", [])]
    am.people_subject(SimpleNamespace(obligations=items))
    assert items[0].actors == ["报名人员"] and items[0].actor_source == "people"
    assert items[1].actors == ["特困家庭", "单亲家庭"]
    assert items[3].actors == ["高级职称及以上教师", "特聘教授"]  # 及以上 bounds a rank
    assert items[4].actors == ["正式代表", "候补代表"]  # the people word both share
    assert items[5].actors == ["推荐对象"]  # 对 of 对象 is no preposition
    assert items[6].actors == ["会员"]  # after an article label, the people and their 申报
    assert items[2].actors == ["各分会"]  # a hotel is no people word: the fallback stays


def test_people_subject_leaves_things_named_clauses_and_events_alone():
    items = [_item("参加人员名单须于6月1日前报送", ["各分会"], "document", []),
             _item("申请人所提供的票据必须真实", ["各分会"], "document", []),
             _item("各分会会员须按时缴费", ["各分会"], "clause", []),
             _item("比赛时间：5月8日，参赛人员8:00签到", ["校工会"], "document", [])]
    am.people_subject(SimpleNamespace(obligations=items))
    assert [o.actors for o in items] == [["各分会"], ["各分会"], ["各分会"], ["校工会"]]


def test_people_subject_gives_names_as_printed_in_traditional_characters():
    items = [_item("參賽人員須於5月1日前報名", ["各分會"], "document", [])]
    am.people_subject(SimpleNamespace(obligations=items))
    assert items[0].actors == ["參賽人員"]


def test_a_distributive_unit_a_clause_opens_on_is_its_doer():
    items = [_item("每个街道（社区）完成宣讲活动2场以上", ["县总工会"], "paragraph", []),
             _item("2.每年级选出10名代表参加决赛", ["各分会"], "section", []),
             _item("每所学校推荐1名候选人", ["各分会"], "document", []),
             _item("每个单位人数为5人", ["各分会"], "document", []),  # a headcount
             _item("每个单位的推荐名额为3个", ["各分会"], "document", []),  # a thing of the unit
             _item("每月召开一次例会", ["各分会"], "document", []),  # a time, not a unit
             _item("每个分会选派3名选手", ["校工会"], "clause", [])]  # the clause reading stays
    am.each_subject(SimpleNamespace(obligations=items))
    assert items[0].actors == ["每个街道（社区）"] and items[0].actor_source == "each"
    assert items[1].actors == ["每年级"]  # 每年 of 每年级 is not read as a time adverbial
    assert items[2].actors == ["每所学校"]
    assert [o.actors for o in items[3:]] == [["各分会"], ["各分会"], ["各分会"], ["校工会"]]


def test_a_doer_joined_by_a_comma_to_the_clause_doers_is_added():
    items = [_item("请各分会，院团委负责组织报名", ["各分会"], "clause", []),
             _item("各学院工会、大企业/集团工会负责通知代表", ["各学院工会"], "clause", []),
             _item("各分会，请于5月1日前报名", ["各分会"], "clause", []),  # no binding word after
             _item("各分会，统一负责报名", ["各分会"], "clause", []),  # 统一 is no body
             _item("各分会，院团委负责组织报名", ["校工会"], "document", [])]  # a guess is not extended
    am.joined_doers(SimpleNamespace(obligations=items, document={"recipients": ["各分会", "院团委"]}))
    assert items[0].actors == ["各分会", "院团委"]  # 院团委: a unit the notice is addressed to
    assert items[1].actors == ["各学院工会", "大企业/集团工会"]
    assert [o.actors for o in items[2:]] == [["各分会"], ["各分会"], ["校工会"]]


def test_doers_coordinated_with_a_named_one_are_each_doers():
    items = [_item("科级干部及副研究员不少于100元", ["科级干部"], "subject", []),
             _item("特困家庭和残疾人家庭的，必须附上证明材料", ["特困家庭"], "subject", []),
             _item("各参赛队员及观众自觉保持赛场整洁", ["各参赛队员"], "clause", []),
             _item("正式、候补代表上午9:00报到", ["候补代表"], "model", []),
             _item("各分会及时报送名单", ["各分会"], "clause", []),  # 及时 is no conjunction
             _item("请各分会、各部门组织代表按时参会", ["各分会", "各部门"], "clause", []),  # cut by a reader
             _item("各分会和校团委签订协议书", ["各分会"], "clause", []),  # a thing follows, not an act
             _item("教师及家属须于5月1日前报名", ["各分会"], "document", [])]  # a guess is not extended
    am.conjunct_doers(SimpleNamespace(obligations=items))
    assert items[0].actors == ["科级干部", "副研究员"]
    assert items[1].actors == ["特困家庭", "残疾人家庭"]
    assert items[2].actors == ["各参赛队员", "观众"]
    assert items[3].actors == ["候补代表", "正式代表"]  # the people word both share
    assert [o.actors for o in items[4:]] == [["各分会"], ["各分会", "各部门"], ["各分会"], ["各分会"]]


def test_every_name_of_a_bound_list_the_clause_opens_on_is_a_doer():
    # (made-up text) the readers stop at a name that ends on no body word of theirs (市文联, 校博物馆)
    items = [_item("甲文系、乙理系、社科部、校博物馆各排一个舞蹈", ["各分会"], "document", []),
             _item("5月3日，市总工会、市文联组织评委进行评审", ["市总工会"], "clause", []),
             _item("各学院和各科室务必按时完成", ["各学院"], "model", []),
             _item("住宿费用由市总工会和市妇联承担", ["市总工会"], "subject", []),
             _item("各区、产业工（联）会负责申报和验收", ["各学院"], "document", []),
             _item("书法、绘画、摄影作品各限2件", ["各分会"], "document", []),  # things, no body named
             _item("各分会和校团委签订协议书", ["各分会"], "clause", []),  # a thing follows, not an act
             _item("参赛队员须于5月1日前报名", ["各分会"], "document", []),  # no list
             _item("材料由市总工会审核后报送", ["各分会"], "document", [])]  # one name is no list
    am.listed_doers(SimpleNamespace(obligations=items))
    assert items[0].actors == ["甲文系", "乙理系", "社科部", "校博物馆"] and items[0].actor_source == "listed"
    assert items[1].actors == ["市总工会", "市文联"] and items[1].actor_source == "clause"
    assert items[2].actors == ["各学院", "各科室"]
    assert items[3].actors == ["市总工会", "市妇联"]
    assert items[4].actors == ["各区", "产业工（联）会"]
    assert [o.actors for o in items[5:]] == [["各分会"], ["各分会"], ["各分会"], ["各分会"]]


def test_a_decision_a_named_body_took_is_that_bodys():
    items = [_item("经学校党委常委会议研究决定，现将活动日调整为每月双周周五", ["各分会"], "document", []),
             _item("经院办公会研究决定，于国庆节前举办歌咏比赛", ["各科室"], "section", []),
             _item("经研究，定于5月8日举办比赛", ["各分会"], "document", []),  # no body named
             _item("经校工会研究，各分会须于5月1日前推荐", ["各分会"], "clause", []),  # the clause names its doer
             _item("经费由各分会自筹", ["各分会"], "document", [])]  # 经费 is no 经
    am.decided_by(SimpleNamespace(obligations=items))
    assert items[0].actors == ["学校党委常委会议"] and items[0].actor_source == "decided"
    assert items[1].actors == ["院办公会"]
    assert [o.actors for o in items[2:]] == [["各分会"], ["各分会"], ["各分会"]]


def test_a_distributive_unit_asked_in_a_later_clause_is_a_doer():
    items = [_item("各分会自行组队，每名教工只能参加一个队", ["各分会"], "clause", []),
             _item("作品须附说明，每位作者限送2件", ["各分会"], "document", []),
             _item("每单位限报1队，各队报领队1人", ["各队"], "clause", []),
             _item("比赛分两组，每人限报2项", ["各分会"], "document", []),  # a headcount, not a unit
             _item("每个单位的推荐名额为3个", ["各分会"], "document", [])]  # a thing of the unit
    am.each_later(SimpleNamespace(obligations=items))
    assert items[1].actors == ["每位作者"] and items[1].actor_source == "each"  # a guessed doer is replaced
    assert items[2].actors == ["各队", "每单位"]
    assert [o.actors for o in items[3:]] == [["各分会"], ["各分会"]]
    assert items[0].actors == ["各分会", "每名教工"]



def test_a_counted_team_or_person_a_clause_binds_joins_the_doers():
    items = [_item("每个科室限报两支队伍，每队限演一个节目", ["每个科室"], "clause", []),
             _item("剪纸作品每人限交3件", ["各分会"], "document", []),  # after a short topic
             _item("每人双打只准报一项，赛前十分钟到场", [], "none", []),  # none given: it alone
             _item("每位选手只可报一个组", ["各分会"], "document", []),
             _item("每支代表队（不含替补）设队长1名", ["各分会"], "section", []),
             _item("每队10人（6男4女）", ["各分会"], "document", []),  # a headcount, no doer
             _item("对获奖者给予每人500元奖励", ["校工会"], "document", [])]  # an object, no doer
    am.each_bound(SimpleNamespace(obligations=items))
    assert items[0].actors == ["每个科室", "每队"]
    assert items[1].actors == ["各分会", "每人"] and items[1].actor_source == "document"  # beside, never replacing
    assert items[2].actors == ["每人"] and items[2].actor_source == "each"
    assert items[3].actors == ["各分会", "每位选手"]
    assert items[4].actors == ["各分会", "每支代表队"]
    assert [o.actors for o in items[5:]] == [["各分会"], ["校工会"]]


def test_crf_only_material_trains_the_tagger_and_leaves_the_subject_reader_alone():
    # `actor_model train --page-set`: the page notices teach the CRF, while the subject reader is fitted on
    # the real notices alone (the pooled CV: it lost doers of the real notices when it learned from pages)
    extra = [{"obligations": [{"text": "各学院工会须于6月1日前提交方案", "actors": ["各学院工会"]},
                              {"text": "各部门工会小组负责统计人数", "actors": ["各部门工会小组"]}]}]
    stage = am.fit(TRAIN, crf_golds=extra)
    alone = am.fit(TRAIN)
    assert stage.subject.coef == alone.subject.coef and stage.subject.intercept == alone.subject.intercept
    assert stage.crf.data == am.fit_crf(TRAIN + extra).data != alone.crf.data


def test_a_decision_bodies_took_together_is_each_bodys():
    items = [_item("经院工会和院女工委共同研究，决定于四月组织趣味活动", ["各分会"], "document", []),
             _item("经甲学院工会、乙学院工会与体育学院研究决定，于11月举办比赛", ["各分会"], "document", []),
             _item("经手人和复核人须签字", ["各分会"], "document", [])]  # 经手人 is no 经
    am.decided_by(SimpleNamespace(obligations=items))
    assert items[0].actors == ["院工会", "院女工委"] and items[0].actor_source == "decided"
    assert items[1].actors == ["甲学院工会", "乙学院工会", "体育学院"]
    assert items[2].actors == ["各分会"]


class _FakeTagger:
    """A pycrfsuite-like tagger with set marginals (p(B), p(I)) per character; its path is all O."""

    def __init__(self, probs):
        self.probs = probs

    def set(self, feats):
        assert len(feats) == len(self.probs)

    def labels(self):
        return ["O", "B", "I"]

    def marginal(self, y, k):
        b, i = self.probs[k]
        return {"B": b, "I": i, "O": 1 - b - i}[y]

    def tag(self, feats):
        return ["O"] * len(feats)


def test_spans_are_read_off_the_marginals_where_the_path_marks_none(monkeypatch):
    # 各车间班组须按时交表 (made up): the path leaves the name out, its marginals keep it
    text = "各车间班组须按时交表"
    probs = [(0.3, 0.0), (0.05, 0.25), (0.0, 0.3), (0.0, 0.3), (0.0, 0.28)] + [(0.0, 0.02)] * 5
    fake = _FakeTagger(probs)
    monkeypatch.setattr(am, "SPAN_P", None)
    assert am._labels(fake, am.char_features(text)) == ["O"] * len(text)
    monkeypatch.setattr(am, "SPAN_P", 0.2)
    assert am._labels(fake, am.char_features(text)) == ["B", "I", "I", "I", "I"] + ["O"] * 5
    assert am.doers(fake, text) == ["各车间班组"]
    monkeypatch.setattr(am, "SPAN_P", 0.35)
    assert am.doers(fake, text) == []


def test_a_run_opens_a_new_span_where_b_outweighs_i(monkeypatch):
    monkeypatch.setattr(am, "SPAN_P", 0.5)
    fake = _FakeTagger([(0.6, 0.1), (0.1, 0.6), (0.7, 0.1), (0.1, 0.7), (0.0, 0.1)])
    assert am._labels(fake, [{}] * 5) == ["B", "I", "B", "I", "O"]


def test_a_fitted_crf_and_its_exported_tagger_give_the_same_marginals(crf, tmp_path):
    import pycrfsuite

    am.export(crf.crf, tmp_path / "a.crfsuite")
    tagger = pycrfsuite.Tagger()
    tagger.open(str(tmp_path / "a.crfsuite"))
    feats = am.char_features("各工会小组须于6月前报送名单")
    ours, theirs = crf.crf.marginals(feats), am._marginals(tagger, feats)
    assert [sorted(m) for m in ours] == [sorted(m) for m in theirs]
    assert all(abs(m[y] - n[y]) < 1e-9 for m, n in zip(ours, theirs) for y in m)


def test_listed_members_do_the_act_of_the_collective_they_make_up():
    # a collective read as the doer and defined by the list of its members in its own text: the members act
    items = [_item("丙组是物理学院、管理学院、文学院、丙组参赛人数不少于12人", ["丙组"], "clause", []),
             _item("东片区的单位，包括甲建公司、乙支部，以及丙所党支部，一定要派员参加", ["东片区的单位"], "clause", []),
             _item("应到会的单位包括机关各科室、甲总支、乙防疫支部", ["到会的单位"], "people", []),
             _item("参赛对象是全体在职教职工", ["参赛对象"], "clause", []),  # one name: no member list
             _item("各分会的任务是组织报名、收集材料", ["各分会"], "clause", []),  # acts, not members
             _item("甲组是物理学院，须于5月前报名", ["甲组"], "clause", [])]
    am.listed_members(SimpleNamespace(obligations=items))
    assert items[0].actors == ["物理学院", "管理学院", "文学院"] and items[0].actor_source == "listed"
    assert items[1].actors == ["甲建公司", "乙支部", "丙所党支部"]
    assert items[2].actors == ["机关各科室", "甲总支", "乙防疫支部"]
    assert [o.actors for o in items[3:]] == [["参赛对象"], ["各分会"], ["甲组"]]


def test_fallback_rules_give_a_collective_doer_its_members():
    items = [_item("丙组是物理学院、管理学院、文学院、丙组参赛人数不少于12人", ["丙组"], "clause", [])]
    for o in items:
        o.quotas, o.deadlines, o.start, o.end = [], [], None, None
    done = am.fallback_rules(SimpleNamespace(obligations=items, document={}))
    assert done.obligations[0].actors == ["物理学院", "管理学院", "文学院"]


def test_unit_doer_reads_the_units_after_a_short_head():
    # 稿件以X为单位提交 / 代表队以甲、乙、丙为单位报名: the units do the act; a body before 以 acts itself
    def unit_item(text, actors, source="clause"):
        o = _item(text, actors, source, ["四、要求"])
        o.quotas = []
        return o
    items = [unit_item("代表队以甲区、乙局、大企业为单位报名，团体可组两队", ["代表队"]),
             unit_item("稿件以基层工会为单位提交，每件不超过两页", ["校工会"], "section"),
             unit_item("校工会以分会为单位下拨活动经费", ["校工会"]),
             unit_item("各分会以工会小组为单位开展活动", ["各分会"]),
             unit_item("比赛以甲县、乙市为单位报名", ["各分会"], "document")]
    am.unit_doer(SimpleNamespace(obligations=items))
    assert items[0].actors == ["甲区", "乙局", "大企业"] and items[0].actor_source == "clause"
    assert items[1].actors == ["基层工会"]
    assert [o.actors for o in items[2:]] == [["校工会"], ["各分会"], ["各分会"]]
