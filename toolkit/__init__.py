"""manualkit: turns the account manager's job manual into working paperwork."""

__version__ = "0.1.0"
