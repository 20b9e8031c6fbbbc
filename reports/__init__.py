"""The anonymised reports as documents: HTML with charts, PDF, CSV and JSON (being built).

The figures come from workflow.reports; this package only lays them out. The web (forms/)
and the command line (vertrouwd/) both use it.
"""
