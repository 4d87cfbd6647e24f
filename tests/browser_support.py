"""What the browser tests ask of every page: axe-core's verdict, and a layout that fits the window.

axe-core is vendored (tests/vendor/axe-core, MPL-2.0) because CI has no guaranteed npm access. WebDriver runs
our scripts outside the page's CSP, so injecting it needs no change to the site's policy.
"""

import functools
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-output" / "browser"
# The mark of every browser test module (pytestmark = needs_chromium).
needs_chromium = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="no Chromium here: install Debian's chromium and chromium-driver (as .ci/run does) for the browser tests",
)

AXE_SOURCE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
# What fails a page; "moderate" and "minor" findings are reported by axe but not gating (issue 11).
FAILING_IMPACTS = frozenset({"serious", "critical"})

_RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ["violations"]}).then(
  (results) => done(results.violations.map((rule) => ({
    id: rule.id, impact: rule.impact, help: rule.help,
    nodes: rule.nodes.map((node) => ({
      target: node.target.join(" "), impact: node.impact, summary: node.failureSummary,
    })),
  }))),
  (error) => done({error: String(error)}),
);
"""

# Words (runs of letters and digits; Chinese is left out, it breaks between characters by design) whose
# boxes lie on more than one line: a word the layout cut in two. Reports at most 20, with their text.
_BROKEN_WORDS = """
const broken = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
const word = /[\\p{Script=Latin}\\p{N}]{2,}/gu;
for (let node = walker.nextNode(); node && broken.length < 20; node = walker.nextNode()) {
  const parent = node.parentElement;
  if (!parent || !parent.offsetParent && getComputedStyle(parent).position !== "fixed") continue;
  for (const match of node.data.matchAll(word)) {
    const range = document.createRange();
    range.setStart(node, match.index);
    range.setEnd(node, match.index + match[0].length);
    const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
    if (tops.size > 1) broken.push(match[0]);
  }
}
return broken;
"""

# Innermost elements reaching past the window (outside boxes that scroll by themselves): what makes a page
# scroll sideways.
_TOO_WIDE = """
const limit = document.documentElement.clientWidth;
const scrollsItself = (element) => {
  for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
    if (["auto", "scroll", "hidden"].includes(getComputedStyle(box).overflowX)) return true;
  }
  return false;
};
return [...document.body.querySelectorAll("*")]
  .filter((element) => element.getBoundingClientRect().right > limit + 1 && !element.querySelector("*:not(br)"))
  .filter((element) => !scrollsItself(element))
  .slice(0, 10)
  .map((element) => element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
       + (typeof element.className === "string" && element.className
          ? "." + element.className.trim().replace(/\\s+/g, ".") : "")
       + " " + Math.round(element.getBoundingClientRect().right) + "px");
"""


def _all_axe_violations(driver) -> list[dict]:
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(_axe_source())
    driver.set_script_timeout(60)
    found = driver.execute_async_script(_RUN_AXE)
    if isinstance(found, dict):
        raise AssertionError(f"axe-core did not run on {driver.current_url}: {found['error']}")
    return found


@functools.cache
def _axe_source() -> str:
    return AXE_SOURCE.read_text(encoding="utf-8")


def axe_violations(driver) -> list[dict]:
    """Run axe-core on the driver's current page; return its violations with impact serious or critical."""
    return [rule for rule in _all_axe_violations(driver) if rule["impact"] in FAILING_IMPACTS]


def describe_violations(violations: list[dict]) -> str:
    """Return the violations as lines a reader can act on: rule id, impact, what it wants, each failing node."""
    lines = []
    for rule in violations:
        lines.append(f"{rule['id']} ({rule['impact']}): {rule['help']}")
        for node in rule["nodes"]:
            lines.append(f"    {node['target']}: {(node['summary'] or '').splitlines()[-1].strip()}")
    return "\n".join(lines)


def assert_accessible(driver) -> None:
    """Fail, naming each rule and node, if axe-core finds a serious or critical violation on the current page."""
    violations = axe_violations(driver)
    assert not violations, f"axe-core on {driver.current_url}:\n{describe_violations(violations)}"


