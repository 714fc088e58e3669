"""Editors are told: digests of new suggestions and overdue pledges by e-mail and webhook."""
