"""Feature families for procare: pure DataFrame-in/DataFrame-out functions and fitted transformers."""
