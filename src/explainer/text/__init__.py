"""Language: Chinese word breaks, line breaking, font coverage, and numbers said aloud."""
