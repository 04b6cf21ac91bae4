"""The help page's words (R10), Chinese first, then English; ``i18n`` merges them into its
catalog. One title and one paragraph per module (``help_<module>``, ``help_<module>_body``)."""

from __future__ import annotations

ZH: dict[str, str] = {
    "nav_help": "帮助",
    "help": "帮助",
    "help_title": "帮助与客服",
    "help_lead": "Almanac 个人助理把通讯录、备忘录、生日节日、日程和日历放在一起，"
    "网页、手机浏览器、桌面程序和命令行里都是同一份数据。",
    "help_modules": "各个模块",
    "help_contacts": "通讯录",
    "help_contacts_body": "添加、修改、删除联系人：多个电话和邮箱、公司、职务、地址、"
    "公历或农历生日。用左侧菜单管理分组。搜索支持姓名、拼音全拼或首字母（如 zw 找到张伟）、"
    "电话、邮箱和公司，也可按分组或“有生日”筛选。",
    "help_memos": "备忘录",
    "help_memos_body": "随手记下的事情，可设提醒时间；重要的置顶，置顶的排在最前面。",
    "help_dates": "生日节日",
    "help_dates_body": "一个入口：左侧“生日”和“节日”两个按钮，右侧是对应的条目，"
    "最近的排在前面，显示下一次的日期、还有几天和满几周岁（或几周年）。"
    "日期可以是公历，也可以是农历（含闰月）；节日可以每年一次，也可以只有一次。",
    "help_events": "日程",
    "help_events_body": "全天或定时的日程，可以每天、每周、每月、每年重复；"
    "列表显示未来 60 天的安排。",
    "help_calendar": "日历",
    "help_calendar_body": "月历可直接选年、月或跳到某一天；每天标出农历、节气或节日、"
    "放假（休）和调休上班（班），以及您的生日、节日、日程和到期备忘。点某一天看当天详情，"
    "并可在这一天添加日程、生日或节日。顶栏的时钟点时间切换 24/12 小时制，点时钟图标隐藏或显示。",
    "help_settings": "设置",
    "help_settings_body": "界面语言、时钟格式、每周从哪天开始、起始页、时区和显示哪些节日；"
    "保存在服务器上，网页和桌面程序都照此显示。",
    "help_upcoming": "近期",
    "help_upcoming_body": "未来 30 天的生日、节日、日程、到期备忘和传统节日，按日期排列，"
    "标出还有几天。",
    "help_sync": "同步与冲突",
    "help_sync_body": "网页直接保存在服务器上；桌面程序和命令行先存在本机（加密），"
    "联网时与服务器同步，离线也能用。两处同时改了同一条记录时不会互相覆盖："
    "您会看到两个版本并排显示，选择保留哪一个。",
    "help_desktop": "桌面程序",
    "help_desktop_body": "Almanac 桌面程序（命令 almanac app 打开）提供同样的功能，"
    "数据加密保存在本机，登录同一账户即可与网页同步。",
    "help_cli": "命令行",
    "help_cli_body": "命令 almanac 可以在终端里查看和修改记录、同步、处理冲突、查看近期安排、"
    "换算农历；运行 almanac --help 查看全部命令。",
    "help_support": "客服",
    "help_support_lead": "遇到问题？请联系客服：",
    "support_phone": "电话",
    "support_email": "邮箱",
    "support_hours": "服务时间",
    "support_placeholder": "标有“示例”的是默认的联系方式，服务方尚未填写自己的客服信息。",
    "support_operator_note": "（仅管理员可见）请在服务器配置中设置真实的客服联系方式："
    "ALMANAC_SUPPORT_PHONE、ALMANAC_SUPPORT_EMAIL、ALMANAC_SUPPORT_HOURS。",
    "error_help": "需要帮助？",
}

EN: dict[str, str] = {
    "nav_help": "Help",
    "help": "Help",
    "help_title": "Help and support",
    "help_lead": "Almanac keeps your contacts, memos, birthdays, holidays and events together — "
    "the same data in the browser, on your phone, in the desktop app and on the command line.",
    "help_modules": "What each part does",
    "help_contacts": "Contacts",
    "help_contacts_body": "Add, change and delete contacts: several phones and emails, company, "
    "title, address, a solar or lunar birthday. Manage groups from the menu on the left. Search "
    "by name, pinyin in full or by initials (zw finds 张伟), phone, email or company, and filter "
    "by group or “has a birthday”.",
    "help_memos": "Memos",
    "help_memos_body": "Notes with an optional reminder time; pin the important ones to keep "
    "them first.",
    "help_dates": "Birthdays & holidays",
    "help_dates_body": "One place: a Birthdays and a Holidays button on the left, the entries on "
    "the right, soonest first, each with its next date, the days until it and the age turned "
    "(or the anniversary). Dates can be solar or lunar (leap months too); a holiday is yearly "
    "or once.",
    "help_events": "Events",
    "help_events_body": "All-day or timed events that can repeat daily, weekly, monthly or "
    "yearly; the list shows the next 60 days.",
    "help_calendar": "Calendar",
    "help_calendar_body": "A month where the year, the month or a day can be picked directly; "
    "each day shows the lunar date, the solar term or festival, days off (休) and swapped "
    "workdays (班), and your birthdays, holidays, events and memos due. Open a day for its "
    "details and to add an event, birthday or holiday on it. Click the clock in the top bar to "
    "switch between 24-hour and 12-hour, its icon to hide or show it.",
    "help_settings": "Settings",
    "help_settings_body": "Language, clock format, first day of the week, start page, time zone "
    "and which festivals show; kept on the server, followed by the web pages and the desktop app.",
    "help_upcoming": "Upcoming",
    "help_upcoming_body": "The next 30 days of birthdays, holidays, events, memos due and the "
    "traditional festivals, by date, with the days until each.",
    "help_sync": "Sync and conflicts",
    "help_sync_body": "The web pages save straight to the server; the desktop app and the "
    "command line keep an encrypted copy on the device, work offline and sync when online. When "
    "the same record was changed in two places nothing is overwritten: you see both versions "
    "side by side and choose which to keep.",
    "help_desktop": "Desktop app",
    "help_desktop_body": "The Almanac desktop app (started with almanac app) does all of this too, "
    "with the data encrypted on your computer; log in with the same account to sync.",
    "help_cli": "Command line",
    "help_cli_body": "The almanac command shows and changes records, syncs, resolves conflicts, "
    "lists what is coming up and converts lunar dates in a terminal; run almanac --help for "
    "every command.",
    "help_support": "Customer service",
    "help_support_lead": "Need a hand? Contact customer service:",
    "support_phone": "Phone",
    "support_email": "Email",
    "support_hours": "Hours",
    "support_placeholder": "Entries marked “示例” (example) are the default contact: this "
    "service has not filled in its own yet.",
    "support_operator_note": "(Shown to operators only.) Set the real contact in the server's "
    "configuration: ALMANAC_SUPPORT_PHONE, ALMANAC_SUPPORT_EMAIL, ALMANAC_SUPPORT_HOURS.",
    "error_help": "Need help?",
}
