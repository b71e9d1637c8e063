"""One module per `dvk` sub-command; each defines HELP, add_arguments(parser) and run(args) -> exit code."""

# Order of the sub-commands in `dvk --help`.
COMMANDS = (
    "demo",
    "import",
    "history",
    "undo",
    "status",
    "template",
    "serve",
    "summary",
    "compare",
    "export",
    "report",
    "user",
    "backup",
    "restore",
)
