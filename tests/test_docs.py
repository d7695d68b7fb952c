"""The documentation site: it builds with ``mkdocs build --strict``, its pages
say what they must, and every example in them runs.

* The build runs once per session (module fixture) into a temporary
  directory, with ``MINIGRAD_DOCS_EXECUTE=false``: the lessons are rendered
  but not executed, since their own tests execute every notebook already.
  A missing mkdocs (or plugin) fails the build, and so this test.
* In ``docs/*.md``, a ```` ```pycon ```` block is a doctest (``>>>`` lines
  and their output) and a ```` ```python ```` block is a script; each
  page's blocks run in order in one namespace, as a reader would paste them.
"""

import doctest
import html as htmllib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import minigrad
from minigrad import backend as K
from minigrad import config

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
SNIPPETS = DOCS / "hooks"

# The contract's public names (tests/test_contract.py; docs/api.md) and where the API page must show them.
CONTRACT_BACKEND = """
    placeholder variable constant zeros ones zeros_like ones_like dot sum mean square sqrt abs
    exp log pow maximum minimum clip sign tanh sigmoid relu softmax transpose reshape cast switch
    greater greater_equal less equal categorical_crossentropy binary_crossentropy int_shape ndim
    dtype gradients update update_add update_sub function get_value set_value batch_get_value
    batch_set_value eval epsilon set_epsilon floatx set_floatx
""".split()
CONTRACT_OPTIMIZERS = ["SGD", "RMSprop", "Adagrad", "Adadelta", "Adam", "AMSGrad", "Adamax",
                       "Nadam", "Optimizer", "get", "serialize", "deserialize"]
CONTRACT_VIZ = ["draw_graph", "to_dot", "plot_trajectories", "animate_trajectories"]


def build_site(out, execute=False):
    """``mkdocs build --strict`` into ``out``, running the lessons only if ``execute``."""
    env = dict(os.environ, MINIGRAD_DOCS_EXECUTE=str(execute).lower(), NO_MKDOCS_2_WARNING="1",
               MPLBACKEND="Agg")
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert build.returncode == 0, f"mkdocs build --strict failed:\n{build.stdout}\n{build.stderr}"
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("site"))


def page(site, name):
    path = site / name / "index.html" if name else site / "index.html"
    return path.read_text(encoding="utf-8")


def text(html):
    """The page as text: tags (syntax-highlighting spans included) removed."""
    return htmllib.unescape(re.sub(r"<[^>]+>", "", html))


def ids(html):
    return set(re.findall(r'id="([^"]+)"', html))


# --------------------------------------------------------------------------
# The built site

def test_getting_started_has_the_two_commands_and_the_first_example(site):
    words = text(page(site, "getting-started"))
    assert "make demo" in words and "make test" in words
    assert "opt = optimizers.Adam(lr=0.05)" in words
    assert "updates=opt.get_updates(loss, [w, b])" in words


def test_api_reference_documents_every_backend_function(site):
    anchors = ids(page(site, "api"))
    public = [name for name, value in vars(K).items()
              if not name.startswith("_") and callable(value) and not isinstance(value, type)
              and not type(value).__name__ == "module" and name not in K.UNSUPPORTED]
    for name in set(CONTRACT_BACKEND) | set(public):
        assert f"minigrad.backend.{name}" in anchors, f"K.{name} is not in the API reference"


def test_api_reference_documents_optimizers_executor_viz_gradcheck_config(site):
    html = page(site, "api")
    anchors = ids(html)
    for name in CONTRACT_OPTIMIZERS:
        assert any(anchor.startswith("minigrad.optimizers.") and anchor.endswith("." + name)
                   for anchor in anchors), f"optimizers.{name} is not in the API reference"
    for anchor in ["minigrad.Function", "minigrad.Trace", "minigrad.gradcheck",
                   "minigrad.numerical_gradients", "minigrad.config.set_floatx",
                   "minigrad.config.epsilon"]:
        assert anchor in anchors, anchor
    for name in CONTRACT_VIZ:
        assert f"minigrad.viz.{name}" in anchors, f"viz.{name} is not in the API reference"
    # doctest examples render as code, not as Markdown block quotes
    assert "<blockquote>" not in html


def test_concepts_page_shows_generated_code_and_figures_drawn_by_minigrad(site):
    html = page(site, "concepts")
    assert "def sgd_step(feeds, variables):" in text(html)    # f.source, pasted at build
    assert "np.tanh(" in text(html)
    for figure in ["forward-graph", "training-step"]:
        assert f"figures/{figure}.png" in html
        png = site / "figures" / f"{figure}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_optimizers_page_has_the_ladder_and_epsilon_placement(site):
    html = page(site, "optimizers")
    for word in ["SGD", "Momentum", "RMSprop", "Adam", "AMSGrad", "Nadam", "Where epsilon goes",
                 "PyTorch", "arithmatex"]:
        assert word in html, word


def test_keras_compatibility_table_covers_the_backend(site):
    html = page(site, "keras-compatibility")
    for name in CONTRACT_BACKEND + ["conv2d", "rnn", "ctc_batch_cost"]:
        assert f"<code>{name}</code>" in html, name
    assert "not supported" in html or "missing" in html


def test_every_lesson_notebook_is_a_page(site):
    lessons = sorted((ROOT / "lessons").glob("*.ipynb"))
    index = page(site, "lessons")
    for notebook in lessons:
        assert (site / "lessons" / notebook.stem / "index.html").is_file(), notebook.name
        assert f'href="{notebook.stem}/"' in index, notebook.name


def test_site_loads_nothing_at_build_time_and_no_web_fonts(site):
    html = page(site, "")
    assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html


