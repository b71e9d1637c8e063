"""Test support: data builders (builders), file writers (files), the browser harness (browser)."""
