"""The REST API under ``/api/v1``: the assistant, /rca and the forecast, as JSON."""
