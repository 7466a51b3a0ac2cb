"""The monthly report drafted from a month of submissions, and the rules across forms.

Public API::

    draft_monthly_report(paths, month, policy, today=..., manager=None, sales=None, narrative=None) -> MonthlyDraft
    write_draft(draft, outdir, formats=("docx", "xlsx")) -> list[Path]      # manualkit.toolkit.report.draft_docx
    cross_form_findings(submissions, policy, month=None, manager=None)       # manualkit.toolkit.month.rules

Data flow: ``inputs`` (read and validate files) → ``selection`` (one manager's
month) → ``visits``/``sales``/``figures`` (pure computations, every number with
its source rows) → ``rules`` (across forms) → ``draft`` (the monthly-report
record) → ``appendix`` → ``document``/``workbook`` (Word and Excel drafts).
"""
