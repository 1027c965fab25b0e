"""Narration sound: voices (draft, recorded takes), loudness, and timing the picture to the words."""
