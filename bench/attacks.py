"""Issue 13's attacks, replayed from the user's side against the real CLI and a real
``mkdocs build``: one row per attack (command, exit code, first line of stderr,
seconds, peak RSS, verdict).

    python bench/attacks.py                    # every attack but the 10 / 50 MB docs
    python bench/attacks.py --big              # also 10 and 50 MB docs, limit raised
    python bench/attacks.py --python PY        # another install's interpreter (a baseline)
    python bench/attacks.py --only sig,cache   # attacks whose name holds one of these

Each attack runs in a fresh folder under a temporary directory, in its own session
(``start_new_session``), with a time bound (``--bound``, default 60 s; the big docs
get 1,800 s). The verdict is ``ok`` when the run ended within the bound with the exit
code and the stderr line the attack expects, no traceback, no process of its session
left behind, and nothing written in its folder but the cache (and ``_site`` for
``mkdocs build``) nor in the folder a symlink points out of the cache to. Peak RSS is
``ru_maxrss`` from ``os.wait4``: the largest process of the run, workers included.
Exit status is 1 if any verdict is not ``ok``.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOC = (HERE.parent / "tests" / "fixtures" / "cli" / "docs" / "design" / "event-bus.md").read_text(
    encoding="utf-8")
CORPUS = HERE.parent.parent / "shared" / "corpus" / "docs"
STOPPED = "psense-lint: stopped by {}; nothing reported for the files not yet linted"


class Case:
    def __init__(self, name, args, *, expect_code, expect_err=None, setup=None, stdin=None,
                 cwd_sub="", signal_after=None, group=False, check=None, bound=None,
                 mkdocs=False, outside=False, env=None, kids=2):
        self.name, self.args, self.expect_code = name, args, expect_code
        self.expect_err, self.setup, self.stdin = expect_err, setup, stdin
        self.cwd_sub, self.signal_after, self.group = cwd_sub, signal_after, group
        self.check, self.bound, self.mkdocs, self.outside = check, bound, mkdocs, outside
        self.env = env or {}
        self.kids = kids   # signal_after counts from when the run has this many children


def write(root: Path, files: dict) -> None:
    for name, text in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        (p.write_bytes if isinstance(text, bytes) else
         lambda t: p.write_text(t, encoding="utf-8"))(text)


def snapshot(root: Path, skip=(".psense_cache", "_site")) -> dict:
    seen = {}
    for dirpath, dirnames, filenames in os.walk(root):
        rel = Path(dirpath).relative_to(root)
        if rel.parts and rel.parts[0] in skip:
            dirnames[:] = []
            continue
        for f in filenames:
            p = Path(dirpath) / f
            try:
                st = os.lstat(p)
            except OSError:
                continue
            seen[str(rel / f)] = (st.st_size, st.st_mtime_ns)
    return seen


def _live():
    """(pid, its /proc stat fields after the command name) of each live process."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            yield int(entry), fields


def session_left(sid: int) -> list[int]:
    """Live processes of session ``sid`` (the run's own, all started in it)."""
    return [pid for pid, fields in _live() if int(fields[3]) == sid]


def children(pid: int) -> list[int]:
    return [kid for kid, fields in _live() if int(fields[1]) == pid]


