"""The app's words: zh-CN by default, English by the person's setting (issue 6 §6; R3).

``ZH`` here, ``EN`` in ``i18n_en`` (every key in both; a test checks). ``t(key, **values)``
looks a key up in the current language and fills ``{names}``; a key missing in English would
fall back to Chinese, so nothing is ever blank. ``festival_name``/``term_name``: a festival's
or solar term's name in the current language. ``set_language`` switches; the window then
rebuilds its words (``MainWindow.retranslate``)."""

from __future__ import annotations

from typing import Any

from almanac.calendar.lunar import day_name, month_name
from almanac.desktop.i18n_en import EN, GANZHI_EN, HOLIDAYS_EN, MONTHS_EN, TERMS_EN, ZODIAC_EN

ZH: dict[str, str] = {
    "app.title": "Almanac 个人信息管理",
    "login.title": "登录",
    "login.server": "服务器",
    "login.user": "用户名",
    "login.password": "密码",
    "login.ok": "登录",
    "login.cancel": "取消",
    "login.working": "正在登录…",
    "login.bad": "用户名或密码不对，请重新输入。",
    "login.wrong_local": "密码不对：打不开本机的加密数据，请重新输入。",
    "rebuilt.title": "本机数据已重建",
    "rebuilt.text": (
        "本机的数据文件损坏了，已移到 {moved}（没有删除），并从服务器重建；"
        "没同步的修改能读出的都保留了。"
    ),
    "rebuilt.waiting": (
        "本机的数据文件损坏了，已移到 {moved}（没有删除）；联网后同步时从服务器重建。"
        "没同步的修改能读出的都保留了。"
    ),
    "login.offline": "连不上服务器，已用本机数据离线打开。",
    "login.offline_none": "连不上服务器，这台电脑上也还没有这个账号的数据：请联网后登录。",
    "login.other_profile": "连不上服务器；这台电脑上保存的是 {user} 的数据，不是 {wanted}。",
    "login.empty": "请填写服务器、用户名和密码。",
    "nav.contacts": "通讯录",
    "nav.memos": "备忘录",
    "nav.dates": "生日节日",
    "nav.calendar": "日历",
    "nav.upcoming": "提醒",
    "nav.sync": "同步",
    "menu.file": "文件(&F)",
    "menu.sync": "立即同步",
    "menu.quit": "退出",
    "menu.edit": "编辑(&E)",
    "menu.settings": "设置…",
    "menu.contacts": "通讯录(&C)",
    "menu.search": "搜索(&S)",
    "menu.advanced_search": "高级搜索…",
    "menu.new_group": "新建分组…",
    "menu.rename_group": "重命名分组…",
    "menu.delete_group": "删除分组…",
    "menu.view": "视图(&V)",
    "menu.language": "English",
    "menu.help": "帮助(&H)",
    "menu.about": "关于",
    "about.text": "Almanac 个人信息管理 — 通讯录、备忘录、生日节日、日历，离线可用，随时同步。",
    "status.online": "在线",
    "status.offline": "离线",
    "status.unknown": "未检查网络",
    "status.pending": "未发送的修改：{n}",
    "status.last_sync": "上次同步：{when}",
    "status.never": "从未同步",
    "status.conflicts": "待解决冲突：{n}",
    "common.add": "新增",
    "common.edit": "修改",
    "common.delete": "删除",
    "common.save": "保存",
    "common.cancel": "取消",
    "common.search": "搜索姓名、拼音、首字母或电话",
    "common.confirm_delete": "确定删除“{name}”吗？",
    "common.none": "（无）",
    "common.count": "共 {n} 条",
    "common.found": "找到 {found} 条（共 {n} 条）",
    "contact.name": "姓名",
    "contact.phones": "电话",
    "contact.emails": "邮箱",
    "contact.company": "单位",
    "contact.title": "职务",
    "contact.address": "地址",
    "contact.groups": "分组",
    "contact.notes": "备注",
    "contact.birthday": "生日",
    "contact.new": "新增联系人",
    "contact.change": "修改联系人",
    "contact.all_groups": "全部联系人",
    "contact.phones_hint": "每行一个号码",
    "contact.emails_hint": "每行一个地址",
    "group.name": "分组名称",
    "group.new": "新建分组",
    "group.rename": "重命名分组",
    "group.delete": "删除分组",
    "group.choose": "选择要删除的分组：",
    "group.none": "还没有分组。",
    "group.delete_ask": "分组“{name}”里有 {n} 位联系人。删除分组后，这些联系人怎么办？",
    "group.keep": "保留联系人（移出该组）",
    "group.delete_all": "连联系人一起删除",
    "group.delete_empty": "确定删除空分组“{name}”吗？",
    "memo.title": "标题",
    "memo.body": "内容",
    "memo.pinned": "置顶",
    "memo.due": "到期",
    "memo.new": "新建备忘",
    "memo.untitled": "新备忘",
    "memo.pin": "置顶/取消置顶",
    "dates.birthdays": "生日",
    "dates.holidays": "节日",
    "dates.name": "名称",
    "dates.person": "姓名",
    "dates.date": "日期",
    "dates.calendar": "历法",
    "dates.solar": "公历",
    "dates.lunar": "农历",
    "dates.year": "年份",
    "dates.no_year": "不填年份",
    "dates.year_suffix": "年",
    "dates.until": "还有几天",
    "dates.turns": "届时年龄",
    "dates.month": "月",
    "dates.day": "日",
    "dates.leap": "闰月",
    "dates.yearly": "每年",
    "dates.notes": "备注",
    "dates.next": "下次",
    "dates.days_until": "还有 {n} 天",
    "dates.today": "就是今天",
    "dates.age": "{n} 周岁",
    "dates.new_birthday": "新增生日",
    "dates.new_holiday": "新增节日",
    "dates.change_birthday": "修改生日",
    "dates.change_holiday": "修改节日",
    "cal.today": "今天",
    "cal.clock_24": "24 小时制",
    "cal.clock_12": "12 小时制",
    "cal.clock_hidden": "点击时钟图标显示时间",
    "cal.holiday": "休",
    "cal.workday": "班",
    "cal.makeup": "调休上班",
    "cal.day_off": "放假",
    "cal.am": "上午",
    "cal.pm": "下午",
    "cal.date_format": "yyyy年M月d日",
    "cal.heading": "{y}年{m}月{d}日 {weekday}",
    "cal.lunar": "农历 {text}（{zodiac}年）",
    "cal.term": "节气：{name} {time}",
    "sync.button": "立即同步",
    "sync.working": "正在同步…",
    "sync.push": "发送修改 {done}/{total}",
    "sync.pull": "接收更新 {done}",
    "sync.done": "同步完成：发出 {pushed} 条，收到 {pulled} 条，用时 {seconds:.1f} 秒。",
    "sync.conflicts": "冲突",
    "sync.no_conflicts": "没有待解决的冲突。",
    "sync.keep_mine": "保留此版本（版本 {v}）：{value}",
    "sync.resolved": "冲突已解决，下次同步时告诉服务器。",
    "sync.field": "{kind}“{record}”的{field}",
    "sync.confirm": "确认同步",
    "sync.back_online": "网络已恢复，已自动同步。",
    "kind.contact": "联系人",
    "kind.group": "分组",
    "kind.memo": "备忘",
    "kind.birthday": "生日",
    "kind.holiday": "节日",
    "kind.event": "日程",
    "settings.title": "设置",
    "settings.language": "语言",
    "settings.clock_format": "时钟",
    "settings.clock_visible": "显示时钟",
    "settings.week_start": "每周第一天",
    "settings.start_page": "首页",
    "settings.time_zone": "时区",
    "settings.festivals": "显示的节日",
    "settings.saved": "设置已保存，下次同步时发给服务器。",
    "settings.followed": "已按其他设备上修改的设置更新。",
    "lang.zh-CN": "中文（简体）",
    "lang.en": "English",
    "weekday.1": "星期一",
    "weekday.2": "星期二",
    "weekday.3": "星期三",
    "weekday.4": "星期四",
    "weekday.5": "星期五",
    "weekday.6": "星期六",
    "weekday.7": "星期日",
    "page.upcoming": "近期安排（日历）",
    "page.calendar": "日历",
    "page.contacts": "通讯录",
    "page.memos": "备忘录",
    "page.dates": "生日节日",
    "page.events": "日程（日历）",
    "error.title": "出错了",
    "error.invalid": "输入有误：",
    "error.not_found": "找不到这条记录（可能已被删除）。",
    "error.duplicate": "“{value}”已经有了，请换一个。",
    "error.bad_credentials": "用户名或密码不对。",
    "error.not_authenticated": "服务器不再认这台设备的登录，请重新登录。",
    "error.not_logged_in": "这台电脑还没有登录过：请联网登录一次。",
    "error.wrong_password": "密码不对：打不开本机的加密数据。",
    "error.throttled": "失败次数太多，请 {n} 秒后再试。",
    "error.offline": "连不上服务器：本机数据照常可用，联网后再同步。",
    "error.needs_confirmation": "这次同步会删除{where}上 {live} 条记录中的 {n} 条。确定继续吗？",
    "error.store_damaged": "本机数据文件损坏，已另存到 {moved}：请联网后重新同步。",
    "error.forbidden": "不允许这样做。",
    "error.conflict": "记录已在别处被修改，请刷新后再试。",
    "error.other": "出错了：{message}",
    "error.bug": "程序出现意外错误：{message}",
    "reminder.field": "提醒",
    "reminder.row": "提前 {days} 天 {at} 提醒",
    "reminder.remove": "删除",
    "reminder.add": "添加提醒",
    "reminder.off": "不提醒",
    "reminder.own_time": "到期时",
    "reminder.hint_birthday": "不添加提醒时，生日当天 09:00 提醒；勾选“不提醒”就不提醒。\n"
    "时间不填为 09:00。",
    "reminder.hint_holiday": "时间不填为 09:00。",
    "reminder.hint_other": "时间不填：按日程开始时间提醒（全天的为 09:00）。",
    "reminder.hint_memo": "有到期时间的备忘才会提醒；时间不填就在到期时提醒。",
    "reminder.same_day": "当天",
    "reminder.days_before": "提前{n}天",
    "reminder.default": "（默认）",
    "reminder.join": "、",
    "memo.has_due": "有到期时间",
    "form.line": "第 {n} 行：{text}",
    "contact.phone_line": "{value}（{label}）",
    "form.part": "{part}：{text}",
    "error.this_device": "本机",
    "rescue.title": "找回上次未保存的内容",
    "rescue.intro": "上次程序因本机数据文件无法读写而关闭（{when}）。当时正在填写的内容已加密保存，"
    "现在交还给您：可以复制，也可以存为一条备忘录。",
    "rescue.copy": "复制全部",
    "rescue.copied": "已复制到剪贴板。",
    "rescue.save_memo": "存为备忘录",
    "rescue.dismiss": "不需要了",
    "rescue.later": "下次再说",
    "rescue.memo_title": "找回的内容（{when}）",
    "rescue.saved": "找回的内容已存为备忘录。",
    "rescue.sealed_note": "（已用本机数据的密钥加密，下次登录时交还给您。）",
    "settings.carried": "已把本机以前的时钟选择存入您的设置。",
    "event.new": "新建日程",
    "event.change": "修改日程",
    "event.title": "标题",
    "event.all_day": "全天",
    "event.start": "开始",
    "event.end": "结束",
    "event.timezone": "时区",
    "event.location": "地点",
    "event.notes": "备注",
    "event.repeat": "重复",
    "event.repeat_none": "不重复",
    "event.repeat_daily": "每天",
    "event.repeat_weekly": "每周",
    "event.repeat_monthly": "每月",
    "event.repeat_yearly": "每年",
    "event.repeat_custom": "其他规则（保留）",
    "event.ends_never": "一直重复",
    "event.ends_until": "直到某天",
    "event.ends_count": "重复几次",
    "event.count_suffix": " 次",
    "event.custom_hint": "这条重复规则是在别处设置的，这里只能查看，保存时原样保留；"
    "选择其他重复方式会替换它。",
    "event.exceptions": "已取消 {cancelled} 次、改期 {moved} 次（保存时保留）。",
    "event.day_heading": "当天日程",
    "event.none": "这一天没有日程。",
    "event.hint": "双击日历上的某一天新建日程，双击日程修改。",
    "event.all_day_mark": "全天",
    "event.delete_which": "“{name}”是重复日程。要删除哪些？",
    "event.delete_one": "只删除这一次",
    "event.delete_all": "删除全部",
    # the reminders, the missed-reminders dialog and the upcoming page (agenda_text)
    "agenda.kind.birthday": "生日",
    "agenda.kind.holiday": "纪念日",
    "agenda.kind.event": "日程",
    "agenda.kind.memo": "备忘",
    "agenda.kind.festival": "节日",
    "agenda.kind.term": "节气",
    "agenda.day.today": "今天",
    "agenda.day.tomorrow": "明天",
    "agenda.day.after": "后天",
    "agenda.day.yesterday": "昨天",
    "agenda.day.in": "{n} 天后",
    "agenda.day.ago": "{n} 天前",
    "agenda.date": "{m}月{d}日 {weekday}",
    "agenda.age": "满 {n} 周岁",
    "agenda.age_nominal": "满 {n} 周岁（虚岁 {nominal}）",
    "agenda.years": "{n} 周年",
    "agenda.due": "{time} 到期",
    "pop.title": "{kind}提醒：{title}",
    "pop.window": "提醒",
    "pop.close": "关闭",
    "pop.hint": "点击提醒打开",
    "missed.title": "您不在时错过的提醒",
    "missed.intro": "程序关闭期间，有 {n} 条提醒到了时间（点击一条打开）：",
    "missed.was_due": "提醒时间 {when}",
    "missed.ok": "知道了",
    "upcoming.title": "接下来的安排",
    "upcoming.days": "往后看",
    "upcoming.days_suffix": " 天",
    "upcoming.refresh": "刷新",
    "upcoming.col.date": "日期",
    "upcoming.col.until": "还有",
    "upcoming.col.kind": "类型",
    "upcoming.col.title": "名称",
    "upcoming.col.extra": "备注",
    "upcoming.count": "接下来 {days} 天共 {n} 项",
    "upcoming.empty": "接下来 {days} 天没有安排。",
    "upcoming.lunar": "（农历）",
    "agenda.weekday.1": "周一",
    "agenda.weekday.2": "周二",
    "agenda.weekday.3": "周三",
    "agenda.weekday.4": "周四",
    "agenda.weekday.5": "周五",
    "agenda.weekday.6": "周六",
    "agenda.weekday.7": "周日",
    "agenda.when": "{day}（{date}）",
    # the Help menu (help_dialogs), the error report and the severe-error message
    "menu.guide": "用户指南",
    "menu.support": "联系客服",
    "report.title": "程序出现意外错误",
    "report.intro": "很抱歉，程序出现了意外错误（{what}）。\n可以把下面这份错误报告发给我们，"
    "帮助我们修好它。报告里只有出错的位置、错误类型、程序版本和操作系统，没有您的联系人、"
    "备忘等内容，也没有用户名和密码。",
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
    "数据加密保存在这台电脑上，离线也能用，"
    "联网后与服务器同步（网页、手机、命令行都是同一份）。",
    "guide.contacts": "通讯录",
    "guide.contacts_body": "左边是联系人列表，右边是详情。“新增”“修改”“删除”管理联系人："
    "多个电话和邮箱、单位、职务、地址、公历或农历生日。搜索框边打边找：姓名、"
    "拼音全拼或首字母（zw 找到张伟）、电话。菜单“通讯录”里新建、重命名、删除分组；"
    "删除分组时会问组里的联系人怎么办。",
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
    # the advanced search dialog (advanced_search) and the contacts page's result bar
    "advanced.title": "高级搜索",
    "advanced.intro": "联系人须同时满足所填的全部条件。"
    "姓名可输入汉字、拼音或首字母；电话可输入后几位。",
    "advanced.name": "姓名/拼音包含",
    "advanced.phone": "电话",
    "advanced.email": "邮箱",
    "advanced.company": "单位",
    "advanced.group": "分组",
    "advanced.has_birthday": "生日",
    "advanced.any": "不限",
    "advanced.with_birthday": "有生日",
    "advanced.without_birthday": "没有生日",
    "advanced.search": "搜索",
    "advanced.clear": "清空条件",
    "advanced.cancel": "取消",
    "advanced.empty": "请至少填写一个条件。",
    "advanced.button": "高级搜索…",
    "advanced.bar": "高级搜索：{conditions} — 找到 {n} 个联系人",
    "advanced.bar.more": "高级搜索：{conditions} — 找到的前 {n} 个联系人",
    "advanced.show_all": "显示全部联系人",
    "advanced.cond.text": "{label}含“{value}”",
    "advanced.cond.group": "分组“{value}”",
    "advanced.sep": "，",
    # one field's problem by its code, without the field's name (errors.field_words)
    "problem.required": "必须填写",
    "problem.empty": "不能为空",
    "problem.too_long": "太长了",
    "problem.not_a_phone_number": "不是电话号码（数字，可带 + 和空格、短横）",
    "problem.not_an_email": "不是邮箱地址",
    "problem.no_such_day": "没有这一天",
    "problem.year_required": "一次性的节日必须填写年份",
    "problem.solar_leap": "公历没有闰月",
    "problem.no_such_leap_month": "这一年没有这个闰月",
    "problem.control_character": "不能包含控制字符",
    "problem.duplicate": "已经有了，请换一个",
    "problem.out_of_range": "超出范围",
    "problem.duplicate_group": "分组重复",
    "problem.unknown_reference": "引用的记录不存在",
    "problem.not_a_time": "时间要写成 09:00 这样（时:分，24 小时制）",
    "problem.end_before_start": "结束不能早于开始",
    "problem.needs_date": "全天日程只填日期",
    "problem.needs_datetime": "不是全天的日程要有时间",
    "problem.not_a_date_or_time": "要写成 2026-05-01 或 2026-05-01 09:30 这样的日期或时间",
    "problem.bad_rrule": "不是有效的重复规则",
    "problem.unknown_timezone": "不是时区名称（例如 Asia/Shanghai）",
}

