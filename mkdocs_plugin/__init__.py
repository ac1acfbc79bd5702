"""psense-lint for MkDocs: design-doc argument warnings at docs-site build time.

Enable with ``plugins: [psense]`` in mkdocs.yml (see docs/mkdocs.md). The import
package is ``psense_mkdocs`` (this folder); ``plugin`` holds the MkDocs glue, the
other modules know nothing of MkDocs:

* ``project``  - find and load the ``.psense.yml`` + rule packs, notice changes;
* ``linting``  - lint pages through the results cache, on background workers;
* ``output``   - one log line per finding, which level it is logged at;
* ``annotate`` - findings as admonitions in the page's Markdown;
* ``report``   - the site-wide report page.
"""
