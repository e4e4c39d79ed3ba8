"""Printed documents (receipts, slips, notices, daily summaries) as PDFs with ReportLab."""
