"""Feature families: pure DataFrame-in/DataFrame-out functions and fitted transformers."""
