"""The copy button and "copy as" menu (docs/assets/js/permalink.js) in Chromium, with the keyboard.

On http the real clipboard is read back (permissions granted); on file:// navigator.clipboard is
removed to check the execCommand fallback, and execCommand is broken too to check the visible field.
"""
from __future__ import annotations

import json
import re

import pytest

# What execCommand("copy") put on the clipboard: the selection of the focused field when it fired.
CAPTURE_COPY = """
document.addEventListener('copy', () => {
  const a = document.activeElement;
  window.__copied = a && typeof a.value === 'string' ? a.value.slice(a.selectionStart, a.selectionEnd)
                                                      : String(getSelection());
}, true);
"""
NO_CLIPBOARD_API = "Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined});"
NO_EXEC_COMMAND = "document.execCommand = () => false;"


@pytest.fixture(scope="module")
def runtimes_fact(site):
    facts = json.loads((site / "api/v1/facts.json").read_text("utf-8"))
    return next(f for f in facts if f["topic"] == "runtimes")


@pytest.fixture
def clip_page(browser):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert not errors, errors


def clipboard(page) -> str:
    return page.evaluate("navigator.clipboard.readText()")


def wait_clipboard(page, expected_start: str) -> str:
    page.wait_for_function("s => navigator.clipboard.readText().then(t => t.startsWith(s))", arg=expected_start,
                           timeout=3000)
    return clipboard(page)


def focused(page) -> dict:
    return page.evaluate("""() => { const a = document.activeElement;
        return {cls: a.className, role: a.getAttribute('role'), text: a.textContent,
                fmt: a.getAttribute('data-format'), owner: a.closest('.kb-pl') && a.closest('.kb-pl').dataset.kbPlFor}; }""")


@pytest.mark.parametrize("lang, prefix", [("en", "en/"), ("ko", "")])
def test_copy_button_and_menu_with_the_keyboard(clip_page, http_site, runtimes_fact, kb, lang, prefix):
    page = clip_page
    fid = runtimes_fact["id"]
    url = f"{http_site}{prefix}runtimes.html"
    page.goto(url + "?h=search-highlight")           # the query string is not part of the permalink
    permalink = f"{url}#{fid}"
    tools = page.locator(f'.kb-pl[data-kb-pl-for="{fid}"]')
    assert tools.evaluate("e => getComputedStyle(e).opacity") == "0"

    # Tab from the fact's #id link reaches the copy button, which then shows.
    page.locator(f'[id="{fid}"] .kb-permalink').focus()
    page.keyboard.press("Tab")
    assert focused(page)["cls"].startswith("kb-pl__copy") and focused(page)["owner"] == fid
    page.wait_for_function("e => getComputedStyle(e).opacity === '1'", arg=tools.element_handle())
    copy_button = tools.locator(".kb-pl__copy")
    assert copy_button.get_attribute("aria-label").startswith(kb.ui("permalink.copy", lang))
    page.keyboard.press("Enter")
    assert wait_clipboard(page, permalink) == permalink
    status = page.locator(".kb-pl__status")
    assert status.get_attribute("role") == "status"
    page.wait_for_function("e => e.textContent.length > 0", arg=status.element_handle())
    assert status.text_content() == kb.ui("permalink.copied", lang)

    # Tab to the menu button; Space opens the menu on its first item.
    page.keyboard.press("Tab")
    more = tools.locator(".kb-pl__more")
    assert focused(page)["cls"].startswith("kb-pl__more")
    assert more.get_attribute("aria-haspopup") == "menu" and more.get_attribute("aria-expanded") == "false"
    menu = page.locator("#" + more.get_attribute("aria-controls"))
    assert menu.get_attribute("role") == "menu" and menu.is_hidden()
    page.keyboard.press(" ")
    assert more.get_attribute("aria-expanded") == "true" and menu.is_visible()
    items = menu.locator("[role=menuitem]")
    assert items.all_text_contents() == [kb.ui(k, lang) for k in
                                         ("permalink.as-short", "permalink.as-markdown", "permalink.as-html", "permalink.as-text")]
    assert focused(page)["fmt"] == "short"
    page.keyboard.press("ArrowDown")
    assert focused(page)["fmt"] == "markdown"
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert focused(page)["fmt"] == "text", "ArrowUp wraps to the last item"
    page.keyboard.press("Home")
    assert focused(page)["fmt"] == "short"
    page.keyboard.press("Escape")
    assert menu.is_hidden() and more.get_attribute("aria-expanded") == "false"
    assert focused(page)["cls"].startswith("kb-pl__more"), "Escape returns focus to the menu button"

    sentence = runtimes_fact["text"][lang]
    # ArrowDown on the menu button opens the menu too; Enter copies the short link, offered first.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    short = f"{http_site}{prefix}f/{fid}.html"
    assert wait_clipboard(page, short) == short
    assert menu.is_hidden() and focused(page)["cls"].startswith("kb-pl__more")

    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    markdown = wait_clipboard(page, "[")
    assert markdown.endswith(f"]({permalink})")
    assert menu.is_hidden() and focused(page)["cls"].startswith("kb-pl__more")

    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    link = wait_clipboard(page, "<a ")
    assert link.startswith(f'<a href="{permalink}">') and link.endswith("</a>")

    page.keyboard.press("Enter")
    page.keyboard.press("End")
    page.keyboard.press(" ")
    text = wait_clipboard(page, sentence[:10])
    lines = text.split("\n")
    assert lines[0] == sentence, (lines[0], sentence)
    assert lines[-1] == permalink
    assert f"{kb.ui('fact.sources', lang)}:" in lines
    for sid in runtimes_fact["sources"]:
        src = kb.sources[sid]
        title = src["title"].get(lang) or src["title"]["en"]
        assert any(title in line for line in lines), (sid, lines)


