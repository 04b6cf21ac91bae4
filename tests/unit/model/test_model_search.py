"""Search terms, query terms and sort keys, Chinese first (R4 "find all contacts that satisfy
given conditions"; issue 2 §5: pinyin, initials, surnames, phones, emails, company)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from almanac.model import index_terms, query_terms, sort_key, validate_content
from almanac.model.search import MAX_SORT_KEY, MAX_TERM, MAX_TEXT_TERMS, sort_text

ZHANG_SAN = {
    "name": "张三",
    "phones": [{"value": "+86 138-0013-8000"}, {"label": "work", "value": "(010) 6552 9988"}],
    "emails": [{"value": "Zhang.San@Example.COM"}],
    "company": "阿里巴巴",
    "title": "高级工程师",
}


@pytest.fixture
def zhang_san(terms_of_contact) -> set[str]:
    return terms_of_contact(**ZHANG_SAN)


@pytest.mark.parametrize(
    "q",
    [
        "zs",
        "z",
        "zhangsan",
        "zhang san",
        "zhang",
        "zhangs",
        "ZhangSan",
        "张",
        "三",
        "张三",
        "张 三",
        "san",
        "13800138000",
        "138",
        "138 0013 8000",
        "138-0013-8000",
        "+86 138 0013 8000",
        "+8613800138000",
        "8000",
        "0013 8000",
        "65529988",
        "9988",
        "zhang.san@example.com",
        "ZHANG.SAN@",
        "example.com",
        "example",
        "阿里",
        "巴巴",
        "alibaba",
        "albb",
        "工程师",
        "gongchengshi",
        "gcs",
        "阿里 工程师 zs",
        "  zs  ",
        "ｚｓ",
    ],
)
def test_zhang_san_is_found(zhang_san, match, q) -> None:
    assert match(zhang_san, q), q


@pytest.mark.parametrize("q", ["ls", "lisi", "李", "13900", "zhangsi", "zs ls", "gmail", "腾讯"])
def test_others_do_not_find_zhang_san(zhang_san, match, q) -> None:
    assert not match(zhang_san, q), q


@pytest.mark.parametrize(
    ("name", "reading", "initials"),
    [
        ("曾小明", "zengxiaoming", "zxm"),
        ("单田芳", "shantianfang", "stf"),
        ("解缙", "xiejin", "xj"),
        ("仇英", "qiuying", "qy"),
        ("朴树", "piaoshu", "ps"),
        ("查良镛", "zhaliangyong", "zly"),
        ("区家明", "oujiaming", "ojm"),
        ("乐嘉", "yuejia", "yj"),
        ("覃海", "qinhai", "qh"),
        ("翟天临", "zhaitianlin", "ztl"),
        ("盖聂", "genie", "gn"),
        ("缪可", "miaoke", "mk"),
        ("尉迟恭", "yuchigong", "ycg"),
        ("万俟卨", "moqixie", "mqx"),
        ("长孙无忌", "zhangsunwuji", "zswj"),
        ("欧阳娜娜", "ouyangnana", "oynn"),
        ("诸葛亮", "zhugeliang", "zgl"),
    ],
)
def test_surnames_read_as_surnames(terms_of_contact, match, name, reading, initials) -> None:
    terms = terms_of_contact(name=name)
    assert f"t:{reading}" in terms
    assert f"t:{initials}" in terms
    assert match(terms, reading) and match(terms, initials)


def test_heteronym_surname_also_found_by_its_everyday_reading(terms_of_contact, match) -> None:
    terms = terms_of_contact(name="曾小明")
    assert match(terms, "zeng") and match(terms, "ceng")
    assert match(terms, "cxm")
    assert match(terms_of_contact(name="单田芳"), "dantianfang")


def test_surname_reading_is_only_for_person_names() -> None:
    memo = validate_content("memo", {"title": "单位会议"})
    terms = index_terms("memo", memo)
    assert "t:danweihuiyi" in terms
    assert "t:shanweihuiyi" not in terms


def test_latin_and_accented_names(terms_of_contact, match) -> None:
    terms = terms_of_contact(name="José O'Brien")
    for q in ["jose", "josé", "JOSÉ", "o'brien", "brien", "o'b", "jo br"]:
        assert match(terms, q), q


def test_mixed_words_are_found_whole(terms_of_contact, match) -> None:
    terms = terms_of_contact(name="王五", company="3号楼 (北京)")
    assert match(terms, "3号楼")
    assert match(terms, "北京")
    assert match(terms, "(北京)")


def test_groups_memos_birthdays_holidays_events_are_searchable(match) -> None:
    cases = [
        ("group", {"name": "大学同学"}, ["同学", "dxtx", "tongxue"]),
        ("memo", {"title": "明天下午开会讨论项目计划"}, ["讨论", "taolun", "xmjh", "开会"]),
        ("birthday", {"name": "曾祖母", "date": {"month": 1, "day": 2}}, ["zengzumu", "zzm"]),
        ("holiday", {"name": "中秋节", "date": {"month": 8, "day": 15}}, ["中秋", "zhongqiu"]),
        ("event", {"title": "Team sync 周会", "start": "2026-05-04T09:00"}, ["team", "zh", "周会"]),
    ]
    for kind, data, queries in cases:
        terms = index_terms(kind, validate_content(kind, data))
        for q in queries:
            assert match(terms, q), (kind, q)


def test_facet_terms() -> None:
    gid = "7b8f5c1e-6f2a-4c55-9d39-0c8e0a4f1a22"
    contact = validate_content(
        "contact", {"name": "a", "groups": [gid], "birthday": {"month": 1, "day": 1}}
    )
    assert {f"g:{gid}", "f:has_birthday"} <= index_terms("contact", contact)
    memo = validate_content("memo", {"title": "t", "pinned": True, "due": "2026-01-01T09:00"})
    assert {"f:pinned", "f:has_due"} <= index_terms("memo", memo)
    birthday = validate_content(
        "birthday",
        {"name": "a", "contact_id": gid, "date": {"calendar": "lunar", "month": 1, "day": 1}},
    )
    assert {"f:lunar", f"c:{gid}"} <= index_terms("birthday", birthday)
    holiday = validate_content("holiday", {"name": "a", "date": {"month": 1, "day": 1}})
    assert "f:yearly" in index_terms("holiday", holiday)
    assert "f:lunar" not in index_terms("holiday", holiday)
    event = validate_content(
        "event", {"title": "t", "all_day": True, "start": "2026-01-01", "rrule": "FREQ=YEARLY"}
    )
    assert {"f:all_day", "f:recurring"} <= index_terms("event", event)


def test_query_terms() -> None:
    assert query_terms("") == []
    assert query_terms("   \u3000 ") == []
    assert query_terms("Zhang  San") == ["t:zhang", "t:san"]
    assert query_terms("138-0013-8000") == ["t:13800138000"]
    assert query_terms("+86 138 0013") == ["t:138", "t:0013"]
    assert query_terms("0086 13800138000") == ["t:13800138000"]  # a lone country code drops
    assert query_terms("0086-13800138000") == ["t:13800138000"]
    assert query_terms("张三 张三") == ["t:张三"]
    assert query_terms("ＡＢＣ") == ["t:abc"]
    assert query_terms("(北京)") == ["t:北京"]
    assert all(len(t) <= MAX_TERM for t in query_terms("x" * 1000))


def test_a_long_query_word_still_matches_its_cut_term(terms_of_contact, match) -> None:
    name = "a" * 100
    assert match(terms_of_contact(name=name), name)


# --- sort keys -------------------------------------------------------------------------------


def test_contacts_sort_in_pinyin_order_surname_aware() -> None:
    names = ["张三", "曾小明", "李四", "单田芳", "阿三", "李", "李安", "连", "Bob", "王五"]
    contacts = [validate_content("contact", {"name": n}) for n in names]
    ordered = [
        c.model_dump()["name"] for c in sorted(contacts, key=lambda c: sort_key("contact", c))
    ]
    assert ordered == [
        "阿三",
        "Bob",
        "李",
        "李安",
        "李四",
        "连",
        "单田芳",
        "王五",
        "曾小明",
        "张三",
    ]


def test_memos_pinned_first_then_title() -> None:
    memos = [
        validate_content("memo", {"title": t, "pinned": p})
        for t, p in [("b", False), ("c", True), ("a", False), ("d", True)]
    ]
    ordered = [m.model_dump()["title"] for m in sorted(memos, key=lambda m: sort_key("memo", m))]
    assert ordered == ["c", "d", "a", "b"]


def test_events_sort_by_start_in_utc() -> None:
    events = [
        validate_content("event", data)
        for data in [
            {"title": "c", "start": "2026-05-01T10:00"},  # 02:00Z
            {"title": "a", "start": "2026-05-01T01:00:00Z"},
            {"title": "b", "all_day": True, "start": "2026-05-01"},  # 2026-04-30T16:00Z
            {"title": "d", "start": "2026-05-01T09:00", "timezone": "Europe/London"},  # 08:00Z
        ]
    ]
    ordered = [e.model_dump()["title"] for e in sorted(events, key=lambda e: sort_key("event", e))]
    assert ordered == ["b", "a", "c", "d"]


def test_holidays_sort_by_month_and_day() -> None:
    holidays = [
        validate_content("holiday", {"name": n, "date": d})
        for n, d in [
            ("国庆节", {"month": 10, "day": 1}),
            ("元旦", {"month": 1, "day": 1}),
            ("闰六月初一", {"calendar": "lunar", "month": 6, "day": 1, "leap": True}),
            ("六月初二", {"calendar": "lunar", "month": 6, "day": 2}),
        ]
    ]
    ordered = [
        h.model_dump()["name"] for h in sorted(holidays, key=lambda h: sort_key("holiday", h))
    ]
    assert ordered == ["元旦", "六月初二", "闰六月初一", "国庆节"]


def test_sort_key_wrong_content_type_is_a_programming_error() -> None:
    with pytest.raises(TypeError):
        sort_key("memo", validate_content("group", {"name": "x"}))


# --- bounds, for any input -----------------------------------------------------------------

names = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=100
).filter(lambda s: s.strip() != "")


@settings(max_examples=300, deadline=None)
@given(name=names, company=st.text(max_size=100).filter(lambda s: "\x00" not in s))
def test_terms_are_bounded_for_any_unicode_name(name, company) -> None:
    try:
        contact = validate_content("contact", {"name": name, "company": company})
    except Exception:  # an invalid company (control characters): nothing to index
        return
    terms = index_terms("contact", contact)
    assert all(0 < len(t) <= MAX_TERM for t in terms)
    assert all(not t[-1].isspace() for t in terms)
    assert len([t for t in terms if t.startswith("t:")]) <= MAX_TEXT_TERMS
    key = sort_key("contact", contact)
    assert len(key) <= MAX_SORT_KEY


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_query_terms_are_bounded_and_prefixed(q) -> None:
    for term in query_terms(q):
        assert term.startswith("t:") and 2 < len(term) <= MAX_TERM
        assert not any(ch.isspace() for ch in term)


def prefix_match(terms: set[str], q: str) -> bool:
    wanted = query_terms(q)
    return bool(wanted) and all(any(t.startswith(p) for t in terms) for p in wanted)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="张王李赵曾单尉迟万俟长孙欧阳三四五明华", min_size=1, max_size=6))
def test_a_chinese_name_is_found_by_itself_its_pinyin_and_initials(name) -> None:
    terms = index_terms("contact", validate_content("contact", {"name": name}))
    key = sort_text(name, person=True)
    syllables = key.split(" ")[0].split("-")
    assert prefix_match(terms, name)
    assert prefix_match(terms, name[-1])
    assert prefix_match(terms, "".join(syllables))
    assert prefix_match(terms, " ".join(syllables))
    assert prefix_match(terms, "".join(s[0] for s in syllables))


def test_u_umlaut_is_found_as_v_and_u(terms_of_contact, match) -> None:
    terms = terms_of_contact(name="吕小绿")
    for q in ["lv", "lvxiaolv", "luxiaolu", "xiaolv", "lxl", "吕"]:
        assert match(terms, q), q


def test_a_name_written_in_latin_words_is_found_joined_and_by_initials(
    terms_of_contact, match
) -> None:
    terms = terms_of_contact(name="Zhang San")
    for q in ["zhangsan", "zs", "zhang san", "san", "ZHANG"]:
        assert match(terms, q), q


def test_punctuation_only_query_words_are_ignored_beside_real_ones() -> None:
    assert query_terms("张三 - ·") == ["t:张三"]
    assert query_terms("@@") == ["t:@@"]  # nothing else: finds nothing rather than everything
    assert len(query_terms(" ".join(f"w{i}" for i in range(100)))) == 16
