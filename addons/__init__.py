"""Custom Rasa graph components. Imported only by Rasa, in .venv-rasa."""
