#!/usr/bin/env python3
"""Clang's thread-safety analysis over every source that locks (the test suite runs it).

GCC builds the project; this check compiles (syntax only) each translation unit that uses the
annotated mutexes of src/common/mutex.hpp (itself, or through a header that includes it) with
clang++ and -Werror=thread-safety, using the flags the build's compile_commands.json records.
It first compiles tests/thread_safety/violation.cpp, which breaks the locking rules on purpose,
and fails unless clang reports each of its marked lines: a check that cannot see a violation
proves nothing.

usage: check.py COMPILE_COMMANDS_JSON SOURCE_DIR
"""
import concurrent.futures
import json
import os
import re
import shlex
import shutil
import subprocess
import sys

ANALYSIS = ["-fsyntax-only", "-Wthread-safety", "-Wthread-safety-beta",
            "-Werror=thread-safety", "-Wno-unknown-warning-option"]
# GCC-only flags clang rejects or warns about; the analysis needs none of them.
GCC_ONLY = re.compile(r"^-f(sanitize|no-sanitize|openmp)|^-fno-omit-frame-pointer$")
LOCKING = re.compile(r"\b(MutexLock|WriteLock|ReadLock|GUARDED_BY|REQUIRES|CommittingWrite)\b")
INCLUDE = re.compile(r'#include "([^"]+)"')


def locking_headers(src_root):
    """The project headers that include common/mutex.hpp, directly or through each other: a
    source including one of them may instantiate or inline locking code."""
    includes = {}
    for d, _, files in os.walk(src_root):
        for name in files:
            if name.endswith(".hpp"):
                path = os.path.join(d, name)
                with open(path) as f:
                    includes[os.path.relpath(path, src_root)] = INCLUDE.findall(f.read())
    locking, grew = {"common/mutex.hpp"}, True
    while grew:
        grew = False
        for header, names in includes.items():
            if header not in locking and any(n in locking for n in names):
                locking.add(header)
                grew = True
    return locking


def clang_command(entry, clang, source_dir):
    args = entry["arguments"] if "arguments" in entry else shlex.split(entry["command"])
    out, skip = [clang], False
    for a in args[1:]:
        if skip:
            skip = False
            continue
        if a in ("-o", "-c"):  # the object file; the source, given again below
            skip = True
            continue
        if GCC_ONLY.search(a):
            continue
        out.append(a)
    return out + ANALYSIS + ["-I" + os.path.join(source_dir, "src"), entry["file"]]


def run(cmd, cwd):
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    commands_path, source_dir = sys.argv[1], os.path.abspath(sys.argv[2])
    clang = shutil.which("clang++")
    if not clang:
        sys.exit("clang++ is not on PATH: run scripts/setup.sh (it installs Debian's clang)")
    with open(commands_path) as f:
        entries = json.load(f)
    src_root = os.path.join(source_dir, "src") + os.sep
    locking = locking_headers(src_root)
    units = []
    for e in entries:
        path = os.path.abspath(os.path.join(e["directory"], e["file"]))
        if not path.startswith(src_root):
            continue
        with open(path) as f:
            text = f.read()
        if LOCKING.search(text) or any(i in locking for i in INCLUDE.findall(text)):
            units.append(dict(e, file=path))
    if not units:
        sys.exit("no source in compile_commands.json uses the annotated mutexes: wrong file?")
    # Any unit's flags serve the negative control (same include paths and standard).
    control = os.path.join(source_dir, "tests", "thread_safety", "violation.cpp")
    r = run(clang_command(dict(units[0], file=control), clang, source_dir), units[0]["directory"])
    with open(control) as f:
        expected = [i + 1 for i, line in enumerate(f) if "// expect: thread-safety" in line]
    missed = [n for n in expected if not re.search(r"violation\.cpp:%d:\d+: error:" % n, r.stderr)]
    if r.returncode == 0 or missed or not expected:
        print(r.stderr)
        sys.exit("the analysis did not report the violations of %s on lines %s" % (control, missed))
    print("negative control: clang reported all %d planted violations" % len(expected))

    failed = 0
    jobs = max(1, os.cpu_count() or 1)
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        results = pool.map(lambda u: (u["file"], run(clang_command(u, clang, source_dir),
                                                     u["directory"])), units)
        for path, r in results:
            rel = os.path.relpath(path, source_dir)
            if r.returncode != 0:
                failed += 1
                print("FAIL %s\n%s" % (rel, r.stderr))
            else:
                print("ok   %s" % rel)
    print("%d of %d locking sources pass the analysis" % (len(units) - failed, len(units)))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