def test_mathjax_is_served_by_the_site_itself(site):
    for name in ["", "optimizers", "lessons/02_autodiff"]:
        assert "cdn.jsdelivr.net" not in page(site, name) and "mathjax.js" in page(site, name)
    assert (site / "javascripts" / "mathjax" / "tex-chtml.js").stat().st_size > 500_000
    fonts = list((site / "javascripts" / "mathjax" / "output" / "chtml" / "fonts" /
                  "woff-v2").glob("*.woff"))
    assert len(fonts) > 10
    config = (site / "javascripts" / "mathjax.js").read_text()
    assert "ignoreHtmlClass" not in config   # it also ignored the <p>s of notebook cells


def test_optimizers_page_formulas_in_lists_and_the_adamax_row_are_whole(site):
    html = page(site, "optimizers")
    blocks = re.findall(r'<div class="arithmatex">(.*?)</div>', html, re.S)
    assert any("\\lVert g_i \\rVert" in block for block in blocks)      # clipnorm, in its list
    assert any("\\Delta_t = g_t" in block for block in blocks)           # Adadelta, in its list
    assert not re.search(r"(?<!\\)\[ n = \\sqrt", text(html))           # no \[ eaten as [
    (row,) = [row for row in re.findall(r"<tr>(.*?)</tr>", html, re.S) if ">Adamax<" in row]
    assert row.count("<td") == 5, row


def test_lesson_pages_keep_code_words_in_titles_and_contents_links_resolve(site):
    html = page(site, "lessons/03_executor")
    assert "<title>Lesson 3 — The executor: K.function, updates, and tracing a step" in html
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    titles = [entry["title"] for entry in index["docs"] if entry["location"] == "lessons/03_executor/"]
    assert titles == ["Lesson 3 — The executor: K.function, updates, and tracing a step"]
    for notebook in sorted((ROOT / "lessons").glob("*.ipynb")):
        html = page(site, f"lessons/{notebook.stem}")
        missing = set(re.findall(r'href="#([^"]+)"', html)) - ids(html)
        assert not missing, f"{notebook.stem}: contents links to {sorted(missing)}"


def test_pages_are_light_source_listings_dropped_notebook_css_shared(site):
    assert len(page(site, "api").encode()) < 1_000_000          # was 2.4 MB with source blocks
    for notebook in sorted((ROOT / "lessons").glob("*.ipynb")):
        html = page(site, f"lessons/{notebook.stem}")
        assert len(html.encode()) < 200_000, notebook.stem     # was 0.7 MB of inline CSS
        assert "assets/notebook/" in html


# --------------------------------------------------------------------------
# The examples in the Markdown

FENCE = re.compile(r"^```(\w+)[^\n]*\n(.*?)^```\s*$", re.S | re.M)


def blocks(path):
    """``[(language, code)]`` of the fenced blocks of a page, snippets included."""
    text = path.read_text(encoding="utf-8")
    found = []
    for language, code in FENCE.findall(text):
        code = re.sub(r'^--8<-- "([^"]+)"\s*$',
                      lambda m: (SNIPPETS / m.group(1)).read_text(encoding="utf-8"),
                      code, flags=re.M)
        found.append((language, code))
    return found


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_markdown_examples_run(path, monkeypatch):
    """Every ``python`` block runs and every ``pycon`` block passes as a doctest."""
    monkeypatch.chdir(ROOT)
    namespace = {"__name__": "__docs__"}
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for number, (language, code) in enumerate(blocks(path)):
        where = f"{path.relative_to(ROOT)}, block {number + 1}"
        if language == "python":
            exec(compile(code, where, "exec"), namespace)
        elif language == "pycon":
            test = parser.get_doctest(code, namespace, where, str(path), 0)
            output = []
            result = runner.run(test, out=output.append, clear_globs=False)
            assert result.failed == 0, "".join(output)
            namespace.update(test.globs)  # a DocTest runs in a copy of the namespace
    assert config.floatx() == "float32"


def test_getting_started_example_converges():
    """The 15-line example does what its comment says: ~0, [2, -1, 0.5], [0.3]."""
    namespace = {}
    for language, code in blocks(DOCS / "getting-started.md"):
        if language == "python":
            exec(compile(code, "getting-started.md", "exec"), namespace)
    assert float(namespace["l"]) < 1e-4
    np.testing.assert_allclose(K.get_value(namespace["w"]).ravel(), [2, -1, 0.5], atol=1e-2)
    np.testing.assert_allclose(K.get_value(namespace["b"]), [0.3], atol=1e-2)


def test_docs_use_the_package_in_this_checkout():
    assert Path(minigrad.__file__).resolve().parent == ROOT / "minigrad"


def test_no_file_of_the_project_points_outside_the_repository():
    """Paths of one machine (a shared folder, a virtualenv elsewhere) would
    break on a fresh clone: every reference stays inside the repository."""
    outside = re.compile("|".join([r"(?<![\w.])/(?:work|home|root|tmp|Users)/", r"\.\./" + "shared"]))
    kinds = {".py", ".md", ".toml", ".yml", ".yaml", ".cfg", ".txt", ".ipynb", ".json", ""}
    skip = {".git", ".venv", ".refvenv", ".hypothesis", ".pytest_cache", "site", "out", "__pycache__",
            ".cache"}   # .cache: Keras's own test suite, downloaded by tools/keras_suite.py
    offenders = []
    for path in ROOT.rglob("*"):
        parts = set(path.relative_to(ROOT).parts)
        if path.is_file() and path.suffix in kinds and not parts & skip and "egg-info" not in str(path):
            for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                if outside.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
