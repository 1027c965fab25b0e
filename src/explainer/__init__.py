"""explainer: a Manim pipeline that turns a lecture script into animated slide videos."""

__version__ = "0.1.0"
