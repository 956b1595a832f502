"""Model text on its way to a person: its Markdown structure (markdown.py) and the sanitizer that keeps
control sequences away from any terminal (sanitize.py)."""
