import sys

from curatorbot.cli.commands import main

sys.exit(main())
