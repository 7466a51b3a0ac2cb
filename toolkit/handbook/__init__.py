"""The staff handbook: Markdown chapters plus generated chapters, written as Word and HTML.

``build.build_handbook`` is the one entry point. ``sources`` renders the
placeholders, ``tree`` parses and numbers, ``calendar`` and ``appendix`` generate
chapters from the policy, the schemas and the finding codes, and the writers
(``docx_*``, ``html_writer``) turn the syntax trees into files. This package does
not import click or docxtpl.
"""
