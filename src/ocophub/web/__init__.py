"""The site's shell: base templates, home page, error pages, static files, the admin site, setup and
the daily jobs. Sits on top: it may use every app, and no app uses it."""
