"""Narration: per-step segments, their voices (draft, recorded, none), and their timing."""
