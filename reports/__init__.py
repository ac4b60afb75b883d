"""What people receive: the rectification list (整改清单) in HTML, XLSX and JSON."""
