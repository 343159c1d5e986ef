"""`workshops` on the suite's clock: the browser journeys' server and commands run through here,
so that the demo is loaded and the pages are served on the day `TEST_NOW` names."""

from __future__ import annotations

import sys

from tests.clock import pin_from_environment
from workshops.cli import main

if __name__ == "__main__":
    pin_from_environment()
    sys.exit(main())
