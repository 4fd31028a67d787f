#!/usr/bin/env python3
"""Write the hostile "50 MB single-line text" file (not committed: too large).

Usage:  python3 make-large-line.py OUTPUT_PATH [SIZE_BYTES]

Stdlib only; any python3 works. Deterministic: the same SIZE gives the same bytes.
The file is pure ASCII, exactly SIZE_BYTES long (default 52428800 = 50 MiB), and contains
NO newline at all. It starts with "INIZIO-RIGA-LUNGA " and ends with " FINE-RIGA-LUNGA".
Segment k (1-based, 7 digits) reads
  "segmento 0000001: permesso di soggiorno, mediazione interculturale, sportello stranieri; "
and the filler between the start marker and the end marker is made only of such segments,
cut at the byte where the end marker has to begin.
"""
import sys

START = b"INIZIO-RIGA-LUNGA "
END = b" FINE-RIGA-LUNGA"
DEFAULT_SIZE = 50 * 1024 * 1024


def main(argv):
    if len(argv) not in (2, 3):
        sys.stderr.write("usage: make-large-line.py OUTPUT_PATH [SIZE_BYTES]\n")
        return 2
    size = int(argv[2]) if len(argv) == 3 else DEFAULT_SIZE
    if size < len(START) + len(END):
        sys.stderr.write("make-large-line.py: SIZE_BYTES too small\n")
        return 2
    filler = size - len(START) - len(END)
    with open(argv[1], "wb") as f:
        f.write(START)
        written, k, buf = 0, 1, []
        buffered = 0
        while written + buffered < filler:
            seg = b"segmento %07d: permesso di soggiorno, mediazione interculturale, sportello stranieri; " % k
            buf.append(seg)
            buffered += len(seg)
            k += 1
            if buffered >= 1 << 20:
                chunk = b"".join(buf)
                take = min(len(chunk), filler - written)
                f.write(chunk[:take])
                written += take
                buf, buffered = [], 0
        if buf:
            chunk = b"".join(buf)
            take = min(len(chunk), filler - written)
            f.write(chunk[:take])
            written += take
        f.write(END)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
