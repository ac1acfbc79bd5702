"""psense-lint for MkDocs: design-doc argument warnings at docs-site build time.

Enable with ``plugins: [psense]`` in mkdocs.yml (see docs/mkdocs.md). The import
package is ``psense_mkdocs`` (this folder), a thin adapter over the engine API
that the CLI uses too (``psense_lint.project.load_project``, then a
``psense_lint.session.Session`` that lints the pages in the background):

* ``plugin``   - options, the MkDocs events, logging;
* ``annotate`` - findings as admonitions in the page's Markdown.

The log lines (``psense_lint.build_log``) and the report page (the Markdown
report, ``psense_lint.markdown_report``) are engine output formats.
"""
