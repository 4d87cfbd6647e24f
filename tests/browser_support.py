"""What the browser tests ask of every page: axe-core's verdict, and a layout that fits the window.

axe-core is vendored (tests/vendor/axe-core, MPL-2.0) because CI has no guaranteed npm access. WebDriver runs
our scripts outside the page's CSP, so injecting it needs no change to the site's policy.
"""

from pathlib import Path

AXE_SOURCE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
# What fails a page; "moderate" and "minor" findings are reported by axe but not gating (issue 11).
FAILING_IMPACTS = frozenset({"serious", "critical"})

_RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ["violations"]}).then(
  (results) => done(results.violations.map((rule) => ({
    id: rule.id, impact: rule.impact, help: rule.help,
    nodes: rule.nodes.map((node) => ({target: node.target.join(" "), impact: node.impact, summary: node.failureSummary})),
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

# Elements wider than the window, innermost first: what makes a page scroll sideways.
_TOO_WIDE = """
const limit = document.documentElement.clientWidth;
return [...document.body.querySelectorAll("*")]
  .filter((element) => element.getBoundingClientRect().right > limit + 1 && !element.querySelector("*:not(br)"))
  .slice(0, 10)
  .map((element) => element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
       + (element.className && typeof element.className === "string" ? "." + element.className.trim().replace(/\\s+/g, ".") : "")
       + " " + Math.round(element.getBoundingClientRect().right) + "px");
"""


def axe_violations(driver) -> list[dict]:
    """Run axe-core on the driver's current page; return its violations with impact serious or critical."""
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(AXE_SOURCE.read_text(encoding="utf-8"))
    driver.set_script_timeout(60)
    found = driver.execute_async_script(_RUN_AXE)
    if isinstance(found, dict):
        raise AssertionError(f"axe-core did not run on {driver.current_url}: {found['error']}")
    return [rule for rule in found if rule["impact"] in FAILING_IMPACTS]


def describe_violations(violations: list[dict]) -> str:
    """Return the violations as lines a reader can act on: rule id, impact, what it wants, each failing node."""
    lines = []
    for rule in violations:
        lines.append(f"{rule['id']} ({rule['impact']}): {rule['help']}")
        lines.extend(f"    {node['target']}: {(node['summary'] or '').splitlines()[-1].strip()}" for node in rule["nodes"])
    return "\n".join(lines)


def assert_accessible(driver) -> None:
    """Fail, naming each rule and node, if axe-core finds a serious or critical violation on the current page."""
    violations = axe_violations(driver)
    assert not violations, f"axe-core on {driver.current_url}:\n{describe_violations(violations)}"


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
