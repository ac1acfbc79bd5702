"""The one engine behind the CLI, the pre-commit hook and the MkDocs plugin.

``lint_text`` takes the raw source of one Markdown file and returns its
findings; ``Linter`` holds what is built once per process (rule pack, spaCy
pipeline, matchers) and lints many texts with one ``nlp.pipe`` call each.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Callable, Iterable, Mapping

from psense_lint import limits, markdown, suppress
from psense_lint.checks import registry, suppressions
from psense_lint.config import Config, is_design_doc_path, rules_for
from psense_lint.model import DocContext, DocSummary, FileResult, Finding, Hit
from psense_lint.rulepack import RulePack, RuleSpec, load_pack


_LINE_END = re.compile(r"\r\n|\r|\n")


class Linter:
    def __init__(self, config: Config, pack: RulePack | None = None, *,
                 on_pipeline: Callable[[], None] | None = None) -> None:
        """``on_pipeline``: called once the spaCy pipeline is built (the CLI freezes
        the garbage collector then; a library never does that to its host)."""
        self.config = config
        self.pack = pack or load_pack(tuple(config.rule_files))
        self.on_pipeline = on_pipeline
        registry.validate(self.pack)

    @functools.cached_property
    def nlp(self):
        from psense_lint import nlp

        pipeline = nlp.load(self.config.pipeline)
        if self.on_pipeline is not None:
            self.on_pipeline()
        return pipeline

    def context(self, parsed: markdown.ParsedDoc, path: str, design: bool | None = None) -> DocContext:
        """What every check reads: the prose units of a parsed doc and their spaCy Docs
        (built a window at a time: ``psense_lint.window``)."""
        from psense_lint.window import Docs

        units = tuple(u for u in parsed.units if u.kind != "heading")
        docs = Docs(self.nlp, [u.text for u in units])
        return DocContext(path, parsed, units, docs, self.pack, self.nlp, design, {})

    def lint_text(self, text: str, path: str | Path, rel: Path | None = None) -> FileResult:
        """Lint one file's source. ``path`` is what findings print; ``rel`` (defaults
        to ``path``) is matched against the config's globs."""
        path = str(path)
        rel = Path(rel if rel is not None else path)
        limits.check_text(text)
        parsed = markdown.parse(text)
        limits.check_units(parsed.units, len(text))
        meta = parsed.front_matter if isinstance(parsed.front_matter, Mapping) else {}
        if meta.get("psense") is False:
            return FileResult(path, ())
        enabled = _opt_in(self.config, self.pack, rules_for(self.config, rel, self.pack.levels()))
        lines = _LINE_END.split(text)
        directives, problems = suppress.parse_directives(
            (c.text, c.line, c.end_line) for c in parsed.comments)
        used: set = set()  # which suppressions hid a finding (for PS002)
        is_suppressed = suppress.make_filter(directives, lines, used)
        if not enabled:
            return FileResult(path, ())
        ctx = self.context(parsed, path, _design_doc(self.config, rel, meta, parsed))
        findings: list[Finding] = []
        summary = None
        by_check: dict[str, list[RuleSpec]] = {}
        for rid in sorted(enabled):
            spec = self.pack.rules[rid]
            by_check.setdefault(spec.check, []).append(spec)
        for check_name, result in _run_checks(ctx, by_check):
            for hit in result:
                if isinstance(hit, DocSummary):
                    summary = hit
                    continue
                finding = _finding(ctx, hit, enabled[hit.rule], self.pack.rules[hit.rule])
                if not is_suppressed(finding.rule, finding.line):
                    findings.append(finding)
        if "suppression-comments" in by_check:  # PS001/PS002: after the others ran
            while True:  # a suppression may hide a PS002 about another one
                before = len(used)
                extra = [f for f in (
                    _finding(ctx, hit, enabled[hit.rule], self.pack.rules[hit.rule])
                    for hit in suppressions.hits(ctx, directives, problems,
                                                 by_check["suppression-comments"], used,
                                                 enabled, lines))
                    if not is_suppressed(f.rule, f.line)]
                if len(used) == before:
                    break
            findings.extend(extra)
        findings.sort(key=lambda f: (f.line, f.column, f.rule, f.end_line, f.end_column))
        return FileResult(path, tuple(_dedupe(findings)), summary)


