"""What the tests share: fixtures' helpers, validators, LibreOffice and browser drivers."""
