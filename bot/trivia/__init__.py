"""Trivia question sets outside the fact store: server-written questions and Red lists."""
