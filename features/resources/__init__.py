"""Packaged data files for the feature families (dictionaries and lexicons), read with
``importlib.resources``."""
