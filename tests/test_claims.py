"""PS301 (vague goal) and PS401 (unsupported claim about users), from the user's side:
each case is a small Markdown file, linted by the real CLI in one run."""
from __future__ import annotations

import json

import pytest

from psense_lint.cli import main

# (markdown, fires?)
PS301 = [
    ("## Goals\n\n- Improve engagement with the weekly digest.", True),
    ("## Goals\n\n- Better developer experience for plugin authors.", True),
    ("## Goals\n\n- Make search faster.", True),
    ("## Success criteria\n\n- More reliable nightly builds.", True),
    ("## Overview\n\nThe goal is to improve onboarding for new teams.", True),
    ("## Overview\n\nWe aim to make the settings page easier to navigate.", True),
    ("## Overview\n\nThis proposal aims to enhance the reporting workflow.", True),
    ("## Goals and non-goals\n\nGoals:\n\n- Improve the reliability of uploads.", True),
    # checkable: a number, a metric with a target, a baseline
    ("## Goals\n\n- Reduce p95 search latency from 900 ms to 300 ms.", False),
    ("## Goals\n\n- Improve the checkout success rate to 98% by June.", False),
    ("## Goals\n\n- Cut onboarding from three days to four hours, measured by the setup log.",
     False),
    # not a vague improvement: a functional goal
    ("## Goals\n\n- Let plugin authors declare dependencies in the manifest.", False),
    ("## Goals\n\n- Support exporting reports as CSV.", False),
    # the vague word does not open the goal
    ("## Goals\n\n- Add a cache so that pages load faster.", False),
    # not a goal at all
    ("## Design\n\nWe improve the cache by keeping hot keys in memory.", False),
    ("## Non-Goals\n\n- Improve the ranking model.", False),
    ("## Goals and non-goals\n\nNon-goals:\n\n- Improve the mobile app.", False),
    ("## Overview\n\nThe goal is to improve onboarding?", False),
    # authors' plans and design decisions are no goal statements
    ("## Design\n\nIdeally we want to optimize the inference path.", False),
    ("## Design\n\nWe plan to improve this in a later release.", False),
    ("## Background\n\nThe framework aims to make it easy to distribute models.", False),
    ("## Stories\n\nAs an operator, I want to optimize the placement of my pods.", False),
    # the goal follows the vague-looking word
    ("## Overview\n\nThe goal is simple: people get the current answer by default.", False),
    ("## Goals\n\n- Optimize to only re-check a secret when it changed.", False),
    ("## Goals\n\n- Provide a best effort warning when a lock is held too long.", False),
    # a countable measure is already concrete
    ("## Goals\n\n* Reduce the number of failed checkouts.", False),
    ("## Goals\n\n- Fewer timeouts when uploading large files.", False),
    # a way of doing the work, not an outcome
    ("## Overview\n\nThis proposal aims to minimize the changes needed to ship it.", False),
    # one step's or one alternative's goal, not the doc's
    ("## Alternatives\n\nThe goal is to improve visibility of the queue.", False),
    ("## Overview\n\nIn that case the goal is to improve the experience.", False),
    # a Goals item that the list under it spells out
    ("## Goals\n\n- Reduce the impact of a leaked token by:\n  - expiring it", False),
    # goal sections and cues beyond "Goals"
    ("## Objective\n\n- Make mixed precision easy to use.", True),
    ("## Motivation\n\nThe goal of this proposal is to improve onboarding.", True),
    ("## Motivation\n\nWe aim to simplify access to this information.", True),
    # why a Non-Goals item is left out; a purpose of past work
    ("## Non-Goals\n\n- A full catalogue. This proposal is intended to make that easier.", False),
    ("## Non-Goals\n\nWhile the proposal aims to improve expressiveness, it avoids X:", True),
    ("## Changes\n\nThe purpose of these changes was to make the API easier to use.", False),
    # a baseline follows the goal
    ("## Motivation\n\nThe goal is to make it easier to run a phase.\nCurrently, the only way "
     "is to copy the script.", False),
    # a vague verb with a concrete means says what will change
    ("## Goals\n\n- Improve page load times by caching rendered templates at the edge.", False),
    ("## Goals\n\n- Speed up the nightly job, by skipping tables that did not change.", False),
    ("## Goals\n\n- Simplify the setup for Pods via the `Node` resource's labels.", False),
    ("## Goals\n\n- Reduce the chance of a failed deploy by not sending stale manifests.", False),
    ("## Goals\n\n- Make the release faster by pre-building the images.", False),
    # ... but not a means that is as vague, empty, or another verb's
    ("## Goals\n\n- Improve build speed by reducing overhead in the compiler.", True),
    ("## Goals\n\n- Improve reliability by default.", True),
    ("## Goals\n\n- Improve the docs by being much easier to search.", True),
    ("## Goals\n\n- Improve the editor by optimizing its render loop.", True),
    ("## Goals\n\n- Make it easy to add plugins by dropping a file into a folder.", True),
    ("## Goals\n\n- Better onboarding through a cleaner tutorial.", True),
    ("## Goals\n\n- Reduce risk via an approach that is easier to review.", True),
    # a Goals heading with a word before it
    ("## The goals\n\n* Improve the onboarding of new maintainers", True),
    ("## Long-term goals\n\n- Make the plugin registry friendlier.", True),
    ("## The goals\n\n* Ship the export button in the toolbar.", False),
    # a goal cue with a word or a named thing between
    ("## Summary\n\nThe core aim of this proposal is to offer greater flexibility in layouts.",
     True),
    ("## Summary\n\nA central goal of the Report Builder is to provide a more efficient "
     "review experience.", True),
    ("## Summary\n\nOne of our goals for this year is to reduce the review backlog.", True),
    ("## Summary\n\nThe goal of this RFC is to allow for better reuse of widgets.", True),
    ("## Summary\n\nThe core aim of this proposal is to add a `--dry-run` flag.", False),
    ("## Alternatives\n\nA central goal of the second option is to provide a better cache.",
     False),
    # an experience that is only praised
    ("## Goals\n\n- Provide a consistent UX across the admin screens.", True),
    ("## Goals\n\n- Provide a flag that lists the plugins.", False),
    # a Goals item that says what its subject should be like
    ("## Goals\n\n- Custom themes should be easy and quick to write.", True),
    ("## Goals\n\n- It must be simple to add a new exporter.", True),
    ("## Goals\n\n- Keep the sync daemon simple to operate.", True),
    ("## Goals\n\n- Ideally, whatever we ship should remain ergonomic for plugin authors.", True),
    ("## Goals\n\n- Exports should be fast (under 2 s for 10k rows).", False),
    ("## Goals\n\n- Plugins should be discoverable rather than configured by hand.", False),
    ("## Design\n\nThe parser should be easy to extend.", False),
    ("## Goals\n\n- The new exporter should write CSV files.", False),
]

