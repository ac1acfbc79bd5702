"""Where one process's CPU time goes, by stage and check, linting a folder in-process.

    python bench/stages.py DIR [N]        # the first N *.md files of DIR (default: all)
    PYTHONPATH=TREE python bench/stages.py DIR 200   # the same for another source tree

Runs the CLI in this process (``--no-cache --jobs 1 --format json``) with CPU-time
(``time.process_time``) wrappers around the engine's stages and the costly helpers,
and prints each one's CPU seconds, share of the run and number of calls, and
the garbage collector's (``gc.callbacks``). Stages nest (a check includes the
helpers it calls, and any collection that happens in it), so the shares add up
to more than 100%. The wrappers cost little next to what they time; compare two
trees in runs taken one after the other, on the same files.
"""
from __future__ import annotations

import collections
import contextlib
import functools
import io
import sys
import time
from pathlib import Path

CPU = collections.Counter()
CALLS = collections.Counter()


def _wrap(owner, name: str, label: str) -> None:
    f = getattr(owner, name, None)
    if f is None:  # not in this tree
        return

    @functools.wraps(f)
    def timed(*args, **kwargs):
        t = time.process_time()
        try:
            return f(*args, **kwargs)
        finally:
            CPU[label] += time.process_time() - t
            CALLS[label] += 1
    setattr(owner, name, timed)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        sys.exit(__doc__.split("\n\n")[1])
    files = sorted(str(p) for p in Path(argv[0]).glob("*.md"))
    if len(argv) > 1:
        files = files[: int(argv[1])]
    from psense_lint import audience, cli, engine, judge, markdown, suggest
    from psense_lint.checks import arguments, document, registry

    for owner, name in [(markdown, "parse"), (engine.Linter, "context"), (audience, "detect"),
                        (audience, "project_name"), (audience, "project_kind"),
                        (suggest, "ps101"), (document, "analyse"), (document, "sentences"),
                        (arguments, "scan"), (judge.Judge, "score"),
                        (judge.Judge, "score_unit")]:
        _wrap(owner, name, f"{getattr(owner, '__name__', owner).split('.')[-1]}.{name}")
    for key, check in list(registry.REGISTRY.items()):
        def run_check(*args, _check=check, _key=key):
            t = time.process_time()
            out = list(_check(*args))  # checks are generators: time them to the end
            CPU["check " + _key] += time.process_time() - t
            CALLS["check " + _key] += 1
            return out
        registry.REGISTRY[key] = run_check
    import gc

    gc_start = [0.0]

    def on_gc(phase, info):  # garbage collections, wherever they happen
        if phase == "start":
            gc_start[0] = time.process_time()
        else:
            CPU["garbage collection"] += time.process_time() - gc_start[0]
            CALLS["garbage collection"] += 1
    gc.callbacks.append(on_gc)
    start = time.process_time()
    with contextlib.redirect_stdout(io.StringIO()):
        cli.main(["--no-cache", "--jobs", "1", "--format", "json", "--fail-on", "never", *files])
    total = time.process_time() - start
    print(f"{len(files)} files, {total:.2f} CPU seconds in all")
    for label, cpu in CPU.most_common():
        print(f"{cpu:8.2f} s {100 * cpu / total:5.1f}% {CALLS[label]:7d}  {label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
