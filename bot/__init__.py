"""Core library of the customer-service bot: store, policy, services.

It imports neither actions nor api.
"""
