"""Rendering forms: blank and filled Word and Excel files, and PDFs of them.

``docx`` fills the Word templates (the only importer of docxtpl), ``xlsx``
writes the Excel workbooks, ``pdf`` converts through LibreOffice, ``batch``
runs ``blank`` and ``fill`` over many forms and records. ``context`` turns a
record into what a form shows; ``scaffold`` is the developer tool that makes
the Word templates from the schemas. This package may import
``toolkit.workbook`` (the shared reader), never ``toolkit.validate``.
"""