def _run_checks(ctx: DocContext, by_check: dict):
    """(check name, its hits) for each check, in order.
    A long doc whose Docs are held a window at a time (``psense_lint.window``) runs
    its checks in lockstep, so that their passes share each chunk's build; the
    hits, and any error, are what the checks give one after the other."""
    names = list(by_check)
    docs = ctx.docs
    from psense_lint import window

    if len(names) < 2 or not window.LOCKSTEP or not getattr(docs, "windowed", False):
        for name in names:
            yield name, registry.REGISTRY[name](ctx, by_check[name])
        return
    lockstep = window.Lockstep(docs)
    if ctx.memo is not None:
        ctx = ctx._replace(memo=window.SharedMemo(lockstep, ctx.memo))
    def run(name):
        return list(registry.REGISTRY[name](ctx, by_check[name]))

    results = lockstep.run([functools.partial(run, name) for name in names])
    if results is None:  # no thread could be started
        results = [run(name) for name in names]
    for name, result in zip(names, results):
        if isinstance(result, window._Raised):
            raise result.exc
        yield name, result


def _opt_in(config: Config, pack: RulePack, enabled: dict[str, str]) -> dict[str, str]:
    """Rules marked ``opt_in`` in their pack (PS002) run only when a selector names
    them by id or prefix ("PS002", "PS0"), not through "ALL" (like ruff's RUF100)."""
    selectors = [*config.select, *(s for ov in config.overrides for s in (ov.select or ()))]
    return {rid: level for rid, level in enabled.items()
            if not pack.rules[rid].options.get("opt_in")
            or any(s != "ALL" and rid.startswith(s) for s in selectors)}


def _dedupe(findings: Iterable[Finding]):
    seen = set()
    for f in findings:
        key = (f.rule, f.line, f.column, f.end_line, f.end_column)
        if key not in seen:
            seen.add(key)
            yield f


def _design_doc(config: Config, rel: Path, meta: Mapping, parsed) -> bool | None:
    """Does this doc get the doc-level checks? Front matter decides first
    (``design-doc: true|false``, or ``psense-doc: design`` / any other doc type),
    then the path globs. None when neither decides: the doc-level check then
    looks at the doc's headings."""
    for key in ("design-doc", "design_doc"):
        if isinstance(meta.get(key), bool):
            return meta[key]
    kind = meta.get("psense-doc")
    if isinstance(kind, str):
        return kind.strip().lower() == "design"
    return True if is_design_doc_path(config, rel) else None


def _finding(ctx: DocContext, hit: Hit, severity: str, spec: RuleSpec) -> Finding:
    if hit.unit is None:
        line = hit.line or 1
        lines = _LINE_END.split(ctx.parsed.text)  # the same line ends as ParsedDoc.position
        line = min(max(line, 1), len(lines))
        line_text = lines[line - 1]
        if line == 1 and line_text.startswith("\ufeff"):  # a BOM is not a column
            line_text = line_text[1:]
        # inside the line: 1 <= start <= end <= len + 1; one character wide when the
        # line has one (an empty line, or an empty file, gets an empty span)
        width = len(line_text)
        start = min(max(hit.start or 1, 1), max(width, 1))
        end = min(max(hit.end or width + 1, start), width + 1)
        if end == start and start <= width:
            end = start + 1
        span = (line, start, line, end)
    else:
        span = markdown.unit_span(ctx.parsed, ctx.units[hit.unit], hit.start, hit.end)
    # one line each, whatever the rule pack's YAML holds: every output format relies on it
    return Finding(ctx.path, *span, hit.rule, hit.category, severity,
                   " ".join(hit.message.split()), " ".join(hit.suggestion.split()))