def click_and_wait(driver, button) -> None:
    """Click `button` and wait until its page is gone (so what the test reads next is what the click left)."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    def gone(_driver) -> bool:
        try:
            button.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            # Chromium sometimes reports a node of the page just left this way rather than as stale.
            if "does not belong to the document" in str(error):
                return True
            raise
        return False

    button.click()
    WebDriverWait(driver, 10).until(gone)


def log_in(driver, site: str, user, password: str) -> None:
    """Log `user` in through the login form."""
    from selenium.webdriver.common.by import By

    driver.get(f"{site}/login")
    driver.find_element(By.NAME, "email").send_keys(user.email)
    driver.find_element(By.NAME, "password").send_keys(password)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form button[type=submit], form input[type=submit]"))


def layout_problems(driver) -> list[str]:
    """Return what is wrong with the current page's layout at the window's width: sideways scrolling, cut words."""
    problems = []
    scroll_width, window_width = driver.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth]"
    )
    if scroll_width > window_width:
        wide = ", ".join(driver.execute_script(_TOO_WIDE))
        problems.append(f"scrolls sideways: {scroll_width}px wide in a {window_width}px window ({wide})")
    broken = driver.execute_script(_BROKEN_WORDS)
    if broken:
        problems.append(f"words cut across lines: {', '.join(broken)}")
    return problems


# Boxes that must sit on one line at a desktop width: the public header of a logged-in user, the admin navbar.
ONE_LINE_BARS = (".site-header", "nav.navbar")
NARROW, WIDE = 390, 1366

# The visible pieces of a bar (links, buttons, the brand, texts) whose boxes do not all share one line.
_BAR_LINES = """
const bar = document.querySelector(arguments[0]);
if (!bar) return null;
const pieces = [...bar.querySelectorAll("a, button, .navbar-text, .who")].filter((el) => el.offsetParent !== null)
  .map((el) => el.getBoundingClientRect()).filter((r) => r.width > 0);
if (!pieces.length) return null;
const lowestTop = Math.max(...pieces.map((r) => r.top)), highestBottom = Math.min(...pieces.map((r) => r.bottom));
return lowestTop < highestBottom ? 1 : new Set(pieces.map((r) => Math.round(r.top))).size;
"""


def bar_line_counts(driver) -> dict[str, int]:
    """Return, for each header bar on the page, on how many lines its links and buttons lie."""
    counts = {}
    for selector in ONE_LINE_BARS:
        lines = driver.execute_script(_BAR_LINES, selector)
        if lines is not None:
            counts[selector] = lines
    return counts


class PageChecks:
    """Checks every page a browser test shows: a screenshot, axe-core, and the layout at 1366 and 390 px.

    The problems are collected rather than raised at once, so that one run names every page that needs work;
    `assert_clean()` at the end of the test fails with all of them. Every page's counts (all impacts) are kept
    in `pages` for a summary.
    """

    def __init__(self, driver):
        self.driver = driver
        self.problems: list[str] = []
        self.pages: list[dict] = []

    def __call__(self, name: str) -> None:
        """Screenshot the page as step `name` (wide and narrow), run axe-core and the layout checks on it."""
        driver = self.driver
        url = driver.current_url
        driver.step(name)  # the chrome fixture's numbered screenshot
        found = _all_axe_violations(driver)
        failing = [rule for rule in found if rule["impact"] in FAILING_IMPACTS]
        if failing:
            self.problems.append(f"[{name}] axe-core on {url}:\n{describe_violations(failing)}")
        for selector, lines in bar_line_counts(driver).items():
            if lines > 1:
                self.problems.append(f"[{name}] {url}: {selector} takes {lines} lines at {WIDE}px")
        driver.set_window_size(NARROW, 900)
        try:
            driver.step(f"{name}-{NARROW}px")
            self.problems.extend(f"[{name}] {url} at {NARROW}px: {problem}" for problem in layout_problems(driver))
        finally:
            driver.set_window_size(WIDE, 900)
        self.pages.append(
            {
                "step": name,
                "url": url,
                "violations": {rule["id"]: rule["impact"] for rule in found},
                "failing_nodes": sum(len(rule["nodes"]) for rule in failing),
            }
        )

    def assert_clean(self) -> None:
        """Fail naming every problem the steps found."""
        assert not self.problems, "\n".join(self.problems)
