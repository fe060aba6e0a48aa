"""The command groups of the ``procare`` CLI, one module per group; ``cli.py`` wires them."""
