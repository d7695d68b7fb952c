"""Build-time helpers for the documentation site (an MkDocs hook).

Everything here makes the site follow the code, so that no page can go
stale and nothing generated is committed:

* **Lessons** -- the notebooks live in ``lessons/`` (outside ``docs/``, where
  learners open them with ``make lab``). Each ``lessons/*.ipynb`` is added to
  the site as if it were ``docs/lessons/<name>.ipynb`` and appended to the
  "Lessons" section of the navigation; mkdocs-jupyter renders it. A new
  notebook needs no change here or in ``mkdocs.yml``.
* **Figures and generated code** -- ``docs/hooks/concepts_example.py`` is run
  once per build; the graph it builds is drawn by ``minigrad.viz.draw_graph``
  into ``figures/*.png`` (in memory, never written into ``docs/``) and the
  code the executor generated for it (``f.source``) is pasted into the
  Concepts page.
* **Listings read from the package** -- markers in the Markdown are replaced
  with lists computed from the installed package:

  ``<!-- minigrad:backend-rest -->``
      a ``::: minigrad.backend.<name>`` block for every public backend
      function not already documented higher up on the page, so a new ``K``
      function appears in the API reference without anyone editing it;
  ``<!-- minigrad:optimizers-api -->`` and ``<!-- minigrad:viz-api -->``
      each optimizer module (its docstring has the math) with its classes,
      the registry, and every public function of ``minigrad.viz``;
  ``<!-- minigrad:unsupported -->``
      the Keras 2 backend names that minigrad refuses (``NotImplementedError``);
  ``<!-- minigrad:keras-table -->``
      the status of every Keras 2.2 backend name in the compatibility table;
  ``<!-- minigrad:keras-suite -->``
      the Keras 2.2.4 tests that ``tools/keras_suite.py`` leaves out, and why;
  ``<!-- minigrad:source -->``, ``<!-- minigrad:figure:<name> -->`` and
  ``<!-- minigrad:lessons -->``
      see above.
* **MathJax** -- the math renderer is served by the site itself, so formulas
  render offline: the MathJax 3 files a page needs are copied in from the
  ``django-static-mathjax`` package (a development dependency) at build time,
  never committed by hand.
* **Lesson pages** -- mkdocs-jupyter's inline notebook CSS (the same 600 KB on
  every lesson) is moved into one shared stylesheet, the animation players'
  icons come from Unicode instead of a CDN, and a widget, which needs a live
  kernel, is replaced by a note saying so.
* **Docstrings** are made Markdown-friendly by ``griffe_docstrings.py``
  (doctest blocks fenced, reST roles and math converted), a griffe extension
  that mkdocstrings loads.
"""

import contextlib
import hashlib
import html as htmllib
import importlib
import importlib.util
import inspect
import io
import json
import os
import re
import runpy
import sys
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

ROOT = Path(__file__).resolve().parents[2]
# Document (and run the examples of) the checkout this site is built from,
# whatever else the environment has installed.
sys.path.insert(0, str(ROOT))
LESSONS = ROOT / "lessons"
EXAMPLE = Path(__file__).with_name("concepts_example.py")
KERAS_NAMES = Path(__file__).with_name("keras_backend_names.json")

# Filled once per build by on_config.
_state = {}


# --------------------------------------------------------------------------
# Lessons

def lesson_notebooks():
    """``lessons/*.ipynb`` in file-name order (the numbering is the course order)."""
    return sorted(LESSONS.glob("*.ipynb"))


def notebook_title(path):
    """The first Markdown heading of a notebook, else its file name."""
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return path.stem
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            for line in "".join(cell.get("source", "")).splitlines():
                if line.startswith("#"):
                    # Navigation titles are plain text: code spans would vanish.
                    return line.lstrip("#").strip().replace("`", "")
    return path.stem


def on_config(config):
    _state.clear()
    _state["lessons"] = [(f"lessons/{path.name}", notebook_title(path), path)
                         for path in lesson_notebooks()]
    for item in config.nav or []:
        if isinstance(item, dict) and "Lessons" in item:
            lessons = [{title: uri} for uri, title, _ in _state["lessons"]]
            item["Lessons"] = list(item["Lessons"]) + lessons
    # Notebooks executed at build time run in a kernel subprocess: make it
    # import this checkout's minigrad too.
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])
    if LESSONS.is_dir():
        config.watch.append(str(LESSONS))
    config.watch.append(str(ROOT / "minigrad"))
    return config


