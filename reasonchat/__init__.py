"""reasonchat: a terminal chat client for reasoning models.

Importing the package does nothing but define the version, so `reasonchat --version` stays fast.
"""

__version__ = "0.1.0"
