from rcmkb.cli import main

raise SystemExit(main())
