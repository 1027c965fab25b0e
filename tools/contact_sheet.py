"""Developer aid: a grid of evenly spaced frames of a video, to review motion at a glance.

Usage: python tools/contact_sheet.py VIDEO.mp4 OUT.png [--frames 12] [--cols 3]
"""

from __future__ import annotations

import argparse

import av
from PIL import Image, ImageDraw


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("video")
    parser.add_argument("out")
    parser.add_argument("--frames", type=int, default=12)
    parser.add_argument("--cols", type=int, default=3)
    args = parser.parse_args()
    with av.open(args.video) as container:
        stream = container.streams.video[0]
        frames = [frame.to_image() for frame in container.decode(stream)]
        rate = float(stream.average_rate or 15)
    count = min(args.frames, len(frames))
    picks = [round(i * (len(frames) - 1) / max(count - 1, 1)) for i in range(count)]
    width, height = frames[0].size
    rows = -(-count // args.cols)
    sheet = Image.new("RGB", (width * args.cols, height * rows), "black")
    for n, index in enumerate(picks):
        tile = frames[index].copy()
        ImageDraw.Draw(tile).text((8, 8), f"t={index / rate:.1f}s", fill="yellow")
        sheet.paste(tile, ((n % args.cols) * width, (n // args.cols) * height))
    sheet.save(args.out)
    print(f"{args.out}: {count} of {len(frames)} frames")


if __name__ == "__main__":
    main()
