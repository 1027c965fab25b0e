"""One spec module per scene module (same file name): the slide's params, steps, rules, the
numbers it draws and says, and its claims. Manim-free, and numpy only inside numbers functions
(see explainer.script.slidespec)."""