def test_section_permalink_and_click_outside_closes(clip_page, http_site):
    page = clip_page
    page.goto(f"{http_site}en/runtimes.html")
    heading = page.locator("article h2[id]").first
    hid = heading.get_attribute("id")
    heading.hover()
    tools = heading.locator(".kb-pl")
    page.wait_for_function("e => getComputedStyle(e).opacity === '1'", arg=tools.element_handle())
    assert heading.locator("a.headerlink").get_attribute("title") == "Permanent link to this section"
    tools.locator(".kb-pl__copy").click()
    assert wait_clipboard(page, f"{http_site}en/runtimes.html#{hid}") == f"{http_site}en/runtimes.html#{hid}"
    tools.locator(".kb-pl__more").click()
    tools.locator("[data-format=markdown]").wait_for()
    title = heading.evaluate("h => h.firstChild.textContent.trim()")
    page.locator("article h1").click()
    assert tools.locator(".kb-pl__menu").is_hidden()
    tools.locator(".kb-pl__more").click()
    tools.locator("[data-format=markdown]").click()
    assert wait_clipboard(page, "[") == f"[{title}]({http_site}en/runtimes.html#{hid})"


def test_file_url_without_clipboard_api_copies_through_exec_command(browser, site, runtimes_fact):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.add_init_script(NO_CLIPBOARD_API + CAPTURE_COPY)
        page_url = (site / "runtimes.html").as_uri()
        page.goto(page_url + f"#{runtimes_fact['id']}")
        tools = page.locator(f'.kb-pl[data-kb-pl-for="{runtimes_fact["id"]}"]')
        tools.locator(".kb-pl__copy").focus()
        page.keyboard.press("Enter")
        page.wait_for_function("() => window.__copied !== undefined")
        assert page.evaluate("window.__copied") == f"{page_url}#{runtimes_fact['id']}"
        assert page.locator(".kb-pl__fallback").count() == 0
        assert focused(page)["cls"].startswith("kb-pl__copy"), "focus stays on the button"
    finally:
        context.close()


def test_file_url_without_any_clipboard_shows_the_text_selected(browser, site, runtimes_fact, kb):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.add_init_script(NO_CLIPBOARD_API + NO_EXEC_COMMAND)
        page_url = (site / "runtimes.html").as_uri()
        page.goto(page_url)
        tools = page.locator(f'.kb-pl[data-kb-pl-for="{runtimes_fact["id"]}"]')
        tools.locator(".kb-pl__copy").focus()
        page.keyboard.press("Enter")
        field = page.locator(".kb-pl__fallback textarea")
        field.wait_for()
        assert field.input_value() == f"{page_url}#{runtimes_fact['id']}"
        assert page.evaluate("document.activeElement === document.querySelector('.kb-pl__fallback textarea')")
        assert page.evaluate("(() => { const a = document.activeElement; return a.selectionEnd - a.selectionStart; })()") \
            == len(field.input_value()), "the text is selected, ready for Ctrl+C"
        assert page.locator(".kb-pl__fallback label").text_content() == kb.ui("permalink.copy-failed", "ko")
        page.keyboard.press("Escape")
        assert page.locator(".kb-pl__fallback").count() == 0
        assert focused(page)["cls"].startswith("kb-pl__copy")
    finally:
        context.close()


def test_no_console_errors_and_korean_labels(browser, http_site, kb):
    context = browser.new_context()
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{http_site}runtimes.html")
        more = page.locator(".kb-pl__more").first
        assert more.get_attribute("title") == kb.ui("permalink.menu", "ko")
        assert re.search(r"[\uac00-\ud7a3]", page.locator(".kb-pl__copy").first.get_attribute("aria-label"))
        assert not errors, errors
    finally:
        context.close()
