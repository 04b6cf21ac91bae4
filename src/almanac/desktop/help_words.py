"""The words of the error-report dialog, the severe-error message and the Help menu (R10;
issue 6 §4), Chinese first, then English; ``w(key, **values)`` picks the app's current
language (``almanac.desktop.i18n``) and falls back to Chinese. Kept apart from ``i18n`` so the
guide's long texts stay in one place."""

from __future__ import annotations

from typing import Any

from almanac.desktop.i18n import language

GUIDE_MODULES = ("contacts", "memos", "dates", "calendar", "sync", "offline", "errors")

ZH: dict[str, str] = {
    "menu.guide": "用户指南",
    "menu.support": "联系客服",
    "report.title": "程序出现意外错误",
    "report.intro": "很抱歉，程序出现了意外错误（{what}）。\n"
    "可以把下面这份错误报告发给我们，帮助我们修好它。报告里只有出错的位置、错误类型、"
    "程序版本和操作系统，没有您的联系人、备忘等内容，也没有用户名和密码。",
    "report.preview": "将要发送的内容（完整）：",
    "report.send": "发送报告",
    "report.dont_send": "不发送",
    "report.sent": "错误报告已发送，谢谢！",
    "report.queued": "现在连不上服务器：错误报告已保存，下次同步成功后自动发送。",
    "report.refused": "服务器没有接受这份错误报告。",
    "report.withheld": "（错误信息可能含有您的资料，已略去）",
    "severe.title": "严重错误",
    "severe.text": "本机数据文件无法读写，程序必须关闭。",
    "severe.saved": "正在填写的内容已保存到：\n{path}",
    "severe.nothing": "没有未保存的内容。",
    "severe.then": "重新打开程序后，如果问题还在，请联系客服。",
    "guide.title": "用户指南",
    "guide.lead": "Almanac 个人信息管理：通讯录、备忘录、生日节日和日历放在一起；"
    "数据加密保存在这台电脑上，离线也能用，联网后与服务器同步（网页、手机、命令行都是同一份）。",
    "guide.contacts": "通讯录",
    "guide.contacts_body": "左边是联系人列表，右边是详情。“新增”“修改”“删除”管理联系人："
    "多个电话和邮箱、单位、职务、地址、公历或农历生日。"
    "搜索框边打边找：姓名、拼音全拼或首字母（zw 找到张伟）、电话。"
    "菜单“通讯录”里新建、重命名、删除分组；删除分组时会问组里的联系人怎么办。",
    "guide.memos": "备忘录",
    "guide.memos_body": "左边是备忘列表，右边是编辑区。可设提醒时间；置顶的排在最前面。",
    "guide.dates": "生日节日",
    "guide.dates_body": "左边“生日”和“节日”两个按钮，右边是对应的条目，显示还有几天和年龄。"
    "日期可以是公历或农历（含闰月）。",
    "guide.calendar": "日历",
    "guide.calendar_body": "可选年、月、日；每天显示农历、节日、节气和调休（休/班），"
    "以及您的日程、生日和节日。右上角的时钟可在 24 小时制和 12 小时制之间切换，点图标可隐藏。",
    "guide.sync": "同步",
    "guide.sync_body": "“文件 → 立即同步”（Ctrl+S）把本机的修改发到服务器并取回别处的修改。"
    "状态栏显示在线或离线、未发送的修改和上次同步时间。同一条记录在两处都改了，"
    "会在“同步”页列为冲突，选一个版本即可。",
    "guide.offline": "离线使用",
    "guide.offline_body": "连不上服务器时，用密码打开本机的加密数据照常使用；"
    "重新联网后程序会自动同步并告诉您。",
    "guide.errors": "出错时",
    "guide.errors_body": "程序出现意外错误时会问您是否发送错误报告；报告里没有您的资料。"
    "本机数据文件无法读写时，程序会先保存正在填写的内容，再关闭。",
    "guide.web": "在浏览器中打开网页版帮助",
    "support.title": "联系客服",
    "support.lead": "使用中遇到问题，请联系我们：",
    "support.phone": "电话",
    "support.email": "邮箱",
    "support.hours": "服务时间",
    "support.placeholder": "（标着“示例”的内容是示例：服务器尚未设置。）",
    "support.remembered": "（离线：显示的是上次从服务器取得的联系方式。）",
    "support.default": "（还没有从服务器取得联系方式，以上为默认值。）",
    "support.fetching": "正在从服务器取得最新的联系方式…",
    "close": "关闭",
}

