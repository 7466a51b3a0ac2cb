"""The characters an XML 1.0 document cannot hold, so neither can a .docx or an .xlsx part.

One list for every writer: the filled forms take them out of a value (and warn), the handbook
refuses a chapter that holds one. Lone surrogates are left to each writer (Python cannot encode
them in UTF-8 anyway).
"""

from __future__ import annotations

UNSTORABLE = r"\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff"  # the contents of a regular expression's [ ]
