"""Tests of the text feature family."""