def run_case(case: Case, python: str, base: Path, bound: float) -> dict:
    work = base / re.sub(r"\W+", "-", case.name)
    work.mkdir(parents=True)
    outside = base / (work.name + "-outside")
    outside.mkdir()
    if case.setup:
        case.setup(work, outside)
    cwd = work / case.cwd_sub
    before, before_out = snapshot(work), snapshot(outside, skip=())
    tool = ["-m", "mkdocs", "build", "-q", "-d", "_site"] if case.mkdocs else ["-m", "psense_lint"]
    cmd = [python, *tool, *case.args]
    shown = ("mkdocs build " if case.mkdocs else "psense-lint ") + " ".join(case.args)
    stdin = open(case.stdin, "rb") if case.stdin else subprocess.DEVNULL
    if case.stdin:
        shown += f" < {case.stdin}"
    err_path = base / (work.name + ".err")
    env = {**os.environ, "NO_COLOR": "1", "PSENSE_LINT_PACK_CACHE": str(base / "packcache"),
           **case.env}
    with open(err_path, "wb") as err:
        start = time.perf_counter()
        # SIGINT as a terminal leaves it (a shell's background job inherits it ignored)
        proc = subprocess.Popen(cmd, cwd=cwd, stdin=stdin, stdout=subprocess.DEVNULL,
                                stderr=err, env=env, start_new_session=True,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    if case.stdin:
        stdin.close()
    limit = case.bound or bound
    timed_out = False
    if case.signal_after:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline and len(children(proc.pid)) < case.kids:
            if proc.poll() is not None:
                break
            time.sleep(0.05)
        time.sleep(case.signal_after)
        sig = getattr(signal, case.group)
        if proc.poll() is None:
            os.killpg(proc.pid, sig) if case.group == "SIGINT" else proc.send_signal(sig)
    deadline = time.monotonic() + limit
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            timed_out = True
            os.killpg(proc.pid, signal.SIGKILL)
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.02)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    time.sleep(0.5)  # a worker that outlives the CLI shows up now
    left = session_left(proc.pid)
    for p in left:
        try:
            os.kill(p, signal.SIGKILL)
        except OSError:
            pass
    stderr = err_path.read_text(encoding="utf-8", errors="replace")
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    problems = []
    if timed_out:
        problems.append(f"no exit in {limit:.0f} s")
    elif code != case.expect_code:
        problems.append(f"exit {code}, expected {case.expect_code}")
    if "Traceback" in stderr:
        problems.append("traceback")
    if left:
        problems.append(f"{len(left)} process(es) left")
    if case.expect_err is not None:
        want = case.expect_err
        got = [ln for ln in lines if "psense" in ln]
        if not case.mkdocs and len(lines) != len(want if isinstance(want, list) else [want]):
            problems.append(f"{len(lines)} stderr lines")
        for w in (want if isinstance(want, list) else [want]):
            if not any(re.search(w, ln) for ln in got):
                problems.append(f"no stderr line like {w!r}")
    after, after_out = snapshot(work), snapshot(outside, skip=())
    written = sorted(k for k in after if before.get(k) != after[k])
    if written:
        problems.append(f"wrote {written[:3]}")
    if after_out != before_out:
        problems.append("wrote outside the cache")
    if case.check and not timed_out:
        msg = case.check(work, stderr)
        if msg:
            problems.append(msg)
    return {"attack": case.name, "command": shown, "exit": "timeout" if timed_out else code,
            "stderr": lines[0][:150] if lines else "", "seconds": round(wall, 2),
            "rss_mb": round(usage.ru_maxrss / 1024), "verdict": "ok" if not problems
            else "FAIL: " + "; ".join(problems)}


# ----------------------------------------------------------------- the attacks

def fifo_setup(work, _out):
    os.mkfifo(work / "x.md")
    write(work, {"ok.md": DOC})


def devzero_setup(work, _out):
    (work / "z.md").symlink_to("/dev/zero")
    write(work, {"ok.md": DOC})


def site_setup(special):
    def setup(work, _out):
        write(work, {"mkdocs.yml": "site_name: t\nplugins:\n  - psense\n",
                     "docs/index.md": "# Home\n\nFine.\n", "docs/design/ok.md": DOC})
        if special == "fifo":
            os.mkfifo(work / "docs" / "design" / "x.md")
        elif special == "zero":
            (work / "docs" / "design" / "z.md").symlink_to("/dev/zero")
    return setup


def big_setup(mb):
    def setup(work, _out):
        src = HERE / "out" / "bigdocs" / f"doc{mb}.md"
        if not src.exists():
            subprocess.run([sys.executable, str(HERE / "bigdocs.py"), "--build-only",
                            "--sizes", str(mb)], check=True, stdout=subprocess.DEVNULL)
        (work / "big.md").symlink_to(src)
    return setup


def pack_setup(pattern, doc=DOC, extra=""):
    def setup(work, _out):
        write(work, {"pack.yml": "rules:\n  PS101:\n    categories:\n      architecture:\n"
                                 f"        strong:\n          - clean code\n"
                                 f"          - {json.dumps(pattern)}\n" + extra,
                     ".psense.yml": "rule-files: [pack.yml]\n",
                     "a.md": doc, "b.md": doc, "c.md": doc})
    return setup


def raw_pack_setup(text):
    def setup(work, _out):
        write(work, {"pack.yml": text, ".psense.yml": "rule-files: [pack.yml]\n",
                     "a.md": "Fine.\n", "b.md": "Fine.\n"})
    return setup


