"""The documentation as a reader sees it: every page opened in headless Chromium, offline.

The site is built (lessons executed, so their figures, animations and
widgets are on the pages), served on 127.0.0.1 and opened page by page in a
Chromium that can reach nothing else (`chromium`). On every page:

* no request fails and nothing is logged as an error;
* every formula is typeset: no raw ``\\(``, ``\\[`` or ``$$`` is left in the
  rendered text (code excepted), and every arithmatex span holds MathJax output;
* every internal link leads to a page or file of the site, and every
  ``#anchor`` to an element of its page;
* the page, with everything it loads (cache off), weighs less than its budget.

Skipped, saying why, where no Chromium or no ``websocket-client`` is
installed (``.ci/run`` installs Debian's ``chromium`` in CI).
"""

import functools
import http.server
import threading
import urllib.parse

import pytest
from test_docs import build_site

chromium = pytest.importorskip(
    "chromium", reason="tests/chromium.py needs websocket-client (pip install websocket-client)")

BINARY = chromium.find_chromium()
pytestmark = pytest.mark.skipif(
    BINARY is None, reason="no Chromium installed (Debian: apt-get install chromium); "
                           "the docs' browser check needs one")

MB = 1_000_000
#: What a page may weigh with everything it loads, uncached: MathJax (1.2 MB, only
#: on pages with math), the theme, the search index, the notebook stylesheet
#: (0.6 MB, shared by the lessons) and the page itself. Measured in November
#: 2026: 0.6 MB (home) to 2.8 MB (lesson 2); lesson 4, with its animation, 3.8 MB.
BUDGET = 3.0 * MB
BUDGETS = {"lessons/04_sgd_momentum/": 4.0 * MB}
#: The page's own HTML: lesson pages were 0.7 MB of inline CSS each, the API
#: reference 2.4 MB with its source listings.
HTML_BUDGET = 0.2 * MB
HTML_BUDGETS = {"api/": 1.0 * MB, "lessons/04_sgd_momentum/": 1.5 * MB}

#: Run in the page once its formulas are typeset: what the checks below need.
SURVEY = r"""(async () => {
  const script = document.querySelector('script[src*="mathjax/tex-chtml.js"]');
  for (let tries = 0; script && !window.mathTypeset && tries < 800; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 25));   // MathJax still starting
  }
  if (window.mathTypeset) { await window.mathTypeset; }
  const article = (document.querySelector("article") || document.body).cloneNode(true);
  article.querySelectorAll("pre, code, script, style, mjx-container, .highlight")
         .forEach((element) => element.remove());
  return {
    mathjax: Boolean(window.MathJax && MathJax.startup && MathJax.startup.output),
    math: document.querySelectorAll(".arithmatex").length > 0,
    text: article.textContent,
    untypeset: Array.from(document.querySelectorAll(".arithmatex"))
                    .filter((element) => !element.querySelector("mjx-container"))
                    .map((element) => element.textContent.slice(0, 60)),
    typeset: document.querySelectorAll("mjx-container").length,
    links: Array.from(document.querySelectorAll("a[href]")).map((a) => a.href),
    ids: Array.from(document.querySelectorAll("[id]")).map((element) => element.id),
    dollars: Array.from(document.querySelectorAll(".jp-RenderedMarkdown")).map((cell) => {
      const copy = cell.cloneNode(true);   // a lesson's inline math is $...$: none may be left
      copy.querySelectorAll("pre, code, mjx-container").forEach((element) => element.remove());
      return copy.textContent;
    }).join("").split("$").length - 1,
    widgetNotes: document.querySelectorAll(".widget-note").length,
    players: Array.from(document.querySelectorAll(".anim-buttons button"))
                  .map((button) => button.textContent.trim()),
  };
})()"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The built site, with the lessons executed as ``make docs-build`` does."""
    return build_site(tmp_path_factory.mktemp("browser-site"), execute=True)


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def visits(site, server, tmp_path_factory):
    """``{page url: (problems, bytes, survey, html bytes)}`` for every page of the site."""
    browser = chromium.Browser(BINARY, tmp_path_factory.mktemp("chromium-profile"))
    try:
        found = {}
        for path in sorted(site.rglob("index.html")):
            url = path.parent.relative_to(site).as_posix() + "/"
            url = "" if url == "./" else url
            browser.open(server + url)
            survey = browser.evaluate(SURVEY)   # the events of both: the load, then MathJax's
            browser.settle()                    # and of any request still on its way
            found[url] = (chromium.problems(browser.events), chromium.transferred(browser.events),
                          survey, chromium.document_bytes(browser.events))
        return found
    finally:
        browser.close()


def test_every_page_is_visited(visits):
    assert len(visits) >= 15 and "" in visits and "lessons/03_executor/" in visits


def test_no_request_fails_and_no_error_is_logged(visits):
    failures = {url: found for url, (found, _, _, _) in visits.items() if found}
    assert not failures


def test_every_formula_is_typeset(visits):
    for url, (_, _, survey, _) in visits.items():
        assert survey["mathjax"] or not survey["math"], f"{url}: MathJax did not start"
        assert survey["untypeset"] == [], url
        for raw in ("\\(", "\\[", "$$"):
            assert raw not in survey["text"], f"{url}: raw {raw} left in the rendered text"
        assert survey["dollars"] == 0, f"{url}: raw $ math left in a lesson's text"
    for url in ["optimizers/", "lessons/02_autodiff/", "lessons/06_amsgrad/"]:
        assert visits[url][2]["typeset"] > 10, f"{url} has formulas, and few were typeset"


def test_every_internal_link_and_anchor_resolves(visits, site, server):
    ids = {url: set(survey["ids"]) for url, (_, _, survey, _) in visits.items()}
    broken = []
    for url, (_, _, survey, _) in visits.items():
        for link in survey["links"]:
            if not link.startswith(server):
                continue
            target = urllib.parse.urlsplit(link[len(server):])
            path = urllib.parse.unquote(target.path)
            if path in ids or (path.endswith("/") and path in ids):
                if target.fragment and urllib.parse.unquote(target.fragment) not in ids[path]:
                    broken.append(f"{url} -> {link} (no such anchor)")
            elif not (site / path).is_file():
                broken.append(f"{url} -> {link} (no such page or file)")
    assert not broken


def test_every_page_stays_under_its_weight(visits):
    heavy = {url: f"{weight / MB:.2f} MB" for url, (_, weight, _, _) in visits.items()
             if weight > BUDGETS.get(url, BUDGET)}
    assert not heavy
    fat = {url: f"{html / MB:.2f} MB" for url, (_, _, _, html) in visits.items()
           if html > HTML_BUDGETS.get(url, HTML_BUDGET)}
    assert not fat
    assert all(weight > html > 0 for _, weight, _, html in visits.values())


def test_lesson_4s_animation_has_its_play_buttons_and_lesson_3_explains_its_widget(visits):
    buttons = visits["lessons/04_sgd_momentum/"][2]["players"]
    assert buttons and "\u25b6" in buttons and all(buttons)    # no empty (icon-font) buttons
    assert visits["lessons/03_executor/"][2]["widgetNotes"] == 1  # not a blank space
