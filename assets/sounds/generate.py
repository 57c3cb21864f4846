#!/usr/bin/env python3
"""Writes the terminal's feedback sounds (16-bit mono PCM WAV, 22 050 Hz).

Each answer level has its own shape, so an operator who is not looking
knows what happened: accepted is a short rising two-tone chirp, a warning
two mid beeps, a refusal a long low buzz, a question one soft high tone.
Run it from this directory to regenerate the files; `src/ui/sound.rs`
bundles them and its tests check they stay distinct and short.
"""

import math
import struct
import wave

RATE = 22050


def tone(freq, ms, volume=0.5, square=False):
    n = int(RATE * ms / 1000)
    fade = int(RATE * 0.004)
    out = []
    for i in range(n):
        s = math.sin(2 * math.pi * freq * i / RATE)
        if square:
            s = 0.6 if s >= 0 else -0.6
        env = min(1.0, i / fade, (n - 1 - i) / fade) if fade else 1.0
        out.append(volume * s * env)
    return out


def silence(ms):
    return [0.0] * int(RATE * ms / 1000)


SOUNDS = {
    "ok": tone(1320, 70) + tone(1760, 90),
    "warn": tone(880, 120) + silence(80) + tone(880, 120),
    "block": tone(220, 450, volume=0.6, square=True),
    "prompt": tone(1046, 160, volume=0.35),
}

for name, samples in SOUNDS.items():
    with wave.open(f"{name}.wav", "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(b"".join(struct.pack("<h", int(s * 32767)) for s in samples))