@event_priority(50)  # before mkdocs-jupyter's on_files, which turns .ipynb files into pages
def on_files(files, config):
    for uri, _, path in _state["lessons"]:
        # A real file whose source directory is the repository root, so that
        # lessons/x.ipynb is found at <root>/lessons/x.ipynb and published at
        # lessons/x/ (mkdocs-jupyter needs src_dir; File.generated has none).
        files.append(File(uri, src_dir=str(ROOT), dest_dir=config.site_dir,
                          use_directory_urls=config.use_directory_urls))
    for uri, png in concept_figures().items():
        files.append(File.generated(config, uri, content=png))
    for uri, path in mathjax_files():
        files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files


# --------------------------------------------------------------------------
# MathJax, from a Python package

#: What a page needs from MathJax's es5 build: the TeX-to-HTML component, the
#: TeX extensions it loads on demand (\boldsymbol, \cancel, ...) and its fonts.
MATHJAX_PARTS = ["tex-chtml.js", "input/tex/extensions/*.js", "output/chtml/fonts/woff-v2/*.woff"]


def mathjax_files():
    """``[(site uri, file)]``: MathJax's es5 files, under ``javascripts/mathjax/``."""
    import mathjax   # the django-static-mathjax package: MathJax 3 in mathjax/static/mathjax
    es5 = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
    found = [path for part in MATHJAX_PARTS for path in sorted(es5.glob(part))]
    if not (es5 / "tex-chtml.js").is_file():
        raise FileNotFoundError(f"no MathJax 3 in {es5}: pip install django-static-mathjax")
    return [(f"javascripts/mathjax/{path.relative_to(es5).as_posix()}", path) for path in found]


# --------------------------------------------------------------------------
# The Concepts example: figures drawn by minigrad, generated code

def run_example():
    """Run ``concepts_example.py`` (once per build) and return its globals."""
    if "example" not in _state:
        import matplotlib
        matplotlib.use("Agg")
        with contextlib.redirect_stdout(io.StringIO()):
            _state["example"] = runpy.run_path(str(EXAMPLE))
    return _state["example"]


def concept_figures():
    """``{'figures/<name>.png': bytes}``, drawn by ``minigrad.viz.draw_graph``."""
    import matplotlib.pyplot as plt
    from minigrad.viz import draw_graph

    example = run_example()
    figures = {
        "figures/forward-graph.png": draw_graph(example["loss"]),
        "figures/training-step.png": draw_graph([example["loss"]] + example["updates"],
                                                trace=example["trace"]),
    }
    pngs = {}
    for uri, figure in figures.items():
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
        plt.close(figure)
        pngs[uri] = buffer.getvalue()
    return pngs


def figure_markdown(name, caption):
    """The generated image ``figures/<name>.png`` with a caption."""
    return (f"<figure markdown>\n![{caption}](figures/{name}.png)\n"
            f"<figcaption>{caption}</figcaption>\n</figure>\n")


# --------------------------------------------------------------------------
# Listings read from the package

def backend_functions():
    """Public callables of ``minigrad.backend`` (what ``K.<name>`` offers)."""
    K = importlib.import_module("minigrad.backend")
    return sorted(name for name, value in vars(K).items()
                  if not name.startswith("_") and callable(value) and not inspect.ismodule(value)
                  and not inspect.isclass(value) and name not in K.UNSUPPORTED)


def unsupported_names():
    """``{name: reason}``: the Keras 2 backend names minigrad refuses.

    ``K.UNSUPPORTED`` lists them; each ``K.<name>`` exists and raises
    ``NotImplementedError`` with the reason when called.
    """
    return dict(importlib.import_module("minigrad.backend").UNSUPPORTED)


def keras_names():
    """``{family: {name: note}}``: the Keras 2.2 backend, with minigrad's differences."""
    return json.loads(KERAS_NAMES.read_text(encoding="utf-8"))


def backend_rest(markdown):
    """``:::`` blocks for the backend functions the page has not documented yet."""
    documented = set(re.findall(r"^::: minigrad\.backend\.(\w+)", markdown, flags=re.M))
    rest = [name for name in backend_functions() if name not in documented]
    return "\n\n".join(f"::: minigrad.backend.{name}" for name in rest) + "\n"