_LANGS = {"zh-CN": ZH, "en": EN}
_current = "zh-CN"


def set_language(lang: str) -> None:
    """Switch the words: ``zh-CN`` (default) or ``en``; anything else means zh-CN."""
    global _current
    _current = lang if lang in _LANGS else "zh-CN"


def language() -> str:
    return _current


def t(key: str, **values: Any) -> str:
    """The words for ``key`` in the current language (Chinese when English lacks it; an
    empty English word — a year box's suffix — stays empty)."""
    text = _LANGS[_current].get(key)
    if text is None:  # missing in English (never empty on purpose: "" stays "")
        text = ZH.get(key, key)
    return text.format(**values) if values else text


def festival_name(festival: Any) -> str:
    """A ``Festival``'s name in the current language."""
    return str(festival.name_en if _current == "en" else festival.name)


def term_name(term: Any) -> str:
    """A ``SolarTerm``'s name in the current language."""
    return TERMS_EN.get(term.key, term.name) if _current == "en" else str(term.name)


def holiday_name(name: str) -> str:
    """A statutory holiday's name (春节, 国庆节…) in the current language."""
    if _current != "en":
        return name
    from almanac.calendar.festivals import FESTIVALS

    for festival in FESTIVALS:
        if festival.name == name:
            return festival.name_en
    return HOLIDAYS_EN.get(name, name)


