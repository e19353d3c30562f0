"""The Flask front end and JSON API over the search library; the library never imports it."""
