"""The command line: its definition (parser.py), what runs each command (main.py and the *_commands
modules), `ask` and `ask --compare`, completion scripts and colour for our own output. Nothing here imports
Textual but `main` starting the TUI."""