#: The optimizer modules in reading order, each with the names it defines.
OPTIMIZER_MODULES = [
    ("base", ["Optimizer"]), ("sgd", ["SGD"]), ("rmsprop", ["RMSprop"]),
    ("adagrad", ["Adagrad"]), ("adadelta", ["Adadelta"]), ("adam", ["Adam", "AMSGrad"]),
    ("adamax", ["Adamax"]), ("nadam", ["Nadam"]),
    ("registry", ["get", "serialize", "deserialize"]),
]


def optimizers_api():
    """Each optimizer module (its docstring has the rule in math) with its classes."""
    blocks = []
    for module, names in OPTIMIZER_MODULES:
        imported = importlib.import_module(f"minigrad.optimizers.{module}")
        missing = [name for name in names if not hasattr(imported, name)]
        if missing:
            raise ValueError(f"minigrad.optimizers.{module} has no {missing}: update "
                             "OPTIMIZER_MODULES in docs/hooks/minigrad_docs.py")
        blocks.append(f"::: minigrad.optimizers.{module}\n    options:\n"
                      f"      members: [{', '.join(names)}]\n      heading_level: 3\n")
    return "\n".join(blocks)


def keras_table():
    """One table per family: every Keras 2.2 backend name and its status here."""
    K = importlib.import_module("minigrad.backend")
    refused = unsupported_names()
    documented = set(backend_functions())
    out = []
    for family, names in keras_names().items():
        out += [f"### {family[0].upper() + family[1:]}", "",
                "| `K.` name | in minigrad | differences from Keras 2.2 |", "|---|---|---|"]
        for name, note in names.items():
            if name in refused:
                status, note = "not supported", refused[name]
            elif name in documented:
                status = f"[supported][minigrad.backend.{name}]"
            elif hasattr(K, name):
                status = "supported"
            else:
                status, note = "missing", note or "not in minigrad yet"
            out.append(f"| `{name}` | {status} | {note} |")
        out.append("")
    return "\n".join(out) + "\n"


def unsupported_list():
    refused = unsupported_names()
    return "\n".join(f"- `K.{name}`" + (f": {why}" if why else "")
                     for name, why in sorted(refused.items())) + "\n"


#: minigrad.viz in the order a reader meets it; any other public function follows.
VIZ_NAMES = ["draw_graph", "to_dot", "draw_trace_step", "trace_widget", "trace_table_html",
             "plot_trajectories", "animate_trajectories", "plot_training_curves"]


def viz_api():
    """``minigrad.viz``'s public functions, in ``VIZ_NAMES`` order, then any others."""
    viz = importlib.import_module("minigrad.viz")
    public = sorted(name for name, value in vars(viz).items()
                    if not name.startswith("_") and callable(value) and not inspect.ismodule(value))
    ordered = [name for name in VIZ_NAMES if name in public]
    ordered += [name for name in public if name not in ordered]
    return "\n\n".join(f"::: minigrad.viz.{name}" for name in ordered) + "\n"


def lessons_list():
    """A numbered list of links to the lesson pages."""
    if not _state["lessons"]:
        return "*(No lesson notebook in `lessons/` yet.)*\n"
    return "\n".join(f"1. [{title}]({Path(uri).name})" for uri, title, _ in _state["lessons"]) + "\n"


def keras_suite_out_of_scope():
    """The Keras 2.2.4 tests that ``tools/keras_suite.py`` leaves out, with the reasons."""
    spec = importlib.util.spec_from_file_location("keras_suite", ROOT / "tools" / "keras_suite.py")
    suite = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(suite)
    rows = ["| Keras test | why it is left out |", "|---|---|"]
    rows += [f"| `{test.replace('tests/', '', 1)}` | {why} |"
             for test, why in suite.OUT_OF_SCOPE.items()]
    files = ", ".join(f"`{path.replace('tests/', '', 1)}`"
                      for path in [suite.BACKEND_TESTS] + suite.IN_SCOPE)
    return f"The files run: {files}.\n\n" + "\n".join(rows) + "\n"


def generated_source():
    """``f.source`` of the Concepts example, as a code block."""
    example = run_example()
    return f"```python\n{example['step'].source}```\n"


