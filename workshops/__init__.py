"""Parent-child workshops run by a PMI service in rooms lent by partner centres."""