def config_setup(name, text):
    def setup(work, _out):
        write(work, {name: text, "a.md": "Fine.\n"})
    return setup


def many_docs(work, _out):
    body = "\n\n".join(["The cleaner architecture is better because we refactor it. " * 8] * 40)
    write(work, {f"d{i:02}.md": f"# Doc {i}\n\n{body}\n" for i in range(60)})


def cache_setup(kind):
    def setup(work, outside):
        write(work, {"doc.md": DOC})
        subprocess.run([PY, "-m", "psense_lint", "doc.md"], cwd=work, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL,
                       env={**os.environ, "PSENSE_LINT_PACK_CACHE": str(work.parent / "packcache")})
        entries = list((work / ".psense_cache").rglob("*.json"))
        entry = entries[0]
        if kind == "type":
            data = json.loads(entry.read_text(encoding="utf-8"))
            data["result"]["v"][1][0]["v"][1] = "3"
            entry.write_text(json.dumps(data), encoding="utf-8")
        elif kind == "fifo":
            entry.unlink()
            os.mkfifo(entry)
        elif kind == "zero":
            entry.unlink()
            entry.symlink_to("/dev/zero")
        elif kind == "symlink":
            version_dir = entry.parent.parent
            shutil.rmtree(version_dir)
            version_dir.symlink_to(outside, target_is_directory=True)
    return setup


def site_cache_setup(work, _out):
    site_setup(None)(work, _out)
    subprocess.run([PY, "-m", "mkdocs", "build", "-q", "-d", "_site"], cwd=work,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "PSENSE_LINT_PACK_CACHE": str(work.parent / "packcache")})
    for entry in (work / ".psense_cache").rglob("*.json"):
        data = json.loads(entry.read_text(encoding="utf-8"))
        try:
            findings = data["result"]["v"][1]
            if findings:
                findings[0]["v"][1] = "3"
                entry.write_text(json.dumps(data), encoding="utf-8")
        except (KeyError, IndexError, TypeError):
            pass


def same_as_clean_run(doc="doc.md"):
    def check(work, _err):
        clean = subprocess.run([PY, "-m", "psense_lint", "--no-cache", doc], cwd=work,
                               capture_output=True, text=True,
                               env={**os.environ, "NO_COLOR": "1",
                                    "PSENSE_LINT_PACK_CACHE": str(work.parent / "packcache")})
        again = subprocess.run([PY, "-m", "psense_lint", doc], cwd=work, capture_output=True,
                               text=True, env={**os.environ, "NO_COLOR": "1",
                                               "PSENSE_LINT_PACK_CACHE":
                                                   str(work.parent / "packcache")})
        if (clean.stdout, clean.returncode) != (again.stdout, again.returncode):
            return "cached run differs from a clean one"
        return None
    return check


def cache_whole(work, _err):
    for p in (work / ".psense_cache").rglob("*"):
        if p.name.startswith(".tmp-"):
            return "partial cache write"
        if p.suffix == ".json":
            try:
                json.loads(p.read_text(encoding="utf-8"))
            except ValueError:
                return f"corrupt cache entry {p.name}"
    return None


def spans_inside(files):
    """Every finding of ``--format json`` lies inside its line; every quote inside its span."""
    def check(work, _err):
        proc = subprocess.run([PY, "-m", "psense_lint", "--no-cache", "--format", "json",
                               "--fail-on", "never", *files], cwd=work, capture_output=True,
                              text=True, env={**os.environ, "PSENSE_LINT_PACK_CACHE":
                                              str(work.parent / "packcache")})
        flat = json.loads(proc.stdout)["findings"]
        for f in flat:
            text = (work / f["path"]).read_text(encoding="utf-8")
            lines = re.split(r"\r\n|\r|\n", text)
            ln, col, eln, ecol = f["line"], f["column"], f["end_line"], f["end_column"]
            if not (1 <= ln <= eln <= len(lines)):
                return f"{f['path']}:{ln}: line outside the file"
            w = len(lines[ln - 1]) - (ln == 1 and lines[0].startswith("\ufeff"))
            we = len(lines[eln - 1]) - (eln == 1 and lines[0].startswith("\ufeff"))
            if not (1 <= col <= w + 1 and 1 <= ecol <= we + 1):
                return f"{f['path']}:{ln}:{col}-{eln}:{ecol} {f['rule']}: past its line"
            quote = re.search(r"“([^”]+)”|\"([^\"]+)\"", f["message"])
            if quote and f["rule"].startswith("PS1") and ln == eln:
                q = quote.group(1) or quote.group(2)
                span = lines[ln - 1][col - 1 - (ln == 1 and lines[0].startswith("\ufeff")):]
                if q.split()[0].lower() not in span.lower():
                    return f"{f['path']}:{ln}: quote {q!r} outside its span"
        return None if flat else "no findings to check"
    return check