PS401 = [
    ("Users want a dark mode for the dashboard.", True),
    ("Customers hate the current checkout flow.", True),
    ("Everyone knows the old settings page is confusing.", True),
    ("Obviously customers will switch to the annual plan.", True),
    ("Nobody uses the legacy export anymore.", True),
    ("No one reads the release notes.", True),
    ("Most developers prefer YAML over JSON for configuration.", True),
    ("Operators don't care about the internal queue.", True),
    ("Developers would love a typed client.", True),
    ("It is well known that admins avoid the CLI.", True),
    ("Users need a way to undo a bulk delete.", True),
    ("Teams find the current release process confusing.", True),
    # evidence in the same paragraph
    ("Users want a dark mode: it is the most upvoted request on the feedback board.", False),
    ("In our March survey, 64% of users asked for a dark mode.", False),
    ("Customers hate the checkout flow, see the [support tickets](https://example.org/t).",
     False),
    ("Most developers prefer YAML, according to the 2023 community poll.", False),
    ("Nobody uses the legacy export: it had 3 calls last quarter.", False),
    ("- Users want a dark mode; it is the most requested feature in support tickets.", False),
    # a scenario, a condition, a requirement, a question: not a claim
    ("If users want a dark mode, they can enable it in settings.", False),
    ("A user wants to export a report and share it with a colleague.", False),
    ("Users need to set the flag before upgrading.", False),
    ("Users who want a dark mode can enable it.", False),
    ("When customers want a refund, support opens a ticket.", False),
    ("This lets users who need more control write their own policy.", False),
    ("Do users want a dark mode?", False),
    ("Users will be able to export reports.", False),
    ("The user wants to see the total before paying.", False),
    ("## User stories\n\nOperators want to drain a node pool without watching each node.",
     False),
    ("> Customers love the new checkout.", False),
    ("Users can use `nobody uses` as a search term.", False),
    # claims about the design, the authors, a clause or a persona: not about users
    ("The users do not need to find the right driver version.", False),
    ("It is not clear what sort of speed people expect from generic code.", False),
    ("Only experience will show what people expect here.", False),
    ("Routing can evolve alongside users needs and the network.", False),
    ("The designers do not expect breakage in practice.", False),
    ("It is obvious that an unused method can be trimmed.", False),
    ("- No users complaining about the new behavior.", False),
    ("These users want to dive right in and see a game running.", False),
    ("## Drawbacks\n\nOperators need special cases to handle the old driver.", False),
    ("A few people have asked why we need versions at all.", False),
    # a consequence of the design or of a condition, a noun phrase, a persona
    ("In that case, developers need a clear way to opt out.", False),
    ("This means that users will not know which server they talk to.", False),
    ("It is a trap for novice users struggling with the borrow rules.", False),
    ("- **Hands-on:** these readers start from code.\n\nHands-on users often want to skip the "
     "guide.", False),
    # a version number is no evidence
    ("Customers rely on the old importer for Go 1.22 builds.", True),
    # what users usually do, are used to, asked for
    ("Many users have asked for this form factor.", True),
    ("Most people are used to this convention.", True),
    ("Developers frequently forget that the flag is on.", True),
    ("Most React developers are familiar with hooks.", True),
    ("Many people have already invested a lot of effort in the old API.", True),
    ("A lot of users rely on the dasherized names.", True),
    ("This is a common request, but nothing supports it yet.", True),
    ("Most users will interact with the file through the command line.", False),
    ("This is a common request. I have fielded proposals that worked around it.", False),
    # "it is well known" about a thing, an aside, the status quo
    ("It was well known that the crawler used an old browser.", False),
    ("Upgrades are harder (the apply fails, operators need special cases).", False),
    ("Currently, customers rely on the low-level constructs.", False),
    ("Metrics users want to include these labels in their queries.", True),
    # a frequency adverb after the group: what they usually do, whatever the verb
    ("Developers often carry their habits from other languages.", True),
    ("Users generally don't appreciate a forced migration.", True),
    ("Teams typically keep their CI images for a year.", True),
    ("People quite often need to look up the record's metadata.", True),
    ("Most devs would prefer a local setup that matches CI.", True),
    ("Operators will often wait a release before upgrading.", True),
    ("Teams typically need to pin the version first.", False),
    ("Users often ask for it, as the [tracker](https://example.org/i) shows.", False),
    # taking on a role is a plan
    ("Our engineers will assume responsibility for the release process.", False),
    # a prediction under a hypothesis
    ("It could ship as a plugin, but it would be tiny and most people would not know about it.",
     False),
    ("Most people would not know about the plugin.", True),
    # demand said to come from the group
    ("Based on user demand, the exporter should support Parquet.", True),
    ("The cluster scales out to meet worldwide player demand.", False),
    ("The user demands are listed in the appendix table.", False),
    # numbers and words that are no evidence
    ("Most developers are not comfortable with auto-upgrades on Windows 10.", True),
    ("Users already know the `toString(16)` call.", True),
    ("This feature has been highly requested since March 2024.", True),
    ("Option 2 is better because developers want fewer flags.", True),
    ("Customers hate the multi-threaded importer's error messages.", True),
    ("Developers prefer the short form, as 12 of 15 interviewed teams said.", False),
    ("Users want the old export back, see the GitHub issue.", False),
    ("Operators want a drain command; it was reported by three of them.", False),
    ("Customers want a batch API (a thread on the forum asks for it).", False),
    # a bare "issue" is a problem, not a report
    ("Users expect the old flag to keep working; compatibility issues follow otherwise.", True),
]


