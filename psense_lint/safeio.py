"""Reading files that may be anything: a FIFO, a device, a socket, a symlink to
/dev/zero, a file that grows while it is read.

``read_regular`` opens without blocking (a FIFO opened for reading with
O_NONBLOCK returns at once instead of waiting for a writer), checks with
``fstat`` on the open descriptor that it is a regular file (so a symlink swapped
between a check and the open cannot fool it), and reads at most ``limit`` + 1
bytes whatever ``stat`` says. Every front end (CLI, pre-commit, MkDocs plugin,
config and rule-pack loading, the results cache) reads through it.
"""
from __future__ import annotations

import errno
import os
import stat

MB = 1024 * 1024
_READ = 1024 * 1024


class ReadError(OSError):
    """Why a file could not be read, as a short phrase (``reason``)."""

    def __init__(self, reason: str, code: int | None = None) -> None:
        super().__init__(code, reason)
        self.reason = reason
        self.code = code

    def __str__(self) -> str:
        return self.reason


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < MB:
        return f"{n // 1024} KB"
    return f"{n / MB:.1f} MB" if n < 10 * MB else f"{n // MB} MB"


def too_large(size: int | None, limit: int) -> str:
    got = f"{_size(size)}; " if size is not None else "more than that; "
    return f"file too large ({got}limit {_size(limit)})"


def read_regular(path, limit: int, *, follow_symlinks: bool = True) -> bytes:
    """The bytes of the regular file at ``path`` (at most ``limit`` of them), or
    ReadError: not a regular file, too large, missing, unreadable. Never blocks
    on a FIFO, never reads more than ``limit`` + 1 bytes."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) \
        | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(os.fspath(path), flags)
    except OSError as exc:
        raise ReadError(_reason(exc, path), exc.errno) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = _kind(st.st_mode)
            raise ReadError("is a directory" if kind == "a directory"
                            else f"not a regular file ({kind})",
                            errno.EISDIR if kind == "a directory" else errno.EINVAL)
        if st.st_size > limit:
            raise ReadError(too_large(st.st_size, limit), errno.EFBIG)
        parts = []
        got = 0
        while True:
            try:
                chunk = os.read(fd, min(_READ, limit + 1 - got))
            except BlockingIOError:  # pragma: no cover - not for regular files
                continue
            except OSError as exc:
                raise ReadError(_reason(exc, path), exc.errno) from None
            if not chunk:
                break
            parts.append(chunk)
            got += len(chunk)
            if got > limit:  # grew past stat's size (or stat lied)
                raise ReadError(too_large(None, limit), errno.EFBIG)
        return b"".join(parts)
    finally:
        os.close(fd)


def _reason(exc: OSError, path) -> str:
    code = exc.errno
    if code == errno.ENOENT:
        return "no such file" if not os.path.islink(path) else \
            "cannot read file: dangling symlink (No such file or directory)"
    if code in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if code == errno.EISDIR:
        return "is a directory"
    if code == errno.ENXIO:  # a socket, or a FIFO nobody writes to opened for writing
        return "not a regular file (a socket or device)"
    if code == errno.ELOOP:
        return "is a symlink (not followed here)"
    return f"cannot read file: {exc.strerror or exc}"


# ------------------------------------------------------------------ YAML

MAX_YAML_DEPTH = 64  # config and rule packs nest 5 levels deep at most


def yaml_loader():
    """ruamel's round-trip loader (line info, builds no arbitrary objects) that
    refuses aliases (``*name``: an alias bomb expands exponentially in whatever
    walks the data) and nesting deeper than MAX_YAML_DEPTH. Both raise a marked
    ruamel error, so callers report file:line:col."""
    from ruamel.yaml import YAML
    from ruamel.yaml.composer import Composer, ComposerError
    from ruamel.yaml.events import AliasEvent, CollectionStartEvent

    class _Composer(Composer):
        def compose_node(self, parent, index):
            event = self.parser.peek_event()
            if isinstance(event, AliasEvent):
                raise ComposerError(None, None, f"YAML aliases (*{event.anchor}) are not "
                                    "allowed here; repeat the values instead",
                                    event.start_mark)
            if isinstance(event, CollectionStartEvent) and self.depth >= MAX_YAML_DEPTH:
                raise ComposerError(None, None, f"nested deeper than {MAX_YAML_DEPTH} levels",
                                    event.start_mark)
            return super().compose_node(parent, index)

    yaml = YAML(typ="rt")
    yaml.Composer = _Composer
    return yaml


class ParseProblem(ValueError):
    """A config or pack text that cannot be turned into data safely, with where."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


