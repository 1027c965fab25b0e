"""Video and audio files: probing, lossless joining, audio encoding, step clips and webm."""
