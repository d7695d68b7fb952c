// MathJax 3 settings. It is loaded from a CDN by the reader's browser (see
// mkdocs.yml); the build itself fetches nothing.
//
// Typeset only (a) the spans that pymdownx.arithmatex marks in the pages
// (generic mode: \( \) and \[ \]), and (b) the Markdown cells of the lesson
// notebooks, which write math between dollars. Nothing else on a page is
// touched, so a stray "$" in code or prose stays a dollar.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
    processEnvironments: true
  },
  options: {
    ignoreHtmlClass: ".*|",
    processHtmlClass: "arithmatex|jp-RenderedMarkdown"
  }
};

// Typeset again after each instant-navigation page load of mkdocs-material.
if (typeof document$ !== "undefined") {
  document$.subscribe(() => {
    if (window.MathJax && MathJax.typesetPromise) {
      MathJax.startup.output.clearCache();
      MathJax.typesetClear();
      MathJax.texReset();
      MathJax.typesetPromise();
    }
  });
}
