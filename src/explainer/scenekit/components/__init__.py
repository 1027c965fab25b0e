"""Reusable mobjects; import each from its own module so frame keys track only what a scene uses."""
