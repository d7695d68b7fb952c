"""A griffe extension: make minigrad's docstrings render well as Markdown.

The docstrings are written to be read with ``help()`` and checked by
doctest, so they contain bare ``>>>`` examples (which Markdown would turn
into nested block quotes) and, here and there, reST roles such as
:class:`Node`. Before mkdocstrings renders a docstring this extension

* fences every doctest example as a ``pycon`` code block (the example itself
  is untouched: ``pytest --doctest-modules`` reads the source, not this);
* turns ``:math:`x``` and ``.. math::`` blocks into arithmatex's
  ``\\(x\\)`` and ``\\[x\\]``, so MathJax typesets them;
* turns ``:class:`x``` / ``:func:`~a.b``` into plain code, and a
  paragraph ending in ``::`` (a reST literal block) into one ending in ``:``.
"""

import re

import griffe

MATH = re.compile(r":math:`([^`]+)`")
ROLE = re.compile(r":(?:class|func|meth|mod|attr|data|exc|obj):`~?([^`]+)`")


def markdown_docstring(text):
    """The docstring ``text`` with doctest blocks fenced and reST roles removed."""
    lines, out, fence, i = text.splitlines(), [], False, 0
    while i < len(lines):
        line = lines[i]
        stripped = line.lstrip()
        if stripped.startswith("```"):
            fence = not fence
        if not fence and stripped.startswith(".. math::"):
            indent = len(line) - len(stripped)
            parts = [stripped[len(".. math::"):].strip()]
            i += 1
            while i < len(lines) and (not lines[i].strip()
                                      or len(lines[i]) - len(lines[i].lstrip()) > indent):
                if lines[i].strip():
                    parts.append(lines[i].strip())
                i += 1
            out.append(" " * indent + "\\[ " + " ".join(p for p in parts if p) + " \\]")
            out.append("")
            continue
        if not fence and stripped.startswith(">>>"):
            indent = line[: len(line) - len(stripped)]
            out.append(f"{indent}```pycon")
            while i < len(lines) and lines[i].strip():
                out.append(lines[i])
                i += 1
            out.append(f"{indent}```")
            continue
        if not fence:
            line = MATH.sub(lambda m: "\\(" + m.group(1) + "\\)", line)
            line = ROLE.sub(r"`\1`", line)
            if line.endswith("::") and not line.strip() == "::":
                line = line[:-1]
        out.append(line)
        i += 1
    return "\n".join(out)


class MarkdownDocstrings(griffe.Extension):
    def on_object(self, *, obj, **kwargs):
        if obj.docstring is not None:
            obj.docstring.value = markdown_docstring(obj.docstring.value)
