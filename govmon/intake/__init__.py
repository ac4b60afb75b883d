"""Citizen reports (我为政府网站找错) taken in and cross-checked: file import, the HTTP intake, live verification."""
