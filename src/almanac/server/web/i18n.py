"""The pages' words in Chinese (default) and English, and how a request picks its language.

Logged in, a page is in the language of the person's settings (R3; ``language``: zh-CN → zh,
en → en), wherever they log in. Logged out, a page is in Chinese unless the ``lang`` cookie
says ``en`` (R2: every device; Chinese first). ``?lang=`` in the address wins for that page
either way. The cookie follows the language of the page shown (so the login page after a
logout stays in the person's language). ``person_prefs`` reads the settings once a request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from almanac.model.preferences import Preferences
from almanac.server.web import help_words, person_state, session, words

LANG_COOKIE = "lang"
LANGUAGES = ("zh", "en")
DEFAULT_LANG = "zh"
HTML_LANG = {"zh": "zh-CN", "en": "en"}
# A setting's language (``Preferences.language``) → the pages' language, and back.
OF_SETTING = {"zh-CN": "zh", "en": "en"}
SETTING_OF = {"zh": "zh-CN", "en": "en"}
_UNSET = object()

MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        "brand": "Almanac 个人助理",
        "brand_sub": "个人助理",
        "other_lang": "English",
        "login": "登录",
        "logout": "退出登录",
        "register": "注册",
        "username": "用户名",
        "password": "密码",
        "password2": "确认密码",
        "login_title": "登录 Almanac",
        "login_lead": "通讯录、备忘录、生日节日和日历，在每台设备上都是同一份。",
        "register_title": "创建账户",
        "register_lead": "用户名 3–32 个字符（可用中文），密码至少 8 位。",
        "no_account": "还没有账户？",
        "have_account": "已有账户？",
        "registered": "注册成功，请登录。",
        "logged_out": "您已退出登录。",
        "bad_credentials": "用户名或密码错误",
        "throttled": "尝试次数过多，请 {seconds} 秒后再试",
        "passwords_differ": "两次输入的密码不一致",
        "field_problem": "{field}：{reason}",
        "reason_too_short": "至少需要 {min} 个字符",
        "reason_too_long": "最多 {max} 个字符",
        "reason_bad_character": "只能包含字母、汉字、数字和 _ . -",
        "reason_blank": "不能只有空格",
        "reason_duplicate": "已被占用，请换一个",
        "reason_invalid": "格式不正确",
        "contacts": "通讯录",
        "search_label": "搜索联系人",
        "search_placeholder": "姓名、拼音（如 zs）、电话、邮箱",
        "search": "搜索",
        "clear_search": "清除",
        "next_page": "下一页",
        "first_page": "回到第一页",
        "empty_title": "通讯录还是空的",
        "empty_body": "点“新建联系人”添加第一位，或在 Almanac 桌面程序中添加。",
        "no_match": "没有找到与“{q}”匹配的联系人。",
        "results_for": "“{q}”的搜索结果",
        "phones": "电话",
        "emails": "邮箱",
        "company": "公司",
        "label_mobile": "手机",
        "label_work": "工作",
        "label_home": "家庭",
        "label_other": "其他",
        "error_400": "请求无效",
        "error_400_body": "提交的内容有误，请返回重试。",
        "error_403": "禁止访问",
        "error_403_body": "表单已过期或来源无法验证。请刷新页面后重试。",
        "error_404": "找不到页面",
        "error_404_body": "您要找的页面不存在或已被移除。",
        "error_405": "不支持的操作",
        "error_405_body": "这个页面不支持该操作。",
        "error_409": "操作冲突",
        "error_409_body": "数据已被更改，请刷新后重试。",
        "error_429": "请求过于频繁",
        "error_429_body": "尝试次数过多，请 {seconds} 秒后再试",
        "error_500": "出错了",
        "error_500_body": "服务器遇到了问题，请稍后再试。",
        "back_home": "返回首页",
    },
    "en": {
        "brand": "Almanac 个人助理",
        "brand_sub": "个人助理",
        "other_lang": "中文",
        "login": "Log in",
        "logout": "Log out",
        "register": "Register",
        "username": "User name",
        "password": "Password",
        "password2": "Confirm password",
        "login_title": "Log in to Almanac",
        "login_lead": "Contacts, memos, birthdays and calendar: the same on every device.",
        "register_title": "Create an account",
        "register_lead": "User name: 3–32 characters (Chinese welcome). Password: at least 8.",
        "no_account": "No account yet?",
        "have_account": "Already have an account?",
        "registered": "Your account is ready. Please log in.",
        "logged_out": "You have logged out.",
        "bad_credentials": "Wrong user name or password",
        "throttled": "Too many attempts. Please try again in {seconds} seconds",
        "passwords_differ": "The two passwords do not match",
        "field_problem": "{field}: {reason}",
        "reason_too_short": "needs at least {min} characters",
        "reason_too_long": "may have at most {max} characters",
        "reason_bad_character": "may contain only letters, digits and _ . -",
        "reason_blank": "must not be only spaces",
        "reason_duplicate": "is already taken; please choose another",
        "reason_invalid": "is not valid",
        "contacts": "Contacts",
        "search_label": "Search contacts",
        "search_placeholder": "Name, pinyin (zs), phone, email",
        "search": "Search",
        "clear_search": "Clear",
        "next_page": "Next page",
        "first_page": "Back to first page",
        "empty_title": "Your address book is empty",
        "empty_body": "Add the first one with “New contact”, or in the Almanac desktop app.",
        "no_match": "No contact matches “{q}”.",
        "results_for": "Results for “{q}”",
        "phones": "Phone",
        "emails": "Email",
        "company": "Company",
        "label_mobile": "Mobile",
        "label_work": "Work",
        "label_home": "Home",
        "label_other": "Other",
        "error_400": "Bad request",
        "error_400_body": "Something in the request was not right. Please go back and try again.",
        "error_403": "Forbidden",
        "error_403_body": "The form expired or its origin could not be verified. "
        "Please reload the page and try again.",
        "error_404": "Page not found",
        "error_404_body": "The page you are looking for does not exist or was removed.",
        "error_405": "Not supported",
        "error_405_body": "This page does not support that action.",
        "error_409": "Conflict",
        "error_409_body": "The data changed in the meantime. Please reload and try again.",
        "error_429": "Too many requests",
        "error_429_body": "Too many attempts. Please try again in {seconds} seconds",
        "error_500": "Something went wrong",
        "error_500_body": "The server ran into a problem. Please try again later.",
        "back_home": "Back to the start page",
    },
}
MESSAGES["zh"].update(words.ZH)
MESSAGES["en"].update(words.EN)
MESSAGES["zh"].update(help_words.ZH)
MESSAGES["en"].update(help_words.EN)


def requested_lang(request: Request) -> str | None:
    """The language asked for in the address (``?lang=``), if it is one we speak."""
    lang = request.query_params.get("lang")
    return lang if lang in LANGUAGES else None


def person_prefs(request: Request) -> Preferences | None:
    """The logged-in person's settings (read once per request), ``None`` when logged out."""
    found = getattr(request.state, "person_prefs", _UNSET)
    if found is _UNSET:
        who = session.current(request)
        found = None if who is None else person_state.of(request, who[0].id).prefs
        request.state.person_prefs = found
    return found if isinstance(found, Preferences) else None


