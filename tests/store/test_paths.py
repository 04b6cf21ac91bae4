"""Where profiles live (issue 3 §1: platformdirs, --home DIR, ALMANAC_HOME)."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from almanac.store.paths import (
    ProfilePaths,
    current_profile,
    profile_slug,
    resolve_home,
    set_current_profile,
)


def test_home_explicit_then_env_then_platform(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALMANAC_HOME", str(tmp_path / "env"))
    assert resolve_home(tmp_path / "flag") == tmp_path / "flag"
    assert resolve_home() == tmp_path / "env"
    monkeypatch.delenv("ALMANAC_HOME")
    assert resolve_home() == Path(platformdirs.user_data_dir("almanac", appauthor=False))


@pytest.mark.parametrize(
    ("url", "user", "start"),
    [
        ("https://pim.example.com:8443/", "ZhangSan", "zhangsan@pim.example.com-8443-"),
        ("http://127.0.0.1:8000", "张三", "user@127.0.0.1-8000-"),
        ("https://pim.example.com", "../../etc/passwd", "etc-passwd@pim.example.com-"),
    ],
)
def test_slug_is_readable_and_safe(url: str, user: str, start: str) -> None:
    slug = profile_slug(url, user)
    assert slug.startswith(start)
    assert "/" not in slug and "\\" not in slug and ".." not in slug
    ProfilePaths.of(Path("/home"), slug)  # accepted as a folder name


def test_slugs_differ_for_different_people_and_servers() -> None:
    """Names that fold alike (张三/李四, Alice/alice) still get their own folders."""
    slugs = {
        profile_slug("https://a.example", "张三"),
        profile_slug("https://a.example", "李四"),
        profile_slug("https://a.example", "Alice"),
        profile_slug("https://a.example", "alice"),
        profile_slug("https://b.example", "alice"),
    }
    assert len(slugs) == 5
    assert profile_slug("https://a.example/", "alice") == profile_slug("https://a.example", "alice")


def test_current_profile_pointer(tmp_path: Path) -> None:
    assert current_profile(tmp_path) is None
    slug = profile_slug("https://pim.example.com", "wangwu")
    with pytest.raises(ValueError):
        set_current_profile(tmp_path, "../evil")
    set_current_profile(tmp_path, slug)
    assert current_profile(tmp_path) is None  # no profile.json there yet
    paths = ProfilePaths.of(tmp_path, slug)
    paths.folder.mkdir(parents=True)
    paths.profile_json.write_text("{}")
    assert current_profile(tmp_path) == paths
    assert sorted(p.name for p in tmp_path.iterdir()) == ["current", "profiles"]
