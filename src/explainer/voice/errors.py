"""The voice stage's one error: a segment that cannot be voiced."""

from __future__ import annotations


class VoiceError(Exception):
    """A segment that cannot be voiced: names the slide, the step and the file. `missing_program`
    marks what the machine lacks (a program, the model, a speaker: exit 3) rather than bad input."""

    def __init__(self, message: str, missing_program: bool = False) -> None:
        super().__init__(message)
        self.missing_program = missing_program
