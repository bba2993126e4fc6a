"""Helpers shared by the tests (no tests here): fakes, builders and the bad-input corpus."""
