"""What leaves the pipeline for viewers: exports, the gallery page and the manifest."""