def _lint(tmp_path, monkeypatch, capsys, rule, cases):
    monkeypatch.chdir(tmp_path)
    names = []
    for n, (text, _fires) in enumerate(cases):
        name = f"case{n:02d}.md"
        (tmp_path / name).write_text(text + "\n", encoding="utf-8")
        names.append(name)
    main(["--no-cache", "--jobs", "1", "--format", "json", "--select", rule, *names])
    data = json.loads(capsys.readouterr().out)
    fired = {f["path"] for f in data["findings"] if f["rule"] == rule}
    return [(text, name in fired) for (text, _), name in zip(cases, names)]


@pytest.mark.parametrize("rule, cases", [("PS301", PS301), ("PS401", PS401)])
def test_sentences_that_must_fire_and_must_not(tmp_path, monkeypatch, capsys, rule, cases):
    got = _lint(tmp_path, monkeypatch, capsys, rule, cases)
    wrong = [(text, fired) for (text, fired), (_, want) in zip(got, cases) if fired != want]
    assert wrong == []


def test_vague_goal_output_reuses_the_docs_words(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.md").write_text("# Plan\n\n## Goals\n\n- Improve engagement with the "
                                      "weekly digest.\n", encoding="utf-8")
    code = main(["--no-cache", "--jobs", "1", "--select", "PS301", "plan.md"])
    assert code == 1
    assert capsys.readouterr().out.splitlines() == [
        'plan.md:5:3: PS301 warning Vague goal: "Improve engagement with the weekly digest" '
        'names no metric, baseline or target.',
        "  suggestion: Make it checkable in the doc's own words: 'Improve engagement with the "
        "weekly digest: <what users will see, as a number> goes from <baseline> to <target> by "
        "<date>, measured by <source>'.",
        "Found 1 finding (0 errors, 1 warning, 0 infos) in 1 of 1 file.",
    ]


