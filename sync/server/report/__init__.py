"""The steering committee's monthly report as a PDF: gathered from the figures' own functions
(monthly.py), drawn with the counter's document engine (pdf.py), served at /report.pdf (page.py).
"""
