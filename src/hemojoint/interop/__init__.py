"""Data exchange with the systems around hemojoint.

Tabular research exports: :mod:`~hemojoint.interop.tabular` defines the tables
(columns, labels, codes) and maps records to rows, and writes tidy CSV;
:mod:`~hemojoint.interop.spss` writes SPSS ``.sav`` files and
:mod:`~hemojoint.interop.redcap` REDCap flat files with their data dictionary.
"""
