"""One loudness for every segment: EBU R128's -16 LUFS integrated (pyloudnorm's BS.1770-4 meter)
with true peaks held at or below -1 dBTP, trimmed of leading and trailing silence."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from explainer.voice.cache import SAMPLE_RATE

TARGET_LUFS = -16.0
TRUE_PEAK_LIMIT_DBTP = -1.0
TRIM_BELOW_DB = -45.0          # relative to the segment's peak: breath and hiss at the edges go
MIN_METER_SECONDS = 0.5        # BS.1770 gates 400 ms blocks: shorter sound is measured repeated

Samples = NDArray[np.float32]


def resample(samples: Samples, rate: int) -> Samples:
    """To 48 kHz with a polyphase filter (espeak-ng speaks at 22.05 kHz)."""
    if rate == SAMPLE_RATE:
        return samples.astype(np.float32)
    from math import gcd

    from scipy.signal import resample_poly

    divisor = gcd(SAMPLE_RATE, rate)
    return resample_poly(samples, SAMPLE_RATE // divisor, rate // divisor).astype(np.float32)


def trim(samples: Samples) -> Samples:
    """Without the silence before the first and after the last sound, so a segment's onset is
    where it is placed (its step's first frame)."""
    if samples.size == 0:
        return samples
    threshold = float(np.max(np.abs(samples))) * 10 ** (TRIM_BELOW_DB / 20)
    loud = np.flatnonzero(np.abs(samples) > threshold)
    if loud.size == 0:
        return samples[:0]
    return samples[loud[0]: loud[-1] + 1]


def integrated_loudness(samples: Samples) -> float:
    """Integrated loudness in LUFS (pyloudnorm, ITU-R BS.1770-4)."""
    import pyloudnorm

    measured = samples
    if measured.size < MIN_METER_SECONDS * SAMPLE_RATE:
        repeats = int(np.ceil(MIN_METER_SECONDS * SAMPLE_RATE / max(1, measured.size)))
        measured = np.tile(measured, repeats)
    return float(pyloudnorm.Meter(SAMPLE_RATE).integrated_loudness(measured.astype(np.float64)))


def true_peak(samples: Samples) -> float:
    """True peak in dBTP: the peak of the signal oversampled 4x (BS.1770-4 Annex 2)."""
    from scipy.signal import resample_poly

    if samples.size == 0:
        return float("-inf")
    oversampled = resample_poly(samples.astype(np.float64), 4, 1)
    peak = float(np.max(np.abs(oversampled)))
    return 20 * np.log10(peak) if peak > 0 else float("-inf")


def limit(samples: Samples, ceiling_dbtp: float) -> Samples:
    """Lower the gain smoothly around peaks above the ceiling (a 5 ms look-ahead limiter)."""
    from scipy.ndimage import maximum_filter1d, uniform_filter1d
    from scipy.signal import resample_poly

    ceiling = 10 ** (ceiling_dbtp / 20)
    peaks = np.abs(resample_poly(samples.astype(np.float64), 4, 1)).reshape(-1, 4).max(axis=1)[: samples.size]
    needed = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12))
    window = int(0.005 * SAMPLE_RATE)
    gain = -maximum_filter1d(-needed, size=2 * window + 1)          # the lowest gain nearby
    gain = uniform_filter1d(gain, size=window)                      # no clicks
    gain = np.minimum(gain, -maximum_filter1d(-needed, size=3))     # never above what a peak needs
    return (samples * gain).astype(np.float32)


def normalize(samples: Samples) -> Samples:
    """At -16 LUFS integrated with true peaks at or below -1 dBTP."""
    if samples.size == 0:
        return samples
    level = integrated_loudness(samples)
    if not np.isfinite(level):
        return samples
    result = samples * np.float32(10 ** ((TARGET_LUFS - level) / 20))
    for _ in range(3):   # limiting lowers loudness a little: make it up, then limit again
        if true_peak(result) > TRUE_PEAK_LIMIT_DBTP - 0.1:
            result = limit(result, TRUE_PEAK_LIMIT_DBTP - 0.5)
        shortfall = TARGET_LUFS - integrated_loudness(result)
        if shortfall < 0.2:
            break
        result = result * np.float32(10 ** (shortfall / 20))
    if true_peak(result) > TRUE_PEAK_LIMIT_DBTP:
        result = limit(result, TRUE_PEAK_LIMIT_DBTP - 0.5)
    return result.astype(np.float32)


def prepare(samples: Samples, rate: int) -> Samples:
    """A segment as the pipeline keeps it: 48 kHz mono, trimmed, loudness-normalized."""
    return normalize(trim(resample(np.asarray(samples, dtype=np.float32), rate)))