EN: dict[str, str] = {
    "menu.guide": "User guide",
    "menu.support": "Contact support",
    "report.title": "An unexpected error",
    "report.intro": "Sorry, something unexpected went wrong ({what}).\n"
    "You can send us the error report below to help us fix it. It holds only where the error "
    "happened, its type, the app version and the operating system — none of your contacts, "
    "memos or other data, no user name and no password.",
    "report.preview": "Exactly what will be sent:",
    "report.send": "Send report",
    "report.dont_send": "Don't send",
    "report.sent": "The error report was sent. Thank you!",
    "report.queued": "The server cannot be reached: the report is kept and sent after the "
    "next successful sync.",
    "report.refused": "The server did not accept the error report.",
    "report.withheld": "(the error message may hold your data; left out)",
    "severe.title": "Severe error",
    "severe.text": "The data file on this computer cannot be read or written; the app must close.",
    "severe.saved": "What you were typing was saved to:\n{path}",
    "severe.nothing": "Nothing was left unsaved.",
    "severe.then": "Open the app again; if the problem stays, please contact support.",
    "guide.title": "User guide",
    "guide.lead": "Almanac keeps your contacts, memos, birthdays and holidays and calendar "
    "together; the data is encrypted on this computer, works offline and syncs with the server "
    "(the web pages, phones and the command line see the same data).",
    "guide.contacts": "Contacts",
    "guide.contacts_body": "The list on the left, details on the right. Add, Edit and Delete "
    "manage contacts: several phones and emails, company, title, address, a solar or lunar "
    "birthday. The search box filters as you type: name, pinyin or initials (zw finds 张伟), "
    "phone. The Contacts menu creates, renames and deletes groups; deleting a group asks what "
    "becomes of its contacts.",
    "guide.memos": "Memos",
    "guide.memos_body": "The memo list on the left, the editor on the right. A memo can have "
    "a reminder; pinned memos come first.",
    "guide.dates": "Birthdays & holidays",
    "guide.dates_body": "The Birthdays and Holidays buttons on the left, their entries on the "
    "right with the days until and the age. Dates can be solar or lunar (leap months too).",
    "guide.calendar": "Calendar",
    "guide.calendar_body": "Choose the year, month and day; each day shows the lunar date, "
    "festivals, solar terms and official days off / make-up workdays, and your events, "
    "birthdays and holidays. The clock switches between 24-hour and 12-hour; click its icon to "
    "hide it.",
    "guide.sync": "Sync",
    "guide.sync_body": "File → Sync now (Ctrl+S) sends this computer's changes and fetches the "
    "others. The status bar shows online or offline, unsent changes and the last sync. A record "
    "changed in two places is listed as a conflict on the Sync page: choose a version.",
    "guide.offline": "Offline",
    "guide.offline_body": "Without the server the password opens the encrypted data on this "
    "computer and everything works; back online, the app syncs and says so.",
    "guide.errors": "When something goes wrong",
    "guide.errors_body": "An unexpected error asks whether to send an error report; it holds "
    "none of your data. If the data file cannot be read or written, the app saves what you "
    "were typing and closes.",
    "guide.web": "Open the web help in the browser",
    "support.title": "Contact support",
    "support.lead": "If something does not work, please contact us:",
    "support.phone": "Phone",
    "support.email": "Email",
    "support.hours": "Hours",
    "support.placeholder": "(Lines marked “示例” are examples: the server has not set them yet.)",
    "support.remembered": "(Offline: the contact last fetched from the server.)",
    "support.default": "(Not fetched from the server yet: the defaults.)",
    "support.fetching": "Fetching the latest contact from the server…",
    "close": "Close",
}

_LANGS = {"zh-CN": ZH, "en": EN}


def w(key: str, **values: Any) -> str:
    """``key`` in the app's current language (Chinese when missing), ``{names}`` filled."""
    text = _LANGS.get(language(), ZH).get(key) or ZH[key]
    return text.format(**values) if values else text
