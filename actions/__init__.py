"""Thin rasa-sdk actions: read the tracker, call the core (bot/), reply with domain responses."""
