"""What scenes are built from (imports Manim): SlideScene, the layout check, reusable components."""
