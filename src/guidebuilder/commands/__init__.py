"""Extra subcommands: each module here defines `register(subparsers)`; the CLI finds them all."""