MAX_DIGITS = 1000  # a run of digits longer than this is refused (Python's int limit: 4300)
_DIGITS = None


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def check_numbers(text: str) -> None:
    """Refuse a number too long to convert (Python raises ValueError past 4300
    digits, with no position) before the parser meets it."""
    global _DIGITS
    if _DIGITS is None:
        import re

        _DIGITS = re.compile(r"[0-9][0-9_]{%d,}" % MAX_DIGITS)
    m = _DIGITS.search(text)
    if m:
        raise ParseProblem(f"number with more than {MAX_DIGITS} digits", *_position(text, m.start()))


def too_deep(text: str, limit: int = MAX_YAML_DEPTH) -> ParseProblem:
    """Where brackets first nest past ``limit`` (a rough count, strings included:
    only used to point at the problem once the parser gave up)."""
    depth = 0
    for i, c in enumerate(text):
        if c in "[{":
            depth += 1
            if depth > limit:
                return ParseProblem(f"nested deeper than {limit} levels", *_position(text, i))
        elif c in "]}":
            depth = max(0, depth - 1)
    return ParseProblem("nested too deeply", 1, None)


def load_yaml(text: str):
    """YAML text -> data with ruamel's round-trip loader (see yaml_loader); raises
    ruamel's errors, or ParseProblem."""
    check_numbers(text)
    try:
        return yaml_loader().load(text)
    except RecursionError:
        raise too_deep(text) from None


_FAST = None  # the fast loader class, made on first use


def _fast_loader():
    """PyYAML's C safe loader (pure-Python one without libyaml), resolving plain
    scalars as YAML 1.2 does, like ruamel: only true/false are booleans ("no",
    "on" stay words), no sexagesimal or 0-prefixed octal ints."""
    global _FAST
    if _FAST is None:
        import re

        import yaml

        base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        drop = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}

        class Loader(base):
            yaml_implicit_resolvers = {
                first: [(tag, rx) for tag, rx in pairs if tag not in drop]
                for first, pairs in base.yaml_implicit_resolvers.items()}

            def construct_mapping(self, node, deep=False):
                # ruamel refuses a duplicate key (PyYAML keeps the last); a merge key
                # "<<" is ruamel's to expand
                keys = [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
                if len(set(keys)) != len(keys) or "<<" in keys:
                    raise Unsure()
                return super().construct_mapping(node, deep=deep)

        Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(
            r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
        Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(
            r"^(?:[-+]?(?:0|[1-9][0-9]*)|0x[0-9a-fA-F]+)$"), list("-+0123456789"))
        Loader.add_implicit_resolver("tag:yaml.org,2002:float", re.compile(
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"), list("-+0123456789."))
        # ints that YAML 1.1 and 1.2 read differently (012, 1_000, 0o7, 0b11): ruamel's
        Loader.add_implicit_resolver("tag:psense:unsure", re.compile(
            r"^[-+]?(?:0[0-9_]+|[0-9][0-9_]*_[0-9_]*|0o[0-7_]+|0b[01_]+|0x[0-9a-fA-F_]*_"
            r"[0-9a-fA-F_]*)$"), list("-+0123456789"))

        def unsure(loader, node):
            raise Unsure()

        Loader.add_constructor("tag:psense:unsure", unsure)
        _FAST = Loader
    return _FAST


class Unsure(Exception):
    """The fast loader cannot vouch for this text: read it with ruamel (which
    places any error at file:line:col)."""


def fast_yaml(text: str):
    """The data, as ruamel would give it (as plain data), or Unsure: a YAML error,
    an alias, nesting deeper than safeio allows, a very long number."""
    try:
        check_numbers(text)
        import yaml

        data = yaml.load(text, Loader=_fast_loader())  # noqa: S506 - a safe loader
    except Exception:
        raise Unsure() from None
    seen: set[int] = set()
    stack = [(data, 0)]
    while stack:  # aliases share a container (an alias bomb would expand here)
        node, depth = stack.pop()
        if isinstance(node, (dict, list)):
            if id(node) in seen or depth >= MAX_YAML_DEPTH:
                raise Unsure()
            seen.add(id(node))
            items = node.items() if isinstance(node, dict) else enumerate(node)
            stack.extend((v, depth + 1) for _, v in items)
        elif not (node is None or isinstance(node, (str, bool, int, float))):
            raise Unsure()  # a date, bytes, a set: leave the typing to ruamel
    return data


def load_toml(text: str, toml):
    """TOML text -> data (``toml``: tomllib or tomli); raises its TOMLDecodeError,
    or ParseProblem."""
    check_numbers(text)
    try:
        return toml.loads(text)
    except RecursionError:
        raise too_deep(text) from None
