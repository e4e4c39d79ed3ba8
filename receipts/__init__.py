"""Printed documents (receipts, appointment slips, notices, daily summaries) as PDFs.

Pure Python on ReportLab with HarfBuzz shaping; never Qt. Reads the store through the core's
own functions; the only things it writes are receipt prints (a fact, through the core) and
the PDF files themselves.
"""
