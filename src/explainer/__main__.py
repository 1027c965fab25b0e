"""`python -m explainer`: the same commands as the `explainer` console script."""

from explainer.app.cli import main

raise SystemExit(main())
