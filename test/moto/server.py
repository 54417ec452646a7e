"""asg-deploy's moto world: moto's server with what the action's tests need and
moto lacks (Instance Refresh, target health that takes time, failing launches
with their scaling activities, lifecycle hooks, scale-in deregistration) and
moto's bugs the action meets mended. See README.md beside this file.

Usage: python3 test/moto/server.py -H 127.0.0.1 -p PORT   (moto.server's flags)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import activities  # noqa: E402,F401  (each module patches moto when imported)
import control  # noqa: E402,F401
import faults  # noqa: E402,F401  (after control: it answers a refused write before control's loop)
import fixes  # noqa: E402,F401
import health  # noqa: E402,F401
import launches  # noqa: E402,F401
import refresh  # noqa: E402,F401

if __name__ == "__main__":
    from moto.server import main

    main(sys.argv[1:])
