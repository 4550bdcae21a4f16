import sys

from curatorbot.cli.main import main

sys.exit(main())
