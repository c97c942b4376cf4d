"""Learner side of classes: join with a code, "My classes", rejoin from another browser."""