def use_prefs(request: Request, prefs: Preferences) -> None:
    """The rest of this request sees ``prefs`` (just saved) as the person's settings."""
    request.state.person_prefs = prefs


def lang_of(request: Request) -> str:
    """The page language: ``?lang=``, else the person's setting when logged in, else the
    ``lang`` cookie, else Chinese."""
    lang = requested_lang(request)
    if lang is None:
        prefs = person_prefs(request)
        lang = OF_SETTING[prefs.language] if prefs else request.cookies.get(LANG_COOKIE)
    return lang if lang in LANGUAGES else DEFAULT_LANG


def remember_lang(request: Request, response: Response) -> None:
    """Keep the language of the page shown — a ``?lang=`` choice, or a logged-in person's
    setting — in the ``lang`` cookie (one year)."""
    lang = requested_lang(request)
    if lang is None and person_prefs(request) is not None:
        lang = lang_of(request)
    if lang is not None and request.cookies.get(LANG_COOKIE) != lang:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, path="/", samesite="lax")


def switch_url(request: Request, lang: str) -> str:
    """This page's address in ``lang`` (its other query parameters kept)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return request.url.path + "?" + urlencode([*params, ("lang", lang)])


def this_page(request: Request) -> str:
    """This page's address without ``?lang=`` (where the language switch comes back to)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return request.url.path + ("?" + urlencode(params) if params else "")


def translate(lang: str, key: str, **values: Any) -> str:
    """The message ``key`` in ``lang`` (falling back to Chinese, then to the key itself)."""
    text = MESSAGES.get(lang, {}).get(key) or MESSAGES[DEFAULT_LANG].get(key) or key
    return text.format(**values) if values else text


def translator(lang: str) -> Callable[..., str]:
    """``t(key, **values)`` for one language, as handed to the templates."""

    words, fallback = MESSAGES.get(lang, {}), MESSAGES[DEFAULT_LANG]

    def t(key: str, **values: Any) -> str:  # ``translate`` with the word lists looked up once
        text = words.get(key) or fallback.get(key) or key
        return text.format(**values) if values else text

    return t