MARKERS = {
    "backend-rest": backend_rest,
    "optimizers-api": lambda markdown: optimizers_api(),
    "viz-api": lambda markdown: viz_api(),
    "unsupported": lambda markdown: unsupported_list(),
    "keras-table": lambda markdown: keras_table(),
    "keras-suite": lambda markdown: keras_suite_out_of_scope(),
    "lessons": lambda markdown: lessons_list(),
    "source": lambda markdown: generated_source(),
    "figure:forward-graph": lambda markdown: figure_markdown(
        "forward-graph", "The graph of the loss, drawn by minigrad.viz.draw_graph"),
    "figure:training-step": lambda markdown: figure_markdown(
        "training-step", "One training step (loss, gradients, updates), values from f.trace"),
}


def on_page_markdown(markdown, page, config, files):
    def expand(match):
        key = match.group(1)
        if key not in MARKERS:
            raise ValueError(f"{page.file.src_uri}: unknown marker <!-- minigrad:{key} -->")
        return MARKERS[key](markdown)
    return re.sub(r"<!-- minigrad:([\w:-]+) -->", expand, markdown)


# --------------------------------------------------------------------------
# Rendered docstrings

def on_page_content(html, page, config, files):
    if page.file.src_uri.startswith("lessons/") and page.file.src_uri.endswith(".ipynb"):
        # mkdocs-jupyter (include_source) publishes the .ipynb next to the page.
        name = Path(page.file.src_uri).name
        html = (f'<p class="lesson-source"><a href="{name}" download>Download {name}</a> '
                f"&middot; or run it locally: <code>make lab</code>, then open "
                f"<code>lessons/{name}</code></p>\n") + html
        page.title = notebook_title(ROOT / page.file.src_uri)   # code words kept
        repair_toc(page.toc, html)
        html = shared_stylesheets(html, page, config)
        html = without_widgets(html)
    return html


# --------------------------------------------------------------------------
# Lesson pages: titles, contents, stylesheets and widgets that work offline

def repair_toc(toc, html):
    """Point the page's table of contents at the headings' real ids, with their full text.

    mkdocs-jupyter slugs a heading's text without its code spans, while the
    page's ids keep them (``get_updates-returns-...``): the links went nowhere.
    The contents list the headings in page order, so they are matched in order.
    """
    headings = [(anchor, htmllib.unescape(re.sub(r"<[^>]+>|¶", "", inner)).strip())
                for anchor, inner in re.findall(r'<h[1-6][^>]*\bid="([^"]+)"[^>]*>(.*?)</h[1-6]>',
                                                html, flags=re.S)]
    items, stack = [], list(reversed(list(toc)))
    while stack:
        item = stack.pop()
        items.append(item)
        stack.extend(reversed(item.children))
    if len(items) != len(headings):
        raise ValueError(f"{len(items)} contents entries for {len(headings)} headings")
    for item, (anchor, title) in zip(items, headings):
        item.id, item.title = anchor, title


def shared_stylesheets(html, page, config):
    """Each big inline ``<style>`` (the notebook CSS, 600 KB, the same on every lesson)
    moved into ``assets/notebook/<hash>.css``, which the browser fetches once."""
    def move(match):
        css = match.group(1)
        if len(css) < 20_000:
            return match.group(0)
        uri = f"assets/notebook/{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
        target = Path(config.site_dir) / uri
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(css, encoding="utf-8")
        return f'<link rel="stylesheet" href="{get_relative_url(uri, page.url)}">'
    return re.sub(r"<style[^>]*>(.*?)</style>", move, html, flags=re.S)


#: Said where a notebook showed an ipywidget: it needs a kernel, and its
#: JavaScript would come from a CDN.
WIDGET_NOTE = ('<p class="widget-note"><em>Here a live notebook shows an interactive slider '
               "(an ipywidget, which needs a running kernel): open the lesson with "
               "<code>make lab</code> to use it.</em></p>")


def without_widgets(html):
    """Widget views replaced by `WIDGET_NOTE`; their state and the CDN loader dropped."""
    html = re.sub(r'<script type="application/vnd\.jupyter\.widget-view\+json">.*?</script>',
                  WIDGET_NOTE, html, flags=re.S)
    html = re.sub(r'<script type="application/vnd\.jupyter\.widget-state\+json">.*?</script>',
                  "", html, flags=re.S)
    return re.sub(r"<script>(?:(?!</script>).)*unpkg\.com(?:(?!</script>).)*</script>", "",
                  html, flags=re.S)