def no_cross_sentence(work, _err):
    proc = subprocess.run([PY, "-m", "psense_lint", "--no-cache", "--format", "json",
                           "--fail-on", "never", "a.md"], cwd=work, capture_output=True,
                          text=True, env={**os.environ, "PSENSE_LINT_PACK_CACHE":
                                          str(work.parent / "packcache")})
    if "bespoke" in proc.stdout and "crosses" in proc.stdout:
        return "a wildcard matched across a sentence end"
    return None


def cases(big: bool) -> list[Case]:
    opt_chain = " ".join(["*?"] * 20)
    cs = [
        # reads
        Case("FIFO named x.md", ["--no-cache", "x.md", "ok.md"], expect_code=2,
             expect_err=r"x\.md: not a regular file \(a FIFO\)", setup=fifo_setup),
        Case("x.md -> /dev/zero", ["--no-cache", "z.md", "ok.md"], expect_code=2,
             expect_err=r"z\.md: not a regular file", setup=devzero_setup),
        Case("x.md -> /dev/zero, limit raised", ["--no-cache", "--max-file-size", "64M", "z.md"],
             expect_code=2, expect_err=r"z\.md: not a regular file", setup=devzero_setup),
        Case("stdin from /dev/zero", ["--no-cache", "-"], stdin="/dev/zero", expect_code=2,
             expect_err=r"too large"),
        Case("plugin: FIFO page", [], mkdocs=True, expect_code=0,
             expect_err=r"x\.md: not a regular file", setup=site_setup("fifo")),
        Case("plugin: page -> /dev/zero", [], mkdocs=True, expect_code=0,
             expect_err=r"z\.md: not a regular file", setup=site_setup("zero")),
        # memory and size
        Case("10 MB doc, default limit", ["--no-cache", "big.md"], expect_code=2,
             expect_err=r"big\.md: file too large", setup=big_setup(10)),
        Case("50 MB doc, default limit", ["--no-cache", "big.md"], expect_code=2,
             expect_err=r"big\.md: file too large", setup=big_setup(50)),
        Case("1 MB doc (at the default limit)", ["--no-cache", "--fail-on", "never", "big.md"],
             expect_code=0, setup=big_setup(1)),
        # patterns
        Case("pack: 20 x '*?' after a word", ["--no-cache", "a.md", "b.md", "c.md"],
             expect_code=1, setup=pack_setup("clean " + opt_chain + " code")),
        Case("pack: 26 x '*?' only", ["--no-cache", "a.md", "b.md", "c.md"], expect_code=2,
             expect_err=r"pack\.yml:7:13: .*no required word",
             setup=pack_setup(" ".join(["*?"] * 26))),
        Case("pack: 26 x 'word?' only", ["--no-cache", "a.md", "b.md", "c.md"], expect_code=2,
             expect_err=r"pack\.yml:7:13: .*no required word",
             setup=pack_setup(" ".join(["word?"] * 26))),
        Case("pack: 'a-b?' chain", ["--no-cache", "a.md", "b.md", "c.md"], expect_code=2,
             expect_err=r"pack\.yml:7:13: .*variants",
             setup=pack_setup("clean " + " ".join(["a-b?"] * 20))),
        Case("pack: 'a|b|c' chain (3**12 variants)", ["--no-cache", "a.md", "b.md", "c.md"],
             expect_code=1, setup=pack_setup("clean " + " ".join(["a|b|c"] * 12))),
        Case("pack: 'a-b|c-d|e-f' chain", ["--no-cache", "a.md", "b.md", "c.md"],
             expect_code=2, expect_err=r"pack\.yml:7:13: .*variants",
             setup=pack_setup(" ".join(["a-b|c-d|e-f"] * 8))),
        Case("pack: 4,000-wide alternative", ["--no-cache", "a.md", "b.md", "c.md"],
             expect_code=2, expect_err=r"pack\.yml:7:13: ",
             setup=pack_setup("|".join(f"w{i}" for i in range(4000)))),
        Case("pack: 190-wide alternative", ["--no-cache", "a.md"], expect_code=1,
             setup=pack_setup("clean " + "|".join(f"w{i}" for i in range(190)))),
        Case("pack: 4 x 45-wide alternatives", ["--no-cache", "a.md"], expect_code=1,
             setup=pack_setup(" ".join("|".join(f"{c}{i}" for i in range(45))
                                       for c in "abcd") + " code")),
        Case("pack: alias bomb in options", ["--no-cache", "a.md", "b.md"], expect_code=2,
             expect_err=r"pack\.yml:\d+:\d+: invalid YAML: YAML aliases",
             setup=raw_pack_setup(
                 "rules:\n  PS101:\n    options:\n      a: &a [x, x, x, x, x, x, x, x, x]\n"
                 "      b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                 "      c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                 "      d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                 "      e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                 "      f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                 "      g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
                 "      h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n")),
        Case("pack: bad pattern, 3 Markdown files", ["--no-cache", "a.md", "b.md", "c.md"],
             expect_code=2, expect_err=r"pack\.yml:7:13: pattern refers to unknown lexicon",
             setup=pack_setup("faster @nolex")),
        Case("pack: regex (a+)+$", ["--no-cache", "a.md", "b.md"], expect_code=2,
             expect_err=r"pack\.yml:3:7: lexicon 'ps2_measurable_re': a repetition inside",
             setup=raw_pack_setup("lexicons:\n  ps2_measurable_re:\n    - '(a+)+$'\n")),
        # config parse
        Case(".psense.yml: 5,000-digit int", ["--no-cache", "a.md"], expect_code=2,
             expect_err=r"\.psense\.yml:1:7: invalid YAML: number",
             setup=config_setup(".psense.yml", "jobs: " + "9" * 5000 + "\n")),
        Case(".psense.yml: 5,000-deep [", ["--no-cache", "a.md"], expect_code=2,
             expect_err=r"\.psense\.yml:1:\d+: invalid YAML: nested deeper",
             setup=config_setup(".psense.yml", "select: " + "[" * 5000 + "]" * 5000 + "\n")),
        Case(".psense.yml: alias", ["--no-cache", "a.md"], expect_code=2,
             expect_err=r"\.psense\.yml:2:\d+: invalid YAML: YAML aliases",
             setup=config_setup(".psense.yml", "a: &a [x, x]\nb: &b [*a, *a]\nselect: *b\n")),
        Case("pyproject: 5,000-digit int", ["--no-cache", "a.md"], expect_code=2,
             expect_err=r"pyproject\.toml:2:8: invalid TOML: number",
             setup=config_setup("pyproject.toml",
                                "[tool.psense-lint]\njobs = " + "9" * 5000 + "\n")),
        Case("pyproject: 5,000-deep [", ["--no-cache", "a.md"], expect_code=2,
             expect_err=r"pyproject\.toml:2:\d+: invalid TOML: nested deeper",
             setup=config_setup("pyproject.toml", "[tool.psense-lint]\nselect = "
                                + "[" * 5000 + "]" * 5000 + "\n")),
        Case("pyproject: not UTF-8", ["--no-cache", "a.md"], expect_code=2,
             expect_err=r"pyproject\.toml:3: config file is not UTF-8",
             setup=config_setup("pyproject.toml",
                                b"[tool.psense-lint]\nselect = ['PS1']\n# caf\xe9\n")),
        Case("pack: 5,000-digit int", ["--no-cache", "a.md"], expect_code=2,
             expect_err=r"pack\.yml:1:10: invalid YAML: number",
             setup=raw_pack_setup("version: " + "1" * 5000 + "\n")),
        # signals
        Case("SIGTERM to --jobs 2", ["--jobs", "2", "."], expect_code=143,
             expect_err=re.escape(STOPPED.format("SIGTERM")), setup=many_docs,
             signal_after=0.3, group="SIGTERM", check=cache_whole,
             env={"PSENSE_LINT_START_METHOD": "fork"}),
        Case("SIGINT (Ctrl-C) to --jobs 2's group", ["--jobs", "2", "."], expect_code=130,
             expect_err=re.escape(STOPPED.format("SIGINT")), setup=many_docs,
             signal_after=0.3, group="SIGINT", check=cache_whole,
             env={"PSENSE_LINT_START_METHOD": "fork"}),
        Case("SIGTERM to --jobs 2, spawn", ["--jobs", "2", "."], expect_code=143,
             expect_err=re.escape(STOPPED.format("SIGTERM")), setup=many_docs,
             signal_after=0.3, group="SIGTERM", check=cache_whole,
             env={"PSENSE_LINT_START_METHOD": "spawn"}),
        Case("SIGTERM while a 3 MB doc is linted (limit raised)",
             ["--no-cache", "--jobs", "1", "--max-file-size", "64M", "big.md"],
             expect_code=143, expect_err=re.escape(STOPPED.format("SIGTERM")),
             setup=big_setup(3), signal_after=12, group="SIGTERM", kids=0),
        # the cache
        Case("cache: type-corrupt entry", ["doc.md"], expect_code=1, expect_err=None,
             setup=cache_setup("type"), check=same_as_clean_run()),
        Case("cache: FIFO as an entry", ["doc.md"], expect_code=1, setup=cache_setup("fifo"),
             check=same_as_clean_run()),
        Case("cache: entry -> /dev/zero", ["doc.md"], expect_code=1, setup=cache_setup("zero"),
             check=same_as_clean_run()),
        Case("cache: symlinked folder inside", ["doc.md"], expect_code=1,
             setup=cache_setup("symlink"), outside=True),
        Case("plugin: type-corrupt cache entry", [], mkdocs=True, expect_code=0,
             setup=site_cache_setup),
        # spans
        Case("spans: empty file, 1-char line, BOMs", ["--no-cache", "--fail-on", "never",
                                                       "docs/design"],
             expect_code=0, check=spans_inside(["docs/design"]),
             setup=lambda w, o: write(w, {
                 "docs/design/e.md": "", "docs/design/one.md": "x\n",
                 "docs/design/bom.md": "\ufeff# T\n\nIt gives a cleaner architecture.\n",
                 "docs/design/bom1.md": "\ufeffx", "docs/design/crlf.md": "\ufeff\r\n\r\nx\r"})),
        Case("pack: '*?' across a sentence end", ["--no-cache", "--fail-on", "never", "a.md"],
             expect_code=0, check=no_cross_sentence, setup=pack_setup(
                 "bespoke *? crosses",
                 "# T\n\nThis is bespoke. It crosses nothing and we like it.\n")),
    ]
    if big:
        for mb in (10, 50):
            cs.append(Case(f"{mb} MB doc, --max-file-size 64M",
                           ["--no-cache", "--jobs", "1", "--max-file-size", "64M",
                            "--format", "json", "--fail-on", "never", "big.md"],
                           expect_code=0, setup=big_setup(mb), bound=3600))
    return cs


