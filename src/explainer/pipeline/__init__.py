"""Plan, render and stitch: frame keys, render processes, the clip store, chapters and the lecture."""
