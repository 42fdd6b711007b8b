"""FAQ answering: which topic a question asks (the NLU's pick, or a search when it is unsure)."""
