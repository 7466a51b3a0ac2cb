"""An organisation's own manualkit forms (a test fixture): each module one form, its folder in ``forms/``."""
