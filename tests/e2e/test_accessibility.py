"""Issue 5 ("Quality"): "Accessible: labelled fields, keyboard navigation, visible focus,
contrast", checked in Debian's Chromium on the main pages of every role (demo data).

The rules and where they come from (independent of the code under test):
- WCAG 2.2 SC 1.3.1 / 4.1.2: every form field has an accessible name (label[for], a
  wrapping label, aria-label or aria-labelledby); buttons and links have a name.
- SC 1.1.1: every <img> has alt; an <svg> shown as a picture has role="img" and a
  <title> or aria-label (ARIA in HTML, "svg" with role img); an <svg> of links (the
  joint map) is a named role="group" instead, since an img's children are presentational
  (WAI-ARIA 1.2, "img": children presentational).
- SC 2.1.1 / 2.4.7 / 1.4.11: Tab reaches each control, and each shows its focus with an
  outline or ring of at least 3:1 against its surroundings.
- SC 2.4.1: a skip link is the first thing Tab reaches, and it moves focus to <main>.
- SC 2.4.3: no positive tabindex (it breaks the reading order).
- SC 2.4.7: a focused field shows a visible focus indicator.
- SC 3.1.1: <html lang>. HTML: ids are unique; one <h1> per page (the page title).
- SC 1.4.3: text contrast at least 4.5:1, from the WCAG relative-luminance formula
  L = 0.2126 R + 0.7152 G + 0.0722 B (channels linearised: c/12.92 if c <= 0.04045,
  else ((c + 0.055) / 1.055) ** 2.4) and ratio (L1 + 0.05) / (L2 + 0.05).
- SC 1.4.10 (reflow): the family pages fit a 375 px phone without sideways scrolling.

One browser context per role visits its pages in turn; every failure is collected and
the test fails once with the whole list.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from playwright.sync_api import Page, expect

if TYPE_CHECKING:
    from tests.e2e.conftest import DemoPatients, OpenPage, SignIn

PHONE_WIDTH = 375
MIN_CONTRAST = 4.5  # WCAG 2.2 SC 1.4.3, normal-size text (applied to all text here)

# The in-page audit. Returns a list of problems, each a short sentence naming the element.
AUDIT_JS = r"""
() => {
  const problems = [];
  const describe = (el) => {
    let text = el.tagName.toLowerCase();
    if (el.id) text += "#" + el.id;
    else if (el.getAttribute("name")) text += "[name=" + el.getAttribute("name") + "]";
    else if (el.classList.length) text += "." + [...el.classList].join(".");
    const words = (el.innerText || el.textContent || "").trim().replace(/\s+/g, " ");
    return words ? text + ' "' + words.slice(0, 40) + '"' : text;
  };
  const visible = (el) => {
    if (!el.getClientRects().length) return false;
    const style = getComputedStyle(el);
    return style.visibility !== "hidden" && style.display !== "none";
  };
  const byIds = (ids) => ids.split(/\s+/).map((id) => document.getElementById(id)).filter(Boolean);
  const ariaName = (el) => {
    const label = (el.getAttribute("aria-label") || "").trim();
    if (label) return label;
    const labelledby = el.getAttribute("aria-labelledby");
    if (labelledby) return byIds(labelledby).map((e) => e.textContent.trim()).join(" ").trim();
    return "";
  };

  // Fields: an accessible name from a label or ARIA.
  for (const field of document.querySelectorAll("input, select, textarea")) {
    if (field.type === "hidden" || !visible(field)) continue;
    const labelled =
      (field.id && [...document.querySelectorAll("label")].some((l) => l.htmlFor === field.id
        && l.textContent.trim())) ||
      (field.closest("label") && field.closest("label").textContent.trim()) ||
      ariaName(field);
    if (!labelled) problems.push("field without a label: " + describe(field));
  }
  // Pictures.
  for (const img of document.querySelectorAll("img")) {
    if (!img.hasAttribute("alt")) problems.push("img without alt: " + (img.getAttribute("src") || ""));
  }
  for (const svg of document.querySelectorAll("svg")) {
    if (svg.parentElement.closest("svg") || svg.closest("[aria-hidden=true]")) continue;
    const titled = svg.querySelector(":scope > title") || ariaName(svg);
    // A picture is one image (role img); a figure of links (the joint map) is a named
    // group, since an image's children are hidden from assistive technology.
    const role = svg.querySelector("a[href]") ? "group" : "img";
    if (svg.getAttribute("role") !== role || !titled) {
      problems.push(`svg without role=${role} and a title: ` + describe(svg.parentElement));
    }
  }
  // Document structure.
  const h1s = document.querySelectorAll("h1").length;
  if (h1s !== 1) problems.push(h1s + " h1 elements (expected exactly one)");
  if (!(document.documentElement.getAttribute("lang") || "").trim()) problems.push("html has no lang");
  const seen = new Map();
  for (const el of document.querySelectorAll("[id]")) seen.set(el.id, (seen.get(el.id) || 0) + 1);
  for (const [id, count] of seen) if (count > 1) problems.push("id used " + count + " times: " + id);
  for (const el of document.querySelectorAll("[tabindex]")) {
    if (parseInt(el.getAttribute("tabindex"), 10) > 0) problems.push("positive tabindex: " + describe(el));
  }
  // Buttons and links say what they do.
  for (const el of document.querySelectorAll("a[href], button, [role=button], input[type=submit]")) {
    if (!visible(el)) continue;
    const named = (el.innerText || "").trim() || (el.value || "").trim() || ariaName(el) ||
      (el.getAttribute("title") || "").trim() ||
      [...el.querySelectorAll("img[alt]")].some((i) => i.alt.trim()) ||
      [...el.querySelectorAll("svg title")].some((t) => t.textContent.trim());
    if (!named) problems.push("button or link without text: " + describe(el));
  }
  return problems;
}
"""

# Colour helpers the checks below share, installed once per page as window.a11y.
HELPERS_JS = r"""
() => {
  const parse = (colour) => {
    const m = colour.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/);
    return m ? [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]] : null;
  };
  const over = (top, under) => {  // alpha compositing of ``top`` over an opaque ``under``
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat(1);
  };
  const background = (el) => {  // the colour behind ``el``: its own and its ancestors' layers
    const layers = [];
    for (let node = el; node; node = node.parentElement) {
      const colour = parse(getComputedStyle(node).backgroundColor);
      if (colour && colour[3] > 0) { layers.push(colour); if (colour[3] >= 1) break; }
    }
    let result = [255, 255, 255, 1];  // the canvas
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };
  const luminance = (rgb) => {  // WCAG relative luminance
    const [r, g, b] = rgb.slice(0, 3).map((v) => {
      const c = v / 255;
      return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  // A focus indicator: an outline or a (non-SVG) box-shadow ring that stands out from what
  // is around it by 3:1 (SC 1.4.11). SVG elements paint outlines but never box-shadows.
  const ring = (el) => {
    const style = getComputedStyle(el);
    const around = background(el.parentElement || el);
    const stands = (colour) => colour && ratio(over(colour, around), around) >= 3;
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0 &&
      stands(parse(style.outlineColor));
    const shadow = !(el instanceof SVGElement) && style.boxShadow !== "none" &&
      stands(parse(style.boxShadow));
    return outline || shadow;
  };
  window.a11y = {parse, over, background, ratio, ring};
}
"""

# Text contrast of a sample of elements: body text, links, buttons, badges, the demo banner.
CONTRAST_JS = r"""
(minimum) => {
  const {parse, over, background, ratio} = window.a11y;
  const SAMPLE = "p, li, td, th, label, legend, dt, dd, h1, h2, h3, span, small, strong, " +
    "a, button, .button, .badge, .demo-banner, .provisional, .muted, .hint, .field-error";
  const problems = [];
  const reported = new Set();
  for (const el of document.querySelectorAll(SAMPLE)) {
    const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!ownText || !el.getClientRects().length || el.closest("svg")) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden") continue;
    const bg = background(el);
    const fg = over(parse(style.color), bg);
    const value = ratio(fg, bg);
    if (value < minimum) {
      const key = el.tagName + "." + el.className + style.color + bg.join();
      if (reported.has(key)) continue;
      reported.add(key);
      const words = el.textContent.trim().replace(/\s+/g, " ").slice(0, 30);
      problems.push(`contrast ${value.toFixed(2)}:1 for ${el.tagName.toLowerCase()}` +
        `${el.className ? "." + String(el.className).split(" ").join(".") : ""} "${words}"` +
        ` (${style.color} on rgb(${bg.slice(0, 3).map(Math.round).join(", ")}))`);
    }
  }
  return problems;
}
"""

# A focused field shows an outline or a ring (SC 2.4.7).
FOCUS_JS = r"""
() => {
  const fields = [...document.querySelectorAll(
    "input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, textarea")]
    .filter((f) => f.getClientRects().length);
  if (!fields.length) return null;
  const field = fields[0];
  field.focus();
  return window.a11y.ring(field) ? "" : "no visible focus on " + (field.id || field.name);
}
"""

# The element that has focus now, and whether it shows it (SC 2.4.7).
FOCUSED_JS = r"""
() => {
  let el = document.activeElement;
  if (el && el.tagName === "IFRAME") {  // focus went into a frame: judge what has it there
    const inner = el.contentDocument && el.contentDocument.activeElement;
    if (inner && inner !== el.contentDocument.body) el = inner;
  }
  if (!el || el === document.body) return null;
  const ring = el.ownerDocument === document ? window.a11y.ring(el) : true;
  const text = (el.getAttribute("aria-label") || el.innerText || el.value || "").trim();
  const where = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.getAttribute("name") ? "[name=" + el.getAttribute("name") + "]" : "") +
    (el.getAttribute("href") ? "[href=" + el.getAttribute("href") + "]" : "") +
    ' "' + text.replace(/\s+/g, " ").slice(0, 30) + '"';
  return {where, ring};
}
"""
MAX_TAB_STOPS = 40  # enough to cover each page's own controls past the menu

# Sideways scrolling at 375 px: the page is wider, or a visible element sticks out (clipped).
WIDTH_JS = r"""
(width) => {
  const problems = [];
  const page = document.documentElement.scrollWidth;
  if (page > width) problems.push(`page is ${page} px wide`);
  for (const el of document.body.querySelectorAll("*")) {
    if (!el.getClientRects().length || el.closest(".skip-link")) continue;
    const right = el.getBoundingClientRect().right;
    if (right > width + 1) {
      problems.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}` +
        `${el.className && typeof el.className === "string" ? "." + el.className : ""}` +
        ` reaches ${Math.round(right)} px`);
      if (problems.length > 5) break;
    }
  }
  return problems;
}
"""


def test_clinician_pages_are_accessible(
    open_page: OpenPage, login: SignIn, demo_patients: DemoPatients
) -> None:
    patient = demo_patients.family_child.id  # enrolled, with logs, check-ins and messages
    base = f"/patients/{patient}"
    page = open_page("rehab_physician")
    login(page, "rehab_physician")
    page.goto("/mdt")
    meeting = page.locator("main a[href^='/mdt/']").first.get_attribute("href")
    assert meeting, "the demo has MDT meetings: /mdt should link to the first one"
    paths = [
        "/patients",
        base,
        f"{base}/joints/left_ankle",
        f"{base}/assessments/new/hjhs",
        f"{base}/bleeds/new",
        f"{base}/rehab",
        f"{base}/rehab/plan",
        f"{base}/rehab/review",
        f"{base}/check-ins",
        f"{base}/messages",
        "/mdt",
        meeting,
        "/alerts",
        "/reports",
        "/account/password",
    ]
    problems = _audit_pages(page, paths)
    # The instruments the rehab physician may not record, as the roles that record them.
    sonographer = open_page("sonographer")
    login(sonographer, "sonographer")
    problems += _audit_pages(sonographer, [f"{base}/assessments/new/head_us_c"])
    nurse = open_page("nurse")
    login(nurse, "nurse")
    problems += _audit_pages(nurse, [f"{base}/assessments/new/choklat"])
    assert not problems, "accessibility problems:\n" + "\n".join(problems)


def test_family_pages_are_accessible_on_a_phone(
    open_page: OpenPage, login: SignIn, demo_patients: DemoPatients
) -> None:
    base = f"/family/{demo_patients.family_child.id}"
    page = open_page("caregiver", phone=True)
    problems = _audit_pages(page, ["/login"], phone=True)  # where every family starts
    login(page, "caregiver")
    paths = [base] + [f"{base}/{part}" for part in ("log", "bleed", "check-in", "messages", "plan")]
    problems += _audit_pages(page, paths, phone=True)
    assert not problems, "accessibility problems:\n" + "\n".join(problems)


def _audit_pages(page: Page, paths: list[str], *, phone: bool = False) -> list[str]:
    problems: list[str] = []
    for path in paths:
        answer = page.goto(path)
        assert answer is not None, path
        assert answer.ok, f"{path} answered {answer.status}"
        found = _audit(page, phone=phone)
        problems += [f"{path}: {problem}" for problem in found]
    return problems


def _audit(page: Page, *, phone: bool) -> list[str]:
    found = _skip_link_problems(page)  # first, while nothing has had focus yet
    page.evaluate(HELPERS_JS)
    found += page.evaluate(AUDIT_JS)
    found += page.evaluate(CONTRAST_JS, MIN_CONTRAST)
    if phone:
        found += page.evaluate(WIDTH_JS, PHONE_WIDTH)
    focus = page.evaluate(FOCUS_JS)
    if focus:
        found.append(focus)
    found += _keyboard_problems(page)
    return found


def _keyboard_problems(page: Page) -> list[str]:
    """Tab through the page: every stop shows its focus (an outline or a ring)."""
    problems: list[str] = []
    page.evaluate("window.scrollTo(0, 0)")
    page.locator("main#main").focus()  # start after the header: it is the same on every page
    seen: set[str] = set()
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED_JS)
        if stop is None or stop["where"] in seen:
            break  # left the page (back to the browser) or came round again
        seen.add(stop["where"])
        if not stop["ring"]:
            problems.append(f"no visible focus on {stop['where']}")
    return problems


def _skip_link_problems(page: Page) -> list[str]:
    """The first Tab reaches the skip link, which shows its focus; Enter moves focus to main.

    A page that puts focus in its main content on load (the sign-in field, an error
    summary) has already skipped the header: focus must then be inside main.
    """
    start = page.evaluate(
        "document.activeElement === document.body ? null"
        " : [!!document.activeElement.closest('main'), document.activeElement.outerHTML.slice(0, 80)]"
    )
    if start is not None:
        inside, where = start
        return [] if inside else [f"focus starts outside main, on {where}"]
    page.keyboard.press("Tab")
    first = page.evaluate(
        "(() => { const el = document.activeElement;"
        " const s = getComputedStyle(el);"
        " return {skip: el.classList.contains('skip-link'), text: el.outerHTML.slice(0, 80),"
        " ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)"
        " || s.boxShadow !== 'none'}; })()"
    )
    if not first["skip"]:
        return [f"first Tab reaches {first['text']}, not the skip link"]
    problems = [] if first["ring"] else ["the focused skip link shows no focus ring"]
    page.keyboard.press("Enter")
    try:
        expect(page.locator("main#main")).to_be_focused(timeout=2_000)
    except AssertionError:
        problems.append("Enter on the skip link does not move focus to main")
    if re.search(r"#main$", page.url) is None:
        problems.append("the skip link does not point at #main")
    return problems
