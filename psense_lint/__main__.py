from psense_lint.cli import main

raise SystemExit(main())
