"""Rendering forms: blank and filled Word and Excel files, and PDFs of them.

``xlsx`` writes the Excel workbooks (the contract with ``manualkit.toolkit.reader``),
``docx`` fills the Word templates (the only importer of docxtpl), ``batch``
renders many records of a form at once, in any format, converting to PDF
through ``manualkit.toolkit.office``. ``context`` turns a record into what a form shows;
``scaffold`` is the developer tool that builds the Word templates from the
schemas. This package never imports ``manualkit.toolkit.validate``.
"""