def solar_date(month: int, day: int, year: int | None = None) -> str:
    """A solar date: ``1990年5月4日``, ``5月4日``; ``May 4, 1990``, ``May 4``."""
    if _current == "en":
        text = f"{MONTHS_EN[month - 1]} {day}"
        return f"{text}, {year}" if year else text
    return f"{year}年{month}月{day}日" if year else f"{month}月{day}日"


def lunar_date(month: int, day: int, leap: bool = False, year: int | None = None) -> str:
    """A lunar date as Chinese calendars print it (``1990年闰六月初一``) or, in English, as
    English Chinese-calendar apps do (``leap 6/1, 1990``)."""
    if _current == "en":
        text = f"{'leap ' if leap else ''}{month}/{day}"
        return f"{text}, {year}" if year else text
    return (f"{year}年" if year else "") + month_name(month, leap) + day_name(day)


def lunar_cell(lunar: Any) -> str:
    """The lunar day under a calendar day: the month's name on its first day, else the day
    (``八月``, ``十五``); in English the month/day (``8/1``, ``8/15``, ``leap 6/1``)."""
    if _current == "en":
        return lunar_date(lunar.month, lunar.day, lunar.leap)
    return str(lunar.month_name if lunar.day == 1 else lunar.day_name)


def lunar_full(lunar: Any) -> str:
    """A ``LunarDate`` with its year: ``农历 乙巳年闰六月初一（蛇年）``;
    ``Lunar: leap 6/1, Yi-Si year (Snake)``."""
    if _current != "en":
        return t("cal.lunar", text=lunar.full_text, zodiac=lunar.zodiac)
    ganzhi = "-".join(GANZHI_EN.get(c, c) for c in lunar.ganzhi)
    text = f"{lunar_date(lunar.month, lunar.day, lunar.leap)}, {ganzhi} year"
    return t("cal.lunar", text=text, zodiac=ZODIAC_EN.get(lunar.zodiac, lunar.zodiac))
