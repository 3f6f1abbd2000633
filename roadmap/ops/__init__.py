"""Running the site: request logs, health checks, security headers, the page cache and the
content version that lets every instance drop its cached pages after a content change."""
