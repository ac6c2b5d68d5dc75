"""Printable reports (reportlab): the monthly service report, the daily sheet and a
customer's history. Numbers come computed from ``core``; this package only lays them out.
"""
