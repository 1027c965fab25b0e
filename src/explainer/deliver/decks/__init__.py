"""Slide decks built from manifest.json: PowerPoint, an offline reveal.js folder, manim-slides files."""
