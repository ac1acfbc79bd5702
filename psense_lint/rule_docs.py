"""One Markdown page per rule, made from the loaded rule pack (its data, not its
files): what the rule does, why it matters, examples that fire and that pass, the
suggestion, how to configure it. The project's MkDocs site renders them through
the psense plugin (``rule_pages:`` option); ``--explain`` and SARIF ``helpUri``
link to them (``report.rule_page``)."""
from __future__ import annotations

from psense_lint.report import rule_page

FRONT_MATTER = "---\npsense: false\n---\n\n"  # the examples fire on purpose: never lint them


def _quote_block(text: str) -> str:
    return "```markdown\n" + text.rstrip("\n") + "\n```\n"


def page(spec) -> str:
    """The page of one rule (a RuleSpec)."""
    info = spec.info
    out = [FRONT_MATTER, f"# {info.id} {info.name}\n\n",
           f"**Default level:** {info.level}"]
    if spec.options.get("opt_in"):
        out.append(" (opt-in: runs only when selected by id or prefix)")
    out.append("\n\n## What it does\n\n" + info.summary + "\n\n")
    if info.why:
        out.append("## Why it matters\n\n" + info.why + "\n\n")
    if info.fires:
        out.append("## Fires on\n\n" + "\n".join(_quote_block(x) for x in info.fires) + "\n")
    if info.passes:
        out.append("## Passes\n\n" + "\n".join(_quote_block(x) for x in info.passes) + "\n")
    if info.suggestion:
        out.append("## Suggestion\n\n" + info.suggestion + "\n\n")
        from psense_lint import suggest

        worked = "\n".join(suggest.explain_lines(spec)).strip("\n")
        if worked:  # the same worked examples as --explain
            out.append("```text\n" + worked + "\n```\n\n")
    named = [c for c in spec.categories if c.label]
    if named:
        out.append("## Categories\n\n| category | label | evaluative words | words that need a "
                   "reason cue |\n| --- | --- | --- | --- |\n")
        for c in named:
            out.append(f"| `{c.name}` | {c.label} | {len(c.strong)} | {len(c.patterns)} |\n")
        out.append("\nAdd words to a category, or a category of your own (`new: true`), in a "
                   "rule pack named by `rule-files:`.\n\n")
    rid = info.id
    out.append(
        "## Configuration\n\n```yaml\n# .psense.yml\n"
        + (f"select: [ALL, {rid}]        # opt-in\n" if spec.options.get("opt_in")
           else f"ignore: [{rid}]             # turn it off\n")
        + f"severity: {{{rid}: info}}     # info | warning | error\n"
        "overrides:\n  - files: [\"docs/adr/**\"]\n"
        f"    ignore: [{rid}]\n```\n\n"
        f"In a doc: `<!-- psense-lint disable-next-line {rid} -- reason -->`. "
        f"On the command line: `psense-lint --select {rid}`, `psense-lint --explain {rid}`.\n")
    return "".join(out)


def index(pack) -> str:
    rows = "".join(f"| [{rid}]({rid.lower()}/index.md) | {spec.info.name} | {spec.info.level} | "
                   f"{spec.info.summary} |\n" for rid, spec in sorted(pack.rules.items()))
    return (FRONT_MATTER + "# Rules\n\n| rule | name | level | what it flags |\n"
            "| --- | --- | --- | --- |\n" + rows)


def pages(pack, folder: str = "rules") -> dict[str, str]:
    """src_uri -> Markdown for every rule of the pack, plus the index."""
    folder = folder.strip("/")
    out = {f"{folder}/index.md": index(pack)}
    for rid, spec in sorted(pack.rules.items()):
        out[f"{folder}/{rule_page(rid)[len('rules/'):]}index.md"] = page(spec)
    return out
