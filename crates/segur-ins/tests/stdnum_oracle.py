#!/usr/bin/env python3
"""python-stdnum side of segur-ins's differential test (tests/stdnum_differential.rs).

Reads UTF-8 candidates, one per line (split on LF only), on stdin; prints `valid` or `invalid`
for each, in order, as judged by `stdnum.fr.nir.is_valid`. Exits with status 3 and a message on
stderr when python-stdnum is not installed.
"""
import sys

try:
    import stdnum
    from stdnum.fr import nir
except ImportError:
    sys.stderr.write(
        "python-stdnum is not installed: run `python3 -m pip install python-stdnum` "
        "(.ci/run installs it)\n"
    )
    sys.exit(3)

lines = sys.stdin.buffer.read().decode("utf-8").split("\n")
if lines and lines[-1] == "":
    lines.pop()
sys.stdout.write("".join("valid\n" if nir.is_valid(c) else "invalid\n" for c in lines))
sys.stderr.write("python-stdnum %s\n" % stdnum.__version__)
