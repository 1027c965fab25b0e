"""System dependencies Manim needs (LaTeX, dvisvgm, the CJK font): quick checks and install hints."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass

APT_PACKAGES = {
    "latex": "texlive-latex-base texlive-latex-extra texlive-fonts-recommended",
    "dvisvgm": "dvisvgm",
    "font": "fonts-noto-cjk",
    "espeak-ng": "espeak-ng",
}


@dataclass(frozen=True)
class Missing:
    """A missing dependency and the command that installs it."""

    what: str
    fix: str

    def __str__(self) -> str:
        return f"{self.what} is missing; install it with: {self.fix}"


def apt_fix(packages: str) -> str:
    return f"apt-get install -y --no-install-recommends {packages}"


def font_installed(family: str) -> bool:
    """Whether fontconfig knows the family by that exact name (fc-match would silently substitute)."""
    if shutil.which("fc-list") is None:
        return False
    result = subprocess.run(["fc-list", f":family={family}", "family"], capture_output=True, text=True)
    return result.returncode == 0 and bool(result.stdout.strip())


def missing_dependencies(font: str, voice: bool = False) -> list[Missing]:
    """What a render would fail on, found without starting Manim (`voice`: the draft voice too)."""
    missing = []
    if voice and shutil.which("espeak-ng") is None:
        missing.append(Missing("espeak-ng (the draft narration voice; or render with --voice none)",
                               apt_fix(APT_PACKAGES["espeak-ng"])))
    if shutil.which("latex") is None:
        missing.append(Missing("LaTeX (latex)", apt_fix(APT_PACKAGES["latex"])))
    if shutil.which("dvisvgm") is None:
        missing.append(Missing("dvisvgm", apt_fix(APT_PACKAGES["dvisvgm"])))
    if not font_installed(font):
        hint = apt_fix(APT_PACKAGES["font"]) if "Noto" in font else f"install a font providing '{font}'"
        missing.append(Missing(f"the font '{font}'", hint))
    return missing
