"""The address book's advanced search (R4; issue 6 §2): 搜索 → 高级搜索… opens a dialog of
conditions; two conditions together find exactly the contacts meeting both (a company word
does not find a name); the list shows them under a bar saying what was searched, the quick
search waits, and 显示全部联系人 brings every contact back; an empty search and a bad
condition are said in the dialog (its words, in both languages, are checked with every other
word of the app: `test_settings.test_every_word_in_both_languages`)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from almanac.desktop.advanced_search import AdvancedSearchDialog
from almanac.desktop.window import MainWindow

from .conftest import answer_next, screenshot, wait_workers

PEOPLE = [
    ("张三", "13800138000", "华为技术", "zhangsan@example.com"),
    ("张伟", "13912345678", "腾讯", ""),
    ("李华为", "02155667788", "小米科技", ""),
    ("王芳", "13700001111", "华为终端", "wangfang@huawei.com"),
    ("张华", "13600002222", "华为云", ""),
]


def listed(window: MainWindow) -> list[str]:
    model = window.contacts.model
    return [model.items[r].content["name"] for r in range(model.rowCount())]


def test_two_conditions_find_exactly_the_matching_contacts(qtbot, window: MainWindow) -> None:
    c = window.client
    friends = c.add("group", {"name": "朋友"})
    for name, phone, company, email in PEOPLE:
        content = {"name": name, "phones": [{"value": phone}], "company": company}
        if email:
            content["emails"] = [{"value": email}]
        if name in ("张三", "李华为"):
            content["groups"] = [str(friends.id)]
        c.add("contact", content)
    window.show_page("contacts")
    window.contacts.reload()
    wait_workers(qtbot)
    assert len(listed(window)) == 5

    def fill(modal: QWidget) -> None:
        assert isinstance(modal, AdvancedSearchDialog)
        modal.search()  # nothing given: asks for a condition, stays open
        assert modal.isVisible() and modal.other.text() == "请至少填写一个条件。"
        modal.inputs["company"].setText("x" * 201)
        modal.search()
        assert modal.isVisible() and modal.form.error_text("company") == "太长了"
        modal.inputs["name"].setText("zhang")
        modal.inputs["company"].setText("华为")
        assert modal.form.error_text("company") == ""  # changed: the error goes
        modal.resize(480, modal.sizeHint().height())
        screenshot(modal, "83-advanced-search-dialog")
        modal.search_button.click()

    answer_next(fill)
    window.advanced_search_action.trigger()
    wait_workers(qtbot)
    page = window.contacts
    assert sorted(listed(window)) == ["张三", "张华"]  # not 张伟 (腾讯), not 王芳, not 李华为
    assert page.advanced_bar.isVisible() and page.show_all_button.isVisible()
    assert (
        page.advanced_bar.text() == "高级搜索：姓名/拼音含“zhang”，单位含“华为” — 找到 2 个联系人"
    )
    assert not page.search.isEnabled()
    screenshot(window, "84-advanced-search-result")

    page.reload()  # after an edit or a sync the same search shows again
    wait_workers(qtbot)
    assert sorted(listed(window)) == ["张三", "张华"]

    def by_group(modal: QWidget) -> None:
        assert isinstance(modal, AdvancedSearchDialog)
        modal.clear()
        modal.group.setCurrentIndex(modal.group.findData(str(friends.id)))
        modal.inputs["phone"].setText("7788")
        modal.search_button.click()

    answer_next(by_group)
    page.advanced_button.click()
    wait_workers(qtbot)
    assert listed(window) == ["李华为"]
    assert "分组“朋友”" in page.advanced_bar.text()

    page.show_all_button.click()
    wait_workers(qtbot)
    assert len(listed(window)) == 5
    assert not page.advanced_bar.isVisible() and page.search.isEnabled()