PY = sys.executable


def main(argv=None) -> int:
    global PY
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--big", action="store_true", help="also 10 and 50 MB docs, limit raised")
    ap.add_argument("--only", default="", help="comma-separated substrings of attack names")
    ap.add_argument("--bound", type=float, default=60.0, help="seconds per attack")
    ap.add_argument("--json", type=Path, help="also write the rows here")
    args = ap.parse_args(argv)
    PY = args.python
    chosen = [c for c in cases(args.big)
              if not args.only or any(s in c.name for s in args.only.split(","))]
    base = Path(tempfile.mkdtemp(prefix="psense-attacks-"))
    rows = []
    print(f"# {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}, load "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}, python {PY}", flush=True)
    print("| attack | command | exit | first line of stderr | s | peak RSS MB | verdict |")
    print("| --- | --- | ---: | --- | ---: | ---: | --- |", flush=True)
    try:
        for case in chosen:
            row = run_case(case, PY, base, args.bound)
            rows.append(row)
            cells = [row["attack"], f"`{row['command']}`", str(row["exit"]),
                     row["stderr"].replace("|", "\\|"), f"{row['seconds']:.1f}",
                     str(row["rss_mb"]), row["verdict"]]
            print("| " + " | ".join(cells) + " |", flush=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print(f"# load after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0 if all(r["verdict"] == "ok" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
