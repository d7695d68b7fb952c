// MathJax 3 settings, and MathJax itself, loaded only on pages with math.
// It is served by this site (javascripts/mathjax/, copied from the
// django-static-mathjax package at build time), so formulas render without a
// network; a page without formulas does not download its 1.2 MB.
//
// Only two kinds of element are typeset: (a) the spans and divs that
// pymdownx.arithmatex marks in the pages (generic mode: \( \) and \[ \]),
// and (b) the Markdown cells of the lesson notebooks, which write math between
// dollars. They are handed to MathJax explicitly, so nothing else on a page
// is touched: a stray "$" in code or prose stays a dollar. (Ignoring every
// class and re-enabling these two, as the classes option would, also ignores
// the plain <p>s inside a notebook's Markdown cell.)
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
    processEnvironments: true
  },
  options: {
    enableMenu: false           // the menu would fetch its extensions lazily
  },
  startup: {
    typeset: false,             // typesetMath() below chooses what to typeset
    ready: () => {
      MathJax.startup.defaultReady();
      // Kept where a test can wait for it: resolves once every formula is typeset.
      window.mathTypeset = MathJax.startup.promise.then(typesetMath);
    }
  }
};

function typesetMath() {
  const elements = document.querySelectorAll(".arithmatex, .jp-RenderedMarkdown");
  if (elements.length && window.MathJax && MathJax.typesetPromise) {
    return MathJax.typesetPromise(Array.from(elements));
  }
}

// MathJax's own script sits next to this one; load it if the page has math.
(function loadMathJax() {
  const here = document.currentScript.src;
  const math = Array.from(document.querySelectorAll(".arithmatex, .jp-RenderedMarkdown"))
    .some((element) => /\\\(|\\\[|\$/.test(element.textContent));
  if (math) {
    const script = document.createElement("script");
    script.src = here.replace(/mathjax\.js(\?.*)?$/, "mathjax/tex-chtml.js");
    script.async = true;
    document.head.appendChild(script);
  }
})();

// Typeset again after each instant-navigation page load of mkdocs-material.
if (typeof document$ !== "undefined") {
  document$.subscribe(() => {
    if (window.MathJax && MathJax.typesetPromise && MathJax.startup.output) {
      MathJax.startup.output.clearCache();
      MathJax.typesetClear();
      MathJax.texReset();
      typesetMath();
    }
  });
}
