"""`doctor`'s probe, in a render process: really compile a formula with LaTeX and dvisvgm, and
draw Chinese text in the theme's font, as a render would.

Run by job/launch.py as `python -m explainer.rendering.probe FONT RESULT.json`; writes a ToolchainProbe.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from explainer.codec import write_record
from explainer.job.probe import PROBE_FORMULA, PROBE_TEXT, ToolchainProbe


def probe(font: str) -> ToolchainProbe:
    from manim import MathTex, Text, tempconfig

    formula_error = text_error = None
    glyphs = 0
    with tempfile.TemporaryDirectory() as folder, tempconfig({"media_dir": folder, "verbosity": "ERROR"}):
        try:
            MathTex(PROBE_FORMULA)
        except Exception as error:
            formula_error = str(error)
        try:
            glyphs = len(Text(PROBE_TEXT, font=font).submobjects)
        except Exception as error:
            text_error = str(error)
    return ToolchainProbe(formula_error, text_error, glyphs)


def main() -> int:
    font, result_path = sys.argv[1], Path(sys.argv[2])
    write_record(result_path, probe(font))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