def test_vague_goal_quote_shows_the_means_and_whole_words(tmp_path, monkeypatch, capsys):
    """The quoted goal runs through its means (so the reader sees the whole goal),
    ends on a whole word, and is the finding's own text."""
    monkeypatch.chdir(tmp_path)
    text = ("# Plan\n\n## Goals\n\n- Improve the throughput of the nightly export job in "
            "batch mode, by reducing overhead in the serializer for large tables.\n"
            "- Improve the onboarding of new teams to the shared build cluster for "
            "everyone involved.\n")
    (tmp_path / "plan.md").write_text(text, encoding="utf-8")
    main(["--no-cache", "--jobs", "1", "--format", "json", "--select", "PS301", "plan.md"])
    found = json.loads(capsys.readouterr().out)["findings"]
    goals = [f["message"].split('"')[1] for f in found]
    assert goals == ["Improve the throughput of the nightly export job in batch mode, by "
                     "reducing overhead in the serializer for large tables",
                     "Improve the onboarding of new teams"]
    lines = text.splitlines()
    for f, goal in zip(found, goals):
        assert f["line"] == f["end_line"]
        span = lines[f["line"] - 1][f["column"] - 1:f["end_column"] - 1]
        assert goal in " ".join(span.split())


def test_unsupported_claim_output(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "why.md").write_text("# Why\n\nWe should ship it now. Users want a dark mode "
                                      "for the dashboard.\n", encoding="utf-8")
    main(["--no-cache", "--jobs", "1", "--select", "PS401", "why.md"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ('why.md:3:24: PS401 warning Unsupported claim about users: "Users want"'
                        ' - nothing in this paragraph says how we know.')
    assert lines[1].startswith("  suggestion: Cite what shows it ('<N> of <M> users in the")


def test_sentence_rules_run_on_docs_that_are_not_design_docs(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "CHANGELOG.md").write_text("# Changelog\n\n## 2.0\n\n- Removed the legacy "
                                           "export. Nobody uses it.\n", encoding="utf-8")
    main(["--no-cache", "--jobs", "1", "--format", "json", "CHANGELOG.md"])
    data = json.loads(capsys.readouterr().out)
    assert [f["rule"] for f in data["findings"]] == ["PS401"]
    assert data["documents"] == [{"path": "CHANGELOG.md", "design_doc": False,
                                  "user_pain": None, "success": None, "non_goals": None}]


def _claims_sample():
    """tools/claims_sample.py, loaded as a module (tools/ is no package)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "tools" / "claims_sample.py"
    spec = importlib.util.spec_from_file_location("claims_sample", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_claims_sample_reads_the_verdicts_of_a_judged_sample(tmp_path):
    mod = _claims_sample()
    sample = tmp_path / "judged.md"
    sample.write_text(
        "# head\n\n## 01. PS301 - a/b `x.md` line 3\n\nSection: Goals\n\n"
        'Flagged words: "Improve things"\n\n```text\n- Improve things.\n```\n\n'
        "verdict: right\n\n## 02. PS401 - a/b `y.md` line 9\n\nSection: (none)\n\n"
        'Flagged words: "users want"\n\n```text\nUsers want it.\n```\n\nverdict: Wrong, a '
        "persona\n\n## 03. PS401 - a/b `y.md` line 12\n\nSection: (none)\n\n"
        'Flagged words: "people expect"\n\n```text\nPeople expect it.\n```\n\nverdict:\n',
        encoding="utf-8")
    assert mod.judged([sample]) == {("PS301", "a/b", "x.md", "Improve things"): "right",
                                    ("PS401", "a/b", "y.md", "users want"): "wrong",
                                    ("PS401", "a/b", "y.md", "people expect"): ""}


def test_claims_sample_reads_a_blind_round_by_line(tmp_path):
    mod = _claims_sample()
    key = tmp_path / "key.json"
    key.write_text(json.dumps({"F001": {"rule": "PS301", "repo": "a/b", "path": "x.md",
                                        "line": 3, "flagged": "Improve"},
                               "F002": {"rule": "PS401", "repo": "a/b", "path": "y.md",
                                        "line": 9, "flagged": "users want"}}), encoding="utf-8")
    verdicts = tmp_path / "verdicts.csv"
    verdicts.write_text('id,verdict,why\nF001,right,"bare, no target"\nF002,Wrong,a persona\n',
                        encoding="utf-8")
    assert mod.blind_verdicts([(key, verdicts)]) == {("PS301", "a/b", "x.md", 3): "right",
                                                     ("PS401", "a/b", "y.md", 9): "wrong"}


def test_blanking_skips_only_the_regexes_that_cannot_match():
    """claims._blank skips a not-evidence regex whose required strings the text (as
    blanked so far) lacks: the same text as blanking with every regex in turn."""
    import re

    from psense_lint.checks import claims
    from psense_lint.rulepack import load_pack

    regexes = [re.compile(p, re.I) for p in load_pack().lexicons["ps4_not_evidence_re"]]
    texts = ["1.`x` 2. y", "In 2020 we", "Python 3 is out", "\u00e9 in 2020", "option 2",
             "(1) a", "  3) b\n4. c", "\u0661\u0662 Python \u0663", "no numbers", "",
             "Since 1999, 40% of users (12) asked; see step 3 and `f(16)`."]
    for t in texts:
        plain = t
        for r in regexes:
            plain = r.sub(lambda m: " " * len(m.group(0)), plain)
        assert claims._blank(t, regexes) == plain, t
