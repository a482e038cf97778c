"""Issue 5: "switching to Chinese translates the page" (the header's language links)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from playwright.sync_api import Page, expect

if TYPE_CHECKING:
    from tests.e2e.conftest import SignIn


def test_switching_to_chinese_translates_the_page(page: Page, login: SignIn) -> None:
    login(page, "hematologist")
    page.goto("/account/password")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Change password")

    page.locator(".language-switch").get_by_role("link", name="简体中文").click()

    # Back on the same page (the link carries ?next=), now in Simplified Chinese.
    # Expected strings are the translator's entries in core.po: "Change password" ->
    # 修改密码, the "Main" menu -> 主菜单, "Patients" -> 患者, "Sign out" -> 退出登录.
    expect(page).to_have_url(re.compile(r"/account/password$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("h1")).to_have_text("修改密码")
    menu = page.get_by_role("navigation", name="主菜单")
    expect(menu.get_by_role("link", name="患者")).to_be_visible()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()
